"""The scenario API for the GenericForeignKey baseline, at its strongest.

Every target model declares a GenericRelation with a related_query_name, so
the ORM can join from a task (or a save) to each target table, filter through
it and order by its columns, one LEFT JOIN per target type. Those joins exist
only for targets that declare the relation: a GFK over models you don't own
(tagging, audit logs) has none of them. Content-type ids come from Django's
per-process cache; the first request of a process reads them (the declared
table has those cold counts too).
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import IntegrityError, models, transaction
from django.db.models import Case, Count, F, Q, Value, When
from django.db.models.functions import Coalesce

from .models import Anime, Group, Manga, Movie, Person, SavedItem, Task

TaskRow = tuple[str, str | None, str | None, str | None]
FeedRow = tuple[str | None, str | None, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}

# A task row's columns, as SQL: each owner table is LEFT JOINed through its
# GenericRelation, on owner_id and on the content type. A task whose owner row
# is gone (the database allows it) comes out with all three NULL.
OWNER_KIND = Case(
    When(group__isnull=False, then=Value("group")),
    When(person__isnull=False, then=Value("person")),
)
OWNER_NAME = Coalesce("group__name", "person__name")
CREATOR_NAME = F("group__creator__name")
TASK_ROW = ("description", "owner_kind", "owner_name", "creator_name")
# A feed row's columns: the kind is the content type's model name, read even
# when the item row is gone; the title is whichever item table joined.
FEED_KIND = F("item_type__model")
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
    # 1 query: an INSERT; the content type comes from the cache.
    # Task(owner=...) fills owner_type and owner_id; nothing checks the type.
    return Task.objects.create(description=description, owner=owner)


def owner_of(task: Task) -> PersonOrGroup | None:
    # 1 query unless prefetched: a GFK can't be select_related. None when
    # the owner row is gone.
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
    # 1 query: both owner tables and the creator LEFT JOINed through the
    # GenericRelations, ordered by the database. GenericPrefetch would take
    # one query per owner type and couldn't order by the owner.
    return list(
        _listing()
        .annotate(
            owner_kind=OWNER_KIND, owner_name=OWNER_NAME, creator_name=CREATOR_NAME
        )
        .values_list(*TASK_ROW)
    )


def task_rows_naive() -> list[TaskRow]:
    # The same ordered query, but rows built from instances with nothing
    # loaded ahead: 1 + one per task (its owner) + one per group task (its
    # creator). The N+1.
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
    # 3 queries: the page of tasks alone, then one per owner type on it
    # (groups with their creator joined), GenericPrefetch's way.
    start = (number - 1) * per_page
    tasks = Task.objects.order_by("description", "pk").prefetch_related(
        GenericPrefetch(
            "owner", [Person.objects.all(), Group.objects.select_related("creator")]
        )
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: one COUNT per owner type, each filtered on its content type.
    person, group = (ContentType.objects.get_for_model(m) for m in (Person, Group))
    return Task.objects.aggregate(
        person=Count("pk", filter=Q(owner_type=person)),
        group=Count("pk", filter=Q(owner_type=group)),
    )


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query, through the GenericRelation (Person.tasks, Group.tasks): the
    # ORM adds the content-type condition.
    return list(owner.tasks.order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: a plain join through Group's GenericRelation (related_query_name
    # "group"). Task.objects.filter(owner__creator=...) still raises.
    return list(
        Task.objects.filter(group__creator=person).order_by("description", "pk")
    )


def create_persons(names: list[str]) -> list[Person]:
    # 1 query: one multi-row INSERT (bulk_create()), the ORM's bulk route.
    return Person.objects.bulk_create([Person(name=name) for name in names])


def delete_owner(owner: PersonOrGroup) -> None:
    # 2 queries for a group, 3 for a person, 5 for a person who created
    # groups: a query per table, not per row. The ORM follows the
    # GenericRelations: deleting a person collects the groups they created and
    # the tasks of both. Without a GenericRelation the tasks would be left
    # pointing at nothing; the database would not object.
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


def _saves_of(user: AbstractBaseUser, item: MediaItem) -> models.QuerySet[SavedItem]:
    return SavedItem.objects.filter(
        user=user,
        item_type=ContentType.objects.get_for_model(item),
        item_id=item.pk,
    )


def _extras_defaults(item: MediaItem) -> dict:
    # Every kind shares one row shape; only this code keeps each extra on its
    # own kind's saves, since no constraint can read the kind from item_type.
    if isinstance(item, Anime):
        return {"episode_progress": 0}
    if isinstance(item, Movie):
        return {"watched": False}
    return {}


def save_item(
    user: AbstractBaseUser, item: MediaItem, *, at: datetime | None = None
) -> bool:
    # 1 query, new or not: an INSERT in a savepoint. A repeat (a double click,
    # a second tab, a racing request) hits the unique constraint, and that is
    # the answer: already saved, extras untouched. get_or_create() would read
    # first, and raise when an unsave deletes the row between its INSERT and
    # its re-read.
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
    # 1 query: the (user, type, id) unique index answers it.
    return _saves_of(user, item).exists()


def _feed_row(kind, title, created, episode_progress, watched) -> FeedRow:
    # A save whose item is gone keeps its kind and has no title.
    if kind == "anime":
        extras = {"episode_progress": episode_progress}
    elif kind == "movie":
        extras = {"watched": watched}
    else:
        extras = {}
    return (kind if kind in KINDS else None, title, created, extras)


def saved_feed(user: AbstractBaseUser, page: int, per_page: int) -> list[FeedRow]:
    # 1 query: the three item tables LEFT JOINed through their GenericRelations
    # and the content type for the kind; ordered and sliced by the database.
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
    # 2 queries: the item's saves, then the item. The GenericRelation makes
    # the ORM delete the saves first; without it they would point at nothing.
    item.delete()
