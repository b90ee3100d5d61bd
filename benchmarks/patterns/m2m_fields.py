"""m2m_fields: Django's auto-created through tables, (item, user) and nothing else.

Saves only. No created column and no extras: the loader writes the same
(user, item) pairs as every other app and drops the rest, as the schema does.
"""

from __future__ import annotations

from benchmarks.databases import Dialect
from benchmarks.dataset import Dataset, Sql
from m2m_fields import models as m

MEDIA = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}
VARIANTS = []
# No newest-first feed: the through tables don't record when (see the app).
FEED_ORDER = "title"


def load_saves(ds: Dataset, db: Dialect) -> None:
    sql = Sql(ds, db)
    for kind, model in MEDIA.items():
        field, value = sql.media_field(kind)
        db.insert_series(
            model, {"id": "i", "title": sql.title(kind), field: value}, ds.per_kind
        )
    j = sql.item_of_save()
    for kind, model in MEDIA.items():
        db.insert_series(
            model.saved_by.through,
            {"user": sql.user_of_save(), kind: sql.item_number(j)},
            ds.saves,
            where=sql.kind_is(kind, j),
        )
    db.reset_sequences(MEDIA.values())


def insert_saves(db: Dialect, item: m.Movie, count: int) -> None:
    db.insert_series(
        m.Movie.saved_by.through, {"user": "i + 1", "movie": str(item.pk)}, count
    )
