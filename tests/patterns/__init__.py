"""The vocabulary of the declared tables: what each pattern claims.

Each pattern has a module here (``tests/patterns/<app>.py``) that ends with
``OWNERSHIP`` (an :class:`Ownership`, absent for ``m2m_fields``) and ``SAVES``
(a :class:`Saves`). Above them, the same module defines the probes its
declarations name: functions that write bad data straight to the database, so
every verdict sits next to the SQL that proves it. The shared suite
(``tests/test_*.py``) measures every declared value on every database it runs
on, and ``python manage.py render_docs`` renders the READMEs' tables from the
same declarations: a number can't be documented without being measured.

A cell of the README's matrix is traced in three files: the README row names a
:class:`Rule` (or a cost); the pattern's module maps it to a :class:`Verdict`
holding the probe function itself; the test module that runs verdicts
(``tests/test_integrity.py``, ``tests/test_costs.py``) judges it.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import ModuleType

from django.db import connection, models

from project.patterns import DATABASES as DATABASES  # re-exported for the harness
from project.patterns import OWNERSHIP_APPS, SAVES_APPS

# What the database (or Django) does with a bad write or a delete.
REJECTED = "rejected"  # the database refuses it: IntegrityError
ACCEPTED = "accepted"  # the database stores it: the data is now corrupt
CASCADED = "cascaded"  # the rows that pointed at the deleted row went with it
PROTECTED = "protected"  # Django refuses the delete (ProtectedError), no SQL sent
# The schema has no columns in which to write that state at all. Declared with
# a reason instead of a probe (checked by the suite).
UNREPRESENTABLE = "unrepresentable"

# The three ways in, besides Model.save(): none of them runs Python validation.
VIAS = ("sql", "update", "bulk_create")


# Probes' stand-ins: an id no row has, and a fixed time for rows they write.
MISSING_ID = 10**9
WRITTEN_AT = datetime(2026, 1, 1, tzinfo=UTC)


# Integrity rules -------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """One row of the matrix: a state the data must never reach.

    `cases` are the values the rule distinguishes; a probe is called once per
    case and per way in, so a constraint that holds for one kind but not
    another (or for two items but not three) shows up.
    """

    label: str
    cases: tuple


# The ownership domain. A case names the owner kinds involved.
MISSING_OWNER = Rule("task pointing at a missing owner", ("person", "group"))
BOTH_OWNERS = Rule("task owned by a person and a group", ("person+group",))
NO_OWNER = Rule("task owned by nobody", ("none",))
# A field only one kind has must be NULL-able where kinds share a table.
GROUP_WITHOUT_CREATOR = Rule("group with no creator", ("group",))
RAW_DELETE_OWNER = Rule("owner deleted with raw SQL", ("person", "group"))
ORM_DELETE_OWNER = Rule("owner deleted through the ORM", ("person", "group"))
# The same delete with Task's owner links declared on_delete=PROTECT, as the
# current revision of "Avoid Django's GenericForeignKey" writes Alternatives
# 2-4 (the repo's apps use CASCADE, as its full-code revision does).
PROTECTED_DELETE_OWNER = Rule(
    "owner deleted through the ORM, owner link PROTECT", ("person", "group")
)

# The saves domain. A case names the item kinds involved.
DUPLICATE_SAVE = Rule("second save of the same item", ("movie", "anime", "manga"))
MANY_ITEMS = Rule(
    "save pointing at two or three items",
    ("movie+anime", "movie+manga", "anime+manga", "movie+anime+manga"),
)
NO_ITEM = Rule("save pointing at no item", ("none",))
MISSING_ITEM = Rule("save pointing at a missing item", ("movie", "anime", "manga"))
MEDIA_WITHOUT_ITS_FIELD = Rule(
    "media item without its kind's own field (year, episodes, volumes)",
    ("movie", "anime", "manga"),
)
WRONG_EXTRA = Rule(
    "extra of another kind on a save",
    ("progress on movie", "progress on manga", "watched on anime", "watched on manga"),
)
RAW_DELETE_ITEM = Rule("item deleted with raw SQL", ("movie", "anime", "manga"))
ORM_DELETE_ITEM = Rule("item deleted through the ORM", ("movie", "anime", "manga"))
RAW_DELETE_USER = Rule("user deleted with raw SQL", ("user",))
ORM_DELETE_USER = Rule("user deleted through the ORM", ("user",))

OWNERSHIP_WRITES = (MISSING_OWNER, BOTH_OWNERS, NO_OWNER, GROUP_WITHOUT_CREATOR)
OWNERSHIP_DELETES = (RAW_DELETE_OWNER, ORM_DELETE_OWNER, PROTECTED_DELETE_OWNER)
SAVES_WRITES = (
    DUPLICATE_SAVE,
    MANY_ITEMS,
    NO_ITEM,
    MISSING_ITEM,
    WRONG_EXTRA,
    MEDIA_WITHOUT_ITS_FIELD,
)
SAVES_DELETES = (RAW_DELETE_ITEM, ORM_DELETE_ITEM, RAW_DELETE_USER, ORM_DELETE_USER)


@dataclass(frozen=True)
class Verdict:
    """What one rule's probe gets from the database, on every case and way in.

    `probe` is the function that attempts it: ``probe(via, world, case)`` for
    a write, returning what it wrote (a row count, update()'s count or
    bulk_create()'s list); ``probe(world, case)`` for a raw delete, returning
    the rows deleted. ORM deletes need no probe: the suite calls
    ``Model.delete()`` itself. `refused_by_django` lists the ways in that
    Django itself refuses with a ValueError before any SQL (bulk_create() of
    a multi-table child); `protect` lists the foreign keys that become
    on_delete=PROTECT for PROTECTED_DELETE_OWNER.
    """

    outcome: str
    probe: Callable | None = None
    refused_by_django: tuple[str, ...] = ()
    protect: tuple[models.Field, ...] = ()
    # Why the schema can't even hold the state, for UNREPRESENTABLE.
    because: str = ""
    # Where a database answers otherwise: vendor ("mysql") -> outcome.
    on: dict[str, str] = field(default_factory=dict)

    def outcome_on(self, vendor: str) -> str:
        return self.on.get(vendor, self.outcome)


def unrepresentable(because: str) -> Verdict:
    return Verdict(UNREPRESENTABLE, because=because)


# Costs -----------------------------------------------------------------------


@dataclass(frozen=True)
class Situation:
    """A standard call of a scenario function, in a world the suite builds.

    `call(world, function)` makes the call; `phrase` completes "N queries
    ...", e.g. "for a group", and is empty where one situation is all there
    is. Every pattern is measured in the same situations, so counts compare.
    """

    phrase: str
    call: Callable

    def __repr__(self) -> str:
        return f"Situation({self.phrase!r})"


@dataclass(frozen=True)
class Cost:
    """Queries one call costs, per situation, in a small world and in one with
    ten times the rows: an int where both agree, a (small, large) pair where
    the count grows with the data. `cold` is the count with Django's
    content-type cache empty (a process's first request), where it differs.
    """

    queries: dict[Situation, int | tuple[int, int]]
    cold: dict[Situation, int] | None = None
    # Where a database costs otherwise: vendor ("mysql") -> {situation: count}.
    on: dict[str, dict[Situation, int | tuple[int, int]]] = field(default_factory=dict)

    def queries_on(self, vendor: str) -> dict[Situation, int | tuple[int, int]]:
        return {**self.queries, **self.on.get(vendor, {})}

    def cold_queries(
        self, vendor: str | None = None
    ) -> dict[Situation, int | tuple[int, int]]:
        warm = self.queries if vendor is None else self.queries_on(vendor)
        return {**warm, **(self.cold or {})}


def cost(
    queries,
    *situations: Situation,
    cold: int | dict | None = None,
    on: dict | None = None,
) -> Cost:
    """cost(1, A_NAME) for one count in every listed situation, or
    cost({A_GROUP: 2, A_PERSON: 3}) for one per situation; `cold` likewise;
    `on={"mysql": {A_CREATOR: 7}}` where a database differs."""
    if not isinstance(queries, dict):
        queries = dict.fromkeys(situations, queries)
    if cold is not None and not isinstance(cold, dict):
        cold = dict.fromkeys(queries, cold)
    for vendor, counts in (on or {}).items():
        assert vendor in DATABASES and set(counts) <= set(queries), vendor
        # A cold count overrides every database's: it can't also differ.
        assert not set(counts) & set(cold or {}), vendor
    return Cost(queries, cold, on or {})


def at_size(count: int | tuple[int, int], large: bool) -> int:
    if isinstance(count, tuple):
        return count[large]
    return count


def queries_phrase(n: int) -> str:
    if n == 0:
        return "No query"
    return f"{n} query" if n == 1 else f"{n} queries"


def cost_phrase(queries: dict) -> str:
    """How a queries.py comment opens: the declared count, in words.

    "1 query", "No query", "2 queries for a group, 3 for a person", and for
    a count that grows: "4 queries (13 with ten times the rows)".
    """

    def counted(count, first):
        small, large = (count, count) if isinstance(count, int) else count
        text = queries_phrase(small) if first else str(small)
        if large != small:
            text += f" ({large} with ten times the rows)"
        return text

    counts = list(queries.values())
    if all(count == counts[0] for count in counts):
        return counted(counts[0], first=True)
    return ", ".join(
        f"{counted(count, first=n == 0)} {situation.phrase}"
        for n, (situation, count) in enumerate(queries.items())
    )


# The situations of the ownership domain (worlds: tests/conftest.py).
A_NAME = Situation("", lambda w, f: f("Zed"))
TWO_NAMES = Situation("for two names", lambda w, f: f(["Zed", "Zoe"]))
A_GROUP_NAME = Situation("", lambda w, f: f("Zeds", w.alice))
FIRST_TASK = Situation("for an owner's first task", lambda w, f: f("New", w.carol))
LATER_TASK = Situation("for a later one", lambda w, f: f("New", w.bob))
# The suite loads the world's rows afresh before each call: nothing cached.
OF_A_PERSONS_TASK = Situation("for a person's task", lambda w, f: f(w.bob_task))
OF_A_GROUPS_TASK = Situation("for a group's", lambda w, f: f(w.group_task))
EVERY_TASK = Situation("", lambda w, f: f())
FIRST_PAGE = Situation("", lambda w, f: f(1, 10))
BOBS = Situation("", lambda w, f: f(w.bob))
ALICES_GROUPS = Situation("", lambda w, f: f(w.alice))
A_GROUP = Situation("for a group", lambda w, f: f(w.group))
A_PERSON = Situation("for a person", lambda w, f: f(w.bob))
A_CREATOR = Situation("for a person who created groups", lambda w, f: f(w.alice))

# The situations of the saves domain.
A_MANGA = Situation("", lambda w, f: f("manga", "Akira", volumes=6))
AN_ANIME = Situation("", lambda w, f: f("anime", w.anime.pk))
MOVIES = Situation("", lambda w, f: f("movie"))
NEW_ITEM = Situation("for an item nobody saved yet", lambda w, f: f(w.user, w.unsaved))
NEW_SAVE = Situation("for a new save", lambda w, f: f(w.user, w.others))
ALREADY_SAVED = Situation("when already saved", lambda w, f: f(w.user, w.movie))
SAVED = Situation("when saved", lambda w, f: f(w.user, w.movie))
NOT_SAVED = Situation("when not saved", lambda w, f: f(w.user, w.unsaved))
FEED_PAGE = Situation("", lambda w, f: f(w.user, 1, 10))
USERS_SAVES = Situation("", lambda w, f: f(w.user))
PROGRESS = Situation("", lambda w, f: f(w.user, w.anime, 3))
ANIME_SAVE = Situation("", lambda w, f: f(w.user, w.anime))
WATCHED = Situation("", lambda w, f: f(w.user, w.movie, True))
A_SAVED_ITEM = Situation("once saved", lambda w, f: f(w.movie))
AN_UNSAVED_ITEM = Situation("before", lambda w, f: f(w.unsaved))


@dataclass(frozen=True)
class Admin:
    """An admin page's queries: its changelist at two sizes, and its add form.

    `changelist` is an int when the count is the same for a few rows and a
    page full of them; `cold` as for Cost.
    """

    changelist: int
    # None where the page has no add form (a read-only list).
    add_form: int | None
    cold_changelist: int | None = None


# The declarations ------------------------------------------------------------


@dataclass(frozen=True)
class Ownership:
    # Scenario function -> its cost, for every public function in queries.py.
    costs: dict[Callable, Cost]
    # task_rows_naive() at 3 and at 30 owners of each kind, under Django 6.1's
    # default fetch mode (FETCH_ONE) and under FETCH_PEERS.
    naive_fetch_one: tuple[int, int]
    naive_fetch_peers: tuple[int, int]
    # Every admin page of the domain's models: model -> its queries.
    admin: dict[type[models.Model], Admin]
    # Tables and columns the domain's data lives in, as the database has them.
    tables: int
    columns: int
    # Rule -> verdict, for every rule of OWNERSHIP_WRITES and OWNERSHIP_DELETES.
    integrity: dict[Rule, Verdict]
    # The rows that point at an owner: (world, owner) -> list of tasks. The
    # delete judge reads them before the delete and looks for them after.
    dependants: Callable
    # world -> an unsaved task (or the row it hangs on) that full_clean() must
    # refuse; and world -> (model, POST data) that its admin add form must
    # refuse as a form error, not a 500.
    invalid: Callable
    admin_bad_add: Callable


@dataclass(frozen=True)
class Saves:
    costs: dict[Callable, Cost]
    # False where the schema has no saved-at time to order by (plain M2M).
    feed_newest_first: bool
    # How the feed orders saves made at the same moment: one of FEED_TIES.
    feed_ties: str
    # False where the schema has nowhere to keep per-type extras.
    extras: bool
    admin: dict[type[models.Model], Admin]
    tables: int
    columns: int
    integrity: dict[Rule, Verdict]
    # (world, item or user) -> list of the save rows that point at it.
    dependants: Callable
    # As for Ownership; admin_bad_add is None where saves have no admin form.
    invalid: Callable
    admin_bad_add: Callable | None


# How a feed breaks ties between saves of the same moment.
FEED_TIES = {
    "in the order saved": "the save row's id: one table, one sequence",
    "by kind, then the order saved": "three tables, three id sequences",
    "by title": "no saved-at time at all: the feed is alphabetical",
}


# Shared probe helpers ----------------------------------------------------------


def insert(model: type[models.Model], **columns) -> int:
    """INSERT one row in raw SQL: no save(), no validation, no defaults but the
    database's own. Column names as the table has them (owner_id). Returns
    the new row's primary key."""
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    if columns:
        names = ", ".join(quote(name) for name in columns)
        values = f"({names}) VALUES ({', '.join(['%s'] * len(columns))})"
    else:
        # A row of defaults only: a table whose one column is its id.
        values = "() VALUES ()" if connection.vendor == "mysql" else "DEFAULT VALUES"
    sql = f"INSERT INTO {table} {values}"
    with connection.cursor() as cursor:
        if connection.features.can_return_columns_from_insert:
            cursor.execute(
                f"{sql} RETURNING {quote(model._meta.pk.column)}", [*columns.values()]
            )
            return cursor.fetchone()[0]
        cursor.execute(sql, list(columns.values()))
        return cursor.lastrowid


def delete_row(model: type[models.Model], pk) -> int:
    """DELETE one row in raw SQL: no collector, so no cascade but the database's."""
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {quote(model._meta.db_table)}"
            f" WHERE {quote(model._meta.pk.column)} = %s",
            [pk],
        )
        return cursor.rowcount


def write(via: str, model: type[models.Model], row: dict, change) -> int | list:
    """The usual bad write: `row` as a new row (raw SQL or bulk_create()), or
    `change` = (queryset, values) applied to existing rows with update()."""
    if via == "sql":
        return insert(model, **row)
    if via == "bulk_create":
        return model.objects.bulk_create([model(**row)])
    queryset, values = change
    return queryset.update(**values)


# Registry ----------------------------------------------------------------------


def module(app: str) -> ModuleType:
    return importlib.import_module(f"tests.patterns.{app}")


def ownership_apps() -> list[str]:
    return list(OWNERSHIP_APPS)


def saves_apps() -> list[str]:
    return list(SAVES_APPS)
