"""owner_table: Owner and Item rows, each with one non-NULL link out of two or three."""

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
from owner_table import models as m

MEDIA = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}


# Loading ---------------------------------------------------------------------


def load_ownership(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    db.insert_series(m.Person, {"id": "i", "name": sql.name("Person")}, ds.persons)
    db.insert_series(
        m.Group, {"id": "i", "name": sql.name("Group"), "creator": "i"}, ds.groups
    )
    # Owner rows: person p is Owner p, group g is Owner persons + g.
    db.insert_series(m.Owner, {"id": "i", "person": "i"}, ds.persons)
    db.insert_series(m.Owner, {"id": f"i + {ds.persons}", "group": "i"}, ds.groups)
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
    db.reset_sequences([m.Person, m.Group, m.Owner])


def load_saves(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    for kind, model in MEDIA.items():
        field, value = sql.media_field(kind)
        db.insert_series(
            model, {"id": "i", "title": sql.title(kind), field: value}, ds.per_kind
        )
        # Item j is the j-th item of the interleaved dataset, as in saves.
        position = KINDS.index(kind) + 1
        db.insert_series(
            m.Item, {"id": f"3 * (i - 1) + {position}", kind: "i"}, ds.per_kind
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
    db.reset_sequences([*MEDIA.values(), m.Item])


def insert_tasks(db: Dialect, owner: m.Person | m.Group, count: int) -> None:
    link = "group" if isinstance(owner, m.Group) else "person"
    row, _ = m.Owner.objects.get_or_create(**{link: owner})
    db.insert_series(
        m.Task, {"description": victim_description(db), "owner": str(row.pk)}, count
    )


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    row, _ = m.Item.objects.get_or_create(movie=item)
    db.insert_series(
        m.SavedItem,
        {**victim_save(db), "item": str(row.pk), "watched": "(1 = 0)"},
        count,
    )


# What queries.py doesn't have -------------------------------------------------
# Proposed for owner_table/queries.py (/work/notes/benchmarks-requests.md);
# once there, these three definitions become one import from it.


def task_page(number: int, per_page: int) -> list[TaskRow]:
    # 1 query: Task -> Owner -> Person, and Owner -> Group -> creator, LEFT
    # OUTER JOINed; the kind is which link of the Owner row is set.
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
    owner = task.owner
    if owner.group_id is not None:
        return (task.description, "group", owner.group.name, owner.group.creator.name)
    return (task.description, "person", owner.person.name, None)


def task_page_prefetched(number: int, per_page: int) -> list[TaskRow]:
    # 2 queries: the page of tasks alone, then its Owner rows with the person,
    # the group and its creator joined.
    start = (number - 1) * per_page
    tasks = m.Task.objects.order_by("description", "pk").prefetch_related(
        Prefetch("owner", m.Owner.objects.select_related("person", "group__creator"))
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: tasks joined to their Owner rows; COUNT(link) counts the set ones.
    return m.Task.objects.aggregate(
        person=Count("owner__person"), group=Count("owner__group")
    )


# The ORM's bulk route ----------------------------------------------------------


def bulk_create_persons(names: list[str]) -> None:
    # 1 query per batch: Django's bulk_create(), one multi-row INSERT.
    m.Person.objects.bulk_create([m.Person(name=name) for name in names])


def delete_persons(names: list[str]) -> None:
    m.Person.objects.filter(name__in=names).delete()


# Variants --------------------------------------------------------------------


def delete_owner_in_database(owner: m.Person) -> None:
    # 1 query: the database follows person -> Owner -> tasks, and person ->
    # groups -> their Owner rows -> their tasks.
    twins("owner_table").Person.objects.filter(pk=owner.pk).delete()


def delete_media_in_database(item: m.Movie) -> None:
    # 1 query: the database follows movie -> Item -> saves.
    twins("owner_table").Movie.objects.filter(pk=item.pk).delete()


VARIANTS = [
    Variant(
        "DB_CASCADE",
        lambda: cascade_in_database(m, twins("owner_table")),
        {
            "delete_owner": delete_owner_in_database,
            "delete_media": delete_media_in_database,
        },
    )
]
