"""inheritance_manager: mti's tables exactly; InheritanceManager adds no column."""

from __future__ import annotations

from benchmarks.databases import Dialect
from benchmarks.dataset import KINDS, Dataset, Sql
from benchmarks.loading import (
    victim_description,
    victim_save,
)
from inheritance_manager import models as m

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


# Undoing queries.create_persons() between timed runs ---------------------------


def delete_persons(names: list[str]) -> None:
    m.Person.objects.filter(name__in=names).delete()


# Variants --------------------------------------------------------------------

# No DB_CASCADE twin yet: it would be mti's (benchmarks/db_cascade/mti/).
VARIANTS = []
