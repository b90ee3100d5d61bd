"""Run the benchmark grid, write a results file, render its charts.

    python -m benchmarks.run         # a first look: SQLite, 1,000 and 10,000 tasks
    scripts/with-postgres python -m benchmarks.run --full
                                     # 10k, 100k and 1M on SQLite and PostgreSQL
    scripts/with-mariadb python -m benchmarks.run --full --databases mariadb

Each database runs in its own worker process (benchmarks/worker.py), one
after the other (two at once would share the two cores and time each other).
PostgreSQL needs DATABASE_URL (scripts/with-postgres sets it), MariaDB
MARIADB_URL or a mysql:// DATABASE_URL (scripts/with-mariadb sets both);
SQLite always runs on a file in a temp dir. Writes benchmarks/results/<run>/results.json
and charts/*.png, then prints where. Regenerate docs/performance.md from a
results file with `python -m benchmarks.report <results.json>`.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import subprocess
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

from benchmarks.worker import steps
from project.patterns import PATTERN_APPS

RESULTS = Path(__file__).resolve().parent / "results"
QUICK = {
    "sizes": [1_000, 10_000],
    "databases": ["sqlite"],
    "repeats": {"min_runs": 5, "max_runs": 30, "budget": 0.25},
}
# Fewer repeats: at a million rows a run takes seconds, and three is enough
# for a median and its quartiles.
FULL = {
    "sizes": [10_000, 100_000, 1_000_000],
    "databases": ["sqlite", "postgresql"],
    "repeats": {"min_runs": 3, "max_runs": 20, "budget": 0.3},
}


def machine() -> dict:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = None
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                memory = f"{int(line.split()[1]) / 1024**2:.0f} GiB"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory": memory,
        "os": platform.platform(),
    }


def worker_env(database: str, workdir: Path) -> dict[str, str]:
    # Only what the worker must see: not the caller's test settings, nor a
    # DATABASE_URL for the SQLite run.
    env = {k: v for k, v in os.environ.items() if k != "PYTEST_VERSION"}
    env["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
    env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent)
    if database == "sqlite":
        env.pop("DATABASE_URL", None)
        env["BENCH_SQLITE_FILE"] = str(workdir / "benchmark.sqlite3")
    elif database == "mariadb":
        url = env.get("MARIADB_URL") or env.get("DATABASE_URL", "")
        if not url.startswith("mysql"):
            sys.exit(
                "MariaDB needs MARIADB_URL: run under scripts/with-mariadb "
                "(make benchmark-mariadb does)."
            )
        env["DATABASE_URL"] = url
    elif not env.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit(
            "PostgreSQL needs DATABASE_URL: run under scripts/with-postgres "
            "(make benchmark-full does)."
        )
    return env


class Progress:
    """A rich progress bar over the whole grid, with the time left."""

    def __init__(self, total: float, enabled: bool) -> None:
        self.enabled = enabled
        if not enabled:
            return
        from rich.progress import (
            BarColumn,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )
        from rich.progress import Progress as RichProgress

        # A long speed window: steps differ in size, and the estimate should
        # follow the whole run, not the last few seconds.
        self.bar = RichProgress(
            TextColumn("{task.description}"),
            BarColumn(),
            TextColumn("{task.percentage:>3.0f}%"),
            TimeElapsedColumn(),
            TextColumn("left"),
            TimeRemainingColumn(),
            speed_estimate_period=3600,
        )
        self.bar.start()
        self.task = self.bar.add_task("starting", total=total)

    def advance(self, description: str, weight: float) -> None:
        if self.enabled:
            self.bar.update(self.task, advance=weight, description=description)
        else:
            print(description, flush=True)

    def stop(self) -> None:
        if self.enabled:
            self.bar.stop()


def run_worker(database, sizes, apps, plans_at, repeats, workdir, progress) -> dict:
    out = workdir / f"{database}.json"
    command = [
        sys.executable,
        "-m",
        "benchmarks.worker",
        "--sizes",
        *map(str, sizes),
        "--apps",
        *apps,
        "--out",
        str(out),
        "--min-runs",
        str(repeats["min_runs"]),
        "--max-runs",
        str(repeats["max_runs"]),
        "--budget",
        str(repeats["budget"]),
    ]
    if plans_at:
        command += ["--plans-at", str(plans_at)]
    weights = {(s.tasks, s.app, s.phase): s.weight for s in steps(sizes, apps)}
    process = subprocess.Popen(
        command,
        env=worker_env(database, workdir),
        stdout=subprocess.PIPE,
        text=True,
    )
    error = None
    for line in process.stdout:
        event = json.loads(line)
        if event["event"] == "step":
            key = (event["tasks"], event["app"], event["phase"])
            label = f"{database} {event['tasks']:>9,} tasks: {event['app']}"
            progress.advance(f"{label} {event['phase']}", weights[key])
        elif event["event"] == "error":
            error = event["message"]
    if process.wait() != 0:
        raise SystemExit(f"{database} worker failed: {error}")
    return json.loads(out.read_text())


def recorded_grid(directory: Path, fresh: dict) -> dict:
    """The results of a recorded run, to add databases to: the same grid only."""
    path = directory / "results.json"
    if not path.exists():
        sys.exit(f"--into {directory}: no results.json there")
    recorded = json.loads(path.read_text())
    for key in ("sizes", "apps", "plans_at", "repeats"):
        if recorded[key] != fresh[key]:
            sys.exit(
                f"--into {directory}: its {key} is {recorded[key]!r}, this run's"
                f" {fresh[key]!r}; add a database only to the same grid"
            )
    return recorded


def main(argv: list[str] | None = None) -> Path:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's whole grid")
    parser.add_argument("--sizes", type=int, nargs="+", help="tasks (and saves)")
    parser.add_argument(
        "--databases", nargs="+", choices=["sqlite", "postgresql", "mariadb"]
    )
    parser.add_argument(
        "--apps",
        nargs="+",
        choices=PATTERN_APPS,
        default=PATTERN_APPS,
        help="default: every app in project/patterns.py",
    )
    parser.add_argument("--plans-at", type=int, help="keep EXPLAIN plans at this size")
    parser.add_argument("--min-runs", type=int)
    parser.add_argument("--max-runs", type=int)
    parser.add_argument("--budget", type=float, help="seconds of timed runs per figure")
    parser.add_argument("--out", type=Path, help="directory (default: results/<run>)")
    parser.add_argument(
        "--into",
        type=Path,
        help="a recorded run's directory: add these databases to its results.json"
        " (same grid), so one page and one chart set hold every database",
    )
    parser.add_argument("--no-charts", action="store_true")
    parser.add_argument("--no-progress", action="store_true")
    args = parser.parse_args(argv)

    grid = FULL if args.full else QUICK
    sizes = args.sizes or grid["sizes"]
    databases = args.databases or grid["databases"]
    # Plans at 100,000 rows in the full grid (the choice), else at
    # the largest size run.
    plans_at = args.plans_at or (100_000 if 100_000 in sizes else max(sizes))
    repeats = {
        name: getattr(args, name) if getattr(args, name) is not None else default
        for name, default in grid["repeats"].items()
    }
    started = datetime.now(UTC)
    label = "full" if args.full else "quick"
    out = args.into or args.out or RESULTS / f"{started:%Y-%m-%dT%H%M%SZ}-{label}"
    out.mkdir(parents=True, exist_ok=True)
    command = shlex.join(["python", "-m", "benchmarks.run", *(argv or sys.argv[1:])])

    total = sum(s.weight for s in steps(sizes, args.apps)) * len(databases)
    progress = Progress(total, enabled=not args.no_progress and sys.stdout.isatty())
    results = {
        "schema": 1,
        "started": started.isoformat(timespec="seconds"),
        "command": command,
        "machine": machine(),
        "sizes": sizes,
        "apps": args.apps,
        "plans_at": plans_at,
        "repeats": repeats,
        "databases": {},
    }
    if args.into:
        results = recorded_grid(args.into, results)
    try:
        with tempfile.TemporaryDirectory(prefix="gfk-benchmark-") as workdir:
            for database in databases:
                part = run_worker(
                    database,
                    sizes,
                    args.apps,
                    plans_at,
                    repeats,
                    Path(workdir),
                    progress,
                )
                # Each database says which command measured it, when and
                # where (its "steps" say how long): a run can gather
                # databases from several commands (--into).
                part["run"] = {
                    "command": command,
                    "started": started.isoformat(timespec="seconds"),
                    "machine": machine(),
                }
                results["databases"][database] = part
    finally:
        progress.stop()
    elapsed = (datetime.now(UTC) - started).total_seconds()
    if not args.into:
        results["seconds"] = elapsed
    path = out / "results.json"
    path.write_text(json.dumps(results, indent=1, default=str))
    print(f"results: {path}")
    if not args.no_charts:
        from benchmarks import charts

        for chart in charts.record(results, path):
            print(f"chart: {chart}")
    print(f"took {elapsed:.0f} s")
    return path


if __name__ == "__main__":
    main()
