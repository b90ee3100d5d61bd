"""The fourth kind, through the scenario API: what an add-a-type patch must deliver.

Not collected by `make test`: `benchmarks/adding.py` copies this file into a
scratch copy of the project as `tests/test_fourth_kind.py`, applies
`<app>/extend/add_a_type.patch`, migrates a database that already holds
rows, and runs it next to the app's share of the shared suite, with the app
in EXTEND_APP. Here the project has a `Team` owner (a name, nothing else) and
a `Book` item (a title and its `pages`), and the new kind must behave as the
three old ones do: listed, counted, joined, saved once, deleted with what
hangs on it, and attacked with the same outcome its siblings declare.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import pytest
from django.contrib import admin
from django.db import connection
from django.urls import reverse

from project.patterns import OWNERSHIP_APPS
from tests import patterns
from tests.conftest import models_of, queries_of
from tests.test_integrity import outcome_of_delete

APP = os.environ["EXTEND_APP"]
q = queries_of(APP)

pytestmark = pytest.mark.django_db
ownership = pytest.mark.skipif(
    APP not in OWNERSHIP_APPS, reason=f"{APP} has no ownership domain"
)
AT = datetime(2026, 3, 1, tzinfo=UTC)
# What a declaration's helpers read of a world: the app, its queries, its models.
WORLD = SimpleNamespace(app=APP, queries=q, models=models_of(APP))


def raw_delete(row) -> int:
    # The new kind's own row, and nothing else: what RAW_DELETE_* probes do.
    opts = type(row)._meta
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {connection.ops.quote_name(opts.db_table)}"
            f" WHERE {connection.ops.quote_name(opts.pk.column)} = %s",
            [row.pk],
        )
        return cursor.rowcount


# Ownership: Team ---------------------------------------------------------------


@pytest.fixture
def teams():
    alice = q.create_person("Alice")
    group = q.create_group("Guild", creator=alice)
    team = q.create_team("Ants")
    tasks = [
        q.create_task("Bake", team),
        q.create_task("Carry", alice),
        q.create_task("Dig", group),
        q.create_task("Eat", team),
    ]
    return team, alice, group, tasks


@ownership
def test_a_team_owns_tasks_listed_and_counted_with_the_other_kinds(teams):
    team, _, _, tasks = teams
    assert q.task_rows() == [
        ("Bake", "team", "Ants", None),
        ("Carry", "person", "Alice", None),
        ("Dig", "group", "Guild", "Alice"),
        ("Eat", "team", "Ants", None),
    ]
    assert q.task_rows_naive() == q.task_rows()
    assert q.task_page(1, 2) == q.task_rows()[:2]
    assert q.task_page_prefetched(2, 2) == q.task_rows()[2:]
    assert q.task_counts() == {"person": 1, "group": 1, "team": 2}
    assert q.tasks_owned_by(team) == [tasks[0], tasks[3]]
    owner = q.owner_of(tasks[0])
    assert (type(owner).__name__, owner.pk) == ("Team", team.pk)


@ownership
def test_deleting_a_team_deletes_its_tasks_and_nothing_else(teams):
    team, alice, _, _ = teams
    q.delete_owner(team)
    assert [row[1] for row in q.task_rows()] == ["person", "group"]
    assert q.tasks_owned_by(alice)


@ownership
@pytest.mark.parametrize("rule", [patterns.RAW_DELETE_OWNER, patterns.ORM_DELETE_OWNER])
def test_a_team_meets_the_delete_outcome_its_siblings_declare(rule, teams):
    team = teams[0]
    declared = patterns.module(APP).OWNERSHIP
    # The rows the suite's own judge looks for: the declaration's dependants.
    dependants = declared.dependants(WORLD, team)
    delete = (
        (lambda: raw_delete(team)) if rule is patterns.RAW_DELETE_OWNER else team.delete
    )
    outcome = outcome_of_delete(delete, dependants)
    assert outcome == declared.integrity[rule].outcome_on(connection.vendor)


# Saves: Book -------------------------------------------------------------------


@pytest.fixture
def books(django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw")
    movie = q.create_media("movie", "Alien", year=1979)
    book = q.create_media("book", "Dune", pages=412)
    q.save_item(user, movie, at=AT)
    q.save_item(user, book, at=AT + timedelta(minutes=1))
    return user, movie, book


def test_a_book_is_a_kind_like_the_others(books):
    _, _, book = books
    assert q.KINDS["book"] is type(book)
    assert q.get_media("book", book.pk) == book
    assert q.list_media("book") == [book]
    assert str(book) == "Dune" and book.pages == 412


def test_a_book_is_saved_once_and_listed_newest_first(books):
    user, movie, book = books
    assert q.save_item(user, book) is False  # already saved: one row stays
    assert q.is_saved(user, book)
    assert q.saved_count(user) == 2
    feed = q.saved_feed(user, 1, 10)
    # The book was saved last; a feed with no saved-at time is by title.
    newest_first = patterns.module(APP).SAVES.feed_newest_first
    expected = [("book", "Dune"), ("movie", "Alien")]
    assert [(kind, title) for kind, title, _, _ in feed] == (
        expected if newest_first else expected[::-1]
    )
    assert feed[0][3] == {}  # a book has no per-type extras
    assert q.unsave_item(user, book) is True
    assert q.saved_count(user) == 1


def test_deleting_a_book_deletes_its_saves(books):
    user, movie, book = books
    q.delete_media(book)
    assert q.saved_count(user) == 1
    assert not q.list_media("book")


@pytest.mark.parametrize("rule", [patterns.RAW_DELETE_ITEM, patterns.ORM_DELETE_ITEM])
def test_a_book_meets_the_delete_outcome_its_siblings_declare(rule, books):
    book = books[2]
    declared = patterns.module(APP).SAVES
    dependants = declared.dependants(WORLD, book)
    delete = (
        (lambda: raw_delete(book)) if rule is patterns.RAW_DELETE_ITEM else book.delete
    )
    outcome = outcome_of_delete(delete, dependants)
    assert outcome == declared.integrity[rule].outcome_on(connection.vendor)


def test_the_book_pages_save_once_on_a_double_click(books, client):
    user, _, book = books
    q.unsave_item(user, book)
    client.force_login(user)
    detail = reverse(f"{APP}:media_detail", args=["book", book.pk])
    assert client.get(detail).status_code == 200
    assert "pages: 412" in client.get(detail).text
    save = reverse(f"{APP}:save", args=["book", book.pk])
    assert client.post(save).status_code == 302
    assert client.post(save).status_code == 302
    assert q.saved_count(user) == 2
    assert client.get(reverse(f"{APP}:media_list")).status_code == 200


def test_the_admin_lists_and_adds_the_new_kinds(admin_client):
    models = [type(q.create_media("book", "Emma", pages=474))]
    if APP in OWNERSHIP_APPS:
        models.append(type(q.create_team("Bees")))
    for model in models:
        assert model in admin.site._registry, model
        opts = model._meta
        for page in ("changelist", "add"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}")
            assert admin_client.get(url).status_code == 200, url
