"""The scenario API for nullable foreign keys held by CheckConstraints.

The queries are nullable_fks' queries: the constraints change what can be
written, not how it is read. The owner_type column saves the listing from
working out the kind from which FK is set.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models.functions import Coalesce

from .models import Anime, Group, Manga, Movie, OwnerType, Person, SavedItem, Task

TaskRow = tuple[str, str, str, str | None]
FeedRow = tuple[str, str, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

# The owner model -> its owner_type and the Task column that points at it.
OWNER_FIELDS: dict[type[models.Model], tuple[OwnerType, str]] = {
    Person: (OwnerType.PERSON, "owner_person"),
    Group: (OwnerType.GROUP, "owner_group"),
}
# The kind in the URL is also the SavedItem column that points at that kind.
KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}


# Ownership domain ------------------------------------------------------------


def create_person(name: str) -> Person:
    # 1 query: an INSERT.
    return Person.objects.create(name=name)


def create_group(name: str, creator: Person) -> Group:
    # 1 query: an INSERT.
    return Group.objects.create(name=name, creator=creator)


def create_task(description: str, owner: PersonOrGroup) -> Task:
    # 1 query: an INSERT. The type and its FK go together; the database
    # refuses any other pairing.
    owner_type, field = OWNER_FIELDS[type(owner)]
    return Task.objects.create(
        description=description, owner_type=owner_type, **{field: owner}
    )


def owner_of(task: Task) -> PersonOrGroup:
    # 1 query unless select_related; Task.owner follows owner_type.
    return task.owner


def _row(task: Task) -> TaskRow:
    owner = task.owner
    if task.owner_type == OwnerType.GROUP:
        return (task.description, task.owner_type, owner.name, owner.creator.name)
    return (task.description, task.owner_type, owner.name, None)


def _tasks_in_listing_order() -> models.QuerySet[Task]:
    # The contract's order, done by the database: owner_type holds the kind
    # as the contract spells it, and the constraint leaves exactly one owner
    # table joined per row, so Coalesce picks its name.
    return Task.objects.alias(
        owner_name=Coalesce("owner_group__name", "owner_person__name"),
    ).order_by("description", "owner_type", "owner_name")


def task_rows() -> list[TaskRow]:
    # 1 query: both owner tables LEFT OUTER JOINed, the creator joined through
    # the group. Real FKs can be select_related, whatever the owner's type.
    tasks = _tasks_in_listing_order().select_related(
        "owner_person", "owner_group__creator"
    )
    return [_row(task) for task in tasks]


def task_rows_naive() -> list[TaskRow]:
    # The same query without select_related: 1 + one per person task (owner)
    # + two per group task (owner, then its creator): the N+1.
    return [_row(task) for task in _tasks_in_listing_order()]


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query, through the reverse FK (related_name="tasks" on both owners).
    return list(owner.tasks.order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: an ordinary join through the owner_group FK, written the way
    # the ORM reads, which a GFK can't do.
    return list(
        Task.objects.filter(owner_group__creator=person).order_by("description", "pk")
    )


def delete_owner(owner: PersonOrGroup) -> None:
    # 2 queries for a group (its tasks, then it), 3 for a person, 5 for a person who
    # created groups: a query per table, not per row. The FKs are CASCADE: the ORM
    # collects the person's groups and the tasks of both, and the database's FK
    # constraints would refuse any leftover.
    owner.delete()


# Saves domain ----------------------------------------------------------------


def create_media(kind: str, title: str, **fields: int) -> MediaItem:
    # 1 query: an INSERT.
    return KINDS[kind].objects.create(title=title, **fields)


def get_media(kind: str, pk: int) -> MediaItem:
    # 1 query: a SELECT by primary key; an unknown kind raises before it.
    try:
        model = KINDS[kind]
    except KeyError:
        raise LookupError(f"Unknown kind {kind!r}") from None
    return model.objects.get(pk=pk)


def list_media(kind: str) -> list[MediaItem]:
    # 1 query, ordered by the database.
    return list(KINDS[kind].objects.order_by("title", "pk"))


def _kind_of(item: MediaItem) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(item, model))


def _saves_of(user: AbstractBaseUser, item: MediaItem) -> models.QuerySet[SavedItem]:
    return SavedItem.objects.filter(user=user, **{_kind_of(item): item})


def _extras_defaults(item: MediaItem) -> dict:
    # Every kind shares one row shape; only this code decides which extra
    # column a kind may use.
    if isinstance(item, Anime):
        return {"episode_progress": 0}
    if isinstance(item, Movie):
        return {"watched": False}
    return {}


def save_item(
    user: AbstractBaseUser, item: MediaItem, *, at: datetime | None = None
) -> bool:
    # 1 query when already saved, 2 for a new save: a SELECT, then the INSERT
    # in a savepoint. A concurrent duplicate hits the per-kind unique constraint,
    # and get_or_create() turns that into a second SELECT instead of an error.
    defaults = _extras_defaults(item)
    if at is not None:
        defaults["created"] = at
    _, created = SavedItem.objects.get_or_create(
        user=user, **{_kind_of(item): item}, defaults=defaults
    )
    return created


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: a DELETE that only ever matches the user's own row.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: the kind's partial unique index on (user, item) answers it.
    return _saves_of(user, item).exists()


def _feed_row(save: SavedItem) -> FeedRow:
    item = save.item
    kind = _kind_of(item)
    if kind == "anime":
        extras = {"episode_progress": save.episode_progress}
    elif kind == "movie":
        extras = {"watched": save.watched}
    else:
        extras = {}
    return (kind, item.title, save.created, extras)


def saved_feed(user: AbstractBaseUser, page: int, per_page: int) -> list[FeedRow]:
    # 1 query: the three item tables LEFT OUTER JOINed; the database orders
    # and slices, and each row carries its title whatever its kind.
    start = (page - 1) * per_page
    saves = (
        SavedItem.objects.filter(user=user)
        .select_related("movie", "anime", "manga")
        .order_by("-created", "pk")[start : start + per_page]
    )
    return [_feed_row(save) for save in saves]


def saved_count(user: AbstractBaseUser) -> int:
    # 1 query: every kind's saves are rows of one table.
    return SavedItem.objects.filter(user=user).count()


def set_progress(user: AbstractBaseUser, anime: Anime, episode: int) -> None:
    # 1 query: an UPDATE of the user's save; nothing to update if not saved.
    _saves_of(user, anime).update(episode_progress=episode)


def progress(user: AbstractBaseUser, anime: Anime) -> int | None:
    # 1 query: the user's save's episode_progress, or None when not saved.
    return _saves_of(user, anime).values_list("episode_progress", flat=True).first()


def set_watched(user: AbstractBaseUser, movie: Movie, watched: bool = True) -> None:
    # 1 query: an UPDATE of the user's save; nothing to update if not saved.
    _saves_of(user, movie).update(watched=watched)


def delete_media(item: MediaItem) -> None:
    # 2 queries: the item's saves, then the item. The FK is CASCADE: the ORM
    # deletes the saves first.
    item.delete()
