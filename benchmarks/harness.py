"""Timing one prepared operation: exact counts, plans, then repeated timed runs.

Order per measurement:

1. a counted run, which is also the warm-up: every statement counted through
   connection.execute_wrapper (exact at any size; Django's query log stops at
   9,000), every model instance counted through post_init, and the result
   compared with the dataset's answer;
2. where plans are kept, a planned run inside a transaction that is rolled
   back: each statement is EXPLAINed (ANALYZE, BUFFERS on PostgreSQL, inside
   a savepoint when it writes) just before it runs for real;
3. timed runs, with nothing wrapped, the garbage collector off, and any
   setup (a victim to delete) done before the clock starts. At least
   `min_runs`, then more until `budget` seconds are spent or `max_runs`.
   A call over `slow` seconds counts its first run as a sample too; one over
   `too_slow` is run once.
"""

from __future__ import annotations

import gc
import statistics
import time
from contextlib import contextmanager
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.models.signals import post_init

from benchmarks.databases import Dialect
from benchmarks.operations import Prepared


class WrongResult(AssertionError):
    pass


@dataclass(frozen=True)
class Repeats:
    min_runs: int = 5
    max_runs: int = 50
    budget: float = 0.5
    # A call slower than `slow` needs no warm-up of its own: its counted run
    # is a sample too (the wrappers cost microseconds per query and object).
    slow: float = 1.0
    # A call slower than this is timed once (its counted run) and not
    # repeated: the grid must finish, and such a figure speaks for itself.
    too_slow: float = 15.0


# Transaction bookkeeping, not reads or writes: the suite leaves savepoints
# out of its counts too, and SQLite alone sends BEGIN as a statement (Django
# starts its atomic blocks that way there), which would make the same call
# cost one more query on SQLite than on PostgreSQL.
BOOKKEEPING = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT", "BEGIN")


class Counts:
    def __init__(self) -> None:
        self.queries = 0
        self.bookkeeping = 0
        self.instances = 0

    def __call__(self, execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(BOOKKEEPING):
            self.bookkeeping += 1
        else:
            self.queries += 1
        return execute(sql, params, many, context)

    def instance(self, **kwargs) -> None:
        self.instances += 1


@contextmanager
def counting():
    counts = Counts()
    post_init.connect(counts.instance, weak=False, dispatch_uid="benchmark-count")
    try:
        with connection.execute_wrapper(counts):
            yield counts
    finally:
        post_init.disconnect(dispatch_uid="benchmark-count")


class Explainer:
    def __init__(self, db: Dialect) -> None:
        self.db = db
        self.plans: list[dict] = []
        # One plan per statement shape: a loop of a thousand create() calls
        # (mti's bulk route) or of per-row deletes has one plan, run N times.
        self.by_shape: dict[str, dict] = {}

    def __call__(self, execute, sql, params, many, context):
        # "(SELECT ...) UNION ALL (SELECT ...)" on PostgreSQL starts with "(".
        statement = sql.lstrip("( \n").split(None, 1)[0].upper()
        known = self.by_shape.get(sql)
        if known is not None:
            known["times"] += 1
        elif not many and statement in {"SELECT", "INSERT", "UPDATE", "DELETE", "WITH"}:
            # The backend's own cursor: this EXPLAIN is not counted or wrapped.
            raw = context["cursor"].cursor
            writes = statement != "SELECT" and self.db.explain_executes
            if writes:
                # EXPLAIN ANALYZE runs the statement: undo it, then run it.
                raw.execute("SAVEPOINT benchmark_explain")
            plan = self.db.explain(raw, sql, params)
            if writes:
                raw.execute("ROLLBACK TO SAVEPOINT benchmark_explain")
                raw.execute("RELEASE SAVEPOINT benchmark_explain")
            entry = {"sql": self.db.render(sql, params), "plan": plan, "times": 1}
            self.by_shape[sql] = entry
            self.plans.append(entry)
        return execute(sql, params, many, context)


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    if len(ordered) >= 2:
        q1, _, q3 = statistics.quantiles(ordered, n=4, method="inclusive")
    else:
        q1 = q3 = ordered[0]
    return {
        "median": statistics.median(ordered),
        "q1": q1,
        "q3": q3,
        "min": ordered[0],
        "max": ordered[-1],
        "runs": len(ordered),
        "samples": ordered,
    }


def measure(prepared: Prepared, db: Dialect, repeats: Repeats, plans: bool) -> dict:
    argument = prepared.setup()
    with counting() as counts:
        start = time.perf_counter()
        result = prepared.call(argument)
        first = time.perf_counter() - start
    problem = prepared.verify(argument, result)
    if problem:
        raise WrongResult(problem)
    prepared.teardown(argument, result)
    if prepared.expected is not None:
        got = prepared.normalise(result)
        if got != prepared.expected:
            raise WrongResult(f"expected {prepared.expected!r:.300}, got {got!r:.300}")

    explainer = Explainer(db)
    pending = []
    if first > repeats.too_slow:
        return {
            **summary([first]),
            "queries": counts.queries,
            "bookkeeping": counts.bookkeeping,
            "instances": counts.instances,
            "plans": [],
            "too_slow": True,
        }
    if plans:
        argument = prepared.setup()
        pk = getattr(argument, "pk", None)
        with transaction.atomic():
            with connection.execute_wrapper(explainer):
                prepared.call(argument)
            transaction.set_rollback(True)
        # Rolled back: what the planned run consumed is there again, but a
        # deleted instance has lost its pk, so the next run reads it afresh.
        if isinstance(argument, models.Model):
            argument = type(argument)._base_manager.get(pk=pk)
        pending.append(argument)

    # One collection up front, none during a run (the worker froze the
    # long-lived objects, so it is cheap).
    gc.collect()
    samples: list[float] = [first] if first > repeats.slow else []
    while len(samples) < repeats.min_runs or (
        sum(samples) < repeats.budget and len(samples) < repeats.max_runs
    ):
        argument = pending.pop() if pending else prepared.setup()
        gc.disable()
        try:
            start = time.perf_counter()
            result = prepared.call(argument)
            samples.append(time.perf_counter() - start)
        finally:
            gc.enable()
        prepared.teardown(argument, result)
    return {
        **summary(samples),
        "queries": counts.queries,
        "bookkeeping": counts.bookkeeping,
        "instances": counts.instances,
        "plans": explainer.plans,
    }
