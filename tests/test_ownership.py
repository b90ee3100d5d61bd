"""The ownership domain, compared across patterns on the same data.

Every assertion compares a measurement with the pattern's declared table
(tests/patterns/<app>.py), so the tables - and the docs rendered from them -
can't claim what the code doesn't do.
"""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import FETCH_ONE, FETCH_PEERS
from django.urls import reverse

from project.dataset import build_ownership, expected_task_rows, person_name
from tests import patterns
from tests.conftest import (
    assert_bad_write_meets_declaration,
    count_queries,
    default_fetch_mode,
    make_world,
    outcome_of_delete,
    ownership_params,
    queries_of,
    real_queries,
    row_counts,
)

pytestmark = pytest.mark.django_db

APPS = ownership_params()
SIZES = [pytest.param(3, id="3-owners"), pytest.param(30, id="30-owners")]


def declared(app):
    return patterns.module(app).OWNERSHIP


def person_named(app, name):
    return apps.get_model(app, "Person").objects.get(name=name)


@pytest.fixture
def world(app, warm_content_types):
    return make_world(app)


# Equivalence -----------------------------------------------------------------


@pytest.mark.parametrize("app", APPS)
def test_task_rows_match_the_dataset_in_every_pattern(app, warm_content_types):
    q = queries_of(app)
    build_ownership(q, 3)
    assert q.task_rows() == expected_task_rows(3)


@pytest.mark.parametrize("app", APPS)
def test_owner_lookups_agree_with_the_dataset(app, world):
    q = world.queries
    assert q.owner_of(world.group_task) == world.group
    assert q.owner_of(world.alice_task) == world.alice
    assert [t.description for t in q.tasks_owned_by(world.bob)] == ["Bob's task"]
    assert [t.description for t in q.tasks_owned_by(world.group)] == ["Team task"]
    assert [t.description for t in q.tasks_of_groups_created_by(world.alice)] == [
        "Team task"
    ]
    assert q.tasks_of_groups_created_by(world.bob) == []


@pytest.mark.parametrize("app", APPS)
def test_list_reads_never_lazy_load(app, world, raise_on_lazy_load):
    # Under FETCH_RAISE a lazy load raises instead of costing a hidden query.
    q = world.queries
    assert [t.description for t in q.tasks_owned_by(world.bob)] == ["Bob's task"]
    assert [t.description for t in q.tasks_owned_by(world.group)] == ["Team task"]
    assert len(q.task_rows()) == 3


@pytest.mark.parametrize("app", APPS)
def test_delete_owner_leaves_exactly_the_rows_of_the_other_owners(
    app, warm_content_types
):
    q = queries_of(app)
    bob = q.create_person("Bob")
    q.create_task("Bob's task", bob)
    before_alice = row_counts(app)
    alice = q.create_person("Alice")
    q.create_task("Alice's task", alice)
    q.create_task("Team task", q.create_group("Team", creator=alice))
    q.delete_owner(alice)
    # Every table of the app, intermediate Owner rows included, is back to what
    # it held before Alice: her groups and all their tasks went with her.
    assert row_counts(app) == before_alice
    assert q.task_rows() == [("Bob's task", "person", "Bob", None)]
    connection.check_constraints()


# Query counts ----------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("app", APPS)
def test_task_rows_costs_the_declared_queries_at_any_size(
    app, size, warm_content_types, raise_on_lazy_load
):
    q = queries_of(app)
    build_ownership(q, size)
    with count_queries() as ctx:
        rows = q.task_rows()
    assert rows == expected_task_rows(size)
    # Same declared number at 3 and at 30 owners per kind: constant, and under
    # FETCH_RAISE, so a lazy load would have raised instead of adding a query.
    assert len(real_queries(ctx)) == declared(app).task_rows, real_queries(ctx)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("app", APPS)
def test_tasks_of_groups_created_by_costs_the_declared_queries(
    app, size, warm_content_types, raise_on_lazy_load
):
    q = queries_of(app)
    build_ownership(q, size)
    creator = person_named(app, person_name(2))  # created Group 002
    with count_queries() as ctx:
        tasks = q.tasks_of_groups_created_by(creator)
    assert [t.description for t in tasks] == ["Group 002 task 1", "Group 002 task 2"]
    assert len(real_queries(ctx)) == declared(app).tasks_of_groups_created_by, (
        real_queries(ctx)
    )


@pytest.mark.parametrize(
    "mode",
    [
        pytest.param(FETCH_ONE, id="FETCH_ONE"),
        pytest.param(FETCH_PEERS, id="FETCH_PEERS"),
    ],
)
@pytest.mark.parametrize("app", APPS)
def test_naive_listing_costs_what_is_declared_per_fetch_mode(
    app, mode, warm_content_types
):
    # The N+1 next to the optimised listing: under Django's default FETCH_ONE a
    # lazy load costs a query per row; FETCH_PEERS loads the same relation for
    # every row that came from the same query at once.
    q = queries_of(app)
    expected = {
        FETCH_ONE: declared(app).naive_fetch_one,
        FETCH_PEERS: declared(app).naive_fetch_peers,
    }[mode]
    measured = []
    for size in (3, 30):
        build_ownership(q, size, first=1 if size == 3 else 4)
        with default_fetch_mode(mode), count_queries() as ctx:
            rows = q.task_rows_naive()
        assert rows == expected_task_rows(size)
        measured.append(len(real_queries(ctx)))
    assert tuple(measured) == expected


# Integrity, asked of the database --------------------------------------------


WRITE_CHECKS = [
    c for c, probe in patterns.OWNERSHIP_CHECKS.items() if "write" in (probe or "")
]


@pytest.mark.parametrize("via", patterns.VIAS)
@pytest.mark.parametrize("check", WRITE_CHECKS)
@pytest.mark.parametrize("app", APPS)
def test_bad_write_meets_the_declared_database_outcome(app, check, via, world):
    probe = getattr(patterns.module(app), patterns.OWNERSHIP_CHECKS[check], None)
    assert_bad_write_meets_declaration(declared(app), check, probe, via, world)


@pytest.mark.parametrize("app", APPS)
def test_raw_sql_delete_of_an_owner_meets_the_declared_outcome(app, world):
    # Bob owns exactly one task and created no group.
    module = patterns.module(app)
    outcome = outcome_of_delete(
        lambda: module.raw_delete_owner(world.bob), module.task_count
    )
    assert outcome == declared(app).integrity["raw_delete_owner"]


@pytest.mark.parametrize("app", APPS)
def test_orm_delete_of_an_owner_meets_the_declared_outcome(app, world):
    # Model.delete(), as the admin's delete does; not the app's delete_owner().
    module = patterns.module(app)
    outcome = outcome_of_delete(world.bob.delete, module.task_count)
    assert outcome == declared(app).integrity["orm_delete_owner"]


def test_every_pattern_declares_every_check():
    for app in patterns.ownership_apps():
        integrity = declared(app).integrity
        assert set(integrity) == set(patterns.OWNERSHIP_CHECKS), app
        assert set(integrity.values()) <= patterns.OUTCOMES, app


# Validation ------------------------------------------------------------------


@pytest.mark.parametrize("app", APPS)
def test_full_clean_rejects_a_bad_owner(app, world):
    instance = patterns.module(app).bad_instance(world)
    with pytest.raises(ValidationError):
        instance.full_clean()


@pytest.mark.parametrize("app", APPS)
def test_admin_add_form_shows_a_bad_owner_as_a_form_error(app, world, admin_client):
    url_name, data, model = patterns.module(app).admin_bad_add(world)
    before = model._base_manager.count()
    response = admin_client.post(reverse(url_name), data)
    # 200 with the form again, not a 500 and not a redirect to a saved row.
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors
    assert model._base_manager.count() == before


# Admin changelist --------------------------------------------------------------


def newest(total, kind):
    """Description of the newest task of a kind (group tasks are the even ones)."""
    n = total - 1 if (total - 1) % 2 == (kind == "person") else total - 2
    return f"Task {n:03d}"


@pytest.mark.parametrize("app", APPS)
def test_task_changelists_cost_the_same_for_5_and_50_tasks(
    app, admin_client, warm_content_types, raise_on_lazy_load
):
    q = queries_of(app)
    changelists = declared(app).admin_changelists
    measured = {url_name: [] for url_name in changelists}
    variants = {url_name: [] for url_name in changelists}
    made = 0
    for total in (5, 50):
        while made < total:
            # A fresh owner for every task: the worst case for an N+1.
            person = q.create_person(f"Owner {made:03d}")
            owner = person if made % 2 else q.create_group(f"Team {made:03d}", person)
            q.create_task(f"Task {made:03d}", owner)
            made += 1
        for url_name in changelists:
            url = reverse(url_name)
            with count_queries() as ctx:
                response = admin_client.get(url)
            assert response.status_code == 200
            text = response.text
            assert newest(total, "person") in text or newest(total, "group") in text
            measured[url_name].append(len(real_queries(ctx)))
            # Search by description, and the owner-kind filter where the page
            # offers one, must be right and cost the same at 5 and 50 too.
            searched = newest(total, "person")
            counts = []
            with count_queries() as ctx:
                found = admin_client.get(url, {"q": searched})
            assert found.status_code == 200 and searched in found.text
            assert newest(total, "group") not in found.text
            counts.append(len(real_queries(ctx)))
            if "owner_kind=group" in text:
                with count_queries() as ctx:
                    groups = admin_client.get(url, {"owner_kind": "group"})
                assert newest(total, "group") in groups.text
                assert newest(total, "person") not in groups.text
                counts.append(len(real_queries(ctx)))
            variants[url_name].append(counts)
    assert measured == {url: [count, count] for url, count in changelists.items()}
    for url_name, (small, large) in variants.items():
        assert small == large, (url_name, small, large)
    # The Task changelist itself always offers the owner-kind filter.
    assert any(len(small) == 2 for small, _ in variants.values())
