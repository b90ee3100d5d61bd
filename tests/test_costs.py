"""What every scenario function, listing and admin page costs, in queries.

Each count is declared in tests/patterns/<app>.py and measured here, in a
small world and in one with ten times the rows, with Django's content-type
cache warm and cold. A count that changes fails here; the README's matrix
and each queries.py comment are held to the same declarations.
"""

from __future__ import annotations

import ast
import inspect
import textwrap
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import FETCH_ONE, FETCH_PEERS, Model
from django.urls import reverse

from project.dataset import build_media, build_ownership, build_saves
from tests import patterns
from tests.conftest import (
    SAVED_AT,
    count_queries,
    default_fetch_mode,
    make_cost_world,
    make_saves_cost_world,
    ownership_params,
    queries_of,
    real_queries,
    saves_params,
    warm_up_content_types,
)

pytestmark = pytest.mark.django_db

SIZES = {"small": 1, "large": 10}


def reloaded(world, rows: dict) -> SimpleNamespace:
    """The world with every row loaded afresh: a measured delete() before it
    was rolled back, but left its instances without a primary key."""
    by_model: dict = {}
    for name, (model, pk) in rows.items():
        by_model.setdefault(model, {})[name] = pk
    fresh = {}
    for model, pks in by_model.items():
        loaded = model._base_manager.in_bulk(pks.values())
        fresh |= {name: loaded[pk] for name, pk in pks.items()}
    return SimpleNamespace(**{**vars(world), **fresh})


def measure(situation, function, world, *, cold: bool) -> int:
    """Queries of one call, rolled back afterwards so the world stays as built."""
    rows = {
        name: (type(value), value.pk)
        for name, value in vars(world).items()
        if isinstance(value, Model)
    }
    world = reloaded(world, rows)
    warm_up_content_types()
    if cold:
        ContentType.objects.clear_cache()
    with transaction.atomic():
        with count_queries() as ctx:
            situation.call(world, function)
        transaction.set_rollback(True)
    return len(real_queries(ctx))


def measure_every_cost(declared, worlds) -> dict:
    """(function, situation, warm|cold) -> [small, large], as measured.

    `worlds` builds the world of a size; each is built in a transaction that
    is rolled back, so the large world doesn't sit on top of the small one.
    """
    measured = {}
    for size in SIZES.values():
        with transaction.atomic():
            world = worlds(size)
            # Cold (a process's first call): at the small size only.
            temperatures = ("warm", "cold") if size == SIZES["small"] else ("warm",)
            for function, cost in declared.costs.items():
                for situation in cost.queries:
                    for temperature in temperatures:
                        count = measure(
                            situation, function, world, cold=temperature == "cold"
                        )
                        key = (function.__name__, situation.phrase, temperature)
                        measured.setdefault(key, []).append(count)
            transaction.set_rollback(True)
    return measured


def declared_costs(declared) -> dict:
    expected = {}
    for function, cost in declared.costs.items():
        for temperature, queries in (
            ("warm", cost.queries_on(connection.vendor)),
            ("cold", cost.cold_queries(connection.vendor)),
        ):
            sizes = (0, 1) if temperature == "warm" else (0,)
            for situation, count in queries.items():
                key = (function.__name__, situation.phrase, temperature)
                expected[key] = [patterns.at_size(count, large) for large in sizes]
    return expected


@pytest.mark.parametrize("app", ownership_params())
def test_ownership_functions_cost_what_is_declared(app):
    declared = patterns.module(app).OWNERSHIP
    measured = measure_every_cost(declared, lambda size: make_cost_world(app, size))
    assert measured == declared_costs(declared)


@pytest.mark.parametrize("app", saves_params())
def test_saves_functions_cost_what_is_declared(app, django_user_model):
    declared = patterns.module(app).SAVES
    measured = measure_every_cost(
        declared, lambda size: make_saves_cost_world(app, django_user_model, size)
    )
    assert measured == declared_costs(declared)


# Every public function is declared, and its comment says what is declared ----


def public_functions(app: str) -> dict:
    module = queries_of(app)
    return {
        name: function
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__ and not name.startswith("_")
    }


def declarations(app: str):
    module = patterns.module(app)
    return [d for d in (getattr(module, "OWNERSHIP", None), module.SAVES) if d]


@pytest.mark.parametrize("app", saves_params())
def test_every_public_function_of_queries_py_has_a_declared_cost(app):
    declared = {f for d in declarations(app) for f in d.costs}
    # The naive listing is declared per fetch mode instead (naive_fetch_*).
    naive = (
        {queries_of(app).task_rows_naive}
        if hasattr(patterns.module(app), "OWNERSHIP")
        else set()
    )
    assert set(public_functions(app).values()) == declared | naive


def opening_comment(function) -> str:
    """The comment block right above a function's first statement, as one line
    (after the docstring, where there is one)."""
    lines, _ = inspect.getsourcelines(function)
    body = ast.parse(textwrap.dedent("".join(lines))).body[0].body
    first = body[0]
    if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
        first = body[1]
    block, n = [], first.lineno - 2
    while n >= 0 and lines[n].strip().startswith("#"):
        block.insert(0, lines[n].strip().removeprefix("#").strip())
        n -= 1
    return " ".join(block)


@pytest.mark.parametrize("app", saves_params())
def test_each_functions_comment_opens_with_its_declared_cost(app):
    # The comment is for people: it may say anything after the count, but the
    # count it opens with is rendered from the declaration, which is measured.
    wrong = {}
    for declared in declarations(app):
        for function, cost in declared.costs.items():
            expected = patterns.cost_phrase(cost.queries)
            comment = opening_comment(function)
            if not comment.startswith(expected):
                wrong[function.__name__] = (expected, comment[:80])
    assert wrong == {}


# The naive listing, per fetch mode -------------------------------------------


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(FETCH_ONE, id="FETCH_ONE"),
        pytest.param(FETCH_PEERS, id="FETCH_PEERS"),
    ],
)
@pytest.mark.parametrize("app", ownership_params())
def test_naive_listing_costs_what_is_declared_per_fetch_mode(
    app, mode, warm_content_types
):
    # The N+1 next to the optimised listing: under Django's default FETCH_ONE a
    # lazy load costs a query per row; FETCH_PEERS loads the same relation for
    # every row that came from the same query at once.
    declared = patterns.module(app).OWNERSHIP
    expected = {
        FETCH_ONE: declared.naive_fetch_one,
        FETCH_PEERS: declared.naive_fetch_peers,
    }[mode]
    q = queries_of(app)
    measured = []
    for owners, first in ((3, 1), (30, 4)):
        build_ownership(q, owners, first=first)
        with default_fetch_mode(mode), count_queries() as ctx:
            rows = q.task_rows_naive()
        assert rows == q.task_rows()
        measured.append(len(real_queries(ctx)))
    assert tuple(measured) == expected


# The admin -----------------------------------------------------------------------


def registered_models(app: str) -> set:
    return {model for model in admin.site._registry if model._meta.app_label == app}


@pytest.mark.parametrize("app", saves_params())
def test_every_admin_page_of_the_app_has_a_declared_cost(app):
    declared = {model for d in declarations(app) for model in d.admin}
    assert declared == registered_models(app)


def admin_url(model, view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.parametrize("app", saves_params())
def test_admin_pages_cost_what_is_declared_for_few_rows_and_a_full_page(
    app, admin_client, django_user_model
):
    q = queries_of(app)
    user = django_user_model.objects.create_user("saver")
    admin_pages = {m: a for d in declarations(app) for m, a in d.admin.items()}
    measured, expected = {}, {}
    for owners, first in ((2, 1), (12, 3)):
        # 8, then 48 tasks; 6, then 36 saves: the count must not follow them.
        if hasattr(patterns.module(app), "OWNERSHIP"):
            build_ownership(q, owners, first=first)
        items = build_media(q, owners)[3 * (first - 1) :]
        build_saves(q, user, items, SAVED_AT.replace(year=2000 + owners))
        # Cold (a process's first request): once, at the small size.
        temperatures = ("warm", "cold") if first == 1 else ("warm",)
        for model, page in admin_pages.items():
            for temperature in temperatures:
                warm_up_content_types()
                if temperature == "cold":
                    ContentType.objects.clear_cache()
                with count_queries() as ctx:
                    response = admin_client.get(admin_url(model, "changelist"))
                assert response.status_code == 200, (model, response.status_code)
                key = (model.__name__, "changelist", temperature)
                measured.setdefault(key, []).append(len(real_queries(ctx)))
                count = page.changelist
                if temperature == "cold" and page.cold_changelist is not None:
                    count = page.cold_changelist
                expected.setdefault(key, []).append(count)
            warm_up_content_types()
            # The add form lists every choice in one query a field, however
            # many there are: measured once. None: the page refuses to add.
            if first != 1:
                continue
            with count_queries() as ctx:
                response = admin_client.get(admin_url(model, "add"))
            if page.add_form is None:
                assert response.status_code == 403, model
                continue
            assert response.status_code == 200, model
            key = (model.__name__, "add form", "warm")
            measured.setdefault(key, []).append(len(real_queries(ctx)))
            expected.setdefault(key, []).append(page.add_form)
    assert measured == expected


# What each pattern needs in the schema -------------------------------------------


def tables_written_by(build) -> set[str]:
    """The tables that gained rows while `build` ran."""

    def counts():
        with connection.cursor() as cursor:
            result = {}
            for table in connection.introspection.table_names(cursor):
                cursor.execute(
                    f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}"
                )
                result[table] = cursor.fetchone()[0]
            return result

    before = counts()
    build()
    after = counts()
    return {table for table, n in after.items() if n > before.get(table, 0)}


def columns_of(tables: set[str]) -> int:
    with connection.cursor() as cursor:
        return sum(
            len(connection.introspection.get_table_description(cursor, table))
            for table in tables
        )


@pytest.mark.parametrize("app", ownership_params())
def test_the_ownership_domain_needs_the_declared_tables_and_columns(app):
    tables = tables_written_by(lambda: build_ownership(queries_of(app), 1))
    declared = patterns.module(app).OWNERSHIP
    assert (len(tables), columns_of(tables)) == (declared.tables, declared.columns), (
        tables
    )


@pytest.mark.parametrize("app", saves_params())
def test_the_saves_domain_needs_the_declared_tables_and_columns(app, django_user_model):
    q = queries_of(app)
    # The user is made first: auth's own table is no part of the pattern.
    user = django_user_model.objects.create_user("saver")
    tables = tables_written_by(
        lambda: build_saves(q, user, build_media(q, 1), SAVED_AT)
    )
    declared = patterns.module(app).SAVES
    assert (len(tables), columns_of(tables)) == (declared.tables, declared.columns), (
        tables
    )
