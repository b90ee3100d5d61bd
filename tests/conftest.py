"""Fixtures for the shared suite: the pattern registry, small worlds, counting."""

from __future__ import annotations

import importlib
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import ModuleType, SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, transaction
from django.db.models import FETCH_RAISE, query
from django.test.utils import CaptureQueriesContext

from tests import patterns


def queries_of(app: str) -> ModuleType:
    return importlib.import_module(f"{app}.queries")


@contextmanager
def default_fetch_mode(mode):
    """Make `mode` the fetch mode of every queryset created inside the block.

    Django 6.1 sets the mode per queryset (QuerySet.fetch_mode()); the scenario
    functions build their own querysets, so the suite swaps the default they
    start from. FETCH_RAISE turns a stray lazy load into FieldFetchBlocked.
    """
    saved = query.DEFAULT_FETCH_MODE
    query.DEFAULT_FETCH_MODE = mode
    try:
        yield
    finally:
        query.DEFAULT_FETCH_MODE = saved


@contextmanager
def count_queries():
    """Capture the queries run inside the block; real_queries() drops savepoints."""
    with CaptureQueriesContext(connection) as ctx:
        yield ctx


def outcome_of_write(probe, via, world) -> str:
    """Run a probe's bad write; REJECTED if the database refuses it.

    Foreign keys are DEFERRABLE INITIALLY DEFERRED on both databases, so the
    write alone proves nothing: check_constraints() forces the check that a
    commit would run, inside a savepoint that rolls the damage back if refused.
    """
    try:
        with transaction.atomic():
            written = probe(via, world)
            connection.check_constraints()
    except IntegrityError:
        return patterns.REJECTED
    # A probe that wrote nothing would pass for "accepted": it must say it wrote.
    assert written, f"{probe.__name__}({via!r}) reported no row written"
    return patterns.ACCEPTED


def assert_bad_write_meets_declaration(table, check, probe, via, world) -> None:
    """Compare a probe's bad write with the declared table (Ownership or Saves)."""
    expected = table.integrity[check]
    if expected == patterns.UNREPRESENTABLE:
        # No columns to write it in: there must be no probe, and a stated reason.
        assert probe is None
        assert table.unrepresentable_because[check]
    elif via in table.refused_by_django.get(check, ()):
        # Django raises before sending SQL: nothing reaches the database.
        with pytest.raises(ValueError), transaction.atomic():
            probe(via, world)
    else:
        assert outcome_of_write(probe, via, world) == expected


def outcome_of_delete(delete, count_dependants) -> str:
    """Delete a row that exactly one dependant points at; say what became of it.

    REJECTED if the database refuses (at the forced constraint check),
    CASCADED if the dependant went too, ACCEPTED if it now points at nothing.
    """
    before = count_dependants()
    try:
        with transaction.atomic():
            deleted = delete()
            connection.check_constraints()
    except IntegrityError:
        return patterns.REJECTED
    # As for writes: a delete that removed nothing would pass for "accepted".
    # Raw probes return cursor.rowcount, Model.delete() a (count, per-model) pair.
    deleted = deleted[0] if isinstance(deleted, tuple) else deleted
    assert deleted, f"{delete} reported no row deleted"
    if count_dependants() == before - 1:
        return patterns.CASCADED
    return patterns.ACCEPTED


def row_counts(app: str) -> dict[str, int]:
    """Rows in every table of an app, intermediate and parent tables included."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_app_config(app).get_models()
    }


def real_queries(ctx) -> list[str]:
    # Savepoint bookkeeping is not a read; get_or_create() adds it on some paths.
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


@pytest.fixture
def warm_content_types(db):
    # GFK lookups read content types through a per-process cache; fill it so
    # counts measure the steady state, not the first request after a restart.
    ContentType.objects.clear_cache()
    ContentType.objects.get_for_models(*apps.get_models())


@pytest.fixture
def raise_on_lazy_load():
    with default_fetch_mode(FETCH_RAISE):
        yield


def make_world(app: str) -> SimpleNamespace:
    """Two people, a group, and one task for each owner, built through the API."""
    q = queries_of(app)
    alice = q.create_person("Alice")
    bob = q.create_person("Bob")
    group = q.create_group("Team", creator=alice)
    return SimpleNamespace(
        app=app,
        queries=q,
        alice=alice,
        bob=bob,
        group=group,
        alice_task=q.create_task("Alice's task", alice),
        bob_task=q.create_task("Bob's task", bob),
        group_task=q.create_task("Team task", group),
    )


SAVED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def make_saves_world(app: str, django_user_model) -> SimpleNamespace:
    """Two users, one item of each kind; the user has saved the movie and anime."""
    q = queries_of(app)
    user = django_user_model.objects.create_user("viewer", password="pw")
    other = django_user_model.objects.create_user("other", password="pw")
    movie = q.create_media("movie", "Alien", year=1979)
    anime = q.create_media("anime", "Mushishi", episodes=26)
    manga = q.create_media("manga", "Monster", volumes=18)
    q.save_item(user, movie, at=SAVED_AT)
    q.save_item(user, anime, at=SAVED_AT + timedelta(minutes=1))
    return SimpleNamespace(
        app=app,
        queries=q,
        user=user,
        other=other,
        movie=movie,
        anime=anime,
        manga=manga,
    )


def ownership_params():
    return [pytest.param(app, id=app) for app in patterns.ownership_apps()]


def saves_params():
    return [pytest.param(app, id=app) for app in patterns.saves_apps()]
