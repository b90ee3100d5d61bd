"""Time every pattern's reads on a dataset too large for the test suite.

    python -m benchmarks.run [--owners 300] [--saves 3000] [--repeat 5]

Builds the dataset in a throwaway test database (SQLite in memory by default,
PostgreSQL with DATABASE_URL), through each app's queries module, then prints
a Markdown table: median wall time over --repeat runs, queries per call, and
peak Python memory (tracemalloc) of one call. Timings depend on the machine, so
they live here and not in tests or committed docs; query counts are asserted
exactly by the suite.
"""

from __future__ import annotations

import argparse
import importlib
import os
import statistics
import time
import tracemalloc
from datetime import UTC, datetime

import django


def measure(call, repeat: int) -> tuple[float, int, int]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm caches (content types, prepared statements)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    # The query log is a deque capped at 9000 entries; once full, the capture's
    # before/after indices stop lining up, so start each count from empty.
    connection.queries_log.clear()
    with CaptureQueriesContext(connection) as ctx:
        tracemalloc.start()
        call()
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return statistics.median(times), len(ctx.captured_queries), peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--owners", type=int, default=300, help="owners per kind")
    parser.add_argument("--saves", type=int, default=3000, help="saves of one user")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")
    django.setup()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import setup_test_environment

    from project.dataset import build_media, build_ownership, build_saves
    from project.patterns import OWNERSHIP_APPS, SAVES_APPS

    setup_test_environment()
    old_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
    try:
        user = get_user_model().objects.create_user("bench")
        print(
            f"{connection.vendor}, {args.owners} owners per kind,"
            f" {args.saves} saves, median of {args.repeat}\n"
        )
        print("| app | call | median ms | queries | peak KiB |")
        print("|---|---|---:|---:|---:|")
        for app in SAVES_APPS:
            q = importlib.import_module(f"{app}.queries")
            calls = {}
            if app in OWNERSHIP_APPS:
                build_ownership(q, args.owners)
                calls["task_rows()"] = q.task_rows
                calls["task_rows_naive()"] = q.task_rows_naive
            items = build_media(q, args.saves // 3 + 1)[: args.saves]
            build_saves(q, user, items, datetime(2026, 1, 1, tzinfo=UTC))
            calls["saved_feed(page 1 of 20)"] = lambda q=q: q.saved_feed(user, 1, 20)
            last = args.saves // 20
            calls[f"saved_feed(page {last} of 20)"] = lambda q=q, n=last: q.saved_feed(
                user, n, 20
            )
            for name, call in calls.items():
                seconds, queries, peak = measure(call, args.repeat)
                print(
                    f"| `{app}` | `{name}` | {seconds * 1000:.1f} | {queries}"
                    f" | {peak / 1024:.0f} |"
                )
    finally:
        connection.creation.destroy_test_db(old_name, verbosity=0)


if __name__ == "__main__":
    main()
