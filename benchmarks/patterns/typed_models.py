"""typed_models: one Owner table and one Media table, each row's kind in `type`.

Persons and groups are rows of the same table, told apart by django-typed-
models' `type` string; so are movies, anime and manga. The page and count
functions are the app's own (its queries.py has them).
"""

from __future__ import annotations

from benchmarks.databases import Dialect
from benchmarks.dataset import Dataset, Sql
from benchmarks.loading import victim_description, victim_save
from typed_models import models as m

MEDIA = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}
VARIANTS = []


def type_of(model) -> str:
    # The string django-typed-models stores, e.g. 'typed_models.person'.
    return f"'{model._typedmodels_type}'"


# Loading ---------------------------------------------------------------------


def load_ownership(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    # One table: person p is row p, group g is row persons + g.
    db.insert_series(
        m.Person,
        {"id": "i", "type": type_of(m.Person), "name": sql.name("Person")},
        ds.persons,
    )
    db.insert_series(
        m.Group,
        {
            "id": f"i + {ds.persons}",
            "type": type_of(m.Group),
            "name": sql.name("Group"),
            "creator": "i",
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
    db.reset_sequences([m.Owner])


def load_saves(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    for kind, model in MEDIA.items():
        # Media j is the j-th item of the interleaved dataset, as in saves;
        # every kind's own column is in the one table, NULL on other kinds.
        field, value = sql.media_field(kind, sql.item_number("i"))
        db.insert_series(
            model,
            {
                "id": "i",
                "type": type_of(model),
                "title": sql.title(kind, sql.item_number("i")),
                field: value,
            },
            ds.items,
            where=sql.kind_is(kind, "i"),
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
        m.Task, {"description": victim_description(db), "owner": str(owner.pk)}, count
    )


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    db.insert_series(
        m.SavedItem,
        {**victim_save(db), "item": str(item.pk), "watched": "(1 = 0)"},
        count,
    )


# Undoing queries.create_persons() between timed runs ---------------------------


def delete_persons(names: list[str]) -> None:
    m.Person.objects.filter(name__in=names).delete()
