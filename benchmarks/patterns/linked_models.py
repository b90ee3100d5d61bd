"""linked_models: a task table per owner type, a saved table per kind of media."""

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


# Undoing queries.create_persons() between timed runs ---------------------------


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
