"""The scenario API for the GenericForeignKey baseline.

Query counts assume Django's content-type cache is warm (ContentType rows are
read once per process and kept); the shared suite warms it before measuring.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models

from .models import Anime, Group, Manga, Movie, Person, SavedItem, Task

TaskRow = tuple[str, str, str, str | None]
FeedRow = tuple[str, str, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}


# Ownership domain ------------------------------------------------------------


def create_person(name: str) -> Person:
    # 1 query: an INSERT.
    return Person.objects.create(name=name)


def create_group(name: str, creator: Person) -> Group:
    # 1 query: an INSERT.
    return Group.objects.create(name=name, creator=creator)


def create_task(description: str, owner: PersonOrGroup) -> Task:
    # 1 query: an INSERT; the content type comes from the cache.
    # Task(owner=...) fills owner_type and owner_id; nothing checks the type.
    return Task.objects.create(description=description, owner=owner)


def owner_of(task: Task) -> PersonOrGroup:
    # 1 query unless prefetched: a GFK can't be select_related.
    return task.owner


def _row(task: Task) -> TaskRow:
    owner = task.owner
    if isinstance(owner, Group):
        return (task.description, "group", owner.name, owner.creator.name)
    return (task.description, "person", owner.name, None)


def task_rows() -> list[TaskRow]:
    # 3 queries: tasks, then one per owner type (groups with their creator
    # joined). A GFK can't be select_related: the target table is data, not
    # schema, so this is the floor, and it grows with every new owner type.
    tasks = Task.objects.prefetch_related(
        GenericPrefetch(
            "owner",
            [Person.objects.all(), Group.objects.select_related("creator")],
        )
    )
    # Sorting by owner kind or name can't happen in SQL either (no join), so
    # the database orders by description and Python finishes the job.
    return sorted(_row(task) for task in tasks.order_by("description"))


def task_rows_naive() -> list[TaskRow]:
    # 1 + one per task (owner) + one per group task (creator): the N+1.
    return sorted(_row(task) for task in Task.objects.order_by("description"))


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query: content-type id comes from the cache. The filter works only
    # through the GenericRelation, or by spelling out both columns as here.
    owner_type = ContentType.objects.get_for_model(owner)
    return list(
        Task.objects.filter(owner_type=owner_type, owner_id=owner.pk).order_by(
            "description", "pk"
        )
    )


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query, by hand: Task.objects.filter(owner__creator=person) is
    # impossible (a GFK can't be traversed in a filter), so the join is
    # rewritten as a subquery on the group table, pinned to the group type.
    return list(
        Task.objects.filter(
            owner_type=ContentType.objects.get_for_model(Group),
            owner_id__in=Group.objects.filter(creator=person).values("pk"),
        ).order_by("description", "pk")
    )


def delete_owner(owner: PersonOrGroup) -> None:
    # 2 queries for a group (its tasks, then it), 3 for a person, 5 for a
    # person who created groups: a query per table, not per row. The ORM follows the
    # GenericRelations: deleting a person collects the groups they created,
    # and the tasks of both. Without the GenericRelation these tasks would be
    # left pointing at nothing.
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
    return SavedItem.objects.filter(
        user=user,
        item_type=ContentType.objects.get_for_model(item),
        item_id=item.pk,
    )


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
    # in a savepoint. A concurrent duplicate hits the unique constraint, and
    # get_or_create() turns that into a second SELECT instead of an error.
    defaults = _extras_defaults(item)
    if at is not None:
        defaults["created"] = at
    _, created = SavedItem.objects.get_or_create(
        user=user,
        item_type=ContentType.objects.get_for_model(item),
        item_id=item.pk,
        defaults=defaults,
    )
    return created


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: a DELETE that only ever matches the user's own row.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: the (user, type, id) unique index answers it.
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
    # 4 queries for a page holding all three kinds, one fewer per kind missing:
    # the database orders and slices the saves, then GenericPrefetch fetches
    # the titles with one query per kind on the page.
    start = (page - 1) * per_page
    saves = (
        SavedItem.objects.filter(user=user)
        .order_by("-created", "pk")
        .prefetch_related(
            GenericPrefetch(
                "item", [Movie.objects.all(), Anime.objects.all(), Manga.objects.all()]
            )
        )[start : start + per_page]
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
    # 2 queries: the item's saves, then the item. The GenericRelation makes
    # the ORM delete the saves first; without it they would point at nothing.
    item.delete()
