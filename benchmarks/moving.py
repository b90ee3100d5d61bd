"""Moving off a GFK, timed: off_gfk's move at size, step by step, with its locks.

    .venv/bin/python -m benchmarks.moving [--tasks 100003 1000003] [--targets ...]
    scripts/with-postgres .venv/bin/python -m benchmarks.moving --into DIR
    .venv/bin/python -m benchmarks.moving --render DIR/results.json

For each size and each target (check_constraint, linked_models), on a fresh
database (a file for SQLite; a database of its own on DATABASE_URL's server
for PostgreSQL), in a process of its own (`python -m benchmarks.moving step`):

1. everything migrated but the target, whose tables don't exist yet;
   gfk_baseline filled with the benchmark dataset at that many tasks and as
   many saves (benchmarks/dataset.py), then broken the way GFK tables break:
   one person in a hundred (none who created a group) and one movie in a
   hundred deleted with raw SQL, one task in a thousand pointed at a movie,
   one movie save in a thousand given an episode progress;
2. the steps a live site takes, each timed and, on PostgreSQL, watched for
   the table locks it holds (benchmarks/adding_step.py's watcher):
   `migrate <target>` (the new tables), the backfill (`off_gfk` `move()`, in
   batches of 1,000, each batch timed), the check (every source row moved
   or set aside, and the set-aside counts equal to what SQL counts in the
   source independently), and the drop of the GFK's two tables.

Results go to benchmarks/results/<date>-moving/results.json; `--into` adds
this database's runs to an existing one. docs/moving-off-a-gfk.md is
rendered from the newest run, and tests/test_moving_off_gfk.py checks both.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

from benchmarks import runs

ROOT, RESULTS = runs.ROOT, runs.RESULTS
DOC = ROOT / "docs" / "moving-off-a-gfk.md"
TARGETS = ["check_constraint", "linked_models"]
SIZES = [100_003, 1_000_003]  # coprime with the dataset's multiplier
SMOKE = 1_009
BATCH = 1_000


# The driver -------------------------------------------------------------------


def step_env(database_url: str) -> dict:
    # What a step's process sees: this one's environment and a database.
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DJANGO_SECRET_KEY": "moving-run-signs-nothing",
        "DATABASE_URL": database_url,
    }


def migrate_then(step: list[str]) -> list[list[str]]:
    """Every app migrated in a fresh database, then `python -m <step...>`."""
    python = sys.executable
    return [
        [python, "manage.py", "migrate", "--no-input", "-v", "0"],
        [python, "-m", *step],
    ]


def measure(target: str, vendor: str, tasks: int) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"moving-{target}-") as tmp:
        name = f"moving_{target}"
        if vendor == "sqlite":
            url = f"sqlite:///{Path(tmp) / 'db.sqlite3'}"
        else:
            url = runs.fresh_postgres_database(name)
        step = ["benchmarks.moving", "step", target, str(tasks)]
        result = runs.run_steps(migrate_then(step), step_env(url))
        if vendor == "postgresql":
            runs.drop_postgres_database(name)
        return result


def main(argv: list[str] | None = None) -> Path | None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tasks", type=int, nargs="*", default=SIZES)
    parser.add_argument("--targets", nargs="*", default=TARGETS)
    parser.add_argument("--into", type=Path, help="add to this run's results.json")
    parser.add_argument("--render", type=Path, help="print the doc from a results.json")
    args = parser.parse_args(argv)
    if args.render:
        sys.path.insert(0, str(ROOT))
        from benchmarks.moving_report import render

        print(render(json.loads(args.render.read_text())), end="")
        return None
    vendor = runs.vendor()
    path, results = runs.results_file(args.into, "moving")
    results = results or {"runs": {}, "moves": {}}
    record = runs.Record("benchmarks.moving", argv)
    for tasks in args.tasks:
        for target in args.targets:
            print(f"moving off a GFK: to {target} on {vendor} at {tasks} tasks")
            by_size = results["moves"].setdefault(target, {}).setdefault(str(tasks), {})
            by_size[vendor] = measure(target, vendor, tasks)
    results["runs"][vendor] = record.done(tasks=args.tasks, batch=BATCH)
    runs.write(path, results)
    return path


# The step, in a process of its own -------------------------------------------


def watched(work) -> dict:
    """Run `work()`; its time and, on PostgreSQL, every table lock seen held."""
    from django.db import connection

    from benchmarks.adding_step import LockWatcher

    connection.ensure_connection()
    watcher = None
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            tables = sorted(connection.introspection.table_names(cursor))
        watcher = LockWatcher(connection.connection.info.backend_pid, tables)
        watcher.start()
        time.sleep(0.05)
    start = time.perf_counter()
    value = work()
    seconds = time.perf_counter() - start
    locks: dict[str, dict[str, float]] = {}
    if watcher:
        watcher.stopping.set()
        watcher.join()
        for (table, mode), (first, last) in watcher.seen.items():
            locks.setdefault(table, {})[mode] = last - first
    return {"seconds": seconds, "locks": locks, "value": value}


def plant() -> None:
    """Break the loaded GFK tables the ways a GFK lets them break."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from gfk_baseline import models as gfk

    movie = ContentType.objects.get_for_model(gfk.Movie).pk
    groups = gfk.Group.objects.count()
    with connection.cursor() as cursor:
        # Persons past the group creators: no foreign key points at them, so
        # the database lets them go and their tasks dangle. Movies likewise.
        cursor.execute(
            "DELETE FROM gfk_baseline_person WHERE id > %s AND id %% 100 = 0", [groups]
        )
        cursor.execute("DELETE FROM gfk_baseline_movie WHERE id %% 100 = 0", [])
        # One task in a thousand owned by a movie; one movie save in a
        # thousand with an anime's episode progress.
        cursor.execute(
            "UPDATE gfk_baseline_task SET owner_type_id = %s, owner_id = 1"
            " WHERE id %% 1000 = 7",
            [movie],
        )
        cursor.execute(
            "UPDATE gfk_baseline_saveditem SET episode_progress = 1"
            " WHERE item_type_id = %s AND id %% 1000 = 7",
            [movie],
        )


def counted_in_source() -> dict[str, int]:
    """What the move must set aside, counted by SQL on the source alone."""
    from django.contrib.contenttypes.models import ContentType
    from django.db.models import Exists, OuterRef, Q

    from gfk_baseline import models as gfk

    owners, items = [gfk.Person, gfk.Group], [gfk.Movie, gfk.Anime, gfk.Manga]
    ct = ContentType.objects.get_for_models(*owners, *items)

    def of_kind(type_field, models) -> Q:
        return Q(**{f"{type_field}__in": [ct[m].pk for m in models]})

    def arrives(type_field, id_field, models) -> Q:
        # Of one of the kinds, and its row exists.
        q = Q(pk__in=[])
        for m in models:
            exists = Exists(m.objects.filter(pk=OuterRef(id_field)))
            q |= Q(exists, **{type_field: ct[m].pk})
        return q

    tasks, saves = gfk.Task.objects, gfk.SavedItem.objects
    task_ok = arrives("owner_type", "owner_id", owners)
    save_ok = arrives("item_type", "item_id", items)
    wrong_extra = Q(episode_progress__isnull=False) & ~Q(item_type=ct[gfk.Anime]) | Q(
        watched__isnull=False
    ) & ~Q(item_type=ct[gfk.Movie])
    return {
        "not_a_target_kind": tasks.exclude(of_kind("owner_type", owners)).count()
        + saves.exclude(of_kind("item_type", items)).count(),
        "dangling": tasks.filter(of_kind("owner_type", owners)).exclude(task_ok).count()
        + saves.filter(of_kind("item_type", items)).exclude(save_ok).count(),
        "extra_on_wrong_kind": saves.filter(save_ok).filter(wrong_extra).count(),
    }


def step(target: str, tasks: int) -> dict:
    from benchmarks.adding_step import load, migrate, setup

    setup()
    from django.apps import apps
    from django.core.management import call_command
    from django.db import connection

    from gfk_baseline import models as gfk
    from off_gfk import moving, to_check_constraint, to_linked_models
    from off_gfk.models import SetAside

    module = {
        "check_constraint": to_check_constraint,
        "linked_models": to_linked_models,
    }[target]
    call_command("migrate", target, "zero", verbosity=0, interactive=False)
    loaded = load("gfk_baseline", tasks)
    plant()
    source_rows = {
        "tasks": gfk.Task.objects.count(),
        "saves": gfk.SavedItem.objects.count(),
    }
    expected = counted_in_source()

    create = migrate(target)
    batches: list[float] = []
    write = moving.write

    def timed_write(report, decide):
        start = time.perf_counter()
        write(report, decide)
        batches.append(time.perf_counter() - start)

    moving.write = timed_write
    backfill = watched(lambda: module.move(BATCH))
    moving.write = write
    report = backfill.pop("value")

    def check() -> dict:
        # Every source row is in the target or in the report, and the
        # report holds what the source's own counts say it must.
        # Counted in the target's tables, not taken from the move's report.
        mine = SetAside.objects.filter(target=target)
        tables = [
            model
            for model in apps.get_app_config(target).get_models()
            if not model._meta.proxy
        ]
        arrived = {
            kind: sum(
                model._base_manager.count()
                for model in tables
                if name in model._meta.model_name
            )
            for kind, name in (("tasks", "task"), ("saves", "saved"))
        }
        aside = {
            "tasks": mine.filter(source_table=gfk.Task._meta.db_table).count(),
            "saves": mine.filter(source_table=gfk.SavedItem._meta.db_table).count(),
        }
        return {
            "set_aside": {r: mine.filter(reason=r).count() for r in expected},
            "accounted_for": {k: arrived[k] + aside[k] for k in arrived},
        }

    checked = watched(check)
    verdict = checked.pop("value")
    if verdict["set_aside"] != expected or verdict["accounted_for"] != source_rows:
        raise AssertionError(
            f"rows lost or misfiled: {verdict}; source {source_rows}, {expected}"
        )

    def drop() -> None:
        with connection.schema_editor() as editor:
            editor.delete_model(gfk.SavedItem)
            editor.delete_model(gfk.Task)

    dropped = watched(drop)
    dropped.pop("value")
    return {
        "target": target,
        "vendor": connection.vendor,
        "tasks": tasks,
        "load_seconds": loaded["seconds"],
        "source_rows": source_rows,
        "moved": dict(report.moved),
        "set_aside": verdict["set_aside"],
        "accounted_for": verdict["accounted_for"],
        "steps": {
            "create": {
                "seconds": create["seconds"],
                "locks": strongest(create["locks"]),
            },
            "backfill": {
                **backfill,
                "batches": len(batches),
                "batch_median": statistics.median(batches),
                "batch_max": max(batches),
            },
            "check": checked,
            "drop": dropped,
        },
    }


def strongest(locks: dict) -> dict:
    # adding_step.migrate's shape ({table: {mode: {held_seconds}}}) as watched()'s.
    return {
        table: {mode: seen["held_seconds"] or 0.0 for mode, seen in modes.items()}
        for table, modes in locks.items()
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["step"]:
        print(json.dumps(step(sys.argv[2], int(sys.argv[3]))))
    else:
        main()
