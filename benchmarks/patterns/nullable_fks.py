"""nullable_fks: one nullable FK column per owner table and per media table."""

from __future__ import annotations

from benchmarks.databases import Dialect
from benchmarks.dataset import Dataset, Sql
from benchmarks.loading import (
    cascade_in_database,
    twins,
    victim_description,
    victim_save,
)
from benchmarks.patterns import Variant
from nullable_fks import models as m

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
        {"description": sql.description(), "owner_person": sql.person_task_owner()},
        ds.person_tasks,
    )
    db.insert_series(
        m.Task,
        {
            "description": sql.description(sql.group_task_number()),
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
    column = "owner_group" if isinstance(owner, m.Group) else "owner_person"
    db.insert_series(
        m.Task, {"description": victim_description(db), column: str(owner.pk)}, count
    )


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    db.insert_series(
        m.SavedItem,
        {**victim_save(db), "movie": str(item.pk), "watched": "(1 = 0)"},
        count,
    )


# Undoing queries.create_persons() between timed runs ---------------------------


def delete_persons(names: list[str]) -> None:
    m.Person.objects.filter(name__in=names).delete()


# Variants --------------------------------------------------------------------


def delete_owner_in_database(owner: m.Person) -> None:
    # 1 query: the database follows creator -> group -> tasks by itself.
    twins("nullable_fks").Person.objects.filter(pk=owner.pk).delete()


def delete_media_in_database(item: m.Movie) -> None:
    # 1 query: the database deletes the saves.
    twins("nullable_fks").Movie.objects.filter(pk=item.pk).delete()


VARIANTS = [
    Variant(
        "DB_CASCADE",
        lambda: cascade_in_database(m, twins("nullable_fks")),
        {
            "delete_owner": delete_owner_in_database,
            "delete_media": delete_media_in_database,
        },
    )
]
