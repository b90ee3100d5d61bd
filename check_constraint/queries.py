"""The scenario API for nullable foreign keys held by CheckConstraints.

The queries are nullable_fks' queries: the constraints change what can be
written, not how it is read. The owner_type column saves the listing from
working out the kind from which FK is set.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import Coalesce

from .models import Anime, Group, Manga, Movie, OwnerType, Person, SavedItem, Task

TaskRow = tuple[str, str | None, str | None, str | None]
FeedRow = tuple[str | None, str | None, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

# The owner model -> its owner_type and the Task column that points at it.
OWNER_FIELDS: dict[type[models.Model], tuple[OwnerType, str]] = {
    Person: (OwnerType.PERSON, "owner_person"),
    Group: (OwnerType.GROUP, "owner_group"),
}
# The kind in the URL is also the SavedItem column that points at that kind.
KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}

# A task row's columns, as SQL: owner_type holds the kind as the contract
# spells it, and the constraint leaves exactly one owner table joined per row,
# so Coalesce picks its name.
OWNER_KIND = F("owner_type")
OWNER_NAME = Coalesce("owner_group__name", "owner_person__name")
CREATOR_NAME = F("owner_group__creator__name")
TASK_ROW = ("description", "owner_kind", "owner_name", "creator_name")
# A feed row's columns: the kind is which item column is set.
FEED_KIND = Case(
    *(When(**{f"{kind}__isnull": False}, then=Value(kind)) for kind in KINDS)
)
FEED_TITLE = Coalesce("movie__title", "anime__title", "manga__title")
FEED_ROW = ("kind", "title", "created", "episode_progress", "watched")


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


def owner_of(task: Task) -> PersonOrGroup | None:
    # 1 query unless select_related; Task.owner follows owner_type.
    return task.owner


def _row(task: Task) -> TaskRow:
    owner = task.owner
    if isinstance(owner, Group):
        return (task.description, "group", owner.name, owner.creator.name)
    if isinstance(owner, Person):
        return (task.description, "person", owner.name, None)
    return (task.description, None, None, None)


def _listing() -> models.QuerySet[Task]:
    # The contract's order, done by the database through the joins above.
    return Task.objects.alias(owner_kind=OWNER_KIND, owner_name=OWNER_NAME).order_by(
        "description", "owner_kind", "owner_name", "pk"
    )


def task_rows() -> list[TaskRow]:
    # 1 query: both owner tables LEFT OUTER JOINed, the creator joined through
    # the group. Real FKs join whatever the owner's type.
    return list(
        _listing()
        .annotate(
            owner_kind=OWNER_KIND, owner_name=OWNER_NAME, creator_name=CREATOR_NAME
        )
        .values_list(*TASK_ROW)
    )


def task_rows_naive() -> list[TaskRow]:
    # The same ordered query, but rows built from instances with nothing
    # loaded ahead: 1 + one per person task (its owner) + two per group task
    # (its owner, then the creator). The N+1.
    return [_row(task) for task in _listing()]


def task_page(number: int, per_page: int) -> list[TaskRow]:
    # 1 query: a page of tasks by description, owners joined as in
    # task_rows(), sliced by the database.
    start = (number - 1) * per_page
    tasks = Task.objects.annotate(
        owner_kind=OWNER_KIND, owner_name=OWNER_NAME, creator_name=CREATOR_NAME
    ).order_by("description", "pk")
    return list(tasks.values_list(*TASK_ROW)[start : start + per_page])


def task_page_prefetched(number: int, per_page: int) -> list[TaskRow]:
    # 3 queries: the page of tasks alone, then the persons on it, then the
    # groups on it with their creators joined.
    start = (number - 1) * per_page
    tasks = Task.objects.order_by("description", "pk").prefetch_related(
        "owner_person",
        models.Prefetch("owner_group", Group.objects.select_related("creator")),
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: a COUNT of each owner column, which skips its NULLs.
    return Task.objects.aggregate(
        person=Count("owner_person"), group=Count("owner_group")
    )


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query, through the reverse FK (related_name="tasks" on both owners).
    return list(owner.tasks.order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: an ordinary join through the owner_group FK.
    return list(
        Task.objects.filter(owner_group__creator=person).order_by("description", "pk")
    )


def create_persons(names: list[str]) -> list[Person]:
    # 1 query: one multi-row INSERT (bulk_create()), the ORM's bulk route.
    return Person.objects.bulk_create([Person(name=name) for name in names])


def delete_owner(owner: PersonOrGroup) -> None:
    # 2 queries for a group, 3 for a person, 5 for a person who created
    # groups: a query per table, not per row. The FKs are CASCADE: the ORM
    # collects the person's groups and the tasks of both, and the database's
    # FK constraints would refuse any leftover.
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
    # Every kind shares one row shape, and two CheckConstraints keep each
    # extra on its own kind's saves: a wrong default here would be refused.
    if isinstance(item, Anime):
        return {"episode_progress": 0}
    if isinstance(item, Movie):
        return {"watched": False}
    return {}


def save_item(
    user: AbstractBaseUser, item: MediaItem, *, at: datetime | None = None
) -> bool:
    # 1 query, new or not: an INSERT in a savepoint. A repeat (a double click,
    # a second tab, a racing request) hits the kind's unique constraint, and
    # that is the answer: already saved, extras untouched. get_or_create()
    # would read first, and raise when an unsave deletes the row between its
    # INSERT and its re-read.
    defaults = _extras_defaults(item)
    if at is not None:
        defaults["created"] = at
    try:
        with transaction.atomic():
            SavedItem.objects.create(user=user, **{_kind_of(item): item}, **defaults)
    except IntegrityError:
        return False
    return True


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: a DELETE that only ever matches the user's own row.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: the kind's (user, item) unique index answers it.
    return _saves_of(user, item).exists()


def _feed_row(kind, title, created, episode_progress, watched) -> FeedRow:
    if kind == "anime":
        extras = {"episode_progress": episode_progress}
    elif kind == "movie":
        extras = {"watched": watched}
    else:
        extras = {}
    return (kind, title, created, extras)


def saved_feed(user: AbstractBaseUser, page: int, per_page: int) -> list[FeedRow]:
    # 1 query: the three item tables LEFT OUTER JOINed; the database orders
    # and slices, and each row carries its title whatever its kind.
    start = (page - 1) * per_page
    saves = (
        SavedItem.objects.filter(user=user)
        .annotate(kind=FEED_KIND, title=FEED_TITLE)
        .order_by("-created", "pk")
    )
    rows = saves.values_list(*FEED_ROW)[start : start + per_page]
    return [_feed_row(*row) for row in rows]


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
