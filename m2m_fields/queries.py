"""The scenario API for ManyToManyField saves (saves domain only).

The hidden through tables hold (item, user) and nothing else, so the functions
that need a saved-at time or per-kind extras return what the schema can give
and the declared table (tests/patterns/m2m_fields.py) says what is missing.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, models, transaction
from django.db.models import Value

from .models import Anime, Manga, Movie

# saved_at is always None here: there is no column to read it from.
FeedRow = tuple[str, str, datetime | None, dict]
MediaItem = Movie | Anime | Manga

KINDS: dict[str, type[MediaItem]] = {"movie": Movie, "anime": Anime, "manga": Manga}


# Saves domain ----------------------------------------------------------------


def create_media(kind: str, title: str, **fields: int) -> MediaItem:
    # 1 query: an INSERT.
    return KINDS[kind].objects.create(title=title, **fields)


def get_media(kind: str, pk: int) -> MediaItem:
    # 1 query: a SELECT by primary key; an unknown kind raises before it.
    try:
        model = KINDS[kind]
    except KeyError:
        raise LookupError(f"Unknown kind {kind!r}") from None
    return model.objects.get(pk=pk)


def list_media(kind: str) -> list[MediaItem]:
    # 1 query, ordered by the database.
    return list(KINDS[kind].objects.order_by("title", "pk"))


def _saves_of(user: AbstractBaseUser, item: MediaItem) -> models.QuerySet:
    # The auto-created through model is reachable as Movie.saved_by.through; its
    # two foreign keys are named after the models (movie/anime/manga, user).
    through = type(item).saved_by.through
    return through.objects.filter(**{type(item)._meta.model_name: item, "user": user})


def save_item(
    user: AbstractBaseUser, item: MediaItem, *, at: datetime | None = None
) -> bool:
    # 1 query, new or not: an INSERT into the through table, in a savepoint. A
    # repeat (a double click, a second tab, a racing request) hits the unique
    # (item, user) constraint, and that is the answer: already saved.
    # get_or_create() would read first, and raise when an unsave deletes the
    # row between its INSERT and its re-read. item.saved_by.add(user) is
    # race-safe too: with an auto-created through table and no m2m_changed
    # receiver it is one INSERT that ignores conflicts (ON CONFLICT DO NOTHING
    # / INSERT OR IGNORE). But it returns None, so it can't say whether it
    # stored a save, and on MariaDB its INSERT IGNORE drops a row whose user
    # or item is gone without a word.
    #
    # `at` is accepted and dropped: the through table has no column to keep it
    # in (see m2m_fields/tests: a later save can't be put first in the feed).
    through = type(item).saved_by.through
    try:
        with transaction.atomic():
            through.objects.create(**{type(item)._meta.model_name: item, "user": user})
    except IntegrityError:
        return False
    return True


def unsave_item(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query. item.saved_by.remove(user) does the same DELETE (plus the
    # m2m_changed signals) but, like add(), returns None.
    deleted, _ = _saves_of(user, item).delete()
    return deleted > 0


def is_saved(user: AbstractBaseUser, item: MediaItem) -> bool:
    # 1 query: the (item, user) unique index answers it. Not
    # item.saved_by.contains(user), the manager's own spelling: it starts from
    # the user table and joins the through table to it.
    return _saves_of(user, item).exists()


def _feed_union(user: AbstractBaseUser, *columns: str) -> models.QuerySet:
    # One SELECT per item table, joined to its through table and filtered on
    # user_id (the user table itself is never joined), the kind as a literal.
    # UNION ALL: (kind, id) is distinct across the branches already, so there
    # is nothing to deduplicate.
    first, *rest = [
        model.objects.filter(saved_by=user)
        .annotate(kind=Value(kind))
        .values_list(*columns)
        for kind, model in KINDS.items()
    ]
    return first.union(*rest, all=True)


def saved_feed(user: AbstractBaseUser, page: int, per_page: int) -> list[FeedRow]:
    # 1 query: the three branches in one UNION ALL, ordered and sliced by the
    # database. Not newest first: no through table records when a save was
    # made, so the feed is alphabetical by title (kind, then item id, break
    # ties), and saved_at is None. The auto-increment id of a through row is
    # no substitute: each of the three tables counts on its own.
    start = (page - 1) * per_page
    saves = _feed_union(user, "kind", "title", "id").order_by("title", "kind", "id")
    rows = saves[start : start + per_page]
    # No extras either: nowhere to keep a watched flag or episode progress.
    return [(kind, title, None, {}) for kind, title, _ in rows]


def saved_count(user: AbstractBaseUser) -> int:
    # 1 query: COUNT(*) over the UNION ALL of the three through-table joins.
    return _feed_union(user, "id").count()


def set_progress(user: AbstractBaseUser, anime: Anime, episode: int) -> None:
    # No query: accepted and dropped, like save_item(at=...). The schema has
    # no column for it, and the declared table says extras=False. Keeping it
    # means declaring a through model with an episode_progress field
    # (linked_models).
    return None


def progress(user: AbstractBaseUser, anime: Anime) -> int | None:
    # No query: always None, saved or not. There is no progress to read.
    return None


def set_watched(user: AbstractBaseUser, movie: Movie, watched: bool = True) -> None:
    # No query: dropped for the same reason as set_progress().
    return None


def delete_media(item: MediaItem) -> None:
    # 2 queries: the item's through rows, then the item. The ORM deletes the
    # through rows first.
    item.delete()
