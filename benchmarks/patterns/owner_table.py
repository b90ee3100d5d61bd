"""owner_table: Owner and Item rows, each with one non-NULL link out of two or three."""

from __future__ import annotations

from benchmarks.databases import Dialect
from benchmarks.dataset import KINDS, Dataset, Sql
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


# Undoing queries.create_persons() between timed runs ---------------------------


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
