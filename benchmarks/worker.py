"""One database's share of the grid, in its own process (benchmarks/run.py starts it).

    DJANGO_SETTINGS_MODULE=benchmarks.settings python -m benchmarks.worker \\
        --sizes 10000 100000 --plans-at 100000 --out part.json

Creates a throwaway test database, then for each size and each pattern app:
recreate its tables, load them in bulk (timed: the load rate), refresh the
statistics, record table and index sizes, time every operation, then each of
the pattern's variants on the same rows. Prints one JSON line per finished
step on stdout for the progress bar, and writes everything to --out.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import json
import os
import platform
import sys
import time
from dataclasses import dataclass

from project.patterns import OWNERSHIP_APPS, PATTERN_APPS, SAVES_APPS


@dataclass(frozen=True)
class Step:
    tasks: int
    app: str
    phase: str  # "load" or "measure"

    @property
    def weight(self) -> float:
        # Expected seconds per step, fitted to a full run's "steps" on the
        # reference machine (2 cores, both databases averaged): what the
        # progress bar's time-left estimate is made of.
        domains = (self.app in OWNERSHIP_APPS) + (self.app in SAVES_APPS)
        if self.phase == "load":
            return domains * (0.1 + self.tasks * 9e-6)
        return domains * (3 + self.tasks * 8.5e-6)


def steps(sizes: list[int], apps: list[str]) -> list[Step]:
    return [
        Step(tasks, app, phase)
        for tasks in sizes
        for app in apps
        for phase in ("load", "measure")
    ]


STARTED = time.perf_counter()


def emit(**event) -> None:
    event["elapsed"] = round(time.perf_counter() - STARTED, 1)
    print(json.dumps(event), flush=True)


class Clock:
    """Each step's wall time, kept: what a grid costs, what calibrates Step.weight."""

    def __init__(self) -> None:
        self.steps: list[dict] = []
        self.last = time.perf_counter()

    def done(self, tasks: int, app: str, phase: str) -> None:
        now = time.perf_counter()
        self.steps.append(
            {"tasks": tasks, "app": app, "phase": phase, "seconds": now - self.last}
        )
        self.last = now
        emit(event="step", tasks=tasks, app=app, phase=phase)


def versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {"python": platform.python_version()}
    for package in ("django", "psycopg", "matplotlib", "rich"):
        try:
            found[package] = version(package)
        except PackageNotFoundError:
            found[package] = "not installed"
    return found


def load(app: str, ds, db, results: dict) -> list[str]:
    """Recreate the app's tables, load them, refresh statistics; its tables."""
    from django.contrib.auth import get_user_model

    from benchmarks import loading
    from benchmarks import patterns as benchmark_patterns

    bench = benchmark_patterns.module(app)
    deferred = loading.recreate_tables(app, bare=True)
    tables = [model._meta.db_table for model in loading.app_models(app)]
    start = time.perf_counter()
    loading.start_load()
    if app in OWNERSHIP_APPS:
        bench.load_ownership(ds, db)
    if app in SAVES_APPS:
        bench.load_saves(ds, db)
    loading.finish_load(deferred, tables)
    seconds = time.perf_counter() - start
    rows = loading.table_rows(app)
    start = time.perf_counter()
    db.analyze([*tables, get_user_model()._meta.db_table])
    results["loads"].append(
        {
            "tasks": ds.tasks,
            "pattern": app,
            "rows": rows,
            "seconds": seconds,
            "rows_per_second": sum(rows.values()) / seconds,
            "analyze_seconds": time.perf_counter() - start,
            "route": db.load_route,
        }
    )
    results["spaces"].append(
        {"tasks": ds.tasks, "pattern": app, "tables": db.space(tables)}
    )
    return tables


def time_app(app: str, ds, db, tables, plans: bool, repeats, results: dict) -> None:
    """Every operation of the app's domains, then each variant's."""
    from benchmarks import patterns as benchmark_patterns
    from benchmarks.harness import measure
    from benchmarks.operations import OPERATIONS, Subject

    bench = benchmark_patterns.module(app)
    queries = importlib.import_module(f"{app}.queries")
    runs = [(None, dict.fromkeys(OPERATIONS))]
    for variant in bench.VARIANTS:
        runs.append((variant, variant.operations))
    for variant, operations in runs:
        if variant is not None:
            variant.setup()
            db.analyze(tables)
        for op_id, override in operations.items():
            op = OPERATIONS[op_id]
            if app not in (OWNERSHIP_APPS if op.domain == "ownership" else SAVES_APPS):
                continue
            where = {"tasks": ds.tasks, "pattern": app, "operation": op_id}
            if op.max_tasks is not None and ds.tasks > op.max_tasks:
                results["skipped"].append(where)
                continue
            subject = Subject(app, queries, bench, ds, db, override=override)
            figures = measure(op.prepare(subject), db, repeats, plans=plans)
            variant_name = variant.name if variant else None
            results["measurements"].append(
                {**where, "variant": variant_name, **figures}
            )


def run(
    sizes: list[int], apps: list[str], plans_at: int | None, repeats, out: str
) -> None:
    from django.apps import apps as django_apps
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import setup_test_environment

    from benchmarks import databases, loading
    from benchmarks.dataset import Dataset

    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    # Django's models, apps and migration state live as long as the process:
    # out of the collector's way, so a collection costs what the run made.
    gc.collect()
    gc.freeze()
    db = databases.current()
    clock = Clock()
    results: dict = {
        "database": db.vendor,
        "version": ".".join(map(str, connection.get_database_version())),
        "settings": db.settings(),
        "libraries": versions(),
        "loads": [],
        "spaces": [],
        "measurements": [],
        "skipped": [],
        "steps": clock.steps,
    }
    try:
        for tasks in sizes:
            ds = Dataset(tasks)
            # Users are shared by every app's saves: empty the apps first.
            for app in apps:
                loading.recreate_tables(app)
            get_user_model().objects.all().delete()
            loading.load_users(ds, db)
            # Warm, as the suite's counts assume: content types are read once
            # per process, then cached (GFKs and django-polymorphic use them).
            ContentType.objects.clear_cache()
            ContentType.objects.get_for_models(*django_apps.get_models())
            for app in apps:
                tables = load(app, ds, db, results)
                clock.done(tasks, app, "load")
                time_app(app, ds, db, tables, tasks == plans_at, repeats, results)
                loading.recreate_tables(app)  # frees the space before the next app
                clock.done(tasks, app, "measure")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    with open(out, "w") as file:
        json.dump(results, file, default=str)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", required=True)
    parser.add_argument("--apps", nargs="+", default=PATTERN_APPS)
    parser.add_argument("--plans-at", type=int)
    parser.add_argument("--min-runs", type=int, default=5)
    parser.add_argument("--max-runs", type=int, default=50)
    parser.add_argument("--budget", type=float, default=0.5)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")
    import django

    django.setup()
    from benchmarks.harness import Repeats

    try:
        run(
            args.sizes,
            args.apps,
            args.plans_at,
            Repeats(args.min_runs, args.max_runs, args.budget),
            args.out,
        )
    except Exception as error:
        emit(event="error", message=f"{type(error).__name__}: {error}")
        raise
    sys.exit(0)


if __name__ == "__main__":
    main()
