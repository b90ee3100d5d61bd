"""mti: Person and Group are Owners, Movie, Anime and Manga are Media (parent rows)."""

from __future__ import annotations

from django.db.models import Case, Count, F, Prefetch, Value, When
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
from mti import models as m

MEDIA = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}


# Loading ---------------------------------------------------------------------


def load_ownership(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    # Owner rows: person p is Owner p, group g is Owner persons + g.
    db.insert_series(m.Owner, {"id": "i"}, ds.persons + ds.groups)
    db.insert_series(
        m.Person, {"owner_ptr": "i", "name": sql.name("Person")}, ds.persons
    )
    db.insert_series(
        m.Group,
        {"owner_ptr": f"i + {ds.persons}", "name": sql.name("Group"), "creator": "i"},
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
    db.reset_sequences([m.Owner])


def load_saves(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    for kind, model in MEDIA.items():
        # Media j is the j-th item of the interleaved dataset, as in saves;
        # the title lives on it, the kind's own field on the child row.
        db.insert_series(
            m.Media,
            {"id": "i", "title": sql.title(kind, sql.item_number("i"))},
            ds.items,
            where=sql.kind_is(kind, "i"),
        )
        field, value = sql.media_field(kind)
        position = KINDS.index(kind) + 1
        db.insert_series(
            model, {"media_ptr": f"3 * (i - 1) + {position}", field: value}, ds.per_kind
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
    db.reset_sequences([m.Media])


def insert_tasks(db: Dialect, owner: m.Person | m.Group, count: int) -> None:
    db.insert_series(
        m.Task,
        {"description": victim_description(db), "owner": str(owner.pk)},
        count,
    )


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    db.insert_series(
        m.SavedItem,
        {**victim_save(db), "item": str(item.pk), "watched": "(1 = 0)"},
        count,
    )


# What queries.py doesn't have -------------------------------------------------
# Proposed for mti/queries.py (/work/notes/benchmarks-requests.md);
# once there, these three definitions become one import from it.


def task_page(number: int, per_page: int) -> list[TaskRow]:
    # 1 query: Task -> Owner, then both child tables (LEFT OUTER) and the
    # group's creator; the kind is which child table has a row for the Owner.
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
    # Both child rows were joined: a missing one reads as None, free.
    owner = getattr(task.owner, "person", None) or task.owner.group
    if isinstance(owner, m.Group):
        return (task.description, "group", owner.name, owner.creator.name)
    return (task.description, "person", owner.name, None)


def task_page_prefetched(number: int, per_page: int) -> list[TaskRow]:
    # 2 queries: the page of tasks alone, then its Owner rows with both child
    # rows and the group's creator joined.
    start = (number - 1) * per_page
    tasks = m.Task.objects.order_by("description", "pk").prefetch_related(
        Prefetch("owner", m.Owner.objects.select_related("person", "group__creator"))
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: tasks joined to Owner, then to both child tables.
    return m.Task.objects.aggregate(
        person=Count("owner__person"), group=Count("owner__group")
    )


# The ORM's bulk route ----------------------------------------------------------


def bulk_create_persons(names: list[str]) -> None:
    # 2 queries per person: Django refuses bulk_create() for a multi-table
    # child (ValueError, before any SQL), so the only ORM route left is one
    # create() per row, each an INSERT into Owner and one into Person, in a
    # transaction of its own.
    for name in names:
        m.Person.objects.create(name=name)


def delete_persons(names: list[str]) -> None:
    m.Person.objects.filter(name__in=names).delete()


# Variants --------------------------------------------------------------------


def delete_owner_in_database(owner: m.Person) -> None:
    # Only the tasks are the database's: the ORM still collects the groups
    # and deletes parent rows (parent links and Group.creator stay
    # Python-level), but no longer selects or deletes a single task.
    twins("mti").Person.objects.filter(pk=owner.pk).delete()


def delete_media_in_database(item: m.Movie) -> None:
    # The movie row and its Media row by the ORM; the saves by the database.
    twins("mti").Movie.objects.filter(pk=item.pk).delete()


VARIANTS = [
    Variant(
        "DB_CASCADE",
        lambda: cascade_in_database(m, twins("mti")),
        {
            "delete_owner": delete_owner_in_database,
            "delete_media": delete_media_in_database,
        },
    )
]
