"""The operation registry: every timed operation, defined once for every pattern.

An operation says what to call on a loaded pattern and what the answer must
be (from benchmarks/dataset.py, so a pattern that returns the wrong rows
fails the run instead of winning it). To time something new (say, the
migration off a GFK), add one function here with @operation.

Fair by construction: each operation calls the same function of every app,
with the same arguments, and compares the same result. The worker also counts
the model instances each call builds, so a pattern that skips building them
shows up in the results (`instances`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any

from django.apps import apps

from benchmarks import loading
from benchmarks.databases import Dialect
from benchmarks.dataset import Dataset

PER_PAGE = 50


@dataclass(frozen=True)
class Subject:
    """One pattern app, loaded at one size, as an operation sees it."""

    app: str
    queries: ModuleType
    bench: ModuleType
    ds: Dataset
    db: Dialect
    # A variant's replacement for this operation (e.g. a DB_CASCADE delete).
    override: Callable[..., Any] | None = None

    def model(self, name: str):
        return apps.get_model(self.app, name)


@dataclass(frozen=True)
class Prepared:
    # Timed. Takes what setup() returned (None without a setup).
    call: Callable[[Any], Any]
    # Untimed, before every call: builds what a destructive call consumes.
    setup: Callable[[], Any] = lambda: None
    # Untimed, after every call: undoes a write, so that every operation
    # after it (a variant's included) reads the dataset as loaded.
    teardown: Callable[[Any, Any], None] = lambda argument, result: None
    # What normalise(call(...)) must equal; None: nothing to compare.
    expected: Any = None
    normalise: Callable[[Any], Any] = lambda result: result
    # Untimed, after the first call, before teardown: what a write left in
    # the database, as a sentence saying what is wrong, or None. A delete
    # that forgot a table, or a write that wrote nothing, fails the run.
    verify: Callable[[Any, Any], str | None] = lambda argument, result: None


@dataclass(frozen=True)
class Operation:
    id: str
    title: str
    domain: str  # "ownership" or "saves"
    prepare: Callable[[Subject], Prepared]
    # Skipped above this many tasks: reads every row, or too slow to repeat.
    max_tasks: int | None = None


OPERATIONS: dict[str, Operation] = {}


def operation(op_id: str, title: str, domain: str, **options: Any):
    def register(prepare: Callable[[Subject], Prepared]) -> Callable:
        OPERATIONS[op_id] = Operation(op_id, title, domain, prepare, **options)
        return prepare

    return register


@dataclass
class Counter:
    """Numbers for writes that must not collide between runs."""

    numbers: itertools.count = field(default_factory=lambda: itertools.count(1))

    def next(self) -> int:
        return next(self.numbers)


def rows_as_loaded(s: Subject, victim: str) -> Callable[[Any, Any], str | None]:
    """A delete's check: every table of the app holds the rows it held before
    the victim was made (the dataset as loaded), so the delete took the
    victim and everything that depends on it, and nothing else."""
    loaded = loading.row_counts(s.app)

    def verify(argument: Any, result: Any) -> str | None:
        left = loading.row_counts(s.app)
        if left == loaded:
            return None
        changed = {t: (loaded[t], n) for t, n in left.items() if loaded.get(t) != n}
        return f"after deleting {victim}, rows (loaded, now): {changed}"

    return verify


# Ownership -------------------------------------------------------------------


def page_operation(op_id: str, title: str, function: str, deep: bool) -> None:
    @operation(op_id, title, "ownership")
    def prepare(s: Subject) -> Prepared:
        number = s.ds.deep_task_page if deep else 1
        page = getattr(s.queries, function)
        return Prepared(
            call=lambda _: page(number, PER_PAGE),
            expected=s.ds.task_page(number, PER_PAGE),
        )


page_operation("task_page", "task page 1, one query with joins", "task_page", False)
page_operation(
    "task_page_deep", "deep task page, one query with joins", "task_page", True
)
page_operation(
    "task_page_prefetched",
    "task page 1, page first then its owners",
    "task_page_prefetched",
    False,
)
page_operation(
    "task_page_prefetched_deep",
    "deep task page, page first then its owners",
    "task_page_prefetched",
    True,
)


@operation("task_rows", "every task (task_rows())", "ownership", max_tasks=100_000)
def task_rows(s: Subject) -> Prepared:
    return Prepared(call=lambda _: s.queries.task_rows(), expected=s.ds.task_rows())


@operation("tasks_owned_by", "a person's tasks", "ownership")
def tasks_owned_by(s: Subject) -> Prepared:
    p = s.ds.persons // 2
    person = s.model("Person").objects.get(name=s.ds.person_name(p))
    return Prepared(
        call=lambda _: s.queries.tasks_owned_by(person),
        expected=s.ds.tasks_of_person(p),
        normalise=lambda tasks: [task.description for task in tasks],
    )


@operation(
    "tasks_of_groups_created_by", "tasks of groups a person created", "ownership"
)
def tasks_of_groups_created_by(s: Subject) -> Prepared:
    # Person 1 created group 1, with its ten tasks.
    person = s.model("Person").objects.get(name=s.ds.person_name(1))
    return Prepared(
        call=lambda _: s.queries.tasks_of_groups_created_by(person),
        expected=s.ds.tasks_of_group(1),
        normalise=lambda tasks: [task.description for task in tasks],
    )


@operation("task_counts", "task count per owner kind", "ownership")
def task_counts(s: Subject) -> Prepared:
    return Prepared(call=lambda _: s.queries.task_counts(), expected=s.ds.task_counts())


@operation("create_task", "create_task() for a person", "ownership")
def create_task(s: Subject) -> Prepared:
    person = s.model("Person").objects.get(name=s.ds.person_name(2))
    numbers = Counter()
    return Prepared(
        setup=lambda: f"Written task {numbers.next():07d}",
        call=lambda description: s.queries.create_task(description, person),
        teardown=lambda description, task: task.delete(),
        verify=lambda description, task: (
            None
            if type(task)
            ._base_manager.filter(pk=task.pk, description=description)
            .exists()
            else f"no task {description!r} after create_task()"
        ),
    )


@operation("delete_owner", "delete a person with 1,000 dependent tasks", "ownership")
def delete_owner(s: Subject) -> Prepared:
    delete = s.override or s.queries.delete_owner
    return Prepared(
        setup=lambda: loading.victim_owner(s.queries, s.bench, s.db),
        call=delete,
        verify=rows_as_loaded(s, "the person, their group and their 1,000 tasks"),
    )


@operation(
    "bulk_create_persons",
    "1,000 persons through the ORM's bulk route",
    "ownership",
)
def bulk_create_persons(s: Subject) -> Prepared:
    # bulk_create() where Django allows it; mti's children it refuses, so
    # there create_persons() is one create() per person (mti/queries.py).
    # Fewer than 1,000 only on datasets smaller than any grid's (the smoke
    # test's), where a thousand create() calls would be most of the run.
    names = [f"Bulk person {n:04d}" for n in range(min(1_000, s.ds.persons))]
    return Prepared(
        call=lambda _: s.queries.create_persons(names),
        teardown=lambda argument, result: s.bench.delete_persons(names),
        verify=lambda argument, result: (
            None
            if s.model("Person").objects.filter(name__in=names).count() == len(names)
            else f"create_persons() did not write {len(names)} persons"
        ),
    )


# Saves -----------------------------------------------------------------------


def feed_operation(op_id: str, title: str, deep: bool) -> None:
    @operation(op_id, title, "saves")
    def prepare(s: Subject) -> Prepared:
        heavy = loading.user(1)
        number = s.ds.deep_feed_page if deep else 1
        by_title = getattr(s.bench, "FEED_ORDER", "newest") == "title"
        expected = (s.ds.feed_page_by_title if by_title else s.ds.feed_page)(
            number, PER_PAGE
        )
        return Prepared(
            call=lambda _: s.queries.saved_feed(heavy, number, PER_PAGE),
            expected=expected,
        )


feed_operation("saved_feed", "feed page 1 (saved_feed())", False)
feed_operation("saved_feed_deep", "deep feed page (saved_feed())", True)


@operation("is_saved", "is_saved()", "saves")
def is_saved(s: Subject) -> Prepared:
    heavy = loading.user(1)
    # Item 1 of the dataset, a movie: the heavy user's first save.
    movie = s.model("Movie").objects.get(title=s.ds.title("movie", 1))
    return Prepared(call=lambda _: s.queries.is_saved(heavy, movie), expected=True)


@operation("save_item", "save_item() of a new save", "saves")
def save_item(s: Subject) -> Prepared:
    writer = loading.user(s.ds.writer)
    # The writer has saved nothing, and each run's save is undone after it:
    # every run stores a new save, the movies taken in turn.
    movies = itertools.cycle(s.model("Movie").objects.order_by("pk"))
    return Prepared(
        setup=lambda: next(movies),
        call=lambda movie: s.queries.save_item(writer, movie),
        teardown=lambda movie, saved: s.queries.unsave_item(writer, movie),
        expected=True,
        verify=lambda movie, saved: (
            None
            if s.queries.is_saved(writer, movie)
            else "save_item() said it saved, and is_saved() says it did not"
        ),
    )


@operation("delete_media", "delete a movie with 1,000 saves", "saves")
def delete_media(s: Subject) -> Prepared:
    delete = s.override or s.queries.delete_media
    return Prepared(
        setup=lambda: loading.victim_item(s.queries, s.bench, s.db),
        call=delete,
        verify=rows_as_loaded(s, "the movie and its 1,000 saves"),
    )
