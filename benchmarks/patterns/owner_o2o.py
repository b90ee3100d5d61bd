"""owner_o2o: every person, group and media row is born with its Owner/Media row."""

from __future__ import annotations

from django.db.models import Case, Count, F, Prefetch, Q, Value, When
from django.db.models.functions import Coalesce

from benchmarks.databases import Dialect
from benchmarks.dataset import KINDS, Dataset, Sql, TaskRow
from benchmarks.loading import (
    cascade_in_database,
    twins,
    victim_description,
    victim_save,
)
from benchmarks.patterns import Variant
from owner_o2o import models as m

MEDIA = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}


# Loading ---------------------------------------------------------------------


def load_ownership(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    # Owner rows: person p is Owner p, group g is Owner persons + g.
    db.insert_series(m.Owner, {"id": "i"}, ds.persons + ds.groups)
    db.insert_series(
        m.Person, {"id": "i", "name": sql.name("Person"), "owner": "i"}, ds.persons
    )
    db.insert_series(
        m.Group,
        {
            "id": "i",
            "name": sql.name("Group"),
            "creator": "i",
            "owner": f"i + {ds.persons}",
        },
        ds.groups,
    )
    db.insert_series(
        m.Task,
        {"description": sql.description(), "owner": sql.person_task_owner()},
        ds.person_tasks,
    )
    db.insert_series(
        m.Task,
        {
            "description": sql.description(sql.group_task_number()),
            "owner": f"{sql.group_task_owner()} + {ds.persons}",
        },
        ds.group_tasks,
    )
    db.reset_sequences([m.Owner, m.Person, m.Group])


def load_saves(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    db.insert_series(m.Media, {"id": "i"}, ds.items)
    for kind, model in MEDIA.items():
        field, value = sql.media_field(kind)
        # Media j is the j-th item of the interleaved dataset, as in saves.
        position = KINDS.index(kind) + 1
        db.insert_series(
            model,
            {
                "id": "i",
                "title": sql.title(kind),
                field: value,
                "media": f"3 * (i - 1) + {position}",
            },
            ds.per_kind,
        )
    j = sql.item_of_save()
    extras = {
        "movie": {"watched": sql.watched()},
        "anime": {"episode_progress": sql.progress()},
        "manga": {},
    }
    for kind in MEDIA:
        db.insert_series(
            m.SavedItem,
            {
                "user": sql.user_of_save(),
                "item": j,
                "created": sql.saved_at(),
                **extras[kind],
            },
            ds.saves,
            where=sql.kind_is(kind, j),
        )
    db.reset_sequences([m.Media, *MEDIA.values()])


def insert_tasks(db: Dialect, owner: m.Person | m.Group, count: int) -> None:
    db.insert_series(
        m.Task,
        {"description": victim_description(db), "owner": str(owner.owner_id)},
        count,
    )


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    db.insert_series(
        m.SavedItem,
        {**victim_save(db), "item": str(item.media_id), "watched": "(1 = 0)"},
        count,
    )


# What queries.py doesn't have -------------------------------------------------
# Proposed for owner_o2o/queries.py (/work/notes/benchmarks-requests.md);
# once there, these three definitions become one import from it.


def task_page(number: int, per_page: int) -> list[TaskRow]:
    # 1 query: Task -> Owner, then Person and Group through their reverse
    # one-to-ones (LEFT OUTER), and the group's creator; the kind is which of
    # the two tables has a row for the Owner.
    start = (number - 1) * per_page
    rows = (
        m.Task.objects.annotate(
            owner_kind=Case(
                When(owner__group__isnull=False, then=Value("group")),
                default=Value("person"),
            ),
            owner_name=Coalesce("owner__group__name", "owner__person__name"),
            creator_name=F("owner__group__creator__name"),
        )
        .order_by("description", "pk")
        .values_list("description", "owner_kind", "owner_name", "creator_name")
    )
    return list(rows[start : start + per_page])


def _row(task: m.Task) -> TaskRow:
    # Both reverse one-to-ones were joined: a missing one reads as None, free.
    owner = getattr(task.owner, "person", None) or task.owner.group
    if isinstance(owner, m.Group):
        return (task.description, "group", owner.name, owner.creator.name)
    return (task.description, "person", owner.name, None)


def task_page_prefetched(number: int, per_page: int) -> list[TaskRow]:
    # 2 queries: the page of tasks alone, then its Owner rows with the person,
    # the group and its creator joined through the reverse one-to-ones.
    start = (number - 1) * per_page
    tasks = m.Task.objects.order_by("description", "pk").prefetch_related(
        Prefetch("owner", m.Owner.objects.select_related("person", "group__creator"))
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: tasks joined to Owner, then to both tables that may link it.
    return m.Task.objects.aggregate(
        person=Count("owner__person"), group=Count("owner__group")
    )


# The ORM's bulk route ----------------------------------------------------------


def bulk_create_persons(names: list[str]) -> None:
    # 2 queries: the Owner rows first (bulk_create returns their ids on both
    # databases), then the persons pointing at them.
    owners = m.Owner.objects.bulk_create([m.Owner() for _ in names])
    m.Person.objects.bulk_create(
        [
            m.Person(name=name, owner=owner)
            for name, owner in zip(names, owners, strict=True)
        ]
    )


def delete_persons(names: list[str]) -> None:
    m.Owner.objects.filter(person__name__in=names).delete()


# Variants --------------------------------------------------------------------


def delete_owner_in_database(owner: m.Person) -> None:
    # 1 query: the Owner rows of the person and of the groups they created;
    # the database follows Owner -> person/group/tasks.
    twins("owner_o2o").Owner.objects.filter(
        Q(pk=owner.owner_id) | Q(group__creator_id=owner.pk)
    ).delete()


def delete_media_in_database(item: m.Movie) -> None:
    # 1 query: the Media row; the database follows Media -> movie and saves.
    twins("owner_o2o").Media.objects.filter(pk=item.media_id).delete()


VARIANTS = [
    Variant(
        "DB_CASCADE",
        lambda: cascade_in_database(m, twins("owner_o2o")),
        {
            "delete_owner": delete_owner_in_database,
            "delete_media": delete_media_in_database,
        },
    )
]
