"""linked_models: a task table per owner type, a saved table per kind of media."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Value

from benchmarks.databases import Dialect
from benchmarks.dataset import Dataset, Sql, TaskRow
from benchmarks.loading import (
    cascade_in_database,
    twins,
    victim_description,
    victim_save,
)
from benchmarks.patterns import Variant
from linked_models import models as m

MEDIA = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}
SAVED = {"movie": m.SavedMovie, "anime": m.SavedAnime, "manga": m.SavedManga}


# Loading ---------------------------------------------------------------------


def load_ownership(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    db.insert_series(m.Person, {"id": "i", "name": sql.name("Person")}, ds.persons)
    db.insert_series(
        m.Group, {"id": "i", "name": sql.name("Group"), "creator": "i"}, ds.groups
    )
    db.insert_series(
        m.PersonTask,
        {"description": sql.description(), "owner": sql.person_task_owner()},
        ds.person_tasks,
    )
    db.insert_series(
        m.GroupTask,
        {
            "description": sql.description(sql.group_task_number()),
            "owner": sql.group_task_owner(),
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
    for kind, saved in SAVED.items():
        db.insert_series(
            saved,
            {
                "user": sql.user_of_save(),
                "item": sql.item_number(j),
                "created": sql.saved_at(),
                **extras[kind],
            },
            ds.saves,
            where=sql.kind_is(kind, j),
        )
    db.reset_sequences(MEDIA.values())


def insert_tasks(db: Dialect, owner: m.Person | m.Group, count: int) -> None:
    model = m.GroupTask if isinstance(owner, m.Group) else m.PersonTask
    db.insert_series(
        model, {"description": victim_description(db), "owner": str(owner.pk)}, count
    )


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    db.insert_series(m.SavedMovie, {**victim_save(db), "item": str(item.pk)}, count)


# What queries.py doesn't have -------------------------------------------------
# Proposed for linked_models/queries.py (/work/notes/benchmarks-requests.md);
# once there, these three definitions become one import from it.


def _union(*columns: str) -> models.QuerySet:
    # One SELECT per task table with aligned columns, the kind as a literal.
    # Only the columns asked for: an unused owner column would still join
    # the owner table into every row of the UNION.
    arms = {
        m.PersonTask: {
            "kind": Value("person"),
            "owner_name": F("owner__name"),
            "creator_name": Value(None, output_field=models.CharField()),
        },
        m.GroupTask: {
            "kind": Value("group"),
            "owner_name": F("owner__name"),
            "creator_name": F("owner__creator__name"),
        },
    }
    person, group = (
        model.objects.annotate(
            **{
                name: expression
                for name, expression in annotations.items()
                if name in columns
            }
        ).values_list(*columns)
        for model, annotations in arms.items()
    )
    return person.union(group, all=True)


def task_page(number: int, per_page: int) -> list[TaskRow]:
    # 1 query: the UNION ALL of both task tables, owners joined in each arm,
    # ordered and sliced by the database on the combined rows.
    start = (number - 1) * per_page
    rows = _union("description", "kind", "owner_name", "creator_name", "id")
    rows = rows.order_by("description", "kind", "id")[start : start + per_page]
    return [row[:-1] for row in rows]


def _row(task: m.PersonTask | m.GroupTask) -> TaskRow:
    if isinstance(task, m.GroupTask):
        return (task.description, "group", task.owner.name, task.owner.creator.name)
    return (task.description, "person", task.owner.name, None)


def task_page_prefetched(number: int, per_page: int) -> list[TaskRow]:
    # 3 queries: the page as (kind, id) pairs from the UNION, then the person
    # tasks on it with their owners joined, then the group tasks with their
    # groups and creators. Each table is asked only for its own ids.
    start = (number - 1) * per_page
    keys = _union("kind", "id", "description").order_by("description", "kind", "id")
    page = [(kind, pk) for kind, pk, _ in keys[start : start + per_page]]
    fetched = {
        "person": m.PersonTask.objects.select_related("owner"),
        "group": m.GroupTask.objects.select_related("owner__creator"),
    }
    tasks = {
        kind: tasks.in_bulk([pk for k, pk in page if k == kind])
        for kind, tasks in fetched.items()
    }
    return [_row(tasks[kind][pk]) for kind, pk in page]


def task_counts() -> dict[str, int]:
    # 2 queries: one COUNT per task table.
    return {
        "person": m.PersonTask.objects.count(),
        "group": m.GroupTask.objects.count(),
    }


# The ORM's bulk route ----------------------------------------------------------


def bulk_create_persons(names: list[str]) -> None:
    # 1 query per batch: Django's bulk_create(), one multi-row INSERT.
    m.Person.objects.bulk_create([m.Person(name=name) for name in names])


def delete_persons(names: list[str]) -> None:
    m.Person.objects.filter(name__in=names).delete()


# Variants --------------------------------------------------------------------


def delete_owner_in_database(owner: m.Person) -> None:
    # 1 query: the database follows creator -> group -> group tasks, and the
    # person's own tasks.
    twins("linked_models").Person.objects.filter(pk=owner.pk).delete()


def delete_media_in_database(item: m.Movie) -> None:
    # 1 query: the database deletes the saved-movie rows.
    twins("linked_models").Movie.objects.filter(pk=item.pk).delete()


VARIANTS = [
    Variant(
        "DB_CASCADE",
        lambda: cascade_in_database(m, twins("linked_models")),
        {
            "delete_owner": delete_owner_in_database,
            "delete_media": delete_media_in_database,
        },
    )
]
