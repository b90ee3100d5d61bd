"""The scenario API for django-typed-models: one table per domain, a type column.

Person and Group are rows of one Owner table, told apart by `type`; Movie,
Anime and Manga rows of one Media table. Nothing to join to learn a row's
kind, nothing to join to read its fields: the queries read one table where
the others read two or three. The price is the schema's (models.py).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Q, Value, When

from .models import Anime, Group, Manga, Movie, Owner, Person, SavedItem, Task

TaskRow = tuple[str, str | None, str | None, str | None]
FeedRow = tuple[str | None, str | None, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}
# The owner kinds, as the contract spells them, and the type each is stored as.
OWNER_KINDS: dict[str, type[PersonOrGroup]] = {"person": Person, "group": Group}

# A task row's columns, as SQL: the kind is the owner row's type, mapped to
# the contract's word; its name and creator are columns of the same row.
OWNER_KIND = Case(
    *(
        When(owner__type=model._typedmodels_type, then=Value(kind))
        for kind, model in OWNER_KINDS.items()
    )
)
OWNER_NAME = F("owner__name")
CREATOR_NAME = F("owner__creator__name")
TASK_ROW = ("description", "owner_kind", "owner_name", "creator_name")
# A feed row's columns: the kind is the Media row's type, the title its own.
FEED_KIND = Case(
    *(
        When(item__type=model._typedmodels_type, then=Value(kind))
        for kind, model in KINDS.items()
    )
)
FEED_TITLE = F("item__title")
FEED_ROW = ("kind", "title", "created", "episode_progress", "watched")


# Ownership domain ------------------------------------------------------------


def create_person(name: str) -> Person:
    # 1 query: an INSERT into the Owner table, with the kind as its type.
    return Person.objects.create(name=name)


def create_group(name: str, creator: Person) -> Group:
    # 1 query, as for a person.
    return Group.objects.create(name=name, creator=creator)


def create_task(description: str, owner: PersonOrGroup) -> Task:
    # 1 query: an INSERT. A Person or Group is an Owner: the FK takes it as
    # it is.
    return Task.objects.create(description=description, owner=owner)


def owner_of(task: Task) -> PersonOrGroup | None:
    # 1 query unless select_related: the Owner row, built as the class its
    # type names.
    return task.owner


def _row(task: Task) -> TaskRow:
    owner = task.owner
    if isinstance(owner, Group):
        return (task.description, "group", owner.name, owner.creator.name)
    if isinstance(owner, Person):
        return (task.description, "person", owner.name, None)
    return (task.description, None, None, None)


def _listing() -> models.QuerySet[Task]:
    # The contract's order, done by the database through the one join.
    return Task.objects.alias(owner_kind=OWNER_KIND, owner_name=OWNER_NAME).order_by(
        "description", "owner_kind", "owner_name", "pk"
    )


def task_rows() -> list[TaskRow]:
    # 1 query: Task -> Owner (the kind, the name) -> the creator's Owner row.
    return list(
        _listing()
        .annotate(
            owner_kind=OWNER_KIND, owner_name=OWNER_NAME, creator_name=CREATOR_NAME
        )
        .values_list(*TASK_ROW)
    )


def task_rows_naive() -> list[TaskRow]:
    # The same ordered query, but rows built from instances with nothing
    # loaded ahead: 1 + per task its Owner row + per group task its creator.
    # The type column spares every miss: the N+1 of a plain FK.
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
    # 2 queries: the page of tasks alone, then its Owner rows, built as
    # Person or Group by their type, with the groups' creators joined.
    start = (number - 1) * per_page
    tasks = Task.objects.order_by("description", "pk").prefetch_related(
        models.Prefetch("owner", Owner.objects.select_related("creator"))
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: one COUNT per type, over the joined Owner rows.
    return Task.objects.aggregate(
        **{
            kind: Count("pk", filter=Q(owner__type=model._typedmodels_type))
            for kind, model in OWNER_KINDS.items()
        }
    )


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query, no join: the tasks' FK holds the owner row's id.
    return list(Task.objects.filter(owner=owner).order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: Task -> Owner, on its type and its creator column.
    return list(
        Task.objects.filter(
            owner__type=Group._typedmodels_type, owner__creator=person
        ).order_by("description", "pk")
    )


def create_persons(names: list[str]) -> list[Person]:
    # 1 query: one multi-row INSERT (bulk_create()); a proxy of one table, so
    # the kind goes in with each row.
    return Person.objects.bulk_create([Person(name=name) for name in names])


def delete_owner(owner: PersonOrGroup) -> None:
    # 3 queries for a group, 3 for a person, 6 for a person who created
    # groups: a query per table, not per row. The creator link is a foreign
    # key from the Owner table to itself, so the collector asks every owner,
    # a group included, for the groups it created; each owner's tasks go
    # with it. On MariaDB 7 for the creator: a foreign key there can't wait
    # for the commit, so Django first sets the groups' creator to NULL.
    owner.delete()


# Saves domain ----------------------------------------------------------------


def create_media(kind: str, title: str, **fields: int) -> MediaItem:
    # 1 query: an INSERT into the Media table, with the kind as its type.
    return KINDS[kind].objects.create(title=title, **fields)


def get_media(kind: str, pk: int) -> MediaItem:
    # 1 query: a SELECT by primary key and type; an unknown kind raises
    # before it.
    try:
        model = KINDS[kind]
    except KeyError:
        raise LookupError(f"Unknown kind {kind!r}") from None
    return model.objects.get(pk=pk)


def list_media(kind: str) -> list[MediaItem]:
    # 1 query: the Media rows of the kind's type, ordered by the database.
    return list(KINDS[kind].objects.order_by("title", "pk"))


def _saves_of(user: AbstractBaseUser, item: MediaItem) -> models.QuerySet[SavedItem]:
    # No join: an item's id is its Media row's id.
    return SavedItem.objects.filter(user=user, item=item)


def _extras_defaults(item: MediaItem) -> dict:
    # The kind is the Media row's type, in another table: out of reach of a
    # CheckConstraint on SavedItem, so only this code keeps each extra on its
    # own kind's saves.
    if isinstance(item, Anime):
        return {"episode_progress": 0}
    if isinstance(item, Movie):
        return {"watched": False}
    return {}


def save_item(
    user: AbstractBaseUser, item: MediaItem, *, at: datetime | None = None
) -> bool:
    # 1 query, new or not: an INSERT in a savepoint; an item's id is its Media
    # row's id. A repeat (a double click, a second tab, a racing request) hits
    # the unique constraint, and that is the answer: already saved, extras
    # untouched. get_or_create() would read first, and raise when an unsave
    # deletes the row between its INSERT and its re-read.
    defaults = _extras_defaults(item)
    if at is not None:
        defaults["created"] = at
    try:
        with transaction.atomic():
            SavedItem.objects.create(user=user, item=item, **defaults)
    except IntegrityError:
        return False
    return True


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: a DELETE that only ever matches the user's own row.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query, no join: the (user, item) unique index answers it.
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
    # 1 query: saves -> the Media table (the type, the title), ordered and
    # sliced by the database.
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
    # 2 queries: the item's saves, then its Media row.
    item.delete()
