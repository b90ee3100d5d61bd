"""Settings for a benchmark worker: the project's, minus everything that skews time.

- DEBUG off, so Django keeps no query log (with it on, logging adds about a
  sixth to an N+1 listing) and the debug toolbar is not installed.
- The DB_CASCADE twins (benchmarks/db_cascade/) installed: unmanaged models
  over the pattern apps' own tables, see that package.
- SQLite runs on a file in the worker's temp dir (BENCH_SQLITE_FILE), never
  db.sqlite3 and never in memory: a real database is a file. Durability is
  off, as scripts/with-postgres turns it off for PostgreSQL, so neither
  database pays for an fsync the other skips.

The database itself is always a test database that the worker creates and
destroys (connection.creation.create_test_db).
"""

import os
import tempfile
from pathlib import Path

# Signs nothing: a worker serves no request. project.settings refuses to load
# with DEBUG off and no key.
os.environ.setdefault("DJANGO_SECRET_KEY", "benchmark-worker-signs-nothing")

from project.settings import *  # noqa: E402, F403
from project.settings import DATABASES, INSTALLED_APPS, MIDDLEWARE  # noqa: E402

DEBUG = False
INSTALLED_APPS = [app for app in INSTALLED_APPS if app != "debug_toolbar"] + [
    "benchmarks.db_cascade.apps.NullableFks",
    "benchmarks.db_cascade.apps.CheckConstraint",
    "benchmarks.db_cascade.apps.OwnerTable",
    "benchmarks.db_cascade.apps.OwnerO2O",
    "benchmarks.db_cascade.apps.Mti",
    "benchmarks.db_cascade.apps.LinkedModels",
]
MIDDLEWARE = [entry for entry in MIDDLEWARE if not entry.startswith("debug_toolbar")]

# Tables straight from the models, as the migrations would leave them
# (`makemigrations --check` keeps the two equal), without replaying history.
DATABASES["default"].setdefault("TEST", {})["MIGRATE"] = False

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    sqlite_file = os.environ.get("BENCH_SQLITE_FILE") or str(
        Path(tempfile.gettempdir()) / f"gfk-benchmark-{os.getpid()}.sqlite3"
    )
    DATABASES["default"]["TEST"]["NAME"] = sqlite_file
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["init_command"] = "; ".join(
        filter(None, [options.get("init_command"), "PRAGMA synchronous = OFF"])
    )
