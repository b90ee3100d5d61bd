"""The benchmark dataset: one arithmetic definition, read back in Python and SQL.

Every row is a function of its number, so the loaders can write millions of
rows with one INSERT ... SELECT over a series, and this module can say what
any page must contain without loading anything. The SQL fragments sit beside
the Python they mirror; the loaders' read-back check (benchmarks/verify.py)
compares the two through each app's own queries.py.

Proportions at N tasks (and N saves), chosen to look like a real app:

- persons: N/5; groups: N/50 (a tenth of the persons), group g created by
  person g, so the first N/50 persons created one group each;
- tasks: 4/5 owned by persons (4 each), 1/5 by groups (10 each); the
  descriptions are a permutation of "Task 0000000".."Task N-1", scattered
  across ids so that ordering by description is real work;
- media: N/30 of each kind (N/10 items, about ten saves per item);
- users: max(N/50, 1,000): a "heavy" user (id 1) with N/20 saves, for deep
  feed pages, then users with a handful to a few thousand saves each (a
  quadratic skew: few users save a lot, most save a little), and a "writer"
  with none, for single writes. Every user's saves are spread over the same
  period of time, one save a second. At least 1,000 users, so that an item can be
  saved by 1,000 of them (delete_media's dependants).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cached_property

# Descriptions are "Task %07d" of (t * MULTIPLIER) mod N: a permutation of
# 0..N-1 whenever N is coprime with it (any power of ten is).
MULTIPLIER = 7919
KINDS = ("movie", "anime", "manga")
SAVED_FROM = datetime(2025, 1, 1, tzinfo=UTC)
# The delete operations' victims: an owner with this many dependent tasks
# (TASKS_OF_VICTIM_GROUP of them through a group the person created), and
# an item with this many saves.
VICTIM_DEPENDANTS = 1_000
DEEP_TASK_PAGE = 101
TASKS_OF_VICTIM_GROUP = 100

TaskRow = tuple[str, str, str, str | None]
FeedRow = tuple[str, str, datetime | None, dict]


@dataclass(frozen=True)
class Dataset:
    tasks: int

    def __post_init__(self) -> None:
        if math.gcd(self.tasks, MULTIPLIER) != 1:
            raise ValueError(f"{self.tasks} tasks: must be coprime with {MULTIPLIER}")
        if self.tasks < 100:
            raise ValueError("at least 100 tasks: every kind of row needs one")

    # Ownership ---------------------------------------------------------------

    @property
    def persons(self) -> int:
        return self.tasks // 5

    @property
    def groups(self) -> int:
        return self.tasks // 50

    @property
    def group_tasks(self) -> int:
        return self.tasks // 5

    @property
    def person_tasks(self) -> int:
        return self.tasks - self.group_tasks

    @staticmethod
    def person_name(p: int) -> str:
        return f"Person {p:07d}"

    @staticmethod
    def group_name(g: int) -> str:
        return f"Group {g:07d}"

    def description(self, t: int) -> str:
        # t counts person tasks first (1..person_tasks), then group tasks.
        return f"Task {t * MULTIPLIER % self.tasks:07d}"

    def task_owner(self, t: int) -> tuple[str, int]:
        if t <= self.person_tasks:
            return "person", (t - 1) % self.persons + 1
        return "group", (t - self.person_tasks - 1) % self.groups + 1

    def task_row(self, t: int) -> TaskRow:
        kind, n = self.task_owner(t)
        if kind == "person":
            return (self.description(t), "person", self.person_name(n), None)
        # Group g was created by person g.
        return (self.description(t), "group", self.group_name(n), self.person_name(n))

    def task_at(self, offset: int) -> int:
        """The task at `offset` in description order: the permutation inverted."""
        t = offset * pow(MULTIPLIER, -1, self.tasks) % self.tasks
        return t or self.tasks

    def task_page(self, page: int, per_page: int) -> list[TaskRow]:
        start = (page - 1) * per_page
        stop = min(start + per_page, self.tasks)
        return [self.task_row(self.task_at(offset)) for offset in range(start, stop)]

    def task_rows(self) -> list[TaskRow]:
        # The contract's order; descriptions are unique, so by description.
        return self.task_page(1, self.tasks)

    def tasks_of_person(self, p: int) -> list[str]:
        ts = range(p, self.person_tasks + 1, self.persons)
        return sorted(self.description(t) for t in ts)

    def tasks_of_group(self, g: int) -> list[str]:
        first = self.person_tasks + g
        ts = range(first, self.tasks + 1, self.groups)
        return sorted(self.description(t) for t in ts)

    def task_counts(self) -> dict[str, int]:
        return {"person": self.person_tasks, "group": self.group_tasks}

    # Saves -------------------------------------------------------------------

    @property
    def per_kind(self) -> int:
        return self.tasks // 30

    @property
    def items(self) -> int:
        return 3 * self.per_kind

    @property
    def saves(self) -> int:
        return self.tasks

    @property
    def heavy_saves(self) -> int:
        return self.tasks // 20

    @property
    def users(self) -> int:
        # Users 2..users+1 hold the other saves; see save_user().
        return max(self.tasks // 50, VICTIM_DEPENDANTS)

    @property
    def writer(self) -> int:
        # The user id of the writer: no saves of their own.
        return self.users + 2

    @staticmethod
    def item_kind(j: int) -> str:
        # Items interleave movie, anime, manga: every feed page holds all kinds.
        return KINDS[(j - 1) % 3]

    @staticmethod
    def item_number(j: int) -> int:
        # The item's number within its kind, 1-based.
        return (j - 1) // 3 + 1

    @staticmethod
    def title(kind: str, k: int) -> str:
        return f"{kind.capitalize()} {k:07d}"

    @staticmethod
    def media_fields(kind: str, k: int) -> dict[str, int]:
        if kind == "movie":
            return {"year": 1950 + k % 75}
        if kind == "anime":
            return {"episodes": 1 + k % 50}
        return {"volumes": 1 + k % 40}

    def save_item(self, s: int) -> int:
        if s <= self.heavy_saves:
            return s
        return (s - 1) % self.items + 1

    def save_user(self, s: int) -> int:
        # A user's saves are consecutive s, so consecutive items: never the
        # same item twice while a user holds fewer saves than there are items.
        if s <= self.heavy_saves:
            return 1
        rest = self.saves - self.heavy_saves
        return 2 + self.users * (s - self.heavy_saves - 1) ** 2 // rest**2

    def saved_at(self, s: int) -> datetime:
        # Save s is the (s * MULTIPLIER mod N)-th second of the saving period:
        # every user's saves, the heavy one's too, spread over the whole of
        # it, as they would be in a live app (saves numbered in time order
        # would put all of one user's saves together).
        return SAVED_FROM + timedelta(seconds=s * MULTIPLIER % self.saves)

    @staticmethod
    def extras(kind: str, s: int) -> dict:
        if kind == "anime":
            return {"episode_progress": s % 13}
        if kind == "movie":
            return {"watched": s % 2 == 0}
        return {}

    def feed_row(self, s: int) -> FeedRow:
        j = self.save_item(s)
        kind = self.item_kind(j)
        title = self.title(kind, self.item_number(j))
        return (kind, title, self.saved_at(s), self.extras(kind, s))

    @cached_property
    def heavy_feed(self) -> list[int]:
        """The heavy user's saves, newest first."""
        saves = range(1, self.heavy_saves + 1)
        return sorted(saves, key=self.saved_at, reverse=True)

    def feed_page(self, page: int, per_page: int) -> list[FeedRow]:
        """The heavy user's feed, newest first."""
        start = (page - 1) * per_page
        return [self.feed_row(s) for s in self.heavy_feed[start : start + per_page]]

    def feed_page_by_title(self, page: int, per_page: int) -> list[FeedRow]:
        """The heavy user's saves by title, for a schema with no saved-at time."""
        rows = sorted(
            (self.title(self.item_kind(j), self.item_number(j)), self.item_kind(j))
            for j in range(1, self.heavy_saves + 1)
        )
        start = (page - 1) * per_page
        return [
            (kind, title, None, {}) for title, kind in rows[start : start + per_page]
        ]

    @property
    def deep_task_page(self) -> int:
        # Rows 5,001-5,050 at every size (the middle of 10,000 tasks): how the
        # cost of the same OFFSET grows with the table. The middle of a
        # million rows is a full sort, seconds a call, and no one's page.
        return min(DEEP_TASK_PAGE, self.tasks // 2 // 50 + 1)

    @property
    def deep_feed_page(self) -> int:
        return self.heavy_saves // 2 // 50 + 1


class Sql:
    """The same arithmetic as Dataset, as SQL over a series column `i`.

    Each method returns an expression; `db` supplies the spelling that
    differs between databases (padding, timestamps).
    """

    def __init__(self, ds: Dataset, db) -> None:
        self.ds = ds
        self.db = db

    def description(self, t: str = "i") -> str:
        return self.db.concat(
            "'Task '", self.db.pad(f"({t}) * {MULTIPLIER} % {self.ds.tasks}")
        )

    def person_task_owner(self) -> str:
        return f"(i - 1) % {self.ds.persons} + 1"

    def group_task_owner(self) -> str:
        # For a series over group tasks only (i = t - person_tasks).
        return f"(i - 1) % {self.ds.groups} + 1"

    def group_task_number(self) -> str:
        return f"i + {self.ds.person_tasks}"

    def name(self, prefix: str, n: str = "i") -> str:
        return self.db.concat(f"'{prefix} '", self.db.pad(n))

    def item_of_save(self) -> str:
        heavy, items = self.ds.heavy_saves, self.ds.items
        return f"(CASE WHEN i <= {heavy} THEN i ELSE (i - 1) % {items} + 1 END)"

    def user_of_save(self) -> str:
        heavy, rest = self.ds.heavy_saves, self.ds.saves - self.ds.heavy_saves
        skew = f"{self.ds.users} * (i - {heavy} - 1) * (i - {heavy} - 1)"
        share = self.db.div(skew, str(rest * rest))
        return f"(CASE WHEN i <= {heavy} THEN 1 ELSE 2 + {share} END)"

    def kind_is(self, kind: str, j: str) -> str:
        return f"({j} - 1) % 3 = {KINDS.index(kind)}"

    def item_number(self, j: str) -> str:
        return f"{self.db.div(f'{j} - 1', '3')} + 1"

    def saved_at(self) -> str:
        return self.db.timestamp(SAVED_FROM, f"i * {MULTIPLIER} % {self.ds.saves}")

    def title(self, kind: str, k: str = "i") -> str:
        return self.name(kind.capitalize(), k)

    def media_field(self, kind: str, k: str = "i") -> tuple[str, str]:
        if kind == "movie":
            return "year", f"1950 + ({k}) % 75"
        if kind == "anime":
            return "episodes", f"1 + ({k}) % 50"
        return "volumes", f"1 + ({k}) % 40"

    def progress(self) -> str:
        return "i % 13"

    def watched(self) -> str:
        return "(i % 2 = 0)"
