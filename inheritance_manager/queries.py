"""The scenario API for django-model-utils' InheritanceManager over MTI.

mti's schema and mti's queries, but where a query starts from Owner and wants
its children: there the manager's select_subclasses() does what mti spells out
by hand, LEFT JOINing each child table and handing back Person or Group. The
media queries start from a kind or from SavedItem, so they are mti's.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import Coalesce

from .models import Anime, Group, Manga, Movie, Owner, Person, SavedItem, Task

TaskRow = tuple[str, str | None, str | None, str | None]
FeedRow = tuple[str | None, str | None, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}

# A task row's columns, as SQL: the kind is which child table has a row for
# the Owner row, and the name comes from whichever joined. The person first:
# the library forces it (get_subclass() and select_subclasses() try the
# longest link name first, whatever order they're given), so a row with both
# children reads as the person wherever it is read. mti asks the group first.
OWNER_KIND = Case(
    When(owner__person__isnull=False, then=Value("person")),
    When(owner__group__isnull=False, then=Value("group")),
)
OWNER_NAME = Coalesce("owner__person__name", "owner__group__name")
CREATOR_NAME = Case(
    When(owner__person__isnull=True, then=F("owner__group__creator__name"))
)
TASK_ROW = ("description", "owner_kind", "owner_name", "creator_name")
# A feed row's columns: the kind is which child table has a row for the Media
# row; the title is the Media row's own.
FEED_KIND = Case(
    *(When(**{f"item__{kind}__isnull": False}, then=Value(kind)) for kind in KINDS)
)
FEED_TITLE = F("item__title")
FEED_ROW = ("kind", "title", "created", "episode_progress", "watched")


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


def owner_of(task: Task) -> PersonOrGroup | None:
    # 1 query: the Owner row with both child tables joined in, handed back as
    # the child it has (get_subclass()), or as the bare Owner row when it has
    # none. A row with both comes back as the person, as the listing reads it.
    return Owner.objects.get_subclass(pk=task.owner_id).person_or_group


def _row(task: Task) -> TaskRow:
    owner = task.owner.person_or_group
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
    # 1 query: Task -> Owner, then Person and Group (and the creator) as its
    # child tables, all LEFT OUTER joined.
    return list(
        _listing()
        .annotate(
            owner_kind=OWNER_KIND, owner_name=OWNER_NAME, creator_name=CREATOR_NAME
        )
        .values_list(*TASK_ROW)
    )


def task_rows_naive() -> list[TaskRow]:
    # The same ordered query, but rows built from instances with nothing
    # loaded ahead: 1 + per person task 2 (Owner, Person) + per group task 4
    # (Owner, a Person that isn't there, Group, creator). The Owner row can't
    # say which child table to ask, so a group task pays for asking the person
    # table first (person_or_group asks the person first, as the SQL does).
    # The N+1.
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
    # 2 queries: the page of tasks alone, then its Owner rows as their
    # children (select_subclasses()), the groups' creators joined.
    start = (number - 1) * per_page
    owners = Owner.objects.select_subclasses().select_related("group__creator")
    tasks = Task.objects.order_by("description", "pk").prefetch_related(
        models.Prefetch("owner", owners)
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: COUNT of each owner link's id over the joined rows; a COUNT of
    # a column skips its NULLs.
    return Task.objects.aggregate(
        person=Count("owner__person"), group=Count("owner__group")
    )


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query, no join: a person's or group's id is its Owner row's id.
    return list(Task.objects.filter(owner=owner).order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: Task -> Owner -> Group (its child table), on the creator.
    return list(
        Task.objects.filter(owner__group__creator=person).order_by("description", "pk")
    )


def create_persons(names: list[str]) -> list[Person]:
    # 4 queries, 2 per person: Django refuses bulk_create() for a multi-table
    # child (ValueError, before any SQL), so the ORM's only route is one
    # create() per person, the Owner row and then the person's; all in one
    # transaction, so that a failure keeps none of them.
    with transaction.atomic():
        return [Person.objects.create(name=name) for name in names]


def delete_owner(owner: PersonOrGroup) -> None:
    # 3 queries for a group, 4 for a person, 6 for a person who created
    # groups: a query per table, not per row. Deleting a child deletes its
    # Owner row too (keep_parents=False), and the tasks pointing at that
    # Owner; a person takes their groups along.
    owner.delete()


# Saves domain ----------------------------------------------------------------


def create_media(kind: str, title: str, **fields: int) -> MediaItem:
    # 2 queries: INSERT the Media row (the title), then the kind's row keyed
    # by its id.
    return KINDS[kind].objects.create(title=title, **fields)


def get_media(kind: str, pk: int) -> MediaItem:
    # 1 query: the kind's row joined to its Media row, by primary key; an
    # unknown kind raises before it.
    try:
        model = KINDS[kind]
    except KeyError:
        raise LookupError(f"Unknown kind {kind!r}") from None
    return model.objects.get(pk=pk)


def list_media(kind: str) -> list[MediaItem]:
    # 1 query: the kind's table joined to its Media row for the title.
    return list(KINDS[kind].objects.order_by("title", "pk"))


def _saves_of(user: AbstractBaseUser, item: MediaItem) -> models.QuerySet[SavedItem]:
    # No join: an item's id is its Media row's id.
    return SavedItem.objects.filter(user=user, item=item)


def _extras_defaults(item: MediaItem) -> dict:
    # The kind is whichever child table has the Media row: out of reach of a
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
    # 1 query: saves -> Media (the title) -> its three child tables (LEFT
    # OUTER, for the kind), ordered and sliced by the database.
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
    # 3 queries: the item's saves, the kind's row, then its Media row.
    item.delete()
