"""A write of two or more statements leaves nothing behind when a later one fails.

Each entry of WRITES below is a scenario function (or admin path) that changes
rows in more than one statement, in the situation that makes it do so. The
test refuses one later statement, the INSERT or DELETE of a named table, just
before it reaches the database, as a failing constraint or a lost connection
would; then every table of the app must hold the rows it held before.

Where the atomicity lives, per entry:

- ``queries.py``: owner_table's create_task() (Owner row, then task),
  delete_owner() and delete_media() (Owner or Item rows, then the owner or
  media); owner_o2o's create_person(), create_group() (every owner kind's
  create_*()) and create_media() (Owner or Media row, then the row pointing
  at it).
- ``admin.py``: owner_table's and owner_o2o's delete_queryset(), one
  delete_owner() or delete_media() per selected row. Django's delete action
  opens no transaction of its own.
- Django: a multi-table child's save() (mti, polymorphic_models,
  inheritance_manager: parent row, then child row) and the delete collector
  (every owner.delete(), item.delete() and queryset delete()) each run in
  atomic(savepoint=False); the admin's add view runs in atomic(), which is all
  that keeps owner_o2o's save_model() (Owner row, then person) whole. Nothing
  in the app to drop there, but a rewrite as two statements of its own would
  lose it, and these tests would say so.

Not here, each because it is one statement that changes rows: every
create_person(), create_group() and create_media() of a one-table pattern,
every create_task() but owner_table's (and owner_table's for an owner who
already has an Owner row), save_item() (one INSERT in a savepoint; owner_table
reads or makes the Item row before it, outside, on purpose: the Item row
outlives its saves, and making it inside re-opens the SQLite write-lock race of
tests/test_concurrency.py), unsave_item(), set_progress(), set_watched(), and a
delete_media() of an item nobody saved where its saves' DELETE matches nothing.
test_every_write_of_several_statements_is_in_the_inventory measures every
declared call and fails on one that changes rows twice and is missing here.

The tests run outside the test's transaction (transaction=True), as a request
does. Inside it they could not tell: a failing save() marks the enclosing
atomic block for rollback, so the next query raises TransactionManagementError
whether the function rolled back or not, and Django's atomic(savepoint=False)
dooms the test's transaction rather than rolling back a savepoint of its own.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from types import SimpleNamespace

import pytest
import swapper
from django.db import DatabaseError, connection, transaction
from django.db.models import Model
from django.urls import reverse

from tests import patterns
from tests.conftest import (
    make_cost_world,
    make_saves_cost_world,
    models_of,
    queries_of,
    row_counts,
    warm_up_content_types,
)
from tests.patterns import (
    A_CREATOR,
    A_GROUP,
    A_MANGA,
    A_PERSON,
    A_SAVED_ITEM,
    AN_UNSAVED_ITEM,
    FIRST_TASK,
    NEW_ITEM,
    TWO_NAMES,
    Situation,
)

INSERT, DELETE = "INSERT", "DELETE"
WRITES_SQL = ("INSERT", "UPDATE", "DELETE")

# The saves cost world's anime is saved; with A_SAVED_ITEM's movie and
# AN_UNSAVED_ITEM's manga, every kind's tables are deleted from.
A_SAVED_ANIME = Situation("of a saved anime", lambda w, f: f(w.anime))


class Refused(DatabaseError):
    """The statement a test made fail, raised before it reached the database."""


def changed_rows(sql: str, context) -> bool:
    # An INSERT that ran inserted its row; SQLite's rowcount can't say so
    # before a RETURNING is read. An UPDATE or DELETE may match nothing.
    verb = sql.lstrip().split(maxsplit=1)[0].upper()
    return verb == "INSERT" or (verb in WRITES_SQL and context["cursor"].rowcount > 0)


@contextmanager
def refusing(verb: str, model: type[Model], skip: int = 0):
    """Refuse the `skip`+1-th `verb` statement on `model`'s table; record the
    writes that ran before it and how many rows each changed."""
    table = connection.ops.quote_name(model._meta.db_table)
    seen = SimpleNamespace(changed=[], refused=None)

    def wrapper(execute, sql, params, many, context):
        nonlocal skip
        # The table a write is on comes before its WHERE (a DELETE's subquery
        # names others); MariaDB's DELETE with a join names it twice.
        if sql.startswith(verb) and table in sql.split(" WHERE ")[0]:
            if skip == 0:
                seen.refused = sql
                raise Refused(sql)
            skip -= 1
        result = execute(sql, params, many, context)
        if changed_rows(sql, context):
            seen.changed.append(sql)
        return result

    with connection.execute_wrapper(wrapper):
        yield seen


@contextmanager
def changes_counted():
    """The writes run in the block that changed at least one row."""
    changed = []

    def wrapper(execute, sql, params, many, context):
        result = execute(sql, params, many, context)
        if changed_rows(sql, context):
            changed.append(sql)
        return result

    with connection.execute_wrapper(wrapper):
        yield changed


# The inventory ----------------------------------------------------------------


@dataclass(frozen=True)
class Write:
    """A call that changes rows in several statements, and the later
    statement to refuse: `verb` on `model`'s table (the `skip`+1-th)."""

    function: Callable
    situation: Situation
    # The world the situation is called in: the declared costs' own.
    world: Callable
    verb: str
    model: type[Model]
    # What makes it atomic: "queries.py", "admin.py" or "Django".
    by: str
    skip: int = 0


def ownership_writes(app: str) -> list[Write]:
    q, m = queries_of(app), models_of(app)
    # The collector deletes the tasks first and the owner's own row (or its
    # Owner row, where there is one) last.
    last = {A_PERSON: m.Person, A_GROUP: m.Group, A_CREATOR: m.Person}
    if app in ("owner_o2o", "mti", "polymorphic_models", "inheritance_manager"):
        last = dict.fromkeys(last, m.Owner)
    by = "queries.py" if app == "owner_table" else "Django"
    writes = [
        Write(q.delete_owner, s, ownership_world, DELETE, model, by)
        for s, model in last.items()
    ]
    if app == "owner_table":
        writes.append(
            Write(q.create_task, FIRST_TASK, ownership_world, INSERT, m.Task, by)
        )
    if app in ("owner_o2o", "mti", "polymorphic_models", "inheritance_manager"):
        # Every owner kind's create_*(): the Owner row, then the kind's own.
        # Read from the declared costs, so a kind added later (the add-a-type
        # patch's Team) is in the inventory without an edit here.
        by = "queries.py" if app == "owner_o2o" else "Django"
        costs = patterns.module(app).OWNERSHIP.costs
        for function, cost in costs.items():
            name = function.__name__
            kind = getattr(m, name.removeprefix("create_").capitalize(), None)
            if name.startswith("create_") and name != "create_task" and kind:
                writes += [
                    Write(function, situation, ownership_world, INSERT, kind, by)
                    for situation in cost.queries
                ]
        # The bulk route: owner_o2o's two multi-row INSERTs; elsewhere one
        # create() per person, the second person's INSERT refused.
        skip = 0 if app == "owner_o2o" else 1
        writes.append(
            Write(
                q.create_persons,
                TWO_NAMES,
                ownership_world,
                INSERT,
                m.Person,
                "queries.py",
                skip,
            )
        )
    return writes


def saves_writes(app: str) -> list[Write]:
    q, m = queries_of(app), models_of(app)
    by = "queries.py" if app == "owner_table" else "Django"
    # The saves first, the media's own row (or its Media row) last.
    last = {A_SAVED_ITEM: m.Movie, A_SAVED_ANIME: m.Anime}
    if app in ("owner_o2o", "mti", "polymorphic_models", "inheritance_manager"):
        # Media rows are made with every item: even an unsaved one has two.
        last = {**dict.fromkeys(last, m.Media), AN_UNSAVED_ITEM: m.Media}
    if app == "typed_models":
        last = dict.fromkeys(last, m.Media)
    writes = [
        Write(q.delete_media, s, saves_world, DELETE, model, by)
        for s, model in last.items()
    ]
    if app in ("owner_o2o", "mti", "polymorphic_models", "inheritance_manager"):
        by = "queries.py" if app == "owner_o2o" else "Django"
        writes.append(Write(q.create_media, A_MANGA, saves_world, INSERT, m.Manga, by))
    return writes


# Changes rows twice and is left outside one transaction on purpose.
BY_DESIGN = {
    # The Item row, then the save in its own savepoint: a failed save leaves
    # an Item row, which outlives saves anyway; making it inside the atomic()
    # re-opens the SQLite write-lock race (tests/test_concurrency.py).
    (queries_of("owner_table").save_item, NEW_ITEM),
}


def write_params():
    params = []
    for app in patterns.saves_apps():
        writes = saves_writes(app)
        if app in patterns.ownership_apps():
            writes = ownership_writes(app) + writes
        params += [
            pytest.param(
                app,
                write,
                id=f"{app}-{write.function.__name__}-{write.situation.phrase or '-'}",
            )
            for write in writes
        ]
    return params


# The worlds the declared costs are measured in, at their small size.
def ownership_world(app: str, django_user_model) -> SimpleNamespace:
    return make_cost_world(app, 1)


def saves_world(app: str, django_user_model) -> SimpleNamespace:
    return make_saves_cost_world(app, django_user_model, 1)


def assert_rolled_back(app: str, seen, before: dict) -> None:
    assert seen.refused, "the statement to refuse never ran"
    # Else the refused statement was the first change, and there is nothing a
    # missing transaction would leave behind: the entry proves nothing.
    assert seen.changed, "no write changed a row before the refused one"
    assert row_counts(app) == before


# The tests ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("app, write", write_params())
def test_a_write_failing_halfway_leaves_no_row_behind(app, write, django_user_model):
    world = write.world(app, django_user_model)
    warm_up_content_types()
    before = row_counts(app)
    with refusing(write.verb, write.model, write.skip) as seen:
        with pytest.raises(Refused):
            write.situation.call(world, write.function)
    assert_rolled_back(app, seen, before)


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    swapper.is_swapped("swappable", "Owner"), reason="the project's own owner model"
)
def test_swappable_delete_owner_failing_halfway_leaves_its_tasks():
    q, m = queries_of("swappable"), models_of("swappable")
    owner = m.Owner.objects.create(name="Ann")
    q.create_task("Ann's task", owner)
    before = row_counts("swappable")
    with refusing(DELETE, m.Owner) as seen, pytest.raises(Refused):
        q.delete_owner(owner)
    assert_rolled_back("swappable", seen, before)


def admin_url(model: type[Model], view: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}")


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("kind", ["person", "group", "movie"])
def test_an_owner_o2o_admin_add_failing_halfway_leaves_no_owner_or_media_row(
    kind, admin_client
):
    # save_model() makes the Owner (Media) row, then the row pointing at it;
    # only the add view's own atomic() holds the two together.
    m = models_of("owner_o2o")
    alice = queries_of("owner_o2o").create_person("Alice")
    model, data = {
        "person": (m.Person, {"name": "Zed"}),
        "group": (m.Group, {"name": "Zeds", "creator": alice.pk}),
        "movie": (m.Movie, {"title": "Alien", "year": 1979}),
    }[kind]
    before = row_counts("owner_o2o")
    with refusing(INSERT, model) as seen, pytest.raises(Refused):
        admin_client.post(admin_url(model, "add"), data)
    assert_rolled_back("owner_o2o", seen, before)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("app", ["owner_table", "owner_o2o"])
@pytest.mark.parametrize("kind", ["person", "movie"])
def test_an_admin_bulk_delete_failing_on_its_second_row_keeps_the_first(
    app, kind, admin_client, django_user_model
):
    # delete_queryset() runs delete_owner() (delete_media()) once per row; its
    # atomic() is all that keeps the first row's delete from standing alone.
    m = models_of(app)
    if kind == "person":
        world = make_cost_world(app, 1)
        # Bob and Carol: neither created a group, so each is one delete.
        rows, model = [world.bob, world.carol], m.Person
        # The statement that deletes the person itself, or its Owner row.
        last = m.Owner if app == "owner_o2o" else m.Person
    else:
        world = make_saves_cost_world(app, django_user_model, 1)
        sequel = queries_of(app).create_media("movie", "Aliens", year=1986)
        rows, model = [world.movie, sequel], m.Movie
        last = m.Media if app == "owner_o2o" else m.Movie
    data = {
        "action": "delete_selected",
        "_selected_action": [row.pk for row in rows],
        "post": "yes",
    }
    before = row_counts(app)
    with refusing(DELETE, last, skip=1) as seen, pytest.raises(Refused):
        admin_client.post(admin_url(model, "changelist"), data)
    assert_rolled_back(app, seen, before)


# The inventory is complete ------------------------------------------------------


def declared_calls(app: str):
    declared = patterns.module(app)
    domains = [(declared.SAVES, saves_world)]
    if app in patterns.ownership_apps():
        domains.append((declared.OWNERSHIP, ownership_world))
    for domain, world in domains:
        for function, cost in domain.costs.items():
            for situation in cost.queries:
                yield function, situation, world


@pytest.mark.django_db
@pytest.mark.parametrize("app", [pytest.param(a, id=a) for a in patterns.saves_apps()])
def test_every_write_of_several_statements_is_in_the_inventory(app, django_user_model):
    # Every call the costs declare, in its world: those that change rows in
    # more than one statement must each be an entry above.
    several = set()
    for function, situation, build in declared_calls(app):
        with transaction.atomic():
            world = build(app, django_user_model)
            warm_up_content_types()
            with changes_counted() as changed:
                situation.call(world, function)
            transaction.set_rollback(True)
        if len(changed) > 1:
            several.add((function, situation))
    inventory = {
        (write.function, write.situation)
        for write in saves_writes(app)
        + (ownership_writes(app) if app in patterns.ownership_apps() else [])
    }
    declared = {(function, situation) for function, situation, _ in declared_calls(app)}
    by_design = {(f, s) for f, s in BY_DESIGN if f.__module__ == f"{app}.queries"}
    assert several == (inventory | by_design) & declared
