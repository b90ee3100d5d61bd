"""The steps of an add-a-type run that happen inside the scratch copy.

`benchmarks/adding.py` runs these with the scratch copy as the working
directory, so they import its code: the old models for `load`, the patched
ones for `migrate`. Each prints one JSON object on its last line.

    python -m benchmarks.adding_step load APP TASKS
    python -m benchmarks.adding_step migrate APP

`load` fills the app's migrated tables with the benchmark dataset (the same
set-based loaders as the timings, so a hundred thousand rows take seconds).
`migrate` applies the patch's migrations and watches them: every statement
with its time; on SQLite the tables rebuilt (Django copies a table into a
`new__` one to change what ALTER TABLE can't); on PostgreSQL the tables
rewritten (a new relfilenode) and every lock held on a table that existed
before (the app's, auth_user, ...), read from pg_locks: inside a transaction
by the migrating connection itself after each statement, and by a second
connection polling throughout, which also sees the locks of statements run
outside a transaction (a non-atomic migration) and how long each lock was
held.
"""

from __future__ import annotations

import json
import os
import re
import sys
import threading
import time


def setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    # Signs nothing: these steps serve no request.
    os.environ.setdefault("DJANGO_SECRET_KEY", "add-a-type-run-signs-nothing")
    import django

    django.setup()


def app_tables(app: str) -> list[str]:
    from django.db import connection

    return sorted(
        name
        for name in connection.introspection.table_names()
        if name.startswith(f"{app}_")
    )


def row_counts(tables: list[str]) -> dict[str, int]:
    from django.db import connection

    counts = {}
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")
            counts[table] = cursor.fetchone()[0]
    return counts


def load(app: str, tasks: int) -> dict:
    from benchmarks import databases, loading
    from benchmarks import patterns as benchmark_patterns
    from benchmarks.dataset import Dataset
    from project.patterns import OWNERSHIP_APPS

    ds, db = Dataset(tasks), databases.current()
    bench = benchmark_patterns.module(app)
    start = time.perf_counter()
    loading.load_users(ds, db)
    # The tables as the migrations made them, rebuilt empty from the same
    # models (makemigrations --check keeps the two equal) and bulk-loaded.
    deferred = loading.recreate_tables(app, bare=True)
    tables = [model._meta.db_table for model in loading.app_models(app)]
    loading.start_load()
    if app in OWNERSHIP_APPS:
        bench.load_ownership(ds, db)
    bench.load_saves(ds, db)
    loading.finish_load(deferred, tables)
    db.analyze(tables)
    return {
        "seconds": time.perf_counter() - start,
        "rows": row_counts(app_tables(app)),
    }


# Table locks only: a relation extension lock (locktype 'extend', taken for
# a moment whenever an INSERT grows a table's file) names the table too, in
# mode ExclusiveLock, and blocks no one's reads or writes.
LOCKS_SQL = """
    SELECT c.relname, l.mode FROM pg_locks l JOIN pg_class c ON c.oid = l.relation
    WHERE l.pid = %s AND l.granted AND l.locktype = 'relation'
    AND c.relname = ANY(%s)
"""
# PostgreSQL's table lock modes, weakest first.
LOCK_MODES = [
    "AccessShareLock",
    "RowShareLock",
    "RowExclusiveLock",
    "ShareUpdateExclusiveLock",
    "ShareLock",
    "ShareRowExclusiveLock",
    "ExclusiveLock",
    "AccessExclusiveLock",
]


class LockWatcher(threading.Thread):
    """Polls pg_locks from its own connection for one backend's table locks.

    Records, per (table, mode), the time it was first and last seen held.
    """

    def __init__(self, pid: int, tables: list[str]) -> None:
        super().__init__(daemon=True)
        self.pid, self.tables = pid, tables
        self.seen: dict[tuple[str, str], list[float]] = {}
        self.polls = 0
        self.stopping = threading.Event()

    def run(self) -> None:
        import psycopg
        from django.db import connection

        settings = connection.settings_dict
        with psycopg.connect(
            host=settings["HOST"],
            port=settings["PORT"] or None,
            user=settings["USER"],
            password=settings["PASSWORD"] or None,
            dbname=settings["NAME"],
            autocommit=True,
        ) as watcher:
            while not self.stopping.is_set():
                rows = watcher.execute(LOCKS_SQL, [self.pid, self.tables]).fetchall()
                now = time.perf_counter()
                self.polls += 1
                for table, mode in rows:
                    self.seen.setdefault((table, mode), [now, now])[1] = now
                time.sleep(0.0005)


def own_locks(tables: list[str]) -> list[str]:
    """The table locks this connection holds now, as "table Mode" strings."""
    from django.db import connection

    with connection.connection.cursor() as raw:
        raw.execute(LOCKS_SQL, [connection.connection.info.backend_pid, tables])
        return sorted({f"{table} {mode}" for table, mode in raw.fetchall()})


def migrate(app: str) -> dict:
    from django.core.management import call_command
    from django.db import connection

    existing = app_tables(app)
    before_rows = row_counts(existing)
    # Locks matter on every table that already exists, the app's or not: a
    # new table's foreign key to auth_user locks auth_user too.
    with connection.cursor() as cursor:
        watched = sorted(connection.introspection.table_names(cursor))
    postgres = connection.vendor == "postgresql"
    statements: list[dict] = []
    nodes_before = relfilenodes(existing) if postgres else {}

    def watch(execute, sql, params, many, context):
        start = time.perf_counter()
        result = execute(sql, params, many, context)
        entry = {"sql": sql, "seconds": time.perf_counter() - start}
        if postgres and not connection.get_autocommit():
            # Inside the migration's transaction: every lock it holds so far.
            entry["locks_held"] = own_locks(watched)
        # The schema's and the data's changes; not Django's reads of its own
        # bookkeeping (django_migrations, content types, permissions).
        if not sql.lstrip().upper().startswith("SELECT") and f'"{app}_' in sql:
            statements.append(entry)
        return result

    watcher = None
    connection.ensure_connection()
    if postgres:
        watcher = LockWatcher(connection.connection.info.backend_pid, watched)
        watcher.start()
        time.sleep(0.05)
    start = time.perf_counter()
    with connection.execute_wrapper(watch):
        call_command("migrate", app, verbosity=0, interactive=False)
    seconds = time.perf_counter() - start
    locks = {}
    if watcher:
        watcher.stopping.set()
        watcher.join()
        for (table, mode), (first, last) in watcher.seen.items():
            locks.setdefault(table, {})[mode] = {
                "first": first - start,
                "held_seconds": last - first,
            }
    in_transaction = {
        lock for entry in statements for lock in entry.get("locks_held", ())
    }
    for lock in in_transaction:
        table, mode = lock.split()
        locks.setdefault(table, {}).setdefault(
            mode, {"first": None, "held_seconds": None}
        )
    rebuilt = sorted(
        {
            match.group(1)
            for entry in statements
            for match in re.finditer(r'CREATE TABLE "new__(\w+)"', entry["sql"])
            if match.group(1) in existing
        }
    )
    nodes_after = relfilenodes(existing) if postgres else {}
    rewritten = sorted(
        table for table in existing if nodes_before.get(table) != nodes_after.get(table)
    )
    return {
        "seconds": seconds,
        "statements": statements,
        "rows_before": before_rows,
        "rows_after": row_counts([t for t in existing if t in app_tables(app)]),
        "tables_after": app_tables(app),
        "rebuilt": rebuilt if connection.vendor == "sqlite" else rewritten,
        "locks": locks,
        "locked_in_transaction": sorted(in_transaction),
        "lock_polls": watcher.polls if watcher else 0,
        "vendor": connection.vendor,
    }


def relfilenodes(tables: list[str]) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, relfilenode FROM pg_class WHERE relname = ANY(%s)"
            " AND relkind = 'r'",
            [tables],
        )
        return dict(cursor.fetchall())


def main(argv: list[str]) -> None:
    setup()
    step, app, *rest = argv
    result = load(app, int(rest[0])) if step == "load" else migrate(app)
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1:])
