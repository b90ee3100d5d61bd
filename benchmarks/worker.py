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
        # Expected seconds on the reference machine (2 cores): what the
        # progress bar's time-left estimate is made of.
        domains = (self.app in OWNERSHIP_APPS) + (self.app in SAVES_APPS)
        if self.phase == "load":
            return 0.2 + domains * self.tasks * 1.2e-5
        return domains * (4 + self.tasks * 3e-5)


def steps(sizes: list[int]) -> list[Step]:
    return [
        Step(tasks, app, phase)
        for tasks in sizes
        for app in PATTERN_APPS
        for phase in ("load", "measure")
    ]


STARTED = time.perf_counter()


def emit(**event) -> None:
    event["elapsed"] = round(time.perf_counter() - STARTED, 1)
    print(json.dumps(event), flush=True)


def versions() -> dict[str, str]:
    from importlib.metadata import version

    found = {"python": platform.python_version()}
    for package in ("django", "psycopg", "matplotlib", "rich"):
        try:
            found[package] = version(package)
        except Exception:  # not installed: say so rather than guess
            found[package] = "not installed"
    return found


def run(sizes: list[int], plans_at: int | None, repeats, out: str) -> None:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection
    from django.test.utils import setup_test_environment

    from benchmarks import databases, loading
    from benchmarks import patterns as benchmark_patterns
    from benchmarks.dataset import Dataset
    from benchmarks.harness import measure
    from benchmarks.operations import OPERATIONS, Subject

    setup_test_environment(debug=False)
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    # Django's models, apps and migration state live as long as the process:
    # out of the collector's way, so a collection costs what the run made.
    gc.collect()
    gc.freeze()
    db = databases.current()
    results: dict = {
        "database": db.vendor,
        "version": ".".join(map(str, connection.get_database_version())),
        "settings": db.settings(),
        "libraries": versions(),
        "loads": [],
        "spaces": [],
        "measurements": [],
        "skipped": [],
    }
    try:
        for tasks in sizes:
            ds = Dataset(tasks)
            for app in PATTERN_APPS:
                loading.recreate_tables(app)
            from django.contrib.auth import get_user_model

            get_user_model().objects.all().delete()
            loading.load_users(ds, db)
            ContentType.objects.clear_cache()
            for app in PATTERN_APPS:
                bench = benchmark_patterns.module(app)
                queries = importlib.import_module(f"{app}.queries")
                loading.recreate_tables(app)
                tables = [model._meta.db_table for model in loading.app_models(app)]
                start = time.perf_counter()
                with connection.cursor():
                    if app in OWNERSHIP_APPS:
                        bench.load_ownership(ds, db)
                    if app in SAVES_APPS:
                        bench.load_saves(ds, db)
                seconds = time.perf_counter() - start
                rows = loading.table_rows(app)
                start = time.perf_counter()
                db.analyze([*tables, get_user_model()._meta.db_table])
                results["loads"].append(
                    {
                        "tasks": tasks,
                        "pattern": app,
                        "rows": rows,
                        "seconds": seconds,
                        "rows_per_second": sum(rows.values()) / seconds,
                        "analyze_seconds": time.perf_counter() - start,
                        "route": db.load_route,
                    }
                )
                results["spaces"].append(
                    {"tasks": tasks, "pattern": app, "tables": db.space(tables)}
                )
                emit(event="step", tasks=tasks, app=app, phase="load")

                subject = Subject(app, queries, bench, ds, db)
                runs = [(None, OPERATIONS, {})]
                for variant in bench.VARIANTS:
                    runs.append((variant, variant.operations, variant.operations))
                for variant, op_ids, overrides in runs:
                    name = None
                    if variant is not None:
                        variant.setup()
                        db.analyze(tables)
                        name = variant.name
                    for op_id in op_ids:
                        op = OPERATIONS[op_id]
                        domain_apps = (
                            OWNERSHIP_APPS if op.domain == "ownership" else SAVES_APPS
                        )
                        if app not in domain_apps:
                            continue
                        if op.max_tasks is not None and tasks > op.max_tasks:
                            results["skipped"].append(
                                {"tasks": tasks, "pattern": app, "operation": op_id}
                            )
                            continue
                        prepared = op.prepare(
                            Subject(
                                app,
                                queries,
                                bench,
                                ds,
                                db,
                                override=overrides.get(op_id),
                            )
                        )
                        figures = measure(
                            prepared, db, repeats, plans=tasks == plans_at
                        )
                        results["measurements"].append(
                            {
                                "tasks": tasks,
                                "pattern": app,
                                "variant": name,
                                "operation": op_id,
                                **figures,
                            }
                        )
                del subject
                loading.recreate_tables(app)  # frees the space before the next app
                emit(event="step", tasks=tasks, app=app, phase="measure")
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)
    with open(out, "w") as file:
        json.dump(results, file, default=str)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", required=True)
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
