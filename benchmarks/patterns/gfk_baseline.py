"""gfk_baseline: owner_type/owner_id pairs, written with content-type ids.

No foreign key guards owner_id or item_id, so the loader alone keeps them
pointing at real rows; the read-back check (benchmarks/verify.py) proves it.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType

from benchmarks.databases import Dialect
from benchmarks.dataset import Dataset, Sql
from benchmarks.loading import drop_index, victim_description, victim_save
from benchmarks.patterns import Variant
from gfk_baseline import models as m

MEDIA = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}


def ct(model) -> str:
    # Read from Django's per-process cache after the first call.
    return str(ContentType.objects.get_for_model(model).pk)


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
            "owner_type": ct(m.Person),
            "owner_id": sql.person_task_owner(),
        },
        ds.person_tasks,
    )
    db.insert_series(
        m.Task,
        {
            "description": sql.description(sql.group_task_number()),
            "owner_type": ct(m.Group),
            "owner_id": sql.group_task_owner(),
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
    for kind, model in MEDIA.items():
        db.insert_series(
            m.SavedItem,
            {
                "user": sql.user_of_save(),
                "item_type": ct(model),
                "item_id": sql.item_number(j),
                "created": sql.saved_at(),
                **extras[kind],
            },
            ds.saves,
            where=sql.kind_is(kind, j),
        )
    db.reset_sequences(MEDIA.values())


def insert_tasks(db: Dialect, owner: m.Person | m.Group, count: int) -> None:
    db.insert_series(
        m.Task,
        {
            "description": victim_description(db),
            "owner_type": ct(type(owner)),
            "owner_id": str(owner.pk),
        },
        count,
    )


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    db.insert_series(
        m.SavedItem,
        {
            **victim_save(db),
            "item_type": ct(type(item)),
            "item_id": str(item.pk),
            "watched": "(1 = 0)",
        },
        count,
    )


# Undoing queries.create_persons() between timed runs ---------------------------


def delete_persons(names: list[str]) -> None:
    m.Person.objects.filter(name__in=names).delete()


# Variants --------------------------------------------------------------------


def drop_gfk_indexes() -> None:
    # The composite index Django's docs recommend, on both GFK pairs.
    drop_index(m.Task, ["owner_type", "owner_id"])
    drop_index(m.SavedItem, ["item_type", "item_id"])


VARIANTS = [
    Variant(
        "no GFK index",
        drop_gfk_indexes,
        {
            op: None
            for op in (
                "tasks_owned_by",
                "task_counts",
                "delete_owner",
                "is_saved",
                "save_item",
                "delete_media",
            )
        },
    )
]
