import threading
import time
from datetime import UTC, datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.models.signals import m2m_changed
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from m2m_fields import queries as q
from m2m_fields.models import Movie
from project.dataset import OWN_FIELD
from tests.conftest import check_deferred_constraints

pytestmark = pytest.mark.django_db

T0 = datetime(2026, 1, 1, tzinfo=UTC)
KINDS = [pytest.param(kind, id=kind) for kind in q.KINDS]


@pytest.fixture
def user(django_user_model):
    return django_user_model.objects.create_user("viewer", password="pw")


def columns(table):
    with connection.cursor() as cursor:
        return {
            column.name
            for column in connection.introspection.get_table_description(cursor, table)
        }


# What the hidden through table is, asked of the database ----------------------


@pytest.mark.parametrize("kind", KINDS)
def test_the_generated_through_table_has_no_created_column(kind):
    through = q.KINDS[kind].saved_by.through
    # Three columns and no room for a time or extras; adding one means writing
    # the through model yourself (linked_models' SavedMovie).
    assert columns(through._meta.db_table) == {"id", f"{kind}_id", "user_id"}


@pytest.mark.parametrize("kind", KINDS)
def test_the_through_table_has_a_unique_item_user_constraint_in_the_database(
    kind, user
):
    table = q.KINDS[kind].saved_by.through._meta.db_table
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)
    unique_column_sets = {
        frozenset(c["columns"])
        for c in constraints.values()
        if c["unique"] and not c["primary_key"]
    }
    assert frozenset({f"{kind}_id", "user_id"}) in unique_column_sets
    item = q.create_media(kind, "Twice", **{OWN_FIELD[kind]: 1})
    q.save_item(user, item)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} ({kind}_id, user_id) VALUES (%s, %s)",
                [item.pk, user.pk],
            )


# What the schema can't deliver -----------------------------------------------


def test_a_later_save_cannot_come_first_in_the_feed(user):
    early = q.create_media("movie", "Alien", year=1979)
    late = q.create_media("manga", "Zodiac", volumes=1)
    q.save_item(user, early, at=T0)
    q.save_item(user, late, at=T0 + timedelta(days=1))
    feed = q.saved_feed(user, 1, 10)
    # Newest first would put Zodiac on top; the schema only knows titles.
    assert feed == [("movie", "Alien", None, {}), ("manga", "Zodiac", None, {})]


def test_save_item_drops_the_at_time_it_was_given(user):
    movie = q.create_media("movie", "Alien", year=1979)
    assert q.save_item(user, movie, at=T0) is True
    # The stored row is the whole save: nothing in it mentions T0.
    row = Movie.saved_by.through.objects.values().get()
    assert row == {"id": row["id"], "movie_id": movie.pk, "user_id": user.pk}


def test_progress_and_watched_are_dropped_on_a_saved_item(user):
    anime = q.create_media("anime", "Mushishi", episodes=26)
    movie = q.create_media("movie", "Alien", year=1979)
    q.save_item(user, anime)
    q.save_item(user, movie)
    q.set_progress(user, anime, 7)
    q.set_watched(user, movie, True)
    assert q.is_saved(user, anime)
    assert q.progress(user, anime) is None
    assert [extras for *_, extras in q.saved_feed(user, 1, 10)] == [{}, {}]


# How .add() copes with a duplicate -----------------------------------------------


def conflict_clause():
    return {"sqlite": "OR IGNORE", "mysql": "INSERT IGNORE"}.get(
        connection.vendor, "ON CONFLICT DO NOTHING"
    )


def test_add_is_one_insert_that_ignores_a_duplicate(user):
    movie = q.create_media("movie", "Alien", year=1979)
    for _ in range(2):  # a double click
        with CaptureQueriesContext(connection) as ctx:
            movie.saved_by.add(user)
        # No SELECT first: the database drops the duplicate itself, so two
        # concurrent add() calls can't both insert.
        [insert] = ctx.captured_queries
        assert conflict_clause() in insert["sql"]
    assert Movie.saved_by.through.objects.count() == 1


def test_add_with_an_m2m_changed_receiver_selects_first_and_still_ignores_conflicts(
    user,
):
    movie = q.create_media("movie", "Alien", year=1979)

    def receiver(**kwargs):
        pass

    m2m_changed.connect(receiver, sender=Movie.saved_by.through)
    try:
        with CaptureQueriesContext(connection) as ctx:
            movie.saved_by.add(user)
    finally:
        m2m_changed.disconnect(receiver, sender=Movie.saved_by.through)
    # The signal needs the ids actually added, so Django reads the existing
    # ones first; the INSERT still ignores a row a concurrent request added.
    select, insert = [c["sql"] for c in ctx.captured_queries]
    assert select.startswith("SELECT")
    assert conflict_clause() in insert


def test_add_of_a_missing_user_is_refused_except_on_mariadb_which_drops_it(user):
    movie = q.create_media("movie", "Alien", year=1979)
    missing = user.pk + 1000
    if connection.vendor == "mysql":
        # INSERT IGNORE ignores more than duplicates: the foreign-key error
        # becomes a warning too, and the save silently isn't stored.
        movie.saved_by.add(missing)
    else:
        with pytest.raises(IntegrityError), transaction.atomic():
            movie.saved_by.add(missing)
            check_deferred_constraints()
    assert Movie.saved_by.through.objects.count() == 0


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="needs two connections writing at once; SQLite serialises writers",
)
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_saves_store_one_row_and_neither_raises(django_user_model):
    user = django_user_model.objects.create_user("racer", password="pw")
    movie = q.create_media("movie", "Alien", year=1979)
    first_inserted = threading.Event()
    results = {}

    def second_is_waiting_on_a_lock():
        with connection.cursor() as cursor:
            if connection.vendor == "mysql":
                # InnoDB refreshes this view only once it has gone unread for
                # 0.1 s.
                time.sleep(0.15)
                cursor.execute(
                    "SELECT count(*) FROM information_schema.innodb_trx"
                    " WHERE trx_state = 'LOCK WAIT'"
                )
            else:
                # pg_locks is live; pg_stat_activity would be frozen for the
                # rest of this transaction after its first read.
                cursor.execute("SELECT count(*) FROM pg_locks WHERE NOT granted")
            return cursor.fetchone()[0] > 0

    def first():
        try:
            with transaction.atomic():
                results["first"] = q.save_item(user, movie)
                first_inserted.set()
                # Hold the uncommitted row until the second request's INSERT
                # is blocked on it: its SELECT has already missed the row.
                deadline = time.monotonic() + 10
                while not second_is_waiting_on_a_lock():
                    assert time.monotonic() < deadline, "second never blocked"
                    time.sleep(0.01)
        except Exception as error:  # reported below, not lost in the thread
            results["first"] = error
        finally:
            connection.close()

    def second():
        try:
            assert first_inserted.wait(10)
            results["second"] = q.save_item(user, movie)
        except Exception as error:
            results["second"] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    # The second INSERT hit the unique constraint once the first committed;
    # save_item() caught it in its savepoint and answered "already saved".
    assert results == {"first": True, "second": False}
    assert Movie.saved_by.through.objects.count() == 1


# Admin -----------------------------------------------------------------------


def inline_form(movie, saves):
    """The change form of a movie as the admin draws it: its saves inline."""
    prefix = "Movie_saved_by-"
    data = {"title": movie.title, "year": movie.year}
    data |= {
        f"{prefix}TOTAL_FORMS": len(saves),
        f"{prefix}INITIAL_FORMS": len(saves),
        f"{prefix}MIN_NUM_FORMS": 0,
        f"{prefix}MAX_NUM_FORMS": 1000,
    }
    for n, save in enumerate(saves):
        data |= {
            f"{prefix}{n}-id": save.pk,
            f"{prefix}{n}-movie": movie.pk,
            f"{prefix}{n}-user": save.user_id,
        }
    return data


def test_editing_an_item_in_the_admin_keeps_saves_made_while_the_form_was_open(
    admin_client, user, django_user_model
):
    movie = q.create_media("movie", "Alien", year=1979)
    q.save_item(user, movie)
    url = reverse("admin:m2m_fields_movie_change", args=[movie.pk])
    opened = admin_client.get(url)
    assert opened.status_code == 200
    # The form shows one save; meanwhile someone else saves the movie.
    shown = list(Movie.saved_by.through.objects.filter(movie=movie))
    late = django_user_model.objects.create_user("late")
    q.save_item(late, movie)
    data = inline_form(movie, shown) | {"title": "Alien (1979)"}
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context and response.context["errors"]
    movie.refresh_from_db()
    assert movie.title == "Alien (1979)"
    assert q.is_saved(user, movie) and q.is_saved(late, movie)


def test_the_admin_adds_and_deletes_saves_as_inline_rows(admin_client, user):
    movie = q.create_media("movie", "Alien", year=1979)
    url = reverse("admin:m2m_fields_movie_change", args=[movie.pk])
    prefix = "Movie_saved_by-"
    data = inline_form(movie, []) | {
        f"{prefix}TOTAL_FORMS": 1,
        f"{prefix}0-movie": movie.pk,
        f"{prefix}0-user": user.pk,
    }
    assert admin_client.post(url, data).status_code == 302
    assert q.is_saved(user, movie)
    [save] = Movie.saved_by.through.objects.filter(movie=movie)
    data = inline_form(movie, [save]) | {f"{prefix}0-DELETE": "on"}
    assert admin_client.post(url, data).status_code == 302
    assert not q.is_saved(user, movie)
