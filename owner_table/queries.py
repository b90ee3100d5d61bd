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
from django.db import models, transaction
from django.db.models.functions import Coalesce

from .models import Anime, Group, Item, Manga, Movie, Owner, Person, SavedItem, Task

TaskRow = tuple[str, str, str, str | None]
FeedRow = tuple[str, str, datetime, dict]
PersonOrGroup = Person | Group
MediaItem = Movie | Anime | Manga

KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}

# The sort keys of a task row, as SQL: the database can order by the owner's
# kind and name because both are one join away.
OWNER_KIND = models.Case(
    models.When(owner__person__isnull=False, then=models.Value("person")),
    default=models.Value("group"),
)
OWNER_NAME = Coalesce("owner__person__name", "owner__group__name")


# Ownership domain ------------------------------------------------------------


def create_person(name: str) -> Person:
    # 1 query: an INSERT. No Owner row yet: it is made with the person's
    # first task.
    return Person.objects.create(name=name)


def create_group(name: str, creator: Person) -> Group:
    # 1 query: an INSERT; no Owner row yet, as for a person.
    return Group.objects.create(name=name, creator=creator)


def _owner_row(owner: PersonOrGroup) -> Owner:
    # 1 query when the row exists, 2 the first time (SELECT, then INSERT in a
    # savepoint; a racing INSERT hits the unique index and is read back).
    link = "person" if isinstance(owner, Person) else "group"
    row, _ = Owner.objects.get_or_create(**{link: owner})
    return row


def create_task(description: str, owner: PersonOrGroup) -> Task:
    # 2 queries (Owner SELECT, Task INSERT), 3 for an owner's first task.
    # Atomic, so a failed INSERT leaves no Owner row behind it.
    with transaction.atomic():
        return Task.objects.create(description=description, owner=_owner_row(owner))


def owner_of(task: Task) -> PersonOrGroup:
    # 1 query: the Owner row with both links joined in (one of them NULL).
    row = Owner.objects.select_related("person", "group").get(pk=task.owner_id)
    return row.person or row.group


def _row(task: Task) -> TaskRow:
    owner = task.owner
    # Test the link's id, not the link: a NULL id answers without a query.
    if owner.person_id is not None:
        return (task.description, "person", owner.person.name, None)
    return (task.description, "group", owner.group.name, owner.group.creator.name)


def task_rows() -> list[TaskRow]:
    # 1 query: Task -> Owner -> Person, and Owner -> Group -> creator, all
    # joined (LEFT OUTER on the nullable links). One more table than nullable
    # FKs on Task, still one query; the database does all the ordering.
    tasks = Task.objects.select_related(
        "owner__person", "owner__group__creator"
    ).order_by("description", OWNER_KIND, OWNER_NAME)
    return [_row(task) for task in tasks]


def task_rows_naive() -> list[TaskRow]:
    # The same queryset without select_related: 1 + per person task 2 (Owner,
    # Person) + per group task 3 (Owner, Group, creator).
    tasks = Task.objects.order_by("description", OWNER_KIND, OWNER_NAME)
    return [_row(task) for task in tasks]


def tasks_owned_by(owner: PersonOrGroup) -> list[Task]:
    # 1 query: joined to Owner and filtered on its link column.
    link = "owner__person" if isinstance(owner, Person) else "owner__group"
    return list(Task.objects.filter(**{link: owner}).order_by("description", "pk"))


def tasks_of_groups_created_by(person: Person) -> list[Task]:
    # 1 query: the filter the GFK can't express is a plain two-hop join here.
    return list(
        Task.objects.filter(owner__group__creator=person).order_by("description", "pk")
    )


def delete_owner(owner: PersonOrGroup) -> None:
    # 4 queries for a group, 5 for a person, 8 for a person who created groups
    # (fewer while an owner has no Owner row yet): a query per table, not per row. Every
    # link cascades the way the data depends: Person -> their groups -> those
    # groups' Owner rows -> their tasks, and Person -> Owner -> tasks. The ORM
    # collects it all (the database would refuse a raw DELETE instead).
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
    # this code keeps episode_progress off a movie's save.
    if isinstance(item, Anime):
        return {"episode_progress": 0}
    if isinstance(item, Movie):
        return {"watched": False}
    return {}


def save_item(
    user: AbstractBaseUser, item: MediaItem, *, at: datetime | None = None
) -> bool:
    # 2 queries when already saved (Item SELECT, SavedItem SELECT), 4 for a new save of
    # a never-saved item, 3 when its Item row exists (each get_or_create adds an
    # INSERT). A concurrent duplicate of either row hits a unique index and
    # get_or_create() reads the winner back instead of raising.
    defaults = _extras_defaults(item)
    if at is not None:
        defaults["created"] = at
    with transaction.atomic():
        row, _ = Item.objects.get_or_create(**{_kind_of(item): item})
        _, created = SavedItem.objects.get_or_create(
            user=user, item=row, defaults=defaults
        )
    return created


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: a DELETE whose WHERE reaches Item through a subquery. The Item
    # row stays, ready for the next save.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: SavedItem joined to Item on the media's link column.
    return _saves_of(user, item).exists()


def _feed_row(save: SavedItem) -> FeedRow:
    # The Item row names the kind: no need to ask which model the media is.
    row = save.item
    kind = row.kind
    item = getattr(row, kind)
    if kind == "anime":
        extras = {"episode_progress": save.episode_progress}
    elif kind == "movie":
        extras = {"watched": save.watched}
    else:
        extras = {}
    return (kind, item.title, save.created, extras)


def saved_feed(user: AbstractBaseUser, page: int, per_page: int) -> list[FeedRow]:
    # 1 query: saves -> Item -> the three media tables (LEFT OUTER), ordered
    # and sliced by the database.
    start = (page - 1) * per_page
    saves = (
        SavedItem.objects.filter(user=user)
        .select_related("item__movie", "item__anime", "item__manga")
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
    # 4 queries once saved: a SELECT of its Item row, then a DELETE each of
    # the saves, the item and the Item row; 2 before (no Item row yet). The
    # ORM cascades media -> Item -> saves.
    item.delete()
