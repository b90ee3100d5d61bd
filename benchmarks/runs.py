"""What the one-off benchmark drivers share (adding.py, moving.py, moving_in_place.py).

Each runs its steps in fresh databases, in processes of their own, and keeps
one results.json per run with a record of how it was run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"


def vendor() -> str:
    """The database DATABASE_URL names: PostgreSQL's, or SQLite by default."""
    url = os.environ.get("DATABASE_URL", "")
    return "postgresql" if url.startswith("postgres") else "sqlite"


def fresh_postgres_database(name: str) -> str:
    """An empty database `name` on DATABASE_URL's server (its test twin gone too)."""
    import psycopg

    url = os.environ["DATABASE_URL"]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'DROP DATABASE IF EXISTS "test_{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def drop_postgres_database(name: str) -> None:
    import psycopg

    with psycopg.connect(os.environ["DATABASE_URL"], autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_steps(commands: list[list[str]], env: dict, cwd: Path = ROOT) -> dict:
    """Run each command in turn; the JSON the last one printed on its last line."""
    for cmd in commands:
        done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
        if done.returncode:
            raise RuntimeError(f"{' '.join(cmd)}:\n{done.stdout}\n{done.stderr}")
    return json.loads(done.stdout.splitlines()[-1])


def results_file(into: Path | None, kind: str) -> tuple[Path, dict | None]:
    """The run's results.json (a new dated run unless `into`), and what it holds."""
    directory = into or RESULTS / (
        datetime.now(UTC).strftime("%Y-%m-%dT%H%M%SZ") + f"-{kind}"
    )
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "results.json"
    return path, json.loads(path.read_text()) if path.exists() else None


class Record:
    """How a run was run: started when made, finished by `done()`."""

    def __init__(self, module: str, argv: list[str] | None) -> None:
        self.command = " ".join([f"python -m {module}", *(argv or sys.argv[1:])])
        self.started_at = datetime.now(UTC).isoformat(timespec="seconds")
        self.started = time.perf_counter()

    def done(self, **extra) -> dict:
        from benchmarks.run import machine

        return {
            "command": self.command,
            "started": self.started_at,
            "seconds": time.perf_counter() - self.started,
            "machine": machine(),
            **extra,
        }


def write(path: Path, results: dict) -> None:
    path.write_text(json.dumps(results, indent=1, sort_keys=True) + "\n")
    print(path)
