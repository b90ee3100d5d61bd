"""Moving a populated GFK off to check_constraint and to linked_models.

The source holds what a GFK lets in besides good rows: tasks of a deleted
person, a task owned by a movie, a save of a deleted movie, a save of a
person, an extra on the wrong kind and (in the unguarded table) a second save
of one item. After the move every good row is in the target once, every bad
one is in the report with its reason, and the target's own guards and reads
work on what arrived.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from benchmarks import moving as moving_benchmark
from benchmarks.moving_report import render as render_moving
from gfk_baseline import models as gfk
from gfk_baseline import queries as gq
from off_gfk import moving, to_check_constraint, to_linked_models
from off_gfk.models import Reason, SetAside, UnguardedSavedItem
from tests import patterns, test_integrity
from tests.conftest import queries_of

pytestmark = pytest.mark.django_db

TARGETS = [
    pytest.param(to_check_constraint, id="check_constraint"),
    pytest.param(to_linked_models, id="linked_models"),
]
# Small batches: the world's rows span several, so duplicates and reruns
# meet rows a batch before them.
SIZE = 2
PER_PAGE = 50
SAVED_AT = datetime(2026, 1, 1, tzinfo=UTC)


class CutOff(Exception):
    """The process killed between two batches."""


def raw_delete(model, pk) -> None:
    # What a GFK can't stop: no foreign key points at the deleted row.
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} WHERE id = %s", [pk])


def content_type(model) -> ContentType:
    return ContentType.objects.get_for_model(model)


def gfk_world(django_user_model, saves_from=gfk.SavedItem) -> SimpleNamespace:
    """Good rows first, read back as the expected result; then the bad ones."""
    alice, bob = gq.create_person("Alice"), gq.create_person("Bob")
    team = gq.create_group("Team", creator=alice)
    for description, owner in [
        ("Alice's first", alice),
        ("Alice's second", alice),
        ("Bob's", bob),
        ("Team's first", team),
        ("Team's second", team),
    ]:
        gq.create_task(description, owner)
    # Not the shared worlds' "viewer" and "other": the probes' worlds are
    # built on top of this one.
    viewer = django_user_model.objects.create_user("moved viewer", password="pw")
    other = django_user_model.objects.create_user("moved other", password="pw")
    movie = gq.create_media("movie", "Alien", year=1979)
    anime = gq.create_media("anime", "Mushishi", episodes=26)
    manga = gq.create_media("manga", "Monster", volumes=18)

    saved_at = iter(SAVED_AT + timedelta(minutes=m) for m in range(100))

    def save(user, item, **extras):
        # Into gfk_baseline's table, read back as the expected feed; and into
        # the one the move reads, when that is another.
        fields = {
            "user": user,
            "item_type": content_type(type(item)),
            "item_id": item.pk,
            "created": next(saved_at),
            **extras,
        }
        row = gfk.SavedItem.objects.create(**fields)
        if saves_from is not gfk.SavedItem:
            row = saves_from.objects.create(**fields)
        return row.pk

    save(viewer, movie, watched=True)
    save(viewer, anime, episode_progress=3)
    save(viewer, manga)
    save(other, movie, watched=False)
    world = SimpleNamespace(
        viewer=viewer,
        other=other,
        movie=movie,
        tasks=gq.task_rows(),
        feeds={user.pk: gq.saved_feed(user, 1, PER_PAGE) for user in (viewer, other)},
        bad={},
    )
    task_table, save_table = gfk.Task._meta.db_table, saves_from._meta.db_table
    # A person deleted outside the ORM: her task points at nothing.
    carol = gq.create_person("Carol")
    orphan = gq.create_task("Carol's", carol)
    raw_delete(gfk.Person, carol.pk)
    world.bad[task_table, orphan.pk] = Reason.DANGLING
    # A task owned by a movie: owner_type takes any content type.
    odd = gq.create_task("Owned by a movie", bob)
    gfk.Task.objects.filter(pk=odd.pk).update(
        owner_type=content_type(gfk.Movie), owner_id=movie.pk
    )
    world.bad[task_table, odd.pk] = Reason.NOT_A_TARGET_KIND
    # A save of a movie deleted outside the ORM.
    gone = gq.create_media("movie", "Gone", year=2000)
    world.bad[save_table, save(other, gone)] = Reason.DANGLING
    raw_delete(gfk.Movie, gone.pk)
    # A save of a person; and an episode progress on a manga save.
    world.bad[save_table, save(other, alice)] = Reason.NOT_A_TARGET_KIND
    world.bad[save_table, save(other, manga, episode_progress=5)] = (
        Reason.EXTRA_ON_WRONG_KIND
    )
    return world


def set_aside(target) -> dict:
    rows = SetAside.objects.filter(target=target.TARGET)
    return {(row.source_table, row.source_id): row.reason for row in rows}


def snapshot(models) -> dict:
    return {
        model._meta.db_table: sorted(
            tuple(row.values()) for row in model._default_manager.values()
        )
        for model in models
    }


GFK_TABLES = [gfk.Person, gfk.Group, gfk.Task, gfk.Movie, gfk.Anime, gfk.Manga]


@pytest.mark.parametrize("target", TARGETS)
def test_every_good_row_arrives_once_and_every_bad_row_is_set_aside(
    target, django_user_model
):
    world = gfk_world(django_user_model)
    report = target.move(SIZE)
    q = queries_of(target.TARGET)
    assert q.task_rows() == world.tasks
    for user in (world.viewer, world.other):
        assert q.saved_feed(user, 1, PER_PAGE) == world.feeds[user.pk]
    assert set_aside(target) == world.bad
    assert report.set_aside.total() == len(world.bad)
    # Five tasks and four saves, plus the two people, the group and the
    # three items still there to copy.
    assert report.moved.total() == 5 + 4 + 6
    assert not report.already


@pytest.mark.parametrize("target", TARGETS)
def test_a_set_aside_row_keeps_the_source_row_and_says_why(target, django_user_model):
    gfk_world(django_user_model)
    target.move(SIZE)
    orphan = gfk.Task.objects.get(description="Carol's")
    row = SetAside.objects.get(source_table="gfk_baseline_task", source_id=orphan.pk)
    assert row.detail == f"no person has id {orphan.owner_id}"
    assert row.row["description"] == "Carol's"
    assert row.row["owner_id"] == orphan.owner_id


@pytest.mark.parametrize("target", TARGETS)
def test_rerunning_the_move_writes_nothing_and_reports_nothing_twice(
    target, django_user_model
):
    world = gfk_world(django_user_model)
    first = target.move(SIZE)
    again = target.move(SIZE)
    assert again.moved.total() == 0
    assert again.already == first.moved
    assert again.set_aside.total() == 0
    assert set_aside(target) == world.bad
    assert queries_of(target.TARGET).task_rows() == world.tasks


@pytest.mark.parametrize("target", TARGETS)
def test_a_move_cut_off_between_batches_resumes_where_it_stopped(
    target, django_user_model
):
    world = gfk_world(django_user_model)
    write, calls = moving.write, []

    def dies_at_the_eighth_batch(report, decide):
        # Five batches copy people, groups and items; then tasks, two a batch.
        calls.append(1)
        if len(calls) == 8:
            raise CutOff
        write(report, decide)

    with (
        mock.patch.object(moving, "write", dies_at_the_eighth_batch),
        pytest.raises(CutOff),
    ):
        target.move(SIZE)
    resumed = target.move(SIZE)
    # The seven batches before the cut: the six copied rows and the first
    # four tasks, all good ones.
    assert resumed.already.total() == 6 + 4
    q = queries_of(target.TARGET)
    assert q.task_rows() == world.tasks
    for user in (world.viewer, world.other):
        assert q.saved_feed(user, 1, PER_PAGE) == world.feeds[user.pk]
    assert set_aside(target) == world.bad


@pytest.mark.parametrize("target", TARGETS)
def test_rollback_empties_the_target_and_leaves_the_source_as_it_was(
    target, django_user_model
):
    gfk_world(django_user_model)
    before = snapshot([*GFK_TABLES, gfk.SavedItem])
    target.move(SIZE)
    deleted = target.rollback(SIZE)
    assert deleted["off_gfk_setaside"] == 5
    written = {model for batch in deleted_tables(target) for model in batch}
    assert all(not model._default_manager.exists() for model in written)
    assert snapshot([*GFK_TABLES, gfk.SavedItem]) == before
    assert not set_aside(target)


def deleted_tables(target):
    yield [t for _, t, _ in target.COPIED]
    if target is to_check_constraint:
        yield [to_check_constraint.to.Task, to_check_constraint.to.SavedItem]
    else:
        yield [tasks for _, tasks in to_linked_models.OWNERS.values()]
        yield [saves for _, saves, _ in to_linked_models.ITEMS.values()]


@pytest.mark.parametrize("target", TARGETS)
def test_a_duplicate_save_keeps_the_first_and_sets_the_second_aside(
    target, django_user_model
):
    world = gfk_world(django_user_model, saves_from=UnguardedSavedItem)
    # A double click, in the table with no unique constraint to stop it.
    first = UnguardedSavedItem.objects.get(
        user=world.viewer, item_type=content_type(gfk.Movie), item_id=world.movie.pk
    )
    second = UnguardedSavedItem.objects.create(
        user=world.viewer, item_type=first.item_type, item_id=first.item_id
    )
    target.move(SIZE, saves_from=UnguardedSavedItem)
    q = queries_of(target.TARGET)
    assert q.saved_feed(world.viewer, 1, PER_PAGE) == world.feeds[world.viewer.pk]
    row = SetAside.objects.get(
        source_table="off_gfk_unguardedsaveditem", source_id=second.pk
    )
    assert row.reason == Reason.DUPLICATE
    assert row.detail == (
        f"user #{world.viewer.pk} saves movie #{world.movie.pk} in save #{first.pk}"
    )
    bad = {**world.bad, ("off_gfk_unguardedsaveditem", second.pk): Reason.DUPLICATE}
    assert set_aside(target) == bad


def test_a_row_dual_written_before_the_backfill_is_kept_once(django_user_model):
    # The live site wrote the task to both tables, under one id, before the
    # backfill got to it.
    world = gfk_world(django_user_model)
    to = to_check_constraint.to
    task = gfk.Task.objects.get(description="Bob's")
    bob = to.Person.objects.create(id=task.owner_id, name="Bob")
    to.Task.objects.create(
        id=task.pk, description="Bob's", owner_type="person", owner_person=bob
    )
    report = to_check_constraint.move(SIZE)
    assert report.already == {"check_constraint_person": 1, "check_constraint_task": 1}
    assert queries_of("check_constraint").task_rows() == world.tasks


def test_a_target_row_that_differs_under_the_same_id_is_set_aside(django_user_model):
    world = gfk_world(django_user_model)
    to = to_check_constraint.to
    task = gfk.Task.objects.get(description="Bob's")
    bob = to.Person.objects.create(id=task.owner_id, name="Bob")
    to.Task.objects.create(
        id=task.pk, description="Edited", owner_type="person", owner_person=bob
    )
    to_check_constraint.move(SIZE)
    row = SetAside.objects.get(source_table="gfk_baseline_task", source_id=task.pk)
    assert row.reason == Reason.ID_TAKEN
    assert {**world.bad, ("gfk_baseline_task", task.pk): Reason.ID_TAKEN} == set_aside(
        to_check_constraint
    )


def test_an_owner_id_taken_by_another_person_stops_the_move_before_its_tasks(
    django_user_model,
):
    gfk_world(django_user_model)
    alice = gfk.Person.objects.get(name="Alice")
    to_check_constraint.to.Person.objects.create(id=alice.pk, name="Zed")
    with pytest.raises(CommandError, match="move refused"):
        call_command("move_off_gfk", "--to", "check_constraint")
    assert not to_check_constraint.to.Task.objects.exists()


@pytest.mark.parametrize("target", TARGETS)
def test_the_command_moves_reports_and_rolls_back(target, django_user_model, capsys):
    gfk_world(django_user_model)
    call_command("move_off_gfk", "--to", target.TARGET, "--batch-size", "3")
    out = capsys.readouterr().out
    assert "set aside: 5 rows (off_gfk_setaside)" in out
    assert f"{target.TARGET}: moved 15 rows" in out
    call_command("move_off_gfk", "--to", target.TARGET, "--rollback")
    assert "deleted 5 rows from off_gfk_setaside" in capsys.readouterr().out


@pytest.mark.parametrize("target", TARGETS)
def test_a_batch_costs_the_same_queries_however_many_rows_it_holds(
    target, django_user_model
):
    # No query per row: a batch reads its source rows, what the target and
    # the report already hold of them, and its owners or items, per kind.
    gfk_world(django_user_model)
    report = moving.Report(target.TARGET)
    for source, to, fields in target.COPIED:
        moving.copy_table(report, source, to, fields, SIZE)
    with CaptureQueriesContext(connection) as small:
        target.move_tasks(report, size=1000)
    # Twenty more good tasks of a person, one of a group, one dangling.
    bob = gfk.Person.objects.get(name="Bob")
    for i in range(20):
        gq.create_task(f"More {i}", bob)
    gq.create_task("One more", gfk.Group.objects.get())
    dave = gq.create_person("Dave")
    gq.create_task("Dave's", dave)
    raw_delete(gfk.Person, dave.pk)
    with CaptureQueriesContext(connection) as large:
        target.move_tasks(report, size=1000)
    assert report.moved.total() == 6 + 5 + 21
    assert statements(large) == statements(small) == EXPECTED_BATCH[target.TARGET]


def statements(captured) -> int:
    # Not the savepoints: a test runs inside a transaction, the command not.
    return sum("SAVEPOINT" not in query["sql"] for query in captured)


# One batch and the empty read that ends the walk:
# - check_constraint, 8: read the source rows; the report's and the target's
#   rows among them; the persons and the groups they name (1 each); one INSERT
#   of tasks and one of rows set aside; the empty read.
# - linked_models, 10: the same, with the target's rows read and the tasks
#   inserted per task table (2 more).
EXPECTED_BATCH = {"check_constraint": 8, "linked_models": 10}


# The shared suite's integrity tests, as they are, for each target's app, on a
# database that holds the moved rows (and whose id sequences the move had to
# move on for the tests' own rows to be written).
SHARED = {
    test_integrity.test_a_bad_task_write_meets_its_declared_outcome: (
        patterns.OWNERSHIP_WRITES
    ),
    test_integrity.test_deleting_an_owner_meets_its_declared_outcome: (
        patterns.OWNERSHIP_DELETES
    ),
    test_integrity.test_a_bad_save_write_meets_its_declared_outcome: (
        patterns.SAVES_WRITES
    ),
    test_integrity.test_deleting_an_item_or_user_meets_its_declared_outcome: (
        patterns.SAVES_DELETES
    ),
}


def shared_params():
    return [
        pytest.param(
            target, test, rule, case, id=f"{target.TARGET}-{rule.label}-{case}"
        )
        for target in (to_check_constraint, to_linked_models)
        for test, rules in SHARED.items()
        for rule in rules
        for case in rule.cases
    ]


@pytest.mark.parametrize("target, test, rule, case", shared_params())
def test_after_the_move_the_targets_integrity_tests_pass(
    target, test, rule, case, django_user_model
):
    gfk_world(django_user_model)
    target.move(SIZE)
    if "django_user_model" in test.__code__.co_varnames:
        test(target.TARGET, rule, case, django_user_model)
    else:
        test(target.TARGET, rule, case)


BIG = 10_000_000


@pytest.mark.parametrize("target", TARGETS)
def test_rows_created_after_the_move_take_ids_past_the_moved_ones(
    target, django_user_model
):
    # The move writes explicit ids; on PostgreSQL the id sequences stay where
    # they were unless the move moves them on, and the next INSERT reuses an
    # id that arrived.
    user = django_user_model.objects.create_user("late", password="pw")
    person = gfk.Person.objects.create(id=BIG, name="Early")
    gfk.Task.objects.create(
        id=BIG, description="Early", owner_type=content_type(gfk.Person), owner_id=BIG
    )
    movie = gfk.Movie.objects.create(id=BIG, title="Early", year=2000)
    gfk.SavedItem.objects.create(
        id=BIG, user=user, item_type=content_type(gfk.Movie), item_id=movie.pk
    )
    target.move(SIZE)
    q = queries_of(target.TARGET)
    new_person = q.create_person("Late")
    assert new_person.pk > person.pk
    assert q.create_task("Late", new_person).pk > BIG
    new_movie = q.create_media("movie", "Late", year=2001)
    assert new_movie.pk > BIG
    q.save_item(user, new_movie)
    saves = q._saves_of(user, new_movie)
    assert saves.get().pk > BIG


# The recorded run (make benchmark-moving) and its page -------------------------


def newest_run() -> dict:
    runs = sorted(moving_benchmark.RESULTS.glob("*-moving/results.json"))
    assert runs, "no recorded run: make benchmark-moving"
    return json.loads(runs[-1].read_text())


def test_the_recorded_run_moved_both_targets_at_both_sizes_on_both_databases():
    run = newest_run()
    assert set(run["moves"]) == set(moving_benchmark.TARGETS)
    for target, by_size in run["moves"].items():
        assert set(by_size) == {str(n) for n in moving_benchmark.SIZES}, target
        for tasks, by_vendor in by_size.items():
            assert set(by_vendor) == {"sqlite", "postgresql"}, (target, tasks)
            for result in by_vendor.values():
                # As many saves as tasks, every one of them moved or set aside.
                rows = {"tasks": int(tasks), "saves": int(tasks)}
                assert result["source_rows"] == rows
                assert result["accounted_for"] == rows
                assert result["set_aside"]["dangling"] > 0
    # The in-place route, PostgreSQL only: every task still in the table or
    # in the report.
    assert set(run["in_place"]) == {str(n) for n in moving_benchmark.SIZES}
    for tasks, result in run["in_place"].items():
        assert result["set_aside"] > 0
        assert result["rows_after"] + result["set_aside"] == int(tasks)
        steps = {step["key"]: step for step in result["steps"]}
        assert steps["not_null"]["proved_without_scan"], tasks


def test_the_page_is_the_newest_recorded_run_rendered():
    # Fails when the run or the renderer changed without `make benchmark-moving`.
    assert moving_benchmark.DOC.read_text() == render_moving(newest_run())


@pytest.mark.benchmark
def test_the_benchmark_moves_a_small_dataset_end_to_end(tmp_path):
    # The whole command on SQLite at its smallest size: the step raises if a
    # row is lost or misfiled, and the page renders from what it wrote.
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "benchmarks.moving",
            "--tasks",
            str(moving_benchmark.SMOKE),
            "--into",
            str(tmp_path),
        ],
        cwd=moving_benchmark.ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    results = json.loads((tmp_path / "results.json").read_text())
    assert set(results["moves"]) == set(moving_benchmark.TARGETS)
    assert "## How long the backfill takes" in render_moving(results)


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database is in memory: a second connection can't see it",
)
@pytest.mark.django_db(transaction=True)
def test_a_dual_write_landing_mid_batch_makes_the_batch_retry_and_is_kept_once(
    django_user_model,
):
    # The live site commits the task to the new table from another
    # connection after the batch has read the target, before its INSERT.
    world = gfk_world(django_user_model)
    to = to_check_constraint.to
    task = gfk.Task.objects.get(description="Bob's")
    present, landed = moving.present, []

    def and_meanwhile(target, ids, fields):
        found = present(target, ids, fields)
        if target is to.Task and task.pk in ids and not landed:
            other = connections.create_connection("default")
            try:
                with other.cursor() as cursor:
                    cursor.execute(
                        "INSERT INTO check_constraint_task"
                        " (id, description, owner_type, owner_person_id)"
                        " VALUES (%s, %s, 'person', %s)",
                        [task.pk, task.description, task.owner_id],
                    )
            finally:
                other.close()
            landed.append(task.pk)
        return found

    with mock.patch.object(moving, "present", and_meanwhile):
        report = to_check_constraint.move(SIZE)
    assert landed
    assert report.already["check_constraint_task"] == 1
    assert queries_of("check_constraint").task_rows() == world.tasks
