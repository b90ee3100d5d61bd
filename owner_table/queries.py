"""The scenario API for the intermediate Owner/Item tables with nullable links.

Owner and Item rows are made on demand: create_task() and save_item()
get-or-create the row for their person, group or media, so Person, Group and
the media tables never hear of them, and only owners that own something (only
media that someone saved) have one. The one-to-one's unique index makes the
get-or-create safe when two requests race to make the same row.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce

from .models import Anime, Group, Item, Manga, Movie, Owner, Person, SavedItem, Task

TaskRow = tuple[str, str | None, str | None, str | None]
FeedRow = tuple[str | None, str | None, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

# The owner model -> the Owner column that links it.
OWNER_FIELDS: dict[type[models.Model], str] = {Person: "person", Group: "group"}
# The kind in the URL is also the Item column that links that kind.
KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}

# A task row's columns, as SQL: the kind is which of the Owner row's links is
# set, one join away, and the name comes from whichever owner table joined.
OWNER_KIND = Case(
    When(owner__group__isnull=False, then=Value("group")),
    When(owner__person__isnull=False, then=Value("person")),
)
OWNER_NAME = Coalesce("owner__group__name", "owner__person__name")
CREATOR_NAME = F("owner__group__creator__name")
TASK_ROW = ("description", "owner_kind", "owner_name", "creator_name")
# A feed row's columns: the kind is which of the Item row's links is set.
FEED_KIND = Case(
    *(When(**{f"item__{kind}__isnull": False}, then=Value(kind)) for kind in KINDS)
)
FEED_TITLE = Coalesce("item__movie__title", "item__anime__title", "item__manga__title")
FEED_ROW = ("kind", "title", "created", "episode_progress", "watched")


# Ownership domain ------------------------------------------------------------


def create_person(name: str) -> Person:
    # 1 query: an INSERT. No Owner row yet: it is made with the person's
    # first task.
    return Person.objects.create(name=name)


def create_group(name: str, creator: Person) -> Group:
    # 1 query: an INSERT; no Owner row yet, as for a person.
    return Group.objects.create(name=name, creator=creator)


def _owner_row(owner: PersonOrGroup) -> Owner:
    # The Owner row of a person or group, made the first time it is needed;
    # a racing INSERT hits the one-to-one's unique index and is read back.
    row, _ = Owner.objects.get_or_create(**{OWNER_FIELDS[type(owner)]: owner})
    return row


def create_task(description: str, owner: PersonOrGroup) -> Task:
    # 3 queries for an owner's first task, 2 for a later one: the Owner row's
    # SELECT (and its INSERT, the first time), then the task's INSERT. Atomic,
    # so a failed INSERT leaves no Owner row behind it.
    with transaction.atomic():
        return Task.objects.create(description=description, owner=_owner_row(owner))


def owner_of(task: Task) -> PersonOrGroup | None:
    # 1 query: the Owner row with both links joined in (one of them NULL).
    row = Owner.objects.select_related("person", "group").get(pk=task.owner_id)
    return row.person_or_group


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
    # 1 query: Task -> Owner -> Person, and Owner -> Group -> creator, all
    # joined (LEFT OUTER on the nullable links). One more table than nullable
    # FKs on Task, still one query.
    return list(
        _listing()
        .annotate(
            owner_kind=OWNER_KIND, owner_name=OWNER_NAME, creator_name=CREATOR_NAME
        )
        .values_list(*TASK_ROW)
    )


def task_rows_naive() -> list[TaskRow]:
    # The same ordered query, but rows built from instances with nothing
    # loaded ahead: 1 + per person task 2 (Owner, Person) + per group task 3
    # (Owner, Group, creator). The N+1.
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
    # 2 queries: the page of tasks alone, then its Owner rows with the
    # persons, the groups and their creators joined.
    start = (number - 1) * per_page
    tasks = Task.objects.order_by("description", "pk").prefetch_related(
        models.Prefetch(
            "owner", Owner.objects.select_related("person", "group__creator")
        )
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: COUNT of each owner link's id over the joined rows; a COUNT of
    # a column skips its NULLs.
    return Task.objects.aggregate(
        person=Count("owner__person"), group=Count("owner__group")
    )


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query: joined to Owner and filtered on its link column.
    link = f"owner__{OWNER_FIELDS[type(owner)]}"
    return list(Task.objects.filter(**{link: owner}).order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: the filter the GFK can't express is a plain two-hop join here.
    return list(
        Task.objects.filter(owner__group__creator=person).order_by("description", "pk")
    )


def create_persons(names: list[str]) -> list[Person]:
    # 1 query: one multi-row INSERT (bulk_create()), the ORM's bulk route.
    return Person.objects.bulk_create([Person(name=name) for name in names])


def delete_owner(owner: PersonOrGroup) -> None:
    # 5 queries for a group, 6 for a person, 8 for a person who created
    # groups: a query per table, not per row. The Owner rows go first (the
    # owner's own, and those of the groups a person created), taking their
    # tasks, then the owner itself. owner.delete() alone cascades the same
    # way on SQLite and PostgreSQL, but on MariaDB, which can't defer a
    # foreign key, Django first sets the Owner row's link to NULL, and the
    # exactly-one CheckConstraint refuses that row.
    links = Q(**{OWNER_FIELDS[type(owner)]: owner})
    if isinstance(owner, Person):
        # An OR across a join, which no index serves: the query reads every
        # Owner row, so a person's delete grows with the table
        # (docs/performance.md, delete_owner). A query per link would use the
        # indexes, at one round trip more.
        links |= Q(group__creator=owner)
    with transaction.atomic():
        Owner.objects.filter(links).delete()
        owner.delete()


# Saves domain ----------------------------------------------------------------


def create_media(kind: str, title: str, **fields: int) -> MediaItem:
    # 1 query: an INSERT. No Item row yet: it is made with the first save.
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
    # The Item link named after the kind: item__movie=<movie>, joined to Item.
    return SavedItem.objects.filter(user=user, **{f"item__{_kind_of(item)}": item})


def _extras_defaults(item: MediaItem) -> dict:
    # The database can't tie an extra to a kind (the kind is in Item): only
    # this code keeps each extra on its own kind's saves.
    if isinstance(item, Anime):
        return {"episode_progress": 0}
    if isinstance(item, Movie):
        return {"watched": False}
    return {}


def _item_row(item: MediaItem) -> Item:
    # As _owner_row(): the Item row of a movie, anime or manga, made the first
    # time it is saved; a racing INSERT hits the one-to-one's unique index and
    # is read back. It outlives the item's saves, ready for the next one.
    row, _ = Item.objects.get_or_create(**{_kind_of(item): item})
    return row


def save_item(
    user: AbstractBaseUser, item: MediaItem, *, at: datetime | None = None
) -> bool:
    # 3 queries for an item nobody saved yet, 2 for a new save, 2 when already
    # saved: the Item row's SELECT (and its INSERT, the first time), then the
    # save's INSERT in a savepoint. A repeat hits the (user, item) unique
    # constraint, and that is the answer: already saved, extras untouched.
    defaults = _extras_defaults(item)
    if at is not None:
        defaults["created"] = at
    row = _item_row(item)
    try:
        with transaction.atomic():
            SavedItem.objects.create(user=user, item=row, **defaults)
    except IntegrityError:
        return False
    return True


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: a DELETE whose WHERE reaches Item through a subquery. The Item
    # row stays, ready for the next save.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: SavedItem joined to Item on the media's link column.
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
    # 1 query: saves -> Item -> the three media tables (LEFT OUTER), ordered
    # and sliced by the database.
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
    # 5 queries once saved, 3 before: the Item row first (a SELECT, then a
    # DELETE each of the saves and the Item row), then the item. As for
    # owners: on MariaDB, item.delete() alone would first set the Item row's
    # link to NULL, which its CheckConstraint refuses.
    with transaction.atomic():
        Item.objects.filter(**{_kind_of(item): item}).delete()
        item.delete()
