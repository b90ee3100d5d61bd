"""The scenario API for multiple linked models (Alternative 5).

Lists that span the task tables (or the saved tables) are one UNION ALL query
of aligned columns: the database orders, counts and slices the combined rows.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import F, Value

from .models import (
    Anime,
    Group,
    GroupTask,
    Manga,
    Movie,
    Person,
    PersonTask,
    SavedAnime,
    SavedManga,
    SavedMovie,
)

TaskRow = tuple[str, str | None, str | None, str | None]
FeedRow = tuple[str | None, str | None, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga
# No Task or SavedItem model here: a task is a row of either task table, a
# save a row of any of the three saved tables.
Task = PersonTask | GroupTask
Save = SavedMovie | SavedAnime | SavedManga

# Which table a task goes in is decided here, by the owner's type.
TASK_MODELS: dict[type[PersonOrGroup], type[Task]] = {
    Person: PersonTask,
    Group: GroupTask,
}
KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}
SAVE_MODELS: dict[type[MediaItem], type[Save]] = {
    Movie: SavedMovie,
    Anime: SavedAnime,
    Manga: SavedManga,
}

# A task row's columns, as each branch of the UNION selects them.
TASK_ROW = ("description", "kind", "owner_name", "creator_name")


# Ownership domain ------------------------------------------------------------


def create_person(name: str) -> Person:
    # 1 query: an INSERT.
    return Person.objects.create(name=name)


def create_group(name: str, creator: Person) -> Group:
    # 1 query: an INSERT.
    return Group.objects.create(name=name, creator=creator)


def create_task(description: str, owner: PersonOrGroup) -> Task:
    # 1 query: an INSERT into the owner's task table, picked by its type.
    return TASK_MODELS[type(owner)].objects.create(description=description, owner=owner)


def owner_of(task: Task) -> PersonOrGroup | None:
    # 1 query unless select_related: a plain FK on both task tables.
    return task.owner


def _row(task: Task) -> TaskRow:
    if isinstance(task, GroupTask):
        return (task.description, "group", task.owner.name, task.owner.creator.name)
    return (task.description, "person", task.owner.name, None)


def task_union(
    *columns: str, search: str = "", kinds: tuple[str, ...] = ("person", "group")
) -> models.QuerySet:
    """Every task as one row of `columns`, from a UNION ALL of the task tables.

    Columns: any of TASK_ROW, plus "id" (not unique across the tables).
    Each branch selects the same columns in the same order, with the kind as a
    literal and NULL where a person task has no creator. A combined queryset
    can't be filtered, so `search` and `kinds` act on the branches.
    """
    # No query: a lazy queryset, 1 query when evaluated.
    branches = {
        "person": PersonTask.objects.annotate(
            kind=Value("person"),
            owner_name=F("owner__name"),
            creator_name=Value(None, output_field=models.CharField()),
        ),
        "group": GroupTask.objects.annotate(
            kind=Value("group"),
            owner_name=F("owner__name"),
            creator_name=F("owner__creator__name"),
        ),
    }
    selected = []
    for kind in kinds:
        tasks = branches[kind]
        if search:
            tasks = tasks.filter(description__icontains=search)
        selected.append(tasks.values_list(*columns))
    first, *rest = selected
    return first.union(*rest, all=True) if rest else first


def task_rows() -> list[TaskRow]:
    # 1 query: a UNION ALL of two SELECTs, each with its owner joined (and the
    # group's creator); ORDER BY applies to the combined rows.
    rows = task_union(*TASK_ROW, "id").order_by(
        "description", "kind", "owner_name", "id"
    )
    return [row[:-1] for row in rows]


def task_rows_naive() -> list[TaskRow]:
    # 2 queries (one per table), then per task its owner, and per group task
    # its creator: the N+1. Two tables can't be ordered as one without the
    # UNION, so the combined list is sorted in Python.
    tasks = [*PersonTask.objects.order_by("pk"), *GroupTask.objects.order_by("pk")]
    return sorted(_row(task) for task in tasks)


def task_page(number: int, per_page: int) -> list[TaskRow]:
    # 1 query: the UNION ALL above, ordered by description and sliced by the
    # database (LIMIT/OFFSET on the combined rows).
    start = (number - 1) * per_page
    rows = task_union(*TASK_ROW, "id").order_by("description", "kind", "id")
    return [row[:-1] for row in rows[start : start + per_page]]


def task_page_prefetched(number: int, per_page: int) -> list[TaskRow]:
    # 3 queries: the page as (kind, id) pairs from the UNION, then the person
    # tasks on it with their owners joined, then the group tasks with their
    # groups and creators. Each table is asked only for its own ids.
    start = (number - 1) * per_page
    keys = task_union("kind", "id", "description").order_by("description", "kind", "id")
    page = [(kind, pk) for kind, pk, _ in keys[start : start + per_page]]
    fetched = {
        "person": PersonTask.objects.select_related("owner"),
        "group": GroupTask.objects.select_related("owner__creator"),
    }
    tasks = {
        kind: tasks.in_bulk([pk for k, pk in page if k == kind])
        for kind, tasks in fetched.items()
    }
    return [_row(tasks[kind][pk]) for kind, pk in page]


def task_counts() -> dict[str, int]:
    # 2 queries: one COUNT per task table.
    return {"person": PersonTask.objects.count(), "group": GroupTask.objects.count()}


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query, through the reverse FK (related_name="tasks" on both owners).
    return list(owner.tasks.order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: only group tasks can qualify, so only their table is read.
    return list(
        GroupTask.objects.filter(owner__creator=person).order_by("description", "pk")
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


def tasks_matching(model: type[Task], text: str) -> list[Task]:
    # 1 query. Not in the contract, like task_union(): the generic function
    # the article suggests. It takes the model class, and works on any task
    # table because it uses only what Task declares.
    return list(
        model.objects.filter(description__icontains=text).order_by("description", "pk")
    )


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


def _saves_of(user: AbstractBaseUser, item: MediaItem) -> models.QuerySet[Save]:
    # The lookup dictionary the article describes: one generic API, explicit
    # storage behind it.
    return SAVE_MODELS[type(item)].objects.filter(user=user, item=item)


def save_item(
    user: AbstractBaseUser, item: MediaItem, *, at: datetime | None = None
) -> bool:
    # 1 query, new or not: an INSERT into the kind's own table, in a
    # savepoint. A repeat (a double click, a second tab, a racing request)
    # hits the unique constraint, and that is the answer: already saved,
    # extras untouched. get_or_create() would read first, and raise when an
    # unsave deletes the row between its INSERT and its re-read. The extras
    # need no defaults here: each table's columns have their own.
    defaults = {} if at is None else {"created": at}
    try:
        with transaction.atomic():
            SAVE_MODELS[type(item)].objects.create(user=user, item=item, **defaults)
    except IntegrityError:
        return False
    return True


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: a DELETE on the kind's own table.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: the kind's (user, item) unique index answers it.
    return _saves_of(user, item).exists()


# A feed row's columns, as each branch of the UNION selects them.
FEED_ROW = ("kind", "title", "created", "episode_progress", "watched")
NO_BOOL = Value(None, output_field=models.BooleanField())
NO_INT = Value(None, output_field=models.PositiveIntegerField())


def _feed_union(user: AbstractBaseUser, *columns: str) -> models.QuerySet:
    # One SELECT per saved table with aligned columns: NULL where a kind has
    # no such extra, the kind as a literal.
    movies = SavedMovie.objects.filter(user=user).annotate(
        kind=Value("movie"), title=F("item__title"), episode_progress=NO_INT
    )
    anime = SavedAnime.objects.filter(user=user).annotate(
        kind=Value("anime"), title=F("item__title"), watched=NO_BOOL
    )
    manga = SavedManga.objects.filter(user=user).annotate(
        kind=Value("manga"),
        title=F("item__title"),
        watched=NO_BOOL,
        episode_progress=NO_INT,
    )
    return movies.values_list(*columns).union(
        anime.values_list(*columns), manga.values_list(*columns), all=True
    )


def _feed_row(kind, title, created, episode_progress, watched) -> FeedRow:
    if kind == "anime":
        extras = {"episode_progress": episode_progress}
    elif kind == "movie":
        extras = {"watched": watched}
    else:
        extras = {}
    return (kind, title, created, extras)


def saved_feed(user: AbstractBaseUser, page: int, per_page: int) -> list[FeedRow]:
    # 1 query: the UNION ALL of the three saved tables (titles joined in),
    # ordered newest first and sliced by the database. Ties fall back to kind
    # and id, so a page boundary never splits them differently.
    start = (page - 1) * per_page
    saves = _feed_union(user, *FEED_ROW, "id").order_by("-created", "kind", "id")
    rows = saves[start : start + per_page]
    return [_feed_row(*row[:-1]) for row in rows]


def saved_count(user: AbstractBaseUser) -> int:
    # 1 query: COUNT(*) over the UNION ALL of the three tables.
    return _feed_union(user, "id").count()


def set_progress(user: AbstractBaseUser, anime: Anime, episode: int) -> None:
    # 1 query: an UPDATE of the user's save; nothing to update if not saved.
    # No guard as in progress(): a movie's or manga's save has no column to
    # write, so the ORM raises FieldDoesNotExist instead of storing a wrong extra.
    _saves_of(user, anime).update(episode_progress=episode)


def progress(user: AbstractBaseUser, anime: Anime) -> int | None:
    # 1 query: the user's save's episode_progress, or None when not saved.
    # A movie or manga has no such column to read (the ORM would raise), and
    # the contract answers None for it, as the other apps' NULL does: no query.
    if not isinstance(anime, Anime):
        return None
    return _saves_of(user, anime).values_list("episode_progress", flat=True).first()


def set_watched(user: AbstractBaseUser, movie: Movie, watched: bool = True) -> None:
    # 1 query: an UPDATE of the user's save; nothing to update if not saved.
    # As set_progress(): another kind's save has no column to write.
    _saves_of(user, movie).update(watched=watched)


def delete_media(item: MediaItem) -> None:
    # 2 queries: the item's saves, then the item. The FK is CASCADE: the ORM
    # deletes the saves from the kind's own table first.
    item.delete()
