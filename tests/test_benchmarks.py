"""The benchmark runner still runs, and its query column agrees with the suite."""

import os
import re
import subprocess
import sys

from django.conf import settings

from tests import patterns


def test_benchmark_runner_prints_the_declared_query_counts():
    # SQLite in memory whatever DATABASE_URL says: the runner creates and drops
    # its own test database, which must never be the suite's.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [sys.executable, "-m", "benchmarks.run", "--owners", "3", "--saves", "30"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    rows = re.findall(
        r"^\| `(\w+)` \| `([^`]+)` \| [\d.]+ \| (\d+) \|", result.stdout, re.M
    )
    measured = {(app, call): int(n) for app, call, n in rows}
    for app in patterns.ownership_apps():
        assert (
            measured[(app, "task_rows()")] == patterns.module(app).OWNERSHIP.task_rows
        )
    for app in patterns.saves_apps():
        assert (
            measured[(app, "saved_feed(page 1 of 20)")]
            == patterns.module(app).SAVES.feed_page
        )
