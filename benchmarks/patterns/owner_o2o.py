"""owner_o2o: every person, group and media row is born with its Owner/Media row."""

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


# Undoing queries.create_persons() between timed runs ---------------------------


def delete_persons(names: list[str]) -> None:
    m.Owner.objects.filter(person__name__in=names).delete()


# Variants --------------------------------------------------------------------


def delete_owner_in_database(owner: m.Person) -> None:
    # 2 queries: the Owner rows of the groups the person created, then one
    # DELETE of those and the person's own; the database follows Owner ->
    # person/group/tasks. Not one DELETE whose WHERE joins Group: on MariaDB
    # that statement left the groups' Owner rows and their tasks behind (its
    # cascade removes the groups the join reads), and the run of 2026-12-03
    # timed it as a win. The check after every timed delete
    # (benchmarks/operations.py) is what found it.
    twins_ = twins("owner_o2o")
    groups = twins_.Group.objects.filter(creator_id=owner.pk)
    ids = [owner.owner_id, *groups.values_list("owner_id", flat=True)]
    twins_.Owner.objects.filter(pk__in=ids).delete()


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
