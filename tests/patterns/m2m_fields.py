"""Declared table and probes for m2m_fields (saves domain only: no OWNERSHIP)."""

from django.db import connection

from m2m_fields.models import Anime, Manga, Movie
from tests.patterns import CASCADED, REJECTED, UNREPRESENTABLE, Saves

SAVES = Saves(
    # One UNION ALL of the three item tables, each joined to its through
    # table; ordered and sliced by the database (titles come with the rows).
    feed_page=1,
    # One EXISTS-style SELECT on the through table's unique (item, user) pair.
    is_saved=1,
    # No through table has a saved-at column: the feed is alphabetical.
    feed_newest_first=False,
    # ...nor a column for episode_progress or watched.
    extras=False,
    integrity={
        "duplicate_save": REJECTED,
        "two_items": UNREPRESENTABLE,
        "no_item": REJECTED,
        "missing_item": REJECTED,
        "raw_delete_item": REJECTED,
        "orm_delete_item": CASCADED,
        # No through table has a column for any extra (extras=False above).
        "progress_on_a_movie": UNREPRESENTABLE,
    },
    unrepresentable_because={
        "two_items": "a through row has one item column, in a table per kind",
        "progress_on_a_movie": "a through row has no column for per-kind extras",
    },
)

MISSING_ID = 10**9
MovieSave = Movie.saved_by.through  # Django's hidden table: (id, movie_id, user_id)


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def write_duplicate_save(via, sworld):
    # The user has saved the movie already (make_saves_world).
    if via == "sql":
        return _sql(
            f"INSERT INTO {MovieSave._meta.db_table} (movie_id, user_id)"
            " VALUES (%s, %s)",
            [sworld.movie.pk, sworld.user.pk],
        )
    elif via == "update":
        # A legitimate save by the other user, then turned into the user's.
        MovieSave.objects.create(movie=sworld.movie, user=sworld.other)
        return MovieSave.objects.filter(user=sworld.other).update(user=sworld.user)
    else:
        return len(
            MovieSave.objects.bulk_create(
                [MovieSave(movie=sworld.movie, user=sworld.user)]
            )
        )


def write_save_of_nothing(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {MovieSave._meta.db_table} (user_id) VALUES (%s)",
            [sworld.other.pk],
        )
    elif via == "update":
        return MovieSave.objects.filter(user=sworld.user).update(movie=None)
    else:
        return len(MovieSave.objects.bulk_create([MovieSave(user=sworld.other)]))


def write_save_of_missing_item(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {MovieSave._meta.db_table} (movie_id, user_id)"
            " VALUES (%s, %s)",
            [MISSING_ID, sworld.other.pk],
        )
    elif via == "update":
        return MovieSave.objects.filter(user=sworld.user).update(movie_id=MISSING_ID)
    else:
        return len(
            MovieSave.objects.bulk_create(
                [MovieSave(movie_id=MISSING_ID, user=sworld.other)]
            )
        )


def raw_delete_item(item):
    return _sql(f"DELETE FROM {type(item)._meta.db_table} WHERE id = %s", [item.pk])


def save_count():
    return sum(
        model.saved_by.through.objects.count() for model in (Movie, Anime, Manga)
    )
