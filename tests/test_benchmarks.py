"""The benchmark pipeline, end to end on a tiny grid. Timings are never checked.

Two halves. The loaders are run here, in the suite's own test database, and
read back through each app's queries.py against the dataset's own answer.
Then the real command runs on SQLite in a temp dir, and its results file is
read (never its printed output): every operation timed for every app, charts
drawn, and query counts that agree with what the app's functions cost here
on the same rows.
"""

import importlib
import inspect
import json
import os
import subprocess
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from benchmarks import databases, loading
from benchmarks import patterns as benchmark_patterns
from benchmarks.dataset import Dataset
from benchmarks.operations import OPERATIONS, Subject
from project.patterns import OWNERSHIP_APPS, SAVES_APPS

TASKS = 300  # the smallest dataset with every kind of row on a feed page


def load(app: str, ds: Dataset):
    db = databases.current()
    bench = benchmark_patterns.module(app)
    if app in OWNERSHIP_APPS:
        bench.load_ownership(ds, db)
    bench.load_saves(ds, db)
    return importlib.import_module(f"{app}.queries")


@pytest.fixture
def dataset(db) -> Dataset:
    ds = Dataset(TASKS)
    loading.load_users(ds, databases.current())
    return ds


@pytest.mark.parametrize("app", SAVES_APPS)
def test_loaded_rows_read_back_through_the_apps_queries(app, dataset):
    queries = load(app, dataset)
    bench = benchmark_patterns.module(app)
    if app in OWNERSHIP_APPS:
        assert queries.task_rows() == dataset.task_rows()
        person = bench.m.Person.objects.get(name=dataset.person_name(1))
        assert [t.description for t in queries.tasks_of_groups_created_by(person)] == (
            dataset.tasks_of_group(1)
        )
    heavy = get_user_model().objects.get(pk=1)
    by_title = getattr(bench, "FEED_ORDER", "") == "title"
    expected = dataset.feed_page_by_title if by_title else dataset.feed_page
    assert queries.saved_feed(heavy, 1, 50) == expected(1, 50)
    assert queries.saved_count(heavy) == dataset.heavy_saves


# The tests reading one real run share it: one worker runs them all, and the
# command once (a session fixture: other modules' tests run in between). The
# run takes seconds: `make benchmark-smoke` runs these (marked benchmark),
# `make test` doesn't.
@pytest.fixture(scope="session")
def results(tmp_path_factory):
    out = tmp_path_factory.mktemp("benchmark")
    # SQLite whatever DATABASE_URL says: the run creates and drops its own
    # test database in a temp dir.
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    command = [sys.executable, "-m", "benchmarks.run", "--sizes", str(TASKS)]
    command += ["--min-runs", "1", "--max-runs", "1", "--budget", "0"]
    subprocess.run(
        [*command, "--out", str(out), "--no-progress"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        timeout=300,
        check=True,
    )
    return out, json.loads((out / "results.json").read_text())


@pytest.mark.benchmark
@pytest.mark.xdist_group("benchmark_run")
def test_run_writes_charts_and_its_provenance(results):
    out, data = results
    assert (out / "charts" / "time-sqlite.png").stat().st_size > 0
    assert (out / "charts" / f"ratio-sqlite-{TASKS}.png").stat().st_size > 0
    # Listed in the results file, which is what the site serves them by.
    assert data["charts"] == ["time-sqlite.png", f"ratio-sqlite-{TASKS}.png"]
    assert data["machine"]["cores"] >= 1
    assert data["databases"]["sqlite"]["libraries"]["django"].startswith("6.1")


@pytest.mark.benchmark
@pytest.mark.xdist_group("benchmark_run")
def test_every_operation_is_timed_for_every_app_of_its_domain(results):
    _, data = results
    part = data["databases"]["sqlite"]
    timed = {
        (m["operation"], m["pattern"]) for m in part["measurements"] if not m["variant"]
    }
    expected = {
        (op.id, app)
        for op in OPERATIONS.values()
        for app in (OWNERSHIP_APPS if op.domain == "ownership" else SAVES_APPS)
    }
    assert timed == expected
    # Plans are kept at the largest size run: every query of every figure.
    for m in part["measurements"]:
        assert m["runs"] >= 1 and m["median"] > 0
        assert len(m["plans"]) >= 1


@pytest.mark.benchmark
@pytest.mark.xdist_group("benchmark_run")
def test_every_table_of_every_app_is_loaded(results):
    # What the rows hold is checked by every timed call against the dataset;
    # this catches a loader that forgets a table the reads never touch.
    _, data = results
    loads = data["databases"]["sqlite"]["loads"]
    assert {load_["pattern"] for load_ in loads} == set(SAVES_APPS)
    for load_ in loads:
        assert all(load_["rows"].values()), load_["rows"]
        assert load_["rows_per_second"] > 0


WRITES = {"create_task", "save_item", "delete_owner", "delete_media"}
WRITES.add("bulk_create_persons")
# The operations that change nothing: each can run twice on the same rows.
READS = [op for op in OPERATIONS if op not in WRITES]


@pytest.mark.benchmark
@pytest.mark.xdist_group("benchmark_run")
@pytest.mark.parametrize("app", SAVES_APPS)
def test_recorded_counts_are_what_the_calls_cost_on_the_same_rows(
    app, results, dataset
):
    _, data = results
    queries = load(app, dataset)
    subject = Subject(
        app, queries, benchmark_patterns.module(app), dataset, databases.current()
    )
    recorded = {
        m["operation"]: m["queries"]
        for m in data["databases"]["sqlite"]["measurements"]
        if m["pattern"] == app and m["variant"] is None
    }
    for operation in READS:
        if operation not in recorded:
            continue  # not this app's domain
        prepared = OPERATIONS[operation].prepare(subject)
        prepared.call(None)  # content types are read once per process, then cached
        with CaptureQueriesContext(connection) as captured:
            prepared.call(None)
        assert recorded[operation] == len(captured.captured_queries), operation


# What is timed is the app's own code, and every write says what it did ---------


def subject_of(app: str, ds: Dataset) -> Subject:
    queries = load(app, ds)
    return Subject(
        app, queries, benchmark_patterns.module(app), ds, databases.current()
    )


def spies(module) -> dict[str, mock.MagicMock]:
    """A spy on every function the module defines (calls go through)."""
    return {
        name: mock.MagicMock(wraps=function)
        for name, function in inspect.getmembers(module, inspect.isfunction)
        if function.__module__ == module.__name__
    }


@pytest.mark.parametrize("app", SAVES_APPS)
def test_every_timed_operation_calls_the_apps_own_function(app, dataset):
    # The timed call of every operation, with a spy on every function of the
    # app's queries.py and of its benchmark module: it must reach the first
    # and never the second (which loads rows, and undoes writes untimed).
    subject = subject_of(app, dataset)
    domains = {"saves"} | ({"ownership"} if app in OWNERSHIP_APPS else set())
    reached = {}
    for op in OPERATIONS.values():
        if op.domain not in domains:
            continue
        app_spies, bench_spies = spies(subject.queries), spies(subject.bench)
        with (
            mock.patch.multiple(subject.queries, **app_spies),
            mock.patch.multiple(subject.bench, **bench_spies),
        ):
            prepared = op.prepare(subject)
            argument = prepared.setup()
            for spy in [*app_spies.values(), *bench_spies.values()]:
                spy.reset_mock()
            result = prepared.call(argument)
            called = {name for name, spy in app_spies.items() if spy.called}
            copies = {name for name, spy in bench_spies.items() if spy.called}
            prepared.teardown(argument, result)
        reached[op.id] = (bool(called), sorted(copies))
    assert reached == dict.fromkeys(reached, (True, []))


@pytest.mark.parametrize("app", OWNERSHIP_APPS)
def test_a_timed_delete_that_leaves_a_dependant_behind_fails_its_run(app, dataset):
    subject = subject_of(app, dataset)
    prepared = OPERATIONS["delete_owner"].prepare(subject)
    victim = prepared.setup()
    # The person's row alone, past the ORM's cascade, rolled back before the
    # foreign keys are checked.
    table, pk = type(victim)._meta.db_table, type(victim)._meta.pk.column
    # MariaDB checks foreign keys per statement: off, as for a restore.
    checks = connection.vendor == "mysql"
    with transaction.atomic():
        with connection.cursor() as cursor:
            if checks:
                cursor.execute("SET SESSION foreign_key_checks = 0")
            cursor.execute(f"DELETE FROM {table} WHERE {pk} = %s", [victim.pk])
            if checks:
                cursor.execute("SET SESSION foreign_key_checks = 1")
        assert "after deleting the person" in prepared.verify(victim, None)
        transaction.set_rollback(True)
    honest = OPERATIONS["delete_owner"].prepare(subject)
    victim = honest.setup()
    honest.call(victim)
    assert honest.verify(victim, None) is None


@pytest.mark.parametrize("app", SAVES_APPS)
def test_timed_writes_are_verified_against_what_they_wrote(app, dataset):
    subject = subject_of(app, dataset)
    prepared = OPERATIONS["save_item"].prepare(subject)
    movie = prepared.setup()
    # A save_item() that said yes and wrote nothing.
    assert prepared.verify(movie, True) is not None
    saved = prepared.call(movie)
    assert prepared.verify(movie, saved) is None
    prepared.teardown(movie, saved)
    delete = OPERATIONS["delete_media"].prepare(subject)
    item = delete.setup()
    assert "after deleting the movie" in delete.verify(item, None)
    delete.call(item)
    assert delete.verify(item, None) is None


TWIN_APPS = [
    "nullable_fks",
    "check_constraint",
    "owner_table",
    "owner_o2o",
    "mti",
    "linked_models",
]


@pytest.fixture
def twin_modules(settings):
    # Installed as benchmarks/settings.py installs them, for this test only.
    from benchmarks.settings import INSTALLED_APPS as BENCHMARK_APPS

    settings.INSTALLED_APPS = [*settings.INSTALLED_APPS] + [
        app for app in BENCHMARK_APPS if app.startswith("benchmarks.db_cascade")
    ]
    return {app: loading.twins(app) for app in TWIN_APPS}


@pytest.mark.django_db
def test_every_db_cascade_twin_has_its_apps_migrated_tables_and_foreign_keys(
    twin_modules,
):
    found = {
        app: loading.twin_differences(app, module)
        for app, module in twin_modules.items()
    }
    assert found == dict.fromkeys(TWIN_APPS, [])
    assert sorted(
        p.name
        for p in (settings.BASE_DIR / "benchmarks" / "db_cascade").iterdir()
        if p.is_dir() and (p / "models.py").exists()
    ) == sorted(TWIN_APPS)


@pytest.mark.django_db
def test_a_twin_that_forgot_a_foreign_key_is_named(twin_modules):
    task = twin_modules["nullable_fks"].Task
    kept = [f for f in task._meta.local_concrete_fields if f.name != "owner_group"]
    with mock.patch.object(task._meta, "local_concrete_fields", kept):
        found = loading.twin_differences("nullable_fks", twin_modules["nullable_fks"])
    # Named by its table, the migrated key listed, the twin's without it.
    [problem] = found
    migrated, twinned = problem.split(", twinned ")
    assert migrated.startswith("nullable_fks_task: foreign keys migrated")
    assert "owner_group_id" in migrated and "owner_group_id" not in twinned
