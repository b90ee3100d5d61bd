"""gfk_baseline: owner_type/owner_id pairs, written with content-type ids.

No foreign key guards owner_id or item_id, so the loader alone keeps them
pointing at real rows; the read-back check (benchmarks/verify.py) proves it.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Case, Count, F, Value, When
from django.db.models.functions import Coalesce

from benchmarks.databases import Dialect
from benchmarks.dataset import Dataset, Sql, TaskRow
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


# What queries.py doesn't have -------------------------------------------------
# Proposed for gfk_baseline/queries.py (/work/notes/benchmarks-requests.md);
# once there, these three definitions become one import from it.

OWNER_KIND = Case(
    When(group__isnull=False, then=Value("group")), default=Value("person")
)


def task_page(number: int, per_page: int) -> list[TaskRow]:
    # 1 query: both owner tables and the creator LEFT JOINed through the
    # GenericRelations' query names (on owner_id and the content type).
    start = (number - 1) * per_page
    rows = (
        m.Task.objects.annotate(
            owner_kind=OWNER_KIND,
            owner_name=Coalesce("group__name", "person__name"),
            creator_name=F("group__creator__name"),
        )
        .order_by("description", "pk")
        .values_list("description", "owner_kind", "owner_name", "creator_name")
    )
    return list(rows[start : start + per_page])


def _row(task: m.Task) -> TaskRow:
    owner = task.owner
    if isinstance(owner, m.Group):
        return (task.description, "group", owner.name, owner.creator.name)
    return (task.description, "person", owner.name, None)


def task_page_prefetched(number: int, per_page: int) -> list[TaskRow]:
    # 3 queries: the page of tasks alone, then one per owner type on it
    # (groups with their creator joined), GenericPrefetch's way.
    start = (number - 1) * per_page
    tasks = m.Task.objects.order_by("description", "pk").prefetch_related(
        GenericPrefetch(
            "owner", [m.Person.objects.all(), m.Group.objects.select_related("creator")]
        )
    )
    return [_row(task) for task in tasks[start : start + per_page]]


def task_counts() -> dict[str, int]:
    # 1 query: GROUP BY the content type; its id maps back to a kind in Python.
    kinds = {int(ct(m.Person)): "person", int(ct(m.Group)): "group"}
    counts = m.Task.objects.values("owner_type").annotate(n=Count("pk"))
    return {kinds[row["owner_type"]]: row["n"] for row in counts.order_by()}


# The ORM's bulk route ----------------------------------------------------------


def bulk_create_persons(names: list[str]) -> None:
    # 1 query per batch: Django's bulk_create(), one multi-row INSERT.
    m.Person.objects.bulk_create([m.Person(name=name) for name in names])


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
