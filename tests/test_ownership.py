"""The ownership domain's scenario API gives the same answers in every pattern.

What each call costs is tests/test_costs.py's business, what the database
lets through tests/test_integrity.py's: here, the answers themselves.
"""

import pytest
from django.db.models import FETCH_RAISE

from project.dataset import build_ownership, expected_task_rows
from tests.conftest import (
    check_deferred_constraints,
    default_fetch_mode,
    make_world,
    ownership_params,
    queries_of,
    row_counts,
)

pytestmark = pytest.mark.django_db

APPS = ownership_params()


@pytest.fixture
def world(app, warm_content_types):
    return make_world(app)


@pytest.mark.parametrize("app", APPS)
def test_task_rows_match_the_dataset_in_every_pattern(app, warm_content_types):
    q = queries_of(app)
    build_ownership(q, 3)
    assert q.task_rows() == expected_task_rows(3)
    assert q.task_rows_naive() == expected_task_rows(3)


@pytest.mark.parametrize("app", APPS)
def test_task_rows_order_ties_by_owner_kind_then_name(app, warm_content_types):
    # One description, four owners: the database must finish the order.
    q = queries_of(app)
    zoe, adam = q.create_person("Zoe"), q.create_person("Adam")
    owners = [zoe, q.create_group("Zulus", zoe), adam, q.create_group("Ants", adam)]
    for owner in owners:
        q.create_task("Same", owner)
    assert q.task_rows() == [
        ("Same", "group", "Ants", "Adam"),
        ("Same", "group", "Zulus", "Zoe"),
        ("Same", "person", "Adam", None),
        ("Same", "person", "Zoe", None),
    ]


@pytest.mark.parametrize("app", APPS)
def test_pages_are_slices_of_the_listing_either_way_they_are_read(
    app, warm_content_types
):
    q = queries_of(app)
    build_ownership(q, 3)  # 12 tasks, every description different
    whole = q.task_rows()
    for read in (q.task_page, q.task_page_prefetched):
        assert read(1, 5) + read(2, 5) + read(3, 5) == whole, read.__name__
        assert read(4, 5) == [], read.__name__


@pytest.mark.parametrize("app", APPS)
def test_pages_split_equal_descriptions_the_same_way_every_time(
    app, warm_content_types
):
    # Ties on the page order (description): a stable tie-break keeps every
    # task on exactly one page, whichever way the page is read.
    q = queries_of(app)
    alice = q.create_person("Alice")
    team = q.create_group("Team", alice)
    for n in range(6):
        q.create_task("Same", alice if n % 2 else team)
    for read in (q.task_page, q.task_page_prefetched):
        pages = [read(n, 2) for n in (1, 2, 3)]
        assert sorted(sum(pages, [])) == sorted(q.task_rows()), read.__name__
        assert pages == [read(n, 2) for n in (1, 2, 3)], read.__name__


@pytest.mark.parametrize("app", APPS)
def test_task_counts_count_each_kind(app, warm_content_types):
    q = queries_of(app)
    build_ownership(q, 3)
    counts = q.task_counts()
    assert {kind: counts.pop(kind) for kind in ("person", "group")} == {
        "person": 6,
        "group": 6,
    }
    # A kind the world has no owner of (one added later) counts zero.
    assert set(counts.values()) <= {0}


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
def test_reads_never_lazy_load(app, world):
    # Under FETCH_RAISE a lazy load raises instead of costing a hidden query.
    q = world.queries
    with default_fetch_mode(FETCH_RAISE):
        assert [t.description for t in q.tasks_owned_by(world.bob)] == ["Bob's task"]
        assert [t.description for t in q.tasks_owned_by(world.group)] == ["Team task"]
        assert len(q.task_rows()) == 3
        assert len(q.task_page(1, 10)) == 3
        assert len(q.task_page_prefetched(1, 10)) == 3


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
    check_deferred_constraints()


@pytest.mark.parametrize("app", APPS)
def test_deleting_a_group_leaves_its_creator_and_their_tasks(app, world):
    q = world.queries
    q.delete_owner(world.group)
    assert q.task_rows() == [
        ("Alice's task", "person", "Alice", None),
        ("Bob's task", "person", "Bob", None),
    ]
    check_deferred_constraints()
