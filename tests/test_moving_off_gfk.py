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
import threading
import time
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, connections, transaction
from django.test.utils import CaptureQueriesContext

from benchmarks import moving as moving_benchmark
from benchmarks.moving_report import render as render_moving
from gfk_baseline import models as gfk
from gfk_baseline import queries as gq
from off_gfk import moving, to_check_constraint, to_linked_models
from off_gfk.models import MovedRow, Reason, SetAside, UnguardedSavedItem
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
# An id far past any the tests' worlds take.
BIG = 10_000_000
SAVED_AT = datetime(2026, 1, 1, tzinfo=UTC)
POSTGRES_ONLY = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's test database is in memory: a second connection can't see it",
)


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


def target_tables(target) -> dict[str, list]:
    """The target's tables by what they hold: the copied ones, tasks, saves."""
    if target is to_check_constraint:
        tasks, saves = [target.to.Task], [target.to.SavedItem]
    else:
        tasks = [tasks for _, tasks in target.OWNERS.values()]
        saves = [saves for _, saves, _ in target.ITEMS.values()]
    return {"copied": [t for _, t, _ in target.COPIED], "tasks": tasks, "saves": saves}


def all_tables(target) -> list:
    return [model for models in target_tables(target).values() for model in models]


def assert_accounted_for(target, saves_from=gfk.SavedItem) -> None:
    # Every source row is in the target under its id or set aside, never
    # both, never neither.
    tables = target_tables(target)
    sources = [(gfk.Task, tables["tasks"]), (saves_from, tables["saves"])]
    sources += [(source, [to]) for source, to, _ in target.COPIED]
    for source, models in sources:
        ids = set(source._default_manager.values_list("id", flat=True))
        arrived = {pk for m in models for pk in m.objects.values_list("id", flat=True)}
        aside = set(
            SetAside.objects.filter(
                target=target.TARGET, source_table=source._meta.db_table
            ).values_list("source_id", flat=True)
        )
        table = source._meta.db_table
        assert arrived | aside == ids, (table, ids - arrived - aside)
        assert not arrived & aside, (table, arrived & aside)


def written_by_the_target_itself(target) -> None:
    """The target's tables holding what the move would write, but not by the move.

    As the target app's own code (or a dual write) would have left them: the
    move run in a savepoint, its rows read and the savepoint rolled back,
    then the rows written again directly.
    """
    rows = {}
    with transaction.atomic():
        target.move(SIZE)
        for model in all_tables(target):
            rows[model] = list(model.objects.values())
        transaction.set_rollback(True)
    for model, values in rows.items():
        model.objects.bulk_create(model(**row) for row in values)


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

    def dies_at_the_thirteenth_batch(report, decide):
        # Ten batches copy people, groups and items (each table's walk ends
        # with a batch that reads nothing); then tasks, two a batch.
        calls.append(1)
        if len(calls) == 13:
            raise CutOff
        write(report, decide)

    with (
        mock.patch.object(moving, "write", dies_at_the_thirteenth_batch),
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
    deleted, kept = target.rollback(SIZE)
    assert deleted["off_gfk_setaside"] == 5
    assert not kept
    written = {model for batch in deleted_tables(target) for model in batch}
    assert all(not model._default_manager.exists() for model in written)
    assert snapshot([*GFK_TABLES, gfk.SavedItem]) == before
    assert not set_aside(target)


@pytest.mark.parametrize("target", TARGETS)
def test_rollback_after_a_move_that_found_every_row_there_deletes_none_of_them(
    target, django_user_model
):
    # The target app's own rows, equal to the source's: the move writes
    # nothing, so the rollback has nothing to delete.
    gfk_world(django_user_model)
    written_by_the_target_itself(target)
    before = snapshot(all_tables(target))
    report = target.move(SIZE)
    assert report.moved.total() == 0
    assert report.already.total() == 5 + 4 + 6
    deleted, kept = target.rollback(SIZE)
    assert snapshot(all_tables(target)) == before
    assert {table: n for table, n in deleted.items() if n} == {"off_gfk_setaside": 5}
    assert not kept


@pytest.mark.parametrize("target", TARGETS)
def test_rollback_says_per_table_how_many_rows_it_deleted(target, django_user_model):
    world = gfk_world(django_user_model)
    target.move(SIZE)
    # An unsave dual-written after the move: the save it wrote is gone from
    # both tables, and the rollback doesn't count it.
    save = gfk.SavedItem.objects.get(
        user=world.other, item_type=content_type(gfk.Movie), item_id=world.movie.pk
    )
    gfk.SavedItem.objects.filter(pk=save.pk).delete()
    for model in target_tables(target)["saves"]:
        model.objects.filter(pk=save.pk).delete()
    deleted, kept = target.rollback(SIZE)
    if target is to_check_constraint:
        expected = {"check_constraint_task": 5, "check_constraint_saveditem": 3}
    else:
        expected = {
            "linked_models_persontask": 3,
            "linked_models_grouptask": 2,
            "linked_models_savedmovie": 1,
            "linked_models_savedanime": 1,
            "linked_models_savedmanga": 1,
        }
    # Alice and Bob; the team; one movie, one anime and one manga.
    for table, n in zip(
        ["person", "group", "movie", "anime", "manga"], [2, 1, 1, 1, 1], strict=True
    ):
        expected[f"{target.TARGET}_{table}"] = n
    assert deleted == {**expected, "off_gfk_setaside": 5}
    assert not kept
    assert not any(model.objects.exists() for model in all_tables(target))


def test_rollback_after_a_refused_move_deletes_only_what_the_move_wrote(
    django_user_model, capsys
):
    # Bob's id is taken in the target by Zed, who has a task of the target's
    # own that the source never had. The move writes Alice, then refuses.
    gfk_world(django_user_model)
    to = to_check_constraint.to
    bob = gfk.Person.objects.get(name="Bob")
    zed = to.Person.objects.create(id=bob.pk, name="Zed")
    zeds = to.Task.objects.create(
        id=BIG, description="Zed's own", owner_type="person", owner_person=zed
    )
    with pytest.raises(CommandError, match="--rollback deletes them, and no other"):
        call_command("move_off_gfk", "--to", "check_constraint", "--batch-size", "1")
    call_command("move_off_gfk", "--to", "check_constraint", "--rollback")
    out = capsys.readouterr().out.splitlines()
    assert "deleted 1 rows from check_constraint_person" in out
    assert "deleted 0 rows from check_constraint_task" in out
    assert list(to.Person.objects.values_list("name", flat=True)) == ["Zed"]
    assert list(to.Task.objects.all()) == [zeds]


def test_rollback_keeps_a_moved_row_that_a_row_it_didnt_write_points_at(
    django_user_model, capsys
):
    # After the move the target app gives Alice a task of its own: deleting
    # Alice would cascade to it.
    gfk_world(django_user_model)
    to_check_constraint.move(SIZE)
    to = to_check_constraint.to
    alice = to.Person.objects.get(name="Alice")
    own = to.Task.objects.create(
        id=BIG, description="Alice's own", owner_type="person", owner_person=alice
    )
    call_command("move_off_gfk", "--to", "check_constraint", "--rollback")
    out = capsys.readouterr().out.splitlines()
    assert "deleted 1 rows from check_constraint_person" in out
    assert "deleted 5 rows from check_constraint_task" in out
    assert (
        "kept 1 rows in check_constraint_person: rows the move didn't write"
        " point at them"
    ) in out
    assert list(to.Task.objects.all()) == [own]
    assert list(to.Person.objects.all()) == [alice]


def test_a_row_dual_written_before_the_backfill_survives_the_rollback(
    django_user_model,
):
    gfk_world(django_user_model)
    to = to_check_constraint.to
    task = gfk.Task.objects.get(description="Bob's")
    bob = to.Person.objects.create(id=task.owner_id, name="Bob")
    dual = to.Task.objects.create(
        id=task.pk, description="Bob's", owner_type="person", owner_person=bob
    )
    to_check_constraint.move(SIZE)
    deleted, _ = to_check_constraint.rollback(SIZE)
    # The other four tasks, and Alice: what the move wrote.
    assert deleted["check_constraint_task"] == 4
    assert deleted["check_constraint_person"] == 1
    assert list(to.Task.objects.all()) == [dual]
    assert list(to.Person.objects.all()) == [bob]


def test_rolling_back_one_target_leaves_the_other_targets_move_alone(
    django_user_model,
):
    gfk_world(django_user_model)
    to_linked_models.move(SIZE)
    before = snapshot([*all_tables(to_linked_models), SetAside, MovedRow])
    to_check_constraint.move(SIZE)
    to_check_constraint.rollback(SIZE)
    assert snapshot([*all_tables(to_linked_models), SetAside, MovedRow]) == before


def test_a_row_one_target_set_aside_is_moved_by_the_other_each_rollback_its_own(
    django_user_model,
):
    # check_constraint's task table holds another row under Bob's task's id:
    # that move sets the task aside. linked_models has no such row, so its
    # move must move the task, and report the world's bad rows on its own.
    world = gfk_world(django_user_model)
    to = to_check_constraint.to
    task = gfk.Task.objects.get(description="Bob's")
    bob = to.Person.objects.create(id=task.owner_id, name="Bob")
    edited = to.Task.objects.create(
        id=task.pk, description="Edited", owner_type="person", owner_person=bob
    )
    to_check_constraint.move(SIZE)
    taken = {("gfk_baseline_task", task.pk): Reason.ID_TAKEN}
    assert set_aside(to_check_constraint) == {**world.bad, **taken}
    report = to_linked_models.move(SIZE)
    assert set_aside(to_linked_models) == world.bad
    assert report.set_aside.total() == len(world.bad)
    assert to_linked_models.to.PersonTask.objects.filter(pk=task.pk).exists()
    assert_accounted_for(to_linked_models)
    # Each rollback deletes its own move's rows and report, no other's.
    linked = [*all_tables(to_linked_models)]
    before = snapshot(linked)
    to_check_constraint.rollback(SIZE)
    assert snapshot(linked) == before
    assert set_aside(to_linked_models) == world.bad
    assert not set_aside(to_check_constraint)
    assert list(to.Task.objects.all()) == [edited]
    assert list(to.Person.objects.all()) == [bob]
    to_linked_models.rollback(SIZE)
    assert not any(model.objects.exists() for model in linked)
    assert not SetAside.objects.exists() and not MovedRow.objects.exists()


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


@pytest.mark.parametrize("target", TARGETS)
def test_two_saves_of_one_item_in_one_batch_move_the_first_and_set_the_second_aside(
    target, django_user_model
):
    # A double click: two rows side by side, so one batch reads both and the
    # target holds neither yet; its unique constraint would refuse the pair.
    world = gfk_world(django_user_model, saves_from=UnguardedSavedItem)
    anime = gfk.Anime.objects.get()
    pair = [
        UnguardedSavedItem.objects.create(
            user=world.other, item_type=content_type(gfk.Anime), item_id=anime.pk
        ).pk
        for _ in range(2)
    ]
    report = target.move(1000, saves_from=UnguardedSavedItem)
    assert saves_table(target, "anime").objects.filter(pk__in=pair).count() == 1
    assert saves_table(target, "anime").objects.filter(pk=pair[0]).exists()
    row = SetAside.objects.get(
        source_table="off_gfk_unguardedsaveditem", source_id=pair[1]
    )
    assert (row.reason, row.detail) == (
        Reason.DUPLICATE,
        f"user #{world.other.pk} saves anime #{anime.pk} in save #{pair[0]}",
    )
    # The world's four good saves and the first of the pair.
    saves = target_tables(target)["saves"]
    assert sum(report.moved[model._meta.db_table] for model in saves) == 5
    assert_accounted_for(target, saves_from=UnguardedSavedItem)


# The target's value for a save of each kind whose extra the GFK row left NULL
# (rows written before save_item() set one, or by hand): check_constraint has
# nullable columns and keeps the NULL; linked_models' are NOT NULL and take
# their default, as to_linked_models says.
NULL_EXTRA = {
    "check_constraint": {"movie": None, "anime": None},
    "linked_models": {"movie": False, "anime": 0},
}


@pytest.mark.parametrize("target", TARGETS)
def test_a_null_extra_on_its_own_kind_moves_as_the_target_keeps_it(
    target, django_user_model
):
    user = django_user_model.objects.create_user("unset", password="pw")
    movie = gfk.Movie.objects.create(title="Alien", year=1979)
    anime = gfk.Anime.objects.create(title="Mushishi", episodes=26)
    saves = {
        kind: gfk.SavedItem.objects.create(
            user=user, item_type=content_type(type(item)), item_id=item.pk
        ).pk
        for kind, item in (("movie", movie), ("anime", anime))
    }
    unset = gfk.SavedItem.objects.filter(watched=None, episode_progress=None)
    assert unset.count() == 2
    report = target.move(SIZE)
    assert not report.set_aside
    extra = {"movie": "watched", "anime": "episode_progress"}
    moved = {
        kind: saves_table(target, kind)
        .objects.values_list(extra[kind], flat=True)
        .get(pk=pk)
        for kind, pk in saves.items()
    }
    assert moved == NULL_EXTRA[target.TARGET]
    # A rerun compares what it would write with what is there: equal.
    again = target.move(SIZE)
    assert (again.moved.total(), again.set_aside.total()) == (0, 0)


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
# - check_constraint, 9: read the source rows; the report's and the target's
#   rows among them; the persons and the groups they name (1 each); one INSERT
#   of tasks, one of their ledger rows and one of rows set aside; the empty
#   read.
# - linked_models, 11: the same, with the target's rows read and the tasks
#   inserted per task table (2 more).
EXPECTED_BATCH = {"check_constraint": 9, "linked_models": 11}


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


@POSTGRES_ONLY
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


# Rows of every id, content types that don't exist, bad arguments -------------


@pytest.mark.parametrize("target", TARGETS)
def test_rows_with_id_zero_or_below_are_moved_or_set_aside_like_any_other(
    target, django_user_model
):
    user = django_user_model.objects.create_user("signed", password="pw")
    with ids_of_zero_allowed():
        gfk.Person.objects.create(id=0, name="Zero")
        person = content_type(gfk.Person)
        gfk.Task.objects.create(id=0, description="Good", owner_type=person, owner_id=0)
        gfk.Movie.objects.create(id=0, title="Zero", year=2000)
    assert gfk.Person.objects.filter(id=0, name="Zero").exists()
    gfk.Person.objects.create(id=-1, name="Minus one")
    gfk.Task.objects.create(id=-2, description="Good", owner_type=person, owner_id=0)
    # Dangling: no person has id BIG.
    gfk.Task.objects.create(id=-3, description="Bad", owner_type=person, owner_id=BIG)
    movie_type = content_type(gfk.Movie)
    gfk.SavedItem.objects.create(id=-1, user=user, item_type=movie_type, item_id=0)
    report = target.move(SIZE)
    assert_accounted_for(target)
    assert set_aside(target) == {("gfk_baseline_task", -3): Reason.DANGLING}
    # Two people, two tasks, one movie, one save.
    assert report.moved.total() == 6
    good = ("Good", "person", "Zero", None)
    assert queries_of(target.TARGET).task_rows() == [good, good]
    # Under id 0 itself, not the next value of an AUTO_INCREMENT counter.
    moved = {
        model: set(apps.get_model(target.TARGET, model).objects.values_list("pk"))
        for model in ("Person", "Movie")
    }
    assert moved == {"Person": {(0,), (-1,)}, "Movie": {(0,)}}


@pytest.mark.parametrize("target", TARGETS)
def test_rows_inserted_in_descending_id_order_are_all_moved(target, django_user_model):
    # A table's rows in the order they went in, not by id (a restore, a
    # merge): a batch read without ORDER BY takes the first rows on disk,
    # and the walk goes on after the largest of them. SQLite reads its rowid
    # tables in id order either way; PostgreSQL reads its heap in the order
    # of insertion.
    person = content_type(gfk.Person)
    for pk in range(10, 0, -1):
        gfk.Person.objects.create(id=pk, name=f"Person {pk}")
        gfk.Task.objects.create(
            id=pk, description=f"Task {pk}", owner_type=person, owner_id=pk
        )
    report = target.move(SIZE)
    assert report.moved.total() == 10 + 10
    assert_accounted_for(target)
    # And the rollback's walk over the ledger reads every entry.
    deleted, _ = target.rollback(SIZE)
    assert sum(deleted.values()) == 10 + 10
    assert not MovedRow.objects.exists()


@pytest.mark.parametrize("target", TARGETS)
def test_a_row_naming_a_content_type_that_doesnt_exist_is_set_aside_and_reruns_go_on(
    target, django_user_model
):
    world = gfk_world(django_user_model)
    task = gfk.Task.objects.get(description="Bob's")
    missing = ContentType.objects.order_by("-pk").first().pk + 1000
    # Written past the foreign key, as a restore with its checks off does:
    # the test's transaction is rolled back, so the deferred check never runs.
    with foreign_key_checks_off():
        gfk.Task.objects.filter(pk=task.pk).update(owner_type_id=missing)
    try:
        first = target.move(SIZE)
        again = target.move(SIZE)
        row = SetAside.objects.get(source_table="gfk_baseline_task", source_id=task.pk)
        assert (row.reason, row.detail) == (
            Reason.DANGLING,
            f"no content type has id {missing}",
        )
        assert first.set_aside.total() == len(world.bad) + 1
        assert again.set_aside.total() == 0
        assert_accounted_for(target)
    finally:
        # Put back before the test's end checks the foreign keys.
        gfk.Task.objects.filter(pk=task.pk).update(owner_type=content_type(gfk.Person))


@contextmanager
def ids_of_zero_allowed():
    # As a restore from mysqldump writes them: MySQL and MariaDB otherwise
    # give id 0 the AUTO_INCREMENT counter's next value, and Django refuses it.
    if connection.vendor != "mysql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET @before = @@SESSION.sql_mode")
        cursor.execute("SET SESSION sql_mode = 'NO_AUTO_VALUE_ON_ZERO'")
    with mock.patch.object(connection.features, "allows_auto_pk_0", True):
        yield
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION sql_mode = @before")


@contextmanager
def foreign_key_checks_off():
    # PostgreSQL and SQLite check Django's foreign keys at commit (deferred);
    # MySQL and MariaDB check every statement, unless told not to, as a
    # restore from mysqldump does.
    if connection.vendor != "mysql":
        yield
        return
    with connection.cursor() as cursor:
        cursor.execute("SET SESSION foreign_key_checks = 0")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET SESSION foreign_key_checks = 1")


BAD_ARGUMENTS = [
    pytest.param(["--batch-size", "0"], "--batch-size must be from 1", id="size-0"),
    pytest.param(["--batch-size", "-1"], "--batch-size must be from 1", id="size-neg"),
    pytest.param(
        ["--batch-size", str(moving.MAX_BATCH_SIZE + 1)],
        "--batch-size must be from 1 to 10000",
        id="size-one-too-many",
    ),
    pytest.param(
        ["--batch-size", "99999999999999999999"],
        "--batch-size must be from 1 to 10000, not 99999999999999999999",
        id="size-absurd",
    ),
    pytest.param(["--batch-size", "many"], "invalid int value", id="size-word"),
    pytest.param(["--saves-from", "elsewhere"], "invalid choice", id="saves-from"),
]


@pytest.mark.parametrize("rollback", [[], ["--rollback"]], ids=["move", "rollback"])
@pytest.mark.parametrize("arguments, message", BAD_ARGUMENTS)
def test_a_bad_argument_is_refused_before_anything_is_written(
    arguments, message, rollback, django_user_model
):
    gfk_world(django_user_model)
    if rollback:
        to_check_constraint.move(SIZE)
    tables = [*all_tables(to_check_constraint), SetAside, MovedRow]
    before = snapshot(tables)
    command = ["move_off_gfk", "--to", "check_constraint", *arguments, *rollback]
    with pytest.raises(CommandError, match=message):
        call_command(*command)
    assert snapshot(tables) == before


# Dual-written deletes and two moves at once ----------------------------------


def test_a_batch_reads_its_source_rows_inside_its_own_transaction(
    django_user_model,
):
    # What keeps a dual-written delete out of the middle of a batch: SQLite's
    # write lock is taken at the batch's BEGIN (IMMEDIATE), PostgreSQL's row
    # locks by the read itself; either covers the read only if the read is
    # inside the transaction that writes.
    gfk_world(django_user_model)
    report = moving.Report("check_constraint")
    for source, to, fields in to_check_constraint.COPIED:
        moving.copy_table(report, source, to, fields, SIZE)
    with CaptureQueriesContext(connection) as captured:
        to_check_constraint.move_saves(report, 1000, gfk.SavedItem)
    sql = [query["sql"] for query in captured]
    begin = next(i for i, q in enumerate(sql) if q.startswith("SAVEPOINT"))
    table = connection.ops.quote_name(gfk.SavedItem._meta.db_table)
    read = next(i for i, q in enumerate(sql) if f"FROM {table}" in q)
    assert begin < read
    if connection.vendor == "postgresql":
        assert "FOR NO KEY UPDATE" in sql[read]


def saves_table(target, kind: str):
    if target is to_check_constraint:
        return target.to.SavedItem
    return next(
        saves
        for _, saves, _ in target.ITEMS.values()
        if saves._meta.model_name == f"saved{kind}"
    )


def unsave_landing_mid_batch(target, save, tables) -> None:
    """The move, with the live site unsaving `save` from another connection.

    Dual-written: a DELETE from each of `tables` in that order, in one
    transaction, started once the batch has read the save and before its
    INSERT.
    """
    to = next(table for table in tables if table is not gfk.SavedItem)
    present, started = moving.present, []
    pid, done, failed = [], threading.Event(), []

    def unsave():
        other = connections.create_connection("default")
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                pid.append(cursor.fetchone()[0])
                other.set_autocommit(False)
                for table in tables:
                    name = other.ops.quote_name(table._meta.db_table)
                    cursor.execute(f"DELETE FROM {name} WHERE id = %s", [save.pk])
                other.commit()
        except Exception as error:
            failed.append(error)
        finally:
            other.close()
            done.set()

    def waits_or_commits() -> None:
        # Until the unsave has committed (no lock stopped it) or waits for a
        # lock the batch holds, bounded.
        deadline = time.monotonic() + 10
        while not done.wait(0.01):
            assert time.monotonic() < deadline, "the unsave neither ran nor waited"
            if pid and locked_out(pid[0]):
                return

    def and_meanwhile(model, ids, fields):
        ids = list(ids)
        found = present(model, ids, fields)
        if model is to and save.pk in ids and not started:
            thread = threading.Thread(target=unsave)
            started.append(thread)
            thread.start()
            waits_or_commits()
        return found

    with mock.patch.object(moving, "present", and_meanwhile):
        target.move(SIZE)
    started[0].join(timeout=10)
    assert done.is_set() and not failed
    assert not gfk.SavedItem.objects.filter(pk=save.pk).exists()


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", TARGETS)
def test_an_unsave_landing_mid_batch_waits_for_it_and_leaves_no_save_behind(
    target, django_user_model
):
    # The order docs/moving-off-a-gfk.md gives the dual write: the GFK's row
    # first. Its DELETE waits for the batch's lock on that row; once the
    # batch commits, the target's DELETE finds the row the batch wrote.
    world = gfk_world(django_user_model)
    save = gfk.SavedItem.objects.get(
        user=world.viewer, item_type=content_type(gfk.Movie), item_id=world.movie.pk
    )
    to = saves_table(target, "movie")
    unsave_landing_mid_batch(target, save, [gfk.SavedItem, to])
    assert not to.objects.filter(pk=save.pk).exists()
    # Nor does a rerun bring it back, or leave another behind.
    assert target.move(SIZE).moved.total() == 0
    assert not to.objects.filter(pk=save.pk).exists()
    assert_accounted_for(target)


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", TARGETS)
def test_an_unsave_deleting_the_target_row_first_leaves_a_phantom_save(
    target, django_user_model
):
    # The other order: the target's DELETE runs while the batch's INSERT is
    # still to come, finds nothing and takes no lock; the GFK's DELETE then
    # waits for the batch, which commits the save the user has just undone.
    # A rerun never deletes it: the move only writes.
    world = gfk_world(django_user_model)
    save = gfk.SavedItem.objects.get(
        user=world.viewer, item_type=content_type(gfk.Movie), item_id=world.movie.pk
    )
    to = saves_table(target, "movie")
    unsave_landing_mid_batch(target, save, [to, gfk.SavedItem])
    assert to.objects.filter(pk=save.pk).exists()
    target.move(SIZE)
    assert to.objects.filter(pk=save.pk).exists()


def locked_out(pid: int) -> bool:
    # pg_locks is read live, not from the transaction's snapshot.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted)",
            [pid],
        )
        return cursor.fetchone()[0]


@pytest.mark.parametrize("target", TARGETS)
def test_an_unsave_between_two_batches_leaves_no_save_behind(target, django_user_model):
    # On SQLite the only place a dual write can land: a batch holds the write
    # lock from its BEGIN to its COMMIT. The movie's before the batch that
    # would read it; the anime's after the batch that wrote it.
    world = gfk_world(django_user_model)
    movie = gfk.SavedItem.objects.get(
        user=world.viewer, item_type=content_type(gfk.Movie), item_id=world.movie.pk
    )
    anime = gfk.SavedItem.objects.get(item_type=content_type(gfk.Anime))
    write, calls = moving.write, []

    def unsave(pk, kind):
        gfk.SavedItem.objects.filter(pk=pk).delete()
        saves_table(target, kind).objects.filter(pk=pk).delete()

    def unsaves_between(report, decide):
        calls.append(1)
        # Ten batches copy; the tasks' five; then the saves, two a batch.
        if len(calls) == 16:
            unsave(movie.pk, "movie")
        if len(calls) == 17:
            assert saves_table(target, "anime").objects.filter(pk=anime.pk).exists()
            unsave(anime.pk, "anime")
        write(report, decide)

    with mock.patch.object(moving, "write", unsaves_between):
        target.move(SIZE)
    for pk, kind in ((movie.pk, "movie"), (anime.pk, "anime")):
        assert not saves_table(target, kind).objects.filter(pk=pk).exists()
    assert_accounted_for(target)


@pytest.mark.parametrize("target", TARGETS)
def test_a_second_move_between_two_batches_of_a_first_killed_later_loses_no_row(
    target, django_user_model
):
    # SQLite runs one write transaction at a time: two moves' batches take
    # turns. The second runs whole between the first's third and fourth
    # batches; the first is killed at its fourteenth, then run again.
    world = gfk_world(django_user_model)
    write, calls, second = moving.write, [], []

    def another_move_then_a_kill(report, decide):
        calls.append(1)
        if len(calls) == 4:
            with mock.patch.object(moving, "write", write):
                second.append(target.move(SIZE))
        if len(calls) == 14:
            raise CutOff
        write(report, decide)

    with (
        mock.patch.object(moving, "write", another_move_then_a_kill),
        pytest.raises(CutOff),
    ):
        target.move(SIZE)
    rerun = target.move(SIZE)
    assert second[0].moved.total() == 5 + 4 + 6 - 3
    assert rerun.moved.total() == 0
    assert_accounted_for(target)
    assert set_aside(target) == world.bad
    ledger = MovedRow.objects.filter(target=target.TARGET)
    assert ledger.count() == 5 + 4 + 6
    assert queries_of(target.TARGET).task_rows() == world.tasks


def in_threads(*actions) -> list:
    """Each action in a thread of its own (so a connection of its own), at once."""
    barrier, errors = threading.Barrier(len(actions)), [None] * len(actions)

    def run(n, action):
        try:
            barrier.wait(timeout=10)
            action()
        except BaseException as error:  # noqa: BLE001 (reported to the test)
            errors[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
        assert not thread.is_alive(), "a move still running after a minute"
    return errors


@POSTGRES_ONLY
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("target", TARGETS)
def test_two_moves_at_once_one_killed_and_rerun_lose_no_row(target, django_user_model):
    world = gfk_world(django_user_model)
    write, reports, calls = moving.write, [], []

    def killed_at_its_twelfth_batch(report, decide):
        if threading.current_thread().name == "killed":
            calls.append(1)
            if len(calls) == 12:
                raise CutOff
        write(report, decide)

    def killed():
        threading.current_thread().name = "killed"
        target.move(SIZE)

    with mock.patch.object(moving, "write", killed_at_its_twelfth_batch):
        errors = in_threads(lambda: reports.append(target.move(SIZE)), killed)
    assert errors[0] is None and isinstance(errors[1], CutOff)
    rerun = target.move(SIZE)
    assert_accounted_for(target)
    assert set_aside(target) == world.bad
    # Every row written once, by one of the three runs, into the ledger too.
    assert MovedRow.objects.filter(target=target.TARGET).count() == 5 + 4 + 6
    assert reports[0].moved.total() + rerun.moved.total() <= 5 + 4 + 6
    assert queries_of(target.TARGET).task_rows() == world.tasks
