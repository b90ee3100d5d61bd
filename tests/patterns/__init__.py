"""Declared tables: what each pattern claims, for the shared suite to measure.

Each pattern has a module here (``tests/patterns/<app>.py``) holding:

- ``OWNERSHIP``: an :class:`Ownership` (absent for ``m2m_fields``);
- ``SAVES``: a :class:`Saves`;
- the probe functions named in :data:`OWNERSHIP_PROBES` / :data:`SAVES_PROBES`,
  which try to write bad data straight to the database. A write probe takes
  ``(via, world)``, writes through raw SQL, ``QuerySet.update()`` or
  ``bulk_create()`` as ``via`` says, and returns what it wrote
  (``cursor.rowcount``, update()'s count, or bulk_create()'s list), so a
  probe that silently wrote nothing can't pass for "the database accepted it".
  A probe for an UNREPRESENTABLE check must not exist.

The shared suite compares every field with a fresh measurement, so a
declaration can't drift from the code without a test failing; docs render from
these tables for the same reason.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field
from types import ModuleType

from project.patterns import OWNERSHIP_APPS, SAVES_APPS

# What the database does with a write or delete (the outcome of a probe).
REJECTED = "rejected"  # the database refuses it: IntegrityError
ACCEPTED = "accepted"  # the database stores it: the data is now corrupt
CASCADED = "cascaded"  # the dependent rows went with the deleted row
# The schema has no columns in which to write that state at all. Declared only
# with a reason, and a probe must then be absent (checked by the suite).
UNREPRESENTABLE = "unrepresentable"

OUTCOMES = {REJECTED, ACCEPTED, CASCADED, UNREPRESENTABLE}

# The three ways in, besides Model.save(): none of them runs Python validation.
VIAS = ("sql", "update", "bulk_create")


@dataclass(frozen=True)
class Ownership:
    # Queries for task_rows() and tasks_of_groups_created_by(), the same for 3
    # and 30 owners of each kind (the suite measures both).
    task_rows: int
    tasks_of_groups_created_by: int
    # task_rows_naive() at 3 and at 30 owners of each kind, under Django 6.1's
    # default fetch mode (FETCH_ONE) and under FETCH_PEERS.
    naive_fetch_one: tuple[int, int]
    naive_fetch_peers: tuple[int, int]
    # Admin changelists of tasks: URL name -> queries, the same for 5 and 50 tasks.
    admin_changelists: dict[str, int]
    # Integrity check -> outcome; see OWNERSHIP_CHECKS for the keys.
    integrity: dict[str, str]
    # Why a check is UNREPRESENTABLE, keyed like `integrity`.
    unrepresentable_because: dict[str, str] = field(default_factory=dict)
    # Check -> the vias through which Django itself refuses the write with a
    # ValueError before any SQL is sent (bulk_create() of a multi-table child).
    # The probe still makes the real call; the suite expects the ValueError.
    refused_by_django: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Saves:
    # Queries for one saved_feed() page and one is_saved(), the same with 10
    # and with 100 saves (the suite measures both).
    feed_page: int
    is_saved: int
    # False where the schema has no saved-at time to order by (plain M2M).
    feed_newest_first: bool
    # False where the schema has nowhere to keep per-type extras.
    extras: bool
    integrity: dict[str, str]
    unrepresentable_because: dict[str, str] = field(default_factory=dict)
    refused_by_django: dict[str, tuple[str, ...]] = field(default_factory=dict)


# Integrity checks of the ownership domain, and the probe each one calls.
OWNERSHIP_CHECKS = {
    # a task pointing at an owner row that does not exist
    "missing_owner": "write_missing_owner",
    # a task owned by a person and a group at once
    "both_owners": "write_both_owners",
    # a task owned by nobody
    "no_owner": "write_no_owner",
    # a person deleted with raw SQL while a task points at them
    "raw_delete_owner": "raw_delete_owner",
    # a person deleted through the ORM (Model.delete(), not delete_owner())
    "orm_delete_owner": None,  # the suite calls person.delete() itself
}
OWNERSHIP_PROBES = (
    "write_missing_owner",  # (via, world) -> rows written
    "write_both_owners",  # (via, world) -> rows written
    "write_no_owner",  # (via, world) -> rows written
    "raw_delete_owner",  # (person) -> rows deleted: DELETE the person in raw SQL
    "task_count",  # () -> int: rows in the app's task table(s)
    "bad_instance",  # (world) -> unsaved task (or Owner row) full_clean() must reject
    "admin_bad_add",  # (world) -> (admin URL name, POST data, model to count)
)

SAVES_CHECKS = {
    # a second save of the same item by the same user
    "duplicate_save": "write_duplicate_save",
    # one save row pointing at two items at once
    "two_items": "write_save_of_two_items",
    # a save row pointing at no item
    "no_item": "write_save_of_nothing",
    # a save pointing at an item that does not exist
    "missing_item": "write_save_of_missing_item",
    # an item deleted with raw SQL while a save points at it
    "raw_delete_item": "raw_delete_item",
    # an item deleted through the ORM (Model.delete(), not delete_media())
    "orm_delete_item": None,
    # a movie save carrying anime-only episode_progress
    "progress_on_a_movie": "write_progress_on_a_movie",
}
SAVES_PROBES = (
    "write_duplicate_save",  # (via, sworld) -> rows written
    "write_save_of_two_items",  # (via, sworld) -> rows written
    "write_save_of_nothing",  # (via, sworld) -> rows written
    "write_save_of_missing_item",  # (via, sworld) -> rows written
    "write_progress_on_a_movie",  # (via, sworld) -> rows written
    "raw_delete_item",  # (item) -> rows deleted: DELETE the item in raw SQL
    "save_count",  # () -> int: rows in the app's save table(s)
)


def module(app: str) -> ModuleType:
    return importlib.import_module(f"tests.patterns.{app}")


def ownership_apps() -> list[str]:
    return list(OWNERSHIP_APPS)


def saves_apps() -> list[str]:
    return list(SAVES_APPS)
