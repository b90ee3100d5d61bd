"""The scenario API for multi-table inheritance (Alternative 4)."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import models
from django.db.models import Case, F, Value, When
from django.db.models.functions import Coalesce

from .models import Anime, Group, Manga, Media, Movie, Person, SavedItem, Task

TaskRow = tuple[str, str, str, str | None]
FeedRow = tuple[str, str, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}

# Every child table joined in, so downcasting a task's owner (or a save's item)
# reads a cached row instead of trying one child table after another.
OWNER_CHILDREN = ("owner__person", "owner__group__creator")
MEDIA_CHILDREN = ("item__movie", "item__anime", "item__manga")


# Ownership domain ------------------------------------------------------------


def create_person(name: str) -> Person:
    # 2 queries: INSERT the Owner row, then the person row keyed by its id.
    return Person.objects.create(name=name)


def create_group(name: str, creator: Person) -> Group:
    # 2 queries, as for a person.
    return Group.objects.create(name=name, creator=creator)


def create_task(description: str, owner: PersonOrGroup) -> Task:
    # 1 query: an INSERT. A Person or Group is an Owner: the FK takes it as
    # it is.
    return Task.objects.create(description=description, owner=owner)


def owner_of(task: Task) -> PersonOrGroup:
    # 2 queries for a person's task, 3 for a group's: task.owner, then one per
    # child table tried, Person first. None after select_related(*OWNER_CHILDREN).
    return task.owner.downcast()


def _row(task: Task) -> TaskRow:
    owner = task.owner.downcast()
    if isinstance(owner, Group):
        return (task.description, "group", owner.name, owner.creator.name)
    return (task.description, "person", owner.name, None)


def task_rows() -> list[TaskRow]:
    # 1 query: task, owner, both child tables and the group's creator in one
    # LEFT JOINed SELECT. The kind and name to order by are whichever child
    # row exists, so the database orders by a CASE and a COALESCE over both.
    tasks = (
        Task.objects.select_related(*OWNER_CHILDREN)
        .annotate(
            owner_kind=Case(
                When(owner__person__isnull=False, then=Value("person")),
                When(owner__group__isnull=False, then=Value("group")),
            ),
            owner_name=Coalesce(F("owner__person__name"), F("owner__group__name")),
        )
        .order_by("description", "owner_kind", "owner_name", "pk")
    )
    return [_row(task) for task in tasks]


def task_rows_naive() -> list[TaskRow]:
    # 1 + per task: its Owner, then the person table (a miss for a group's
    # task), then for a group task the group table and the creator: the N+1.
    return sorted(_row(task) for task in Task.objects.order_by("description"))


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query: a person's or group's id is its Owner row's id.
    return list(Task.objects.filter(owner=owner).order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: the ORM joins task -> owner -> group and filters on the creator.
    return list(
        Task.objects.filter(owner__group__creator=person).order_by("description", "pk")
    )


def delete_owner(owner: PersonOrGroup) -> None:
    # 3 queries for a group, 4 for a person, 6 for a person who created
    # groups: a query per table, not per row. Deleting a child deletes its Owner row too
    # (keep_parents=False), and the tasks pointing at that Owner; a person
    # takes their groups along.
    owner.delete()


# Saves domain ----------------------------------------------------------------


def create_media(kind: str, title: str, **fields: int) -> MediaItem:
    # 2 queries: INSERT the media row (the title), then the kind's row keyed
    # by its id.
    return KINDS[kind].objects.create(title=title, **fields)


def get_media(kind: str, pk: int) -> MediaItem:
    # 1 query: the kind's row joined to its media row, by primary key; an
    # unknown kind raises before it.
    try:
        model = KINDS[kind]
    except KeyError:
        raise LookupError(f"Unknown kind {kind!r}") from None
    return model.objects.get(pk=pk)


def list_media(kind: str) -> list[MediaItem]:
    # 1 query: the kind's table joined to its media row for the title.
    return list(KINDS[kind].objects.order_by("title", "pk"))


def _kind_of(item: MediaItem) -> str:
    return next(kind for kind, model in KINDS.items() if isinstance(item, model))


def _saves_of(user: AbstractBaseUser, item: MediaItem) -> models.QuerySet[SavedItem]:
    # An item's id is its media row's id: one FK serves every kind.
    return SavedItem.objects.filter(user=user, item=item)


def _extras_defaults(item: MediaItem) -> dict:
    # Only this code decides which extra column a kind may use.
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
        user=user, item=item, defaults=defaults
    )
    return created


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: a DELETE that only ever matches the user's own row.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: the (user, item) unique index answers it.
    return _saves_of(user, item).exists()


def _downcast(media: Media) -> MediaItem:
    # The Media row a save points at, as its Movie, Anime or Manga. Free after
    # select_related(*MEDIA_CHILDREN): the child rows are cached.
    for kind in KINDS:
        child = getattr(media, kind, None)
        if child is not None:
            return child
    raise Media.DoesNotExist(f"Media #{media.pk} is not a movie, anime or manga.")


def _feed_row(save: SavedItem) -> FeedRow:
    item = _downcast(save.item)
    kind = _kind_of(item)
    if kind == "anime":
        extras = {"episode_progress": save.episode_progress}
    elif kind == "movie":
        extras = {"watched": save.watched}
    else:
        extras = {}
    return (kind, item.title, save.created, extras)


def saved_feed(user: AbstractBaseUser, page: int, per_page: int) -> list[FeedRow]:
    # 1 query: one table of saves, ordered and sliced by the database, with
    # the media row and all three child tables LEFT JOINed to downcast.
    start = (page - 1) * per_page
    saves = (
        SavedItem.objects.filter(user=user)
        .select_related(*MEDIA_CHILDREN)
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
    # 3 queries: the item's saves, the kind's row, then its media row.
    item.delete()
