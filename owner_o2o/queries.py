"""The scenario API for an empty Owner/Media table linked from its destinations.

Every Person and Group is born with its Owner row, and every media row with its
Media row: create_person(), create_group() and create_media() make both in one
transaction, because the non-null one-to-one can't wait. Rows that never own a
task or get saved are made all the same.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce

from .models import Anime, Group, Manga, Media, Movie, Owner, Person, SavedItem, Task

TaskRow = tuple[str, str | None, str | None, str | None]
FeedRow = tuple[str | None, str | None, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}

# A task row's columns, as SQL: the kind is which table links the Owner row,
# through the reverse one-to-ones, and the name comes from whichever joined.
OWNER_KIND = Case(
    When(owner__group__isnull=False, then=Value("group")),
    When(owner__person__isnull=False, then=Value("person")),
)
OWNER_NAME = Coalesce("owner__group__name", "owner__person__name")
CREATOR_NAME = F("owner__group__creator__name")
TASK_ROW = ("description", "owner_kind", "owner_name", "creator_name")
# A feed row's columns: the kind is which media table links the Media row.
FEED_KIND = Case(
    *(When(**{f"item__{kind}__isnull": False}, then=Value(kind)) for kind in KINDS)
)
FEED_TITLE = Coalesce("item__movie__title", "item__anime__title", "item__manga__title")
FEED_ROW = ("kind", "title", "created", "episode_progress", "watched")


# Ownership domain ------------------------------------------------------------


def create_person(name: str) -> Person:
    # 2 queries: INSERT the Owner row, INSERT the person pointing at it.
    with transaction.atomic():
        return Person.objects.create(name=name, owner=Owner.objects.create())


def create_group(name: str, creator: Person) -> Group:
    # 2 queries, as for a person.
    with transaction.atomic():
        return Group.objects.create(
            name=name, creator=creator, owner=Owner.objects.create()
        )


def create_task(description: str, owner: PersonOrGroup) -> Task:
    # 1 query: an INSERT; the owner already carries its Owner id.
    return Task.objects.create(description=description, owner_id=owner.owner_id)


def owner_of(task: Task) -> PersonOrGroup | None:
    # 1 query: the Owner row with both reverse one-to-ones joined in. Knowing
    # the kind means asking both tables; Alternative 2 reads it off the row.
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
    # 1 query: Task -> Owner, then Person and Group (and the creator) through
    # the reverse one-to-ones, all LEFT OUTER joined.
    return list(
        _listing()
        .annotate(
            owner_kind=OWNER_KIND, owner_name=OWNER_NAME, creator_name=CREATOR_NAME
        )
        .values_list(*TASK_ROW)
    )


def task_rows_naive() -> list[TaskRow]:
    # The same ordered query, but rows built from instances with nothing
    # loaded ahead: 1 + per person task 3 (Owner, a Group that isn't there,
    # Person) + per group task 3 (Owner, Group, creator). The Owner row can't
    # say which table to ask, so a person task pays for asking the group
    # table first (person_or_group asks the group first, as the SQL does).
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
    # 2 queries: the page of tasks alone, then its Owner rows with the
    # persons and the groups (and their creators) joined through the reverse
    # one-to-ones.
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
    # 1 query, no join: the owner carries the Owner id the tasks point at.
    return list(
        Task.objects.filter(owner_id=owner.owner_id).order_by("description", "pk")
    )


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: Task -> Owner -> Group (reverse one-to-one), on the creator.
    return list(
        Task.objects.filter(owner__group__creator=person).order_by("description", "pk")
    )


def create_persons(names: list[str]) -> list[Person]:
    # 2 queries: the Owner rows in one INSERT (bulk_create() returns their
    # ids on every database here), then the persons pointing at them.
    with transaction.atomic():
        owners = Owner.objects.bulk_create([Owner() for _ in names])
        return Person.objects.bulk_create(
            [
                Person(name=name, owner=owner)
                for name, owner in zip(names, owners, strict=True)
            ]
        )


def delete_owner(owner: PersonOrGroup) -> None:
    # 5 queries for a group, 7 for a person, 7 for a person who created
    # groups: a query or two per table, not per row. Delete the Owner rows, not
    # the person: the cascade runs from Owner to Person and to Task, never back
    # from Person to Owner, so owner.delete() would leave the Owner rows and
    # the tasks on them. For a person, that is their own Owner row and those
    # of the groups they created; one delete() then cascades to the person,
    # the groups and every task.
    owner_rows_of([owner]).delete()


def owner_rows_of(owners: list[PersonOrGroup]) -> models.QuerySet[Owner]:
    # No query until evaluated. The Owner rows whose deletion removes `owners`
    # and all that depends on them: their own rows, and those of the groups a
    # person among them created. The admin lists these on its delete page.
    rows = Q(pk__in=[owner.owner_id for owner in owners])
    people = [owner for owner in owners if isinstance(owner, Person)]
    if people:
        # An OR across a join, which no index serves: the query reads every
        # Owner row, so a person's delete grows with the table
        # (docs/performance.md, delete_owner). A query per link would use the
        # indexes, at one round trip more.
        rows |= Q(group__creator__in=people)
    return Owner.objects.filter(rows)


# Saves domain ----------------------------------------------------------------


def create_media(kind: str, title: str, **fields: int) -> MediaItem:
    # 2 queries: INSERT the Media row, INSERT the media pointing at it.
    with transaction.atomic():
        return KINDS[kind].objects.create(
            title=title, media=Media.objects.create(), **fields
        )


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


def _saves_of(user: AbstractBaseUser, item: MediaItem) -> models.QuerySet[SavedItem]:
    # No join: the media carries its Media id.
    return SavedItem.objects.filter(user=user, item_id=item.media_id)


def _extras_defaults(item: MediaItem) -> dict:
    # The kind is whichever media table links the Media row: out of reach of a
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
    # 1 query, new or not: an INSERT in a savepoint; the media carries its
    # Media id. A repeat (a double click, a second tab, a racing request) hits
    # the unique constraint, and that is the answer: already saved, extras
    # untouched. get_or_create() would read first, and raise when an unsave
    # deletes the row between its INSERT and its re-read.
    defaults = _extras_defaults(item)
    if at is not None:
        defaults["created"] = at
    try:
        with transaction.atomic():
            SavedItem.objects.create(user=user, item_id=item.media_id, **defaults)
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
    # 1 query: saves -> Media -> the three media tables through the reverse
    # one-to-ones (LEFT OUTER), ordered and sliced by the database.
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
    # 6 queries: a SELECT of the Media row, then a DELETE on each of the three
    # media tables (a Media row can't say which one links it), the saves and
    # the Media row. Delete the Media row: it cascades to the media and to the
    # saves. The media's own delete() would leave both the Media row and its
    # saves.
    Media.objects.filter(pk=item.media_id).delete()
