"""Fixtures for the shared suite: the pattern registry, the worlds, counting."""

from __future__ import annotations

import importlib
import sys
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import ModuleType, SimpleNamespace

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.models import FETCH_RAISE, query
from django.db.models.signals import post_migrate
from django.dispatch import receiver
from django.test.utils import CaptureQueriesContext

from project.dataset import build_media, build_saves
from tests import patterns
from tests.live import DemoServer


@pytest.hookimpl(wrapper=True)
def pytest_collection_modifyitems(config, items):
    # A test that needs the demo server running is `live`: `make test` leaves
    # it out (the server takes seconds to start and its tests real time),
    # `make test-live` runs it. Marked before -m deselects, so it counts.
    for item in items:
        if "demo_server" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.live)
    result = yield
    # Under `--dist loadgroup` xdist marks each grouped test's id on the
    # worker; without that it spreads a group over every worker, and each
    # starts its own demo server or benchmark run. pytest 9.2 with
    # pytest-xdist 3.8 did exactly that, silently (pytest-xdist#1386).
    if getattr(config.option, "loadgroup", False):
        grouped = [item for item in items if item.get_closest_marker("xdist_group")]
        if any("@" not in item.nodeid for item in grouped):
            # Said on the worker's own stderr: xdist reports a worker that
            # stops at collection only as an internal error of its own.
            message = (
                "pytest-xdist ignored the xdist_group marks (pytest-xdist#1386):"
                " install the pytest version pyproject.toml asks for"
            )
            print(message, file=sys.__stderr__, flush=True)
            raise pytest.UsageError(message)
    return result


def queries_of(app: str) -> ModuleType:
    return importlib.import_module(f"{app}.queries")


def models_of(app: str) -> ModuleType:
    return importlib.import_module(f"{app}.models")


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


def check_deferred_constraints() -> None:
    """Run now the foreign-key checks a COMMIT would run.

    SQLite and PostgreSQL defer them to the commit (DEFERRABLE INITIALLY
    DEFERRED), so a bad write inside a test's transaction proves nothing until
    forced. MariaDB checks every statement as it runs: nothing is left to
    force, and its check_constraints() reads every table's metadata (seconds
    a call).
    """
    if connection.features.can_defer_constraint_checks:
        connection.check_constraints()


def real_queries(ctx) -> list[str]:
    # Savepoint bookkeeping is not a read or a write of data.
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


# Each database's content types, read once: a flush (after a transaction=True
# test) makes them anew, and post_migrate, which it sends, forgets them here.
_CONTENT_TYPES: dict[str, list[ContentType]] = {}


@receiver(post_migrate)
def _forget_content_types(using, **kwargs):
    _CONTENT_TYPES.pop(using, None)


def warm_up_content_types() -> None:
    # GFK lookups read content types through a per-process cache; fill it so
    # counts measure the steady state, not the first request after a restart.
    manager = ContentType.objects
    manager.clear_cache()
    # Proxies (typed_models' kinds, linked_models' combined list) get content
    # types of their own on first use, which the admin asks for too.
    rows = _CONTENT_TYPES.get(connection.alias)
    if rows is None:
        manager.get_for_models(*apps.get_models())
        manager.get_for_models(*apps.get_models(), for_concrete_models=False)
        rows = _CONTENT_TYPES[connection.alias] = list(manager.order_by())
    for content_type in rows:
        manager._add_to_cache(connection.alias, content_type)


@pytest.fixture
def warm_content_types(db):
    warm_up_content_types()


@pytest.fixture
def raise_on_lazy_load():
    with default_fetch_mode(FETCH_RAISE):
        yield


def row_counts(app: str) -> dict[str, int]:
    """Rows in every table of an app, intermediate and parent tables included
    (m2m_fields' saves live in the through tables ManyToManyField makes)."""
    models = apps.get_app_config(app).get_models(include_auto_created=True)
    return {model._meta.label: model._base_manager.count() for model in models}


# Worlds ------------------------------------------------------------------------


def make_world(app: str) -> SimpleNamespace:
    """Two people, a group Alice created, one task each; built through the API."""
    q = queries_of(app)
    alice = q.create_person("Alice")
    bob = q.create_person("Bob")
    group = q.create_group("Team", creator=alice)
    return SimpleNamespace(
        app=app,
        queries=q,
        models=models_of(app),
        alice=alice,
        bob=bob,
        group=group,
        alice_task=q.create_task("Alice's task", alice),
        bob_task=q.create_task("Bob's task", bob),
        group_task=q.create_task("Team task", group),
    )


SAVED_AT = datetime(2026, 1, 1, tzinfo=UTC)


def make_saves_world(app: str, django_user_model) -> SimpleNamespace:
    """Two users and one item of each kind, all three saved by the user; and a
    fourth item, a manga nobody saved."""
    q = queries_of(app)
    user = django_user_model.objects.create_user("viewer", password="pw")
    other = django_user_model.objects.create_user("other", password="pw")
    movie = q.create_media("movie", "Alien", year=1979)
    anime = q.create_media("anime", "Mushishi", episodes=26)
    manga = q.create_media("manga", "Monster", volumes=18)
    unsaved = q.create_media("manga", "Pluto", volumes=8)
    for minutes, item in enumerate([movie, anime, manga]):
        q.save_item(user, item, at=SAVED_AT + timedelta(minutes=minutes))
    return SimpleNamespace(
        app=app,
        queries=q,
        models=models_of(app),
        user=user,
        other=other,
        movie=movie,
        anime=anime,
        manga=manga,
        unsaved=unsaved,
    )


def make_cost_world(app: str, size: int) -> SimpleNamespace:
    """The ownership world the declared costs are measured in, at `size` 1 or 10.

    Alice created `size` groups. Alice, Bob and the first group own 2 * `size`
    tasks each, the other groups 2, numbered round-robin so any page of them
    holds both kinds. Carol owns nothing yet.
    """
    q = queries_of(app)
    alice, bob, carol = (q.create_person(name) for name in ("Alice", "Bob", "Carol"))
    groups = [q.create_group(f"Team {n}", creator=alice) for n in range(size)]
    owners = [alice, bob, groups[0]] * (2 * size) + groups[1:] * 2
    tasks = {}
    for n, owner in enumerate(owners):
        tasks.setdefault(owner.name, q.create_task(f"Task {n:04d}", owner))
    return SimpleNamespace(
        app=app,
        queries=q,
        models=models_of(app),
        alice=alice,
        bob=bob,
        carol=carol,
        group=groups[0],
        bob_task=tasks["Bob"],
        group_task=tasks[groups[0].name],
    )


def make_saves_cost_world(app: str, django_user_model, size: int) -> SimpleNamespace:
    """The saves world the declared costs are measured in, at `size` 1 or 10.

    The user saved 10 * `size` items of every kind; `movie` is also saved by
    `size` other users; `others` is an anime only another user saved, and
    `unsaved` a manga nobody saved.
    """
    q = queries_of(app)
    user = django_user_model.objects.create_user("viewer")
    fans = [django_user_model.objects.create_user(f"fan{n}") for n in range(size)]
    items = build_media(q, 4 * size)
    build_saves(q, user, items[: 10 * size], SAVED_AT)
    movie, anime = items[0], items[1]
    for fan in fans:
        q.save_item(fan, movie)
    others = q.create_media("anime", "Someone else's", episodes=1)
    q.save_item(fans[0], others)
    return SimpleNamespace(
        app=app,
        queries=q,
        models=models_of(app),
        user=user,
        movie=movie,
        anime=anime,
        others=others,
        unsaved=q.create_media("manga", "Nobody's", volumes=1),
    )


@pytest.fixture(scope="session")
def demo_server(django_db_blocker):
    """`make demo`'s server on a database of its own (tests/live.py), for the
    tests that need real concurrent requests or the debug toolbar. Mark them
    xdist_group("demo_server") so that one worker runs them all."""
    # Creating and dropping its database uses Django's connection, which
    # pytest-django blocks outside a test.
    with django_db_blocker.unblock():
        server = DemoServer().start()
    yield server
    with django_db_blocker.unblock():
        server.stop()


def ownership_params():
    return [pytest.param(app, id=app) for app in patterns.ownership_apps()]


def saves_params():
    return [pytest.param(app, id=app) for app in patterns.saves_apps()]
