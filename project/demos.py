"""What the site runs against the demo database, always rolled back.

Three things, each the suite's own code run live: every scenario function in
the situations its pattern declares (the pattern pages' SQL), the naive
listing against the optimised one per fetch mode, and the declared probes
that try to corrupt the data ("try to corrupt it"). Each runs inside one
transaction that is rolled back whatever happens, on top of the demo's rows:
the worlds the probes need are built inside it by the suite's own builders
(tests/conftest.py), so nothing a page shows is a copy that could drift.
"""

from __future__ import annotations

import re
import secrets
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import (
    DEFAULT_DB_ALIAS,
    DatabaseError,
    IntegrityError,
    connection,
    connections,
    models,
    transaction,
)
from django.db.models import FETCH_ONE, FETCH_PEERS, Max, ProtectedError
from django.utils.text import slugify

from project.dataset import build_ownership
from tests import patterns
from tests.conftest import (
    default_fetch_mode,
    make_cost_world,
    make_saves_cost_world,
    make_saves_world,
    make_world,
    queries_of,
    real_queries,
    warm_up_content_types,
)


@contextmanager
def rolled_back() -> Iterator[None]:
    """A transaction that never commits: rolled back on the way out, always.
    On SQLite it runs on a private copy of the database (private_copy)."""
    with private_copy() if connection.vendor == "sqlite" else nullcontext():
        with transaction.atomic():
            try:
                yield
            finally:
                transaction.set_rollback(True)


@contextmanager
def private_copy() -> Iterator[None]:
    """This thread's default connection swapped, for the block, for one to a
    private in-memory copy of the database.

    Verdict: on SQLite a demonstration can't share the database with users.
    SQLite has one write lock per database, and a demonstration writes (it
    builds its worlds), so in a transaction on the real file it held that lock
    for its whole run, seconds; a few anonymous page views then made a user's
    Save wait out its timeout and fail (issue 19). The copy is read in one
    read transaction, which in WAL mode blocks no writer, and everything after
    happens in memory. PostgreSQL and MariaDB lock rows, not the database:
    there the rolled-back transaction runs on the real database, and all it
    locks are the rows it inserted itself (tests/test_concurrency.py).

    The debug toolbar's SQL panel records the connections it saw when the
    request began, so it doesn't list the demonstration's queries: the page
    shows them.
    """
    real = connections[DEFAULT_DB_ALIAS]
    source = copy_source(real)
    if source is None:
        yield
        return
    copy = type(real)({**real.settings_dict, "NAME": ":memory:"}, DEFAULT_DB_ALIAS)
    copy.ensure_connection()
    try:
        copy_database(source, copy.connection)
        connections[DEFAULT_DB_ALIAS] = copy
        try:
            yield
        finally:
            connections[DEFAULT_DB_ALIAS] = real
    finally:
        # Not copy.close(): Django keeps an in-memory database open on close,
        # lest its data be lost. This one's data is meant to be.
        copy.connection.close()


def copy_source(real) -> str | None:
    """The URI a second connection reads the database through, or None for a
    private in-memory database, which nobody else can write to or lock."""
    name = str(real.settings_dict["NAME"])
    if name.startswith("file:"):
        # The suite's in-memory database, shared by the connections of one
        # process: readable from another connection, uncommitted rows and all.
        return name if "cache=shared" in name else None
    if name == ":memory:":
        return None
    return f"{Path(name).resolve().as_uri()}?mode=ro"


def copy_database(source: str, into) -> None:
    """Every table, row, index and trigger of `source` into the (empty) main
    database of the raw SQLite connection `into`, read in one transaction."""
    into.execute("PRAGMA foreign_keys = OFF")
    # In the suite, the test's own uncommitted rows, as the page would see.
    into.execute("PRAGMA read_uncommitted = ON")
    into.execute("ATTACH DATABASE ? AS source", [source])
    try:
        # DEFERRED: IMMEDIATE would take the write lock on the source too.
        into.execute("BEGIN DEFERRED")
        schema = into.execute(
            "SELECT type, name, sql FROM source.sqlite_master"
            " WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'"
        ).fetchall()
        tables = [(name, sql) for kind, name, sql in schema if kind == "table"]
        for name, sql in tables:
            into.execute(sql)
            into.execute(f'INSERT INTO main."{name}" SELECT * FROM source."{name}"')
        if into.execute(
            "SELECT 1 FROM source.sqlite_master WHERE name = 'sqlite_sequence'"
        ).fetchone():
            # As the source has them, not as the copied rows left them.
            into.execute("DELETE FROM main.sqlite_sequence")
            into.execute(
                "INSERT INTO main.sqlite_sequence SELECT * FROM source.sqlite_sequence"
            )
        # Triggers after the rows, so that copying fires none.
        for kind, _, sql in schema:
            if kind != "table":
                into.execute(sql)
        into.execute("COMMIT")
    finally:
        if into.in_transaction:
            into.execute("ROLLBACK")
        into.execute("DETACH DATABASE source")
        into.execute("PRAGMA read_uncommitted = OFF")
        into.execute("PRAGMA foreign_keys = ON")


@contextmanager
def captured() -> Iterator[list[str]]:
    """The SQL the block sends, as the database got it, SAVEPOINTs left out
    as the suite counts (real_queries). An execute wrapper, not Django's query
    log: that one keeps the last 9,000 queries of a process, and a long
    demonstration in a long-running DEBUG server passes that."""
    sent: list[dict] = []

    def record(execute, sql, params, many, context):
        try:
            return execute(sql, params, many, context)
        finally:
            cursor = context["cursor"]
            shown = connection.ops.last_executed_query(cursor, sql, params)
            sent.append({"sql": shown if not many else sql})

    queries: list[str] = []
    try:
        with connection.execute_wrapper(record):
            yield queries
    finally:
        # Kept when the block fails too: the SQL the database refused.
        queries += real_queries(SimpleNamespace(captured_queries=sent))


class FreshUsers:
    """Stands in for pytest-django's django_user_model in the suite's world
    builders: the same calls, under names no demo user has, and with no
    password to hash (the world's users never sign in)."""

    def __init__(self) -> None:
        self.objects = self
        self.suffix = secrets.token_hex(4)

    def create_user(self, username: str, password: str | None = None, **extra):
        return get_user_model().objects.create_user(
            f"{username}-{self.suffix}", **extra
        )


def declarations(app: str) -> list[tuple[str, object]]:
    """(domain, declaration) for each domain the pattern models."""
    module = patterns.module(app)
    found = [("ownership", getattr(module, "OWNERSHIP", None))]
    found.append(("saves", module.SAVES))
    return [(domain, declared) for domain, declared in found if declared]


# Scenario functions: the SQL of every declared situation --------------------------


@dataclass
class Call:
    function: str
    domain: str
    situation: str
    declared: int
    sql: list[str]

    @property
    def measured(self) -> int:
        return len(self.sql)


def reloaded(world: SimpleNamespace) -> SimpleNamespace:
    # As tests/test_costs.py measures: every row of the world read afresh, so
    # no call finds an owner or an item already loaded by the one before.
    fresh = {
        name: type(value)._base_manager.get(pk=value.pk)
        for name, value in vars(world).items()
        if isinstance(value, models.Model)
    }
    return SimpleNamespace(**{**vars(world), **fresh})


def scenario_calls(app: str, only: str | None = None) -> list[Call]:
    """Every scenario function of the pattern (or the one named `only`), in
    each situation its declaration names, with the SQL it sent.

    The worlds the costs are declared in (tests/conftest.py, the small size)
    are built on top of the demo's rows; each call runs in a savepoint rolled
    back after it, with the content-type cache warm, as the suite measures.
    """
    calls = []
    with rolled_back():
        warm_up_content_types()
        for domain, declared in declarations(app):
            wanted = {
                function: cost
                for function, cost in declared.costs.items()
                if only is None or function.__name__ == only
            }
            if not wanted:
                continue
            if domain == "ownership":
                world = make_cost_world(app, 1)
            else:
                world = make_saves_cost_world(app, FreshUsers(), 1)
            for function, cost in wanted.items():
                for situation, count in cost.queries_on(connection.vendor).items():
                    fresh = reloaded(world)
                    with transaction.atomic(), captured() as sql:
                        situation.call(fresh, function)
                        transaction.set_rollback(True)
                    calls.append(
                        Call(
                            function.__name__,
                            domain,
                            situation.phrase,
                            patterns.at_size(count, False),
                            sql,
                        )
                    )
    return calls


def scenario_names(app: str) -> list[str]:
    return [
        function.__name__
        for _, declared in declarations(app)
        for function in declared.costs
    ]


# The naive listing against the optimised one -------------------------------------

# Django 6.1 sets a queryset's fetch mode when it is made, from a module-level
# default; the suite swaps that default (default_fetch_mode), which every thread
# of the server reads. One demonstration at a time, so none measures under
# another's mode; a page another thread serves meanwhile may load its lazy
# relations the FETCH_PEERS way, which changes its query count, not its rows.
FETCH_MODE_LOCK = threading.Lock()
MODES = {"FETCH_ONE (Django's default)": FETCH_ONE, "FETCH_PEERS": FETCH_PEERS}
# The suite declares the naive listing at 3 and 30 owners of each kind.
SIZES = (3, 30)


@dataclass
class Listing:
    mode: str
    function: str
    declared: int | None
    sql: list[str]
    same_rows: bool

    @property
    def measured(self) -> int:
        return len(self.sql)


@dataclass
class ListingSize:
    persons: int
    groups: int
    tasks: int
    declared_at: int | None
    listings: list[Listing] = field(default_factory=list)


def owner_counts(q) -> tuple[int, int]:
    # The default managers: where persons and groups share a table
    # (typed_models), only they tell the kinds apart.
    return q.Person._default_manager.count(), q.Group._default_manager.count()


def listing_demo(app: str) -> list[ListingSize]:
    """task_rows_naive() and task_rows() under each fetch mode, on the demo's
    rows as they are, then with owners added up to 30 of each kind."""
    q = queries_of(app)
    declared = patterns.module(app).OWNERSHIP
    naive = {
        FETCH_ONE: declared.naive_fetch_one,
        FETCH_PEERS: declared.naive_fetch_peers,
    }
    optimised = patterns.at_size(
        next(iter(declared.costs[q.task_rows].queries.values())), False
    )
    sizes = []
    with FETCH_MODE_LOCK, rolled_back():
        warm_up_content_types()
        for owners in SIZES:
            persons, groups = owner_counts(q)
            if owners > max(persons, groups):
                # The demo's own builder: owner i and group i, two tasks each.
                build_ownership(q, owners, first=max(persons, groups) + 1)
                persons, groups = owner_counts(q)
            # The suite's sizes, where the rows are the demo's as loaded.
            at = owners if persons == groups == owners else None
            size = ListingSize(persons, groups, len(q.task_rows()), at)
            for label, mode in MODES.items():
                with default_fetch_mode(mode):
                    with captured() as naive_sql:
                        naive_rows = q.task_rows_naive()
                    with captured() as rows_sql:
                        rows = q.task_rows()
                expected = naive[mode][SIZES.index(owners)] if at else None
                size.listings += [
                    Listing(
                        label,
                        "task_rows_naive",
                        expected,
                        naive_sql,
                        naive_rows == rows,
                    ),
                    Listing(label, "task_rows", optimised, rows_sql, True),
                ]
            sizes.append(size)
    return sizes


# Try to corrupt it: the declared probes ------------------------------------------

# The PROTECT variant switches on_delete in Python for the whole process, which
# a server must not do while it serves other requests: the suite measures it.
NOT_LIVE = {
    patterns.PROTECTED_DELETE_OWNER: "It switches Task's owner links to"
    " on_delete=PROTECT in Python, for every request the server is serving at"
    " the time: tests/test_integrity.py measures it, the site doesn't."
}
REFUSED = "refused_by_django"
LABELS = {
    patterns.REJECTED: "rejected",
    patterns.ACCEPTED: "accepted (corrupt)",
    patterns.CASCADED: "cascaded",
    patterns.PROTECTED: "refused by Django",
    patterns.UNREPRESENTABLE: "can't be written",
    REFUSED: "refused by Django",
    "failed": "failed",
}
WAYS = {
    "sql": "raw SQL",
    "update": "update()",
    "bulk_create": "bulk_create()",
    "raw_delete": "raw SQL DELETE",
    "orm_delete": "Model.delete()",
}
# The table a statement writes, however the database quotes its name.
WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+[`"]?([\w.]+)', re.I)


@dataclass
class Row:
    table: str
    pk: object
    state: str  # new, changed, deleted, left pointing at nothing
    values: list[tuple[str, object, bool]]  # column, value, changed


@dataclass
class Attempt:
    case: str
    via: str
    outcome: str
    answer: str = ""
    rows: list[Row] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return LABELS.get(self.outcome, self.outcome)

    @property
    def way(self) -> str:
        return WAYS[self.via]


@dataclass
class Attack:
    slug: str
    domain: str
    rule: patterns.Rule
    verdict: patterns.Verdict
    attempts: list[Attempt] = field(default_factory=list)
    not_live: str = ""

    @property
    def outcome(self) -> str:
        # What this database is declared to answer (MariaDB differs in places).
        return self.verdict.outcome_on(connection.vendor)

    @property
    def declared(self) -> str:
        label = LABELS[self.outcome]
        if self.verdict.refused_by_django:
            label += "; Django refuses it via " + ", ".join(
                self.verdict.refused_by_django
            )
        return label

    def expected(self, attempt: Attempt) -> str:
        if attempt.via in self.verdict.refused_by_django:
            return REFUSED
        return self.outcome

    @property
    def holds(self) -> bool:
        return all(a.outcome == self.expected(a) for a in self.attempts)


def attacks(app: str) -> dict[str, Attack]:
    """slug -> the attack on one rule of the pattern's declared table."""
    found = {}
    for domain, declared in declarations(app):
        for rule, verdict in declared.integrity.items():
            slug = slugify(rule.label)
            found[slug] = Attack(
                slug, domain, rule, verdict, not_live=NOT_LIVE.get(rule, "")
            )
    return found


class Snapshot:
    """The rows of an app's tables that the demonstration made or may touch:
    those past each table's highest id before the world was built."""

    def __init__(self, app: str):
        config = apps.get_app_config(app)
        self.models = {
            m._meta.db_table: m
            for m in [*config.get_models(include_auto_created=True), get_user_model()]
        }
        self.after_id = {
            table: model._base_manager.aggregate(top=Max("pk"))["top"] or 0
            for table, model in self.models.items()
        }

    def rows(self, table: str) -> dict:
        model = self.models[table]
        return {
            row["pk"]: row
            for row in model._base_manager.filter(pk__gt=self.after_id[table]).values(
                "pk", *[f.attname for f in model._meta.concrete_fields]
            )
        }

    def take(self, tables=None) -> dict[str, dict]:
        return {t: self.rows(t) for t in (tables or self.models) if t in self.models}

    def tables(self, sql: list[str]) -> list[str]:
        found = []
        for statement in sql:
            match = WRITE.match(statement)
            if match and match.group(1) in self.models and match.group(1) not in found:
                found.append(match.group(1))
        return found

    def changes(self, before: dict, after: dict) -> list[Row]:
        rows = []
        for table, now in after.items():
            was = before.get(table, {})
            for pk, values in now.items():
                old = was.get(pk)
                if old == values:
                    continue
                state = "new" if old is None else "changed"
                rows.append(Row(table, pk, state, columns(values, old)))
            for pk, values in was.items():
                if pk not in now:
                    rows.append(Row(table, pk, "deleted", columns(values, None)))
        return rows


def columns(values: dict, old: dict | None) -> list[tuple[str, object, bool]]:
    return [
        (name, value, old is not None and old.get(name) != value)
        for name, value in values.items()
        if name != "pk"
    ]


def attempt(
    snapshot: Snapshot,
    before: dict,
    case: str,
    via: str,
    run: Callable,
    dependants: list | None = None,
) -> Attempt:
    """Run one bad write or delete in a savepoint rolled back after it, force
    the checks a commit would run, and say what the database answered: the
    error, or the rows it stored. For a delete, `dependants` are the rows that
    pointed at the deleted one: gone with it (cascaded) or left behind."""
    result = Attempt(case, via, patterns.ACCEPTED)
    with transaction.atomic():
        try:
            with transaction.atomic(), captured() as sql:
                run()
                # Foreign keys are deferred: check them now, as COMMIT would.
                check_constraints(snapshot)
        except ProtectedError as error:  # an IntegrityError, raised before SQL
            result.outcome, result.answer = patterns.PROTECTED, str(error.args[0])
        except IntegrityError as error:
            result.outcome, result.answer = patterns.REJECTED, str(error)
        except DatabaseError as error:
            # Not an outcome the declarations know: shown as it is, not a 500.
            result.outcome, result.answer = "failed", f"{type(error).__name__}: {error}"
        except ValueError as error:
            # bulk_create() of a multi-table child: refused before any SQL.
            result.outcome, result.answer = REFUSED, str(error)
        else:
            written = snapshot.tables(sql)
            result.rows = snapshot.changes(
                {t: before.get(t, {}) for t in written}, snapshot.take(written)
            )
            if dependants is not None:
                judge_delete(result, dependants)
        result.sql = sql
        transaction.set_rollback(True)
    return result


def check_constraints(snapshot: Snapshot) -> None:
    # As the suite's check_deferred_constraints(), on the app's tables only:
    # SQLite checks the tables named (all of them otherwise, the demo's own
    # rows included); PostgreSQL makes every deferred constraint immediate;
    # MariaDB has checked each statement already.
    if connection.features.can_defer_constraint_checks:
        connection.check_constraints(table_names=list(snapshot.models))


def judge_delete(result: Attempt, dependants: list) -> None:
    """A delete went through: did the rows that pointed at its target go too?"""
    left = [row for row in dependants if type(row)._base_manager.filter(pk=row.pk)]
    if not left:
        # result.rows keeps what went: the target and its cascade.
        result.outcome = patterns.CASCADED
        return
    result.rows = [
        Row(
            row._meta.db_table,
            row.pk,
            "left pointing at nothing",
            [
                (f.attname, getattr(row, f.attname), False)
                for f in row._meta.concrete_fields
            ],
        )
        for row in left
    ]


def run_attack(app: str, attack: Attack) -> Attack:
    """Every case and way in of one rule, each rolled back on its own; the
    world the probes need is built once, inside the caller's transaction."""
    verdict, rule = attack.verdict, attack.rule
    if attack.not_live or attack.outcome == patterns.UNREPRESENTABLE:
        return attack
    snapshot = Snapshot(app)
    if attack.domain == "ownership":
        world = make_world(app)
    else:
        world = make_saves_world(app, FreshUsers())
    before = snapshot.take()
    declared = dict(declarations(app))[attack.domain]
    for case in rule.cases:
        if rule in ORM_DELETES or rule in RAW_DELETES:
            target = delete_target(world, attack.domain, case)
            dependants = declared.dependants(world, target)
            # Model.delete(), as the admin's delete does; or the raw probe.
            run = (
                target.delete
                if rule in ORM_DELETES
                else lambda c=case: verdict.probe(world, c)
            )
            way = "orm_delete" if rule in ORM_DELETES else "raw_delete"
            attack.attempts.append(
                attempt(snapshot, before, case, way, run, dependants)
            )
            continue
        for via in patterns.VIAS:
            attack.attempts.append(
                attempt(
                    snapshot,
                    before,
                    case,
                    via,
                    lambda c=case, v=via: verdict.probe(v, world, c),
                )
            )
    return attack


RAW_DELETES = {
    patterns.RAW_DELETE_OWNER,
    patterns.RAW_DELETE_ITEM,
    patterns.RAW_DELETE_USER,
}
ORM_DELETES = {
    patterns.ORM_DELETE_OWNER,
    patterns.ORM_DELETE_ITEM,
    patterns.ORM_DELETE_USER,
}


def delete_target(world, domain: str, case: str):
    # As tests/test_integrity.py deletes: Bob owns one task and created no
    # group, the group owns one; each item has one save, the user's, and the
    # user has one save of each kind.
    if domain == "ownership":
        return world.bob if case == "person" else world.group
    return world.user if case == "user" else getattr(world, case)


def corrupt_demo(app: str, slugs: list[str]) -> list[Attack]:
    chosen = attacks(app)
    with rolled_back():
        warm_up_content_types()
        return [run_attack(app, chosen[slug]) for slug in slugs]
