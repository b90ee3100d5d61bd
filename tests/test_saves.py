"""The saves domain, compared across patterns on the same data.

As in test_ownership.py, every assertion compares a measurement with the
pattern's declared table in tests/patterns/<app>.py.
"""

from datetime import timedelta

import pytest
from django.db import connection

from project.dataset import build_media, build_saves
from tests import patterns
from tests.conftest import (
    SAVED_AT,
    assert_bad_write_meets_declaration,
    count_queries,
    make_saves_world,
    outcome_of_delete,
    queries_of,
    real_queries,
    row_counts,
    saves_params,
)

pytestmark = pytest.mark.django_db

APPS = saves_params()


def declared(app):
    return patterns.module(app).SAVES


@pytest.fixture
def sworld(app, django_user_model, warm_content_types):
    return make_saves_world(app, django_user_model)


@pytest.fixture
def viewer(django_user_model):
    return django_user_model.objects.create_user("feedreader", password="pw")


def kinds_and_titles(feed):
    return [(kind, title) for kind, title, _, _ in feed]


# Equivalence -----------------------------------------------------------------


@pytest.mark.parametrize("app", APPS)
def test_saved_feed_matches_the_dataset_as_far_as_declared(
    app, viewer, warm_content_types
):
    q = queries_of(app)
    expected = build_saves(q, viewer, build_media(q, 3), SAVED_AT)
    feed = q.saved_feed(viewer, 1, 100)
    decl = declared(app)
    if decl.feed_newest_first and decl.extras:
        assert feed == expected
        return
    # What the pattern can't deliver is shown failing, not skipped: the same
    # items come back, but not in saved order and/or without the extras.
    assert sorted(kinds_and_titles(feed)) == sorted(kinds_and_titles(expected))
    if not decl.feed_newest_first:
        assert kinds_and_titles(feed) != kinds_and_titles(expected)
        assert {saved_at for _, _, saved_at, _ in feed} == {None}
    if not decl.extras:
        assert [extras for *_, extras in feed] != [e for *_, e in expected]


@pytest.mark.parametrize("app", APPS)
def test_saved_feed_pages_are_slices_of_the_whole_feed(app, viewer, warm_content_types):
    q = queries_of(app)
    build_saves(q, viewer, build_media(q, 3), SAVED_AT)
    whole = q.saved_feed(viewer, 1, 100)
    assert q.saved_count(viewer) == 9
    assert q.saved_feed(viewer, 1, 4) == whole[0:4]
    assert q.saved_feed(viewer, 2, 4) == whole[4:8]
    assert q.saved_feed(viewer, 3, 4) == whole[8:9]
    assert q.saved_feed(viewer, 4, 4) == []


@pytest.mark.parametrize("app", APPS)
def test_a_user_sees_only_their_own_saves(app, sworld):
    q = sworld.queries
    assert q.saved_feed(sworld.other, 1, 10) == []
    assert q.saved_count(sworld.other) == 0
    assert not q.is_saved(sworld.other, sworld.movie)
    assert q.unsave_item(sworld.other, sworld.movie) is False
    assert q.is_saved(sworld.user, sworld.movie)  # untouched by the other user


@pytest.mark.parametrize("app", APPS)
def test_saving_twice_stores_one_save(app, sworld):
    q = sworld.queries
    assert q.save_item(sworld.user, sworld.manga) is True
    assert q.save_item(sworld.user, sworld.manga) is False
    assert q.saved_count(sworld.user) == 3
    assert q.unsave_item(sworld.user, sworld.manga) is True
    assert q.unsave_item(sworld.user, sworld.manga) is False
    assert not q.is_saved(sworld.user, sworld.manga)


@pytest.mark.parametrize("app", APPS)
def test_progress_and_watched_are_kept_where_declared(app, sworld):
    q = sworld.queries
    q.set_progress(sworld.user, sworld.anime, 7)
    q.set_watched(sworld.user, sworld.movie, True)
    if declared(app).extras:
        assert q.progress(sworld.user, sworld.anime) == 7
        assert q.progress(sworld.user, sworld.manga) is None  # not saved
        feed = dict(((k, t), e) for k, t, _, e in q.saved_feed(sworld.user, 1, 10))
        assert feed[("anime", "Mushishi")] == {"episode_progress": 7}
        assert feed[("movie", "Alien")] == {"watched": True}
    else:
        # Nowhere to keep them: both setters are accepted and forgotten.
        assert q.progress(sworld.user, sworld.anime) is None
        assert {repr(e) for *_, e in q.saved_feed(sworld.user, 1, 10)} == {"{}"}


@pytest.mark.parametrize("app", APPS)
def test_saves_reads_never_lazy_load(app, sworld, raise_on_lazy_load):
    q = sworld.queries
    assert [str(item) for item in q.list_media("anime")] == ["Mushishi"]
    assert q.saved_count(sworld.user) == 2
    assert q.is_saved(sworld.user, sworld.anime)
    assert len(q.saved_feed(sworld.user, 1, 10)) == 2
    if declared(app).extras:
        assert q.progress(sworld.user, sworld.anime) == 0


@pytest.mark.parametrize("app", APPS)
def test_get_media_raises_lookup_error_for_an_unknown_kind(app, sworld):
    q = sworld.queries
    assert q.get_media("movie", sworld.movie.pk) == sworld.movie
    with pytest.raises(LookupError):
        q.get_media("podcast", sworld.movie.pk)
    with pytest.raises(q.KINDS["anime"].DoesNotExist):
        q.get_media("anime", 10**9)


@pytest.mark.parametrize("app", APPS)
def test_delete_media_leaves_exactly_the_rows_of_the_other_items(
    app, viewer, warm_content_types
):
    q = queries_of(app)
    keep = q.create_media("manga", "Kept", volumes=1)
    q.save_item(viewer, keep)
    before = row_counts(app)
    doomed = q.create_media("anime", "Doomed", episodes=3)
    q.save_item(viewer, doomed)
    q.delete_media(doomed)
    assert row_counts(app) == before
    connection.check_constraints()


# Query counts ----------------------------------------------------------------


@pytest.mark.parametrize("app", APPS)
def test_feed_page_and_is_saved_cost_the_declared_queries_at_any_size(
    app, viewer, warm_content_types, raise_on_lazy_load
):
    q = queries_of(app)
    items = build_media(q, 34)  # 102 items, saved in two rounds
    measured = {"feed_page": [], "is_saved": []}
    for upto, first in ((10, 0), (100, 10)):
        build_saves(q, viewer, items[first:upto], SAVED_AT + timedelta(days=first))
        assert q.saved_count(viewer) == upto
        with count_queries() as ctx:
            page = q.saved_feed(viewer, 1, 20)
        assert len(page) == min(upto, 20)
        measured["feed_page"].append(len(real_queries(ctx)))
        with count_queries() as ctx:
            assert q.is_saved(viewer, items[upto - 1])
        measured["is_saved"].append(len(real_queries(ctx)))
    # Constant from 10 to 100 saves, and equal to the declared number.
    assert measured["feed_page"] == [declared(app).feed_page] * 2, measured
    assert measured["is_saved"] == [declared(app).is_saved] * 2, measured


# Integrity, asked of the database --------------------------------------------


WRITE_CHECKS = [
    check for check, probe in patterns.SAVES_CHECKS.items() if "write" in (probe or "")
]


@pytest.mark.parametrize("via", patterns.VIAS)
@pytest.mark.parametrize("check", WRITE_CHECKS)
@pytest.mark.parametrize("app", APPS)
def test_bad_save_write_meets_the_declared_database_outcome(app, check, via, sworld):
    probe = getattr(patterns.module(app), patterns.SAVES_CHECKS[check], None)
    assert_bad_write_meets_declaration(declared(app), check, probe, via, sworld)


@pytest.mark.parametrize("app", APPS)
def test_raw_sql_delete_of_a_saved_item_meets_the_declared_outcome(app, sworld):
    # The movie has exactly one save, the user's.
    module = patterns.module(app)
    outcome = outcome_of_delete(
        lambda: module.raw_delete_item(sworld.movie), module.save_count
    )
    assert outcome == declared(app).integrity["raw_delete_item"]


@pytest.mark.parametrize("app", APPS)
def test_orm_delete_of_a_saved_item_meets_the_declared_outcome(app, sworld):
    # Model.delete(), as the admin's delete does; not the app's delete_media().
    module = patterns.module(app)
    outcome = outcome_of_delete(sworld.movie.delete, module.save_count)
    assert outcome == declared(app).integrity["orm_delete_item"]


def test_every_pattern_declares_every_saves_check():
    for app in patterns.saves_apps():
        integrity = declared(app).integrity
        assert set(integrity) == set(patterns.SAVES_CHECKS), app
        assert set(integrity.values()) <= patterns.OUTCOMES, app
