"""check_constraint: nullable FKs plus an owner_type column tied to one of them."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch
from django.db.models.functions import Coalesce

from benchmarks.databases import Dialect
from benchmarks.dataset import Dataset, Sql, TaskRow
from benchmarks.loading import (
    cascade_in_database,
    twins,
    victim_description,
    victim_save,
)
from benchmarks.patterns import Variant
from check_constraint import models as m

MEDIA = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}


# Loading ---------------------------------------------------------------------


def load_ownership(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    db.insert_series(m.Person, {"id": "i", "name": sql.name("Person")}, ds.persons)
    db.insert_series(
        m.Group, {"id": "i", "name": sql.name("Group"), "creator": "i"}, ds.groups
    )
    db.insert_series(
        m.Task,
        {
            "description": sql.description(),
            "owner_type": "'person'",
            "owner_person": sql.person_task_owner(),
        },
        ds.person_tasks,
    )
    db.insert_series(
        m.Task,
        {
            "description": sql.description(sql.group_task_number()),
            "owner_type": "'group'",
            "owner_group": sql.group_task_owner(),
        },
        ds.group_tasks,
    )
    db.reset_sequences([m.Person, m.Group])


def load_saves(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    for kind, model in MEDIA.items():
        field, value = sql.media_field(kind)
        db.insert_series(
            model, {"id": "i", "title": sql.title(kind), field: value}, ds.per_kind
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
                kind: sql.item_number(j),
                "created": sql.saved_at(),
                **extras[kind],
            },
            ds.saves,
            where=sql.kind_is(kind, j),
        )
    db.reset_sequences(MEDIA.values())


def insert_tasks(db: Dialect, owner: m.Person | m.Group, count: int) -> None:
    kind = "group" if isinstance(owner, m.Group) else "person"
    db.insert_series(
        m.Task,
        {
            "description": victim_description(db),
            "owner_type": f"'{kind}'",
            f"owner_{kind}": str(owner.pk),
        },
        count,
    )


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    db.insert_series(
        m.SavedItem,
        {**victim_save(db), "movie": str(item.pk), "watched": "(1 = 0)"},
        count,
    )


# What queries.py doesn't have -------------------------------------------------
# Proposed for check_constraint/queries.py (/work/notes/benchmarks-requests.md);
# once there, these three definitions become one import from it.


def task_page(number: int, per_page: int) -> list[TaskRow]:
    # 1 query: both owner tables LEFT OUTER JOINed, the creator through the
    # group; the kind is the owner_type column itself.
    start = (number - 1) * per_page
    rows = (
        m.Task.objects.annotate(
            owner_kind=F("owner_type"),
            owner_name=Coalesce("owner_group__name", "owner_person__name"),
            creator_name=F("owner_group__creator__name"),
        )
        .order_by("description", "pk")
        .values_list("description", "owner_kind", "owner_name", "creator_name")
    )
    return list(rows[start : start + per_page])


def _row(task: m.Task) -> TaskRow:
    if task.owner_type == m.OwnerType.GROUP:
        group = task.owner_group
        return (task.description, "group", group.name, group.creator.name)
    return (task.description, "person", task.owner_person.name, None)


def task_page_prefetched(number: int, per_page: int) -> list[TaskRow]:
    # 3 queries: the page of tasks alone, then the persons on it, then the
    # groups on it with their creators joined.
    start = (number - 1) * per_page
    tasks = m.Task.objects.order_by("description", "pk").prefetch_related(
        "owner_person",
        Prefetch("owner_group", m.Group.objects.select_related("creator")),
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: GROUP BY the owner_type column.
    counts = m.Task.objects.values("owner_type").annotate(n=Count("pk")).order_by()
    return {row["owner_type"]: row["n"] for row in counts}


# The ORM's bulk route ----------------------------------------------------------


def bulk_create_persons(names: list[str]) -> None:
    # 1 query per batch: Django's bulk_create(), one multi-row INSERT.
    m.Person.objects.bulk_create([m.Person(name=name) for name in names])


def delete_persons(names: list[str]) -> None:
    m.Person.objects.filter(name__in=names).delete()


# Variants --------------------------------------------------------------------


def delete_owner_in_database(owner: m.Person) -> None:
    # 1 query: the database follows creator -> group -> tasks by itself.
    twins("check_constraint").Person.objects.filter(pk=owner.pk).delete()


def delete_media_in_database(item: m.Movie) -> None:
    # 1 query: the database deletes the saves.
    twins("check_constraint").Movie.objects.filter(pk=item.pk).delete()


VARIANTS = [
    Variant(
        "DB_CASCADE",
        lambda: cascade_in_database(m, twins("check_constraint")),
        {
            "delete_owner": delete_owner_in_database,
            "delete_media": delete_media_in_database,
        },
    )
]
