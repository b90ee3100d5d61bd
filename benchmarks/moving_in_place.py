"""The in-place route off a GFK, timed on PostgreSQL: the GFK's own table changed.

    scripts/with-postgres .venv/bin/python -m benchmarks.moving_in_place --into DIR

benchmarks/moving.py builds the new tables beside the GFK's. A project that
keeps its task table changes it instead, into check_constraint's shape, in
the order a live site can take. This runs that order, as SQL, on
gfk_baseline's task table at each of benchmarks/moving.py's SIZES, loaded and
broken as that benchmark breaks it, and records every step's time and the
table locks it held: read by the step's own connection before it commits
(so a lock held for a millisecond is not missed) and by a second one
polling, which also times them. PostgreSQL only: SQLite can't add a
constraint to a table without rebuilding it, which docs/adding-a-type.md
measures. Results go into DIR/results.json under "in_place".
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from benchmarks import runs
from benchmarks.moving import BATCH, SIZES, migrate_then, step_env

TABLE = "gfk_baseline_task"
# Where a step's own locks are read: the table and those its keys point at.
OWN_TABLES = [TABLE, "gfk_baseline_person", "gfk_baseline_group"]
# The rule check_constraint's Task holds, on the new columns; and NOT NULL,
# which a CHECK must say itself (NULL = 'person' is NULL, and a CHECK lets
# NULL through) for SET NOT NULL to trust it instead of scanning the table.
CHECK = (
    "owner_kind IS NOT NULL AND ("
    "(owner_kind = 'person' AND owner_person_id IS NOT NULL"
    " AND owner_group_id IS NULL)"
    " OR (owner_kind = 'group' AND owner_group_id IS NOT NULL"
    " AND owner_person_id IS NULL))"
)


# How a step's statements run: all in one transaction, each in its own, or
# outside any (CREATE INDEX CONCURRENTLY can't run in one).
ONE, EACH, NONE = "one transaction", "a transaction each", "no transaction"


def steps() -> list[tuple[str, str, list[str], str]]:
    """(key, what a team deploys, statements, how they run), in order."""
    fk = (
        "ALTER TABLE {t} ADD CONSTRAINT {t}_{col}_fk FOREIGN KEY ({col})"
        " REFERENCES {ref} (id) DEFERRABLE INITIALLY DEFERRED NOT VALID"
    )
    return [
        (
            "add_columns",
            "the new columns, nullable, and their foreign keys NOT VALID",
            [
                f"ALTER TABLE {TABLE} ADD COLUMN owner_kind varchar(10) NULL,"
                " ADD COLUMN owner_person_id bigint NULL,"
                " ADD COLUMN owner_group_id bigint NULL",
                fk.format(t=TABLE, col="owner_person_id", ref="gfk_baseline_person"),
                fk.format(t=TABLE, col="owner_group_id", ref="gfk_baseline_group"),
            ],
            ONE,
        ),
        (
            "index",
            "indexes on the new foreign keys, CONCURRENTLY",
            [
                f"CREATE INDEX CONCURRENTLY {TABLE}_owner_person_idx"
                f" ON {TABLE} (owner_person_id)",
                f"CREATE INDEX CONCURRENTLY {TABLE}_owner_group_idx"
                f" ON {TABLE} (owner_group_id)",
            ],
            NONE,
        ),
        (
            "check_not_valid",
            "once every write fills the new columns (dual writes): the CHECK,"
            " NOT VALID, so it holds for new rows from here on",
            [
                f"ALTER TABLE {TABLE} ADD CONSTRAINT {TABLE}_owner_kind"
                f" CHECK ({CHECK}) NOT VALID"
            ],
            ONE,
        ),
        ("backfill", "the backfill, in batches", [], EACH),
        (
            "validate",
            "VALIDATE each constraint, over every row",
            [
                f"ALTER TABLE {TABLE} VALIDATE CONSTRAINT {TABLE}_owner_person_id_fk",
                f"ALTER TABLE {TABLE} VALIDATE CONSTRAINT {TABLE}_owner_group_id_fk",
                f"ALTER TABLE {TABLE} VALIDATE CONSTRAINT {TABLE}_owner_kind",
            ],
            EACH,
        ),
        (
            "not_null",
            "owner_kind NOT NULL, which the valid CHECK implies",
            [f"ALTER TABLE {TABLE} ALTER COLUMN owner_kind SET NOT NULL"],
            ONE,
        ),
        (
            "drop",
            "after reads have switched: the GFK's columns dropped",
            [f"ALTER TABLE {TABLE} DROP COLUMN owner_type_id, DROP COLUMN owner_id"],
            ONE,
        ),
    ]


def backfill(person: int, group: int) -> dict:
    """Fill the new columns batch by batch; set aside what can't be filled."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {TABLE}")
        (last,) = cursor.fetchone()
    batches, times = 0, []
    for start in range(0, last, BATCH):
        began = time.perf_counter()
        bounds = [start, start + BATCH]
        with transaction.atomic(), connection.cursor() as cursor:
            for kind, type_id, column, owners in (
                ("person", person, "owner_person_id", "gfk_baseline_person"),
                ("group", group, "owner_group_id", "gfk_baseline_group"),
            ):
                cursor.execute(
                    f"UPDATE {TABLE} t SET owner_kind = %s, {column} = t.owner_id"
                    " WHERE t.id > %s AND t.id <= %s AND t.owner_type_id = %s"
                    f" AND EXISTS (SELECT 1 FROM {owners} o WHERE o.id = t.owner_id)",
                    [kind, *bounds, type_id],
                )
            # What no kind could take: into the report, then out of the table.
            cursor.execute(
                "INSERT INTO off_gfk_setaside"
                " (target, source_table, source_id, reason, detail, row, set_aside_at)"
                " SELECT 'check_constraint, in place', %s, id,"
                " CASE WHEN owner_type_id IN (%s, %s) THEN 'dangling'"
                " ELSE 'not_a_target_kind' END, 'no owner of a target kind',"
                " json_build_object('id', id, 'description', description,"
                " 'owner_type_id', owner_type_id, 'owner_id', owner_id), now()"
                f" FROM {TABLE} WHERE id > %s AND id <= %s AND owner_kind IS NULL"
                " ON CONFLICT DO NOTHING",
                [TABLE, person, group, *bounds],
            )
            cursor.execute(
                f"DELETE FROM {TABLE}"
                " WHERE id > %s AND id <= %s AND owner_kind IS NULL",
                bounds,
            )
        batches += 1
        times.append(time.perf_counter() - began)
    return {
        "batches": batches,
        "batch_median": sorted(times)[len(times) // 2],
        "batch_max": max(times),
    }


def step(tasks: int) -> dict:
    from benchmarks.adding_step import load, own_locks, setup

    setup()
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection, transaction

    from benchmarks.moving import plant, watched
    from gfk_baseline import models as gfk
    from off_gfk.models import SetAside

    loaded = load("gfk_baseline", tasks)
    plant()
    ct = ContentType.objects.get_for_models(gfk.Person, gfk.Group)
    person, group = ct[gfk.Person].pk, ct[gfk.Group].pk
    results = []
    for key, what, statements, how in steps():
        held: list[str] = []

        def work(key=key, statements=statements, how=how, held=held):
            if key == "backfill":
                return backfill(person, group)
            if how == NONE:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
                return None
            groups = [statements] if how == ONE else [[sql] for sql in statements]
            notices: list[str] = []

            def heard(notice):
                notices.append(notice.message_primary)

            connection.connection.add_notice_handler(heard)
            for group_of in groups:
                # Read before the commit: the locks this transaction holds.
                with transaction.atomic(), connection.cursor() as cursor:
                    # PostgreSQL says at DEBUG1 when a constraint spares it
                    # a scan ("... sufficient to prove ...").
                    cursor.execute("SET LOCAL client_min_messages = debug1")
                    for sql in group_of:
                        cursor.execute(sql)
                        held.extend(own_locks(OWN_TABLES))
            connection.connection.remove_notice_handler(heard)
            return {
                "proved_without_scan": any("sufficient to prove" in n for n in notices)
            }

        result = watched(work)
        extra = result.pop("value") or {}
        for lock in held:
            table, mode = lock.split()
            result["locks"].setdefault(table, {}).setdefault(mode, 0.0)
        results.append(
            {
                "key": key,
                "what": what,
                "statements": statements,
                "runs_in": how,
                **result,
                **extra,
            }
        )
    return {
        "tasks": tasks,
        "load_seconds": loaded["seconds"],
        "rows_after": gfk.Task.objects.count(),
        "set_aside": SetAside.objects.count(),
        "steps": results,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, nargs="*", default=SIZES)
    parser.add_argument("--into", type=Path, required=True)
    args = parser.parse_args(argv)
    if runs.vendor() != "postgresql":
        raise SystemExit("PostgreSQL only: run it under scripts/with-postgres")
    path, results = runs.results_file(args.into, "moving")
    results = results or {"runs": {}, "moves": {}}
    record = runs.Record("benchmarks.moving_in_place", argv)
    for tasks in args.tasks:
        print(f"moving off a GFK in place on postgresql at {tasks} tasks")
        url = runs.fresh_postgres_database("moving_in_place")
        step = ["benchmarks.moving_in_place", "step", str(tasks)]
        results.setdefault("in_place", {})[str(tasks)] = runs.run_steps(
            migrate_then(step), step_env(url)
        )
        runs.drop_postgres_database("moving_in_place")
    results["in_place_run"] = record.done(tasks=args.tasks)
    runs.write(path, results)


if __name__ == "__main__":
    if sys.argv[1:2] == ["step"]:
        print(json.dumps(step(int(sys.argv[2]))))
    else:
        main()
