"""One module per pattern app: how to load it in bulk, and what queries.py lacks.

Each `benchmarks/patterns/<app>.py` has:

- `load_ownership(ds, db)` / `load_saves(ds, db)`: the dataset of
  benchmarks/dataset.py, written with set-based SQL (one INSERT ... SELECT
  over a series per table and kind), ids chosen so every foreign key lines
  up; `load_ownership` only for apps in OWNERSHIP_APPS;
- `insert_tasks(db, owner, count)` / `insert_saves(db, item, count)`: an
  owner's tasks and an item's saves in one statement, which
  benchmarks/loading.py uses to build the delete timings' victims (a person
  with 1,000 dependent tasks, a movie with 1,000 saves);
- `task_page`, `task_page_prefetched`, `task_counts`: what the scenario API
  doesn't have (yet), written as that app's queries.py would;
- `bulk_create_persons(names)` / `delete_persons(names)`: the ORM's bulk
  route for owners, and its undoing;
- `VARIANTS`: what else to time on the same rows (DB_CASCADE twins, the GFK
  without its index).

A pattern app added to project/patterns.py needs one such module, nothing
else: the worker finds it by the app's name.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any


@dataclass(frozen=True)
class Variant:
    """The same rows, changed by `setup`, and the operations to time again.

    `operations` maps an operation id to a replacement callable for it, or to
    None to time the ordinary operation on the changed schema.
    """

    name: str
    setup: Callable[[], None]
    operations: dict[str, Callable[..., Any] | None] = field(default_factory=dict)


def module(app: str) -> ModuleType:
    try:
        return importlib.import_module(f"benchmarks.patterns.{app}")
    except ModuleNotFoundError as error:
        if error.name != f"benchmarks.patterns.{app}":
            raise
        raise LookupError(
            f"{app} is in project/patterns.py but has no benchmark loader:"
            f" add benchmarks/patterns/{app}.py (see benchmarks/patterns/__init__.py)"
        ) from None
