"""What one table per owner type (or per media kind) costs and buys.

Luke Plant's "Avoid Django's GenericForeignKey" (Alternative 5): combined lists
come from UNION queries, sorted and paged in the database, and shared code
takes the model class as an argument. "The 'Save Button' Dilemma" picks the
same shape for saves, for the per-kind columns it allows.
"""

from datetime import timedelta

import pytest
from django.core.exceptions import FieldDoesNotExist
from django.db import IntegrityError, NotSupportedError, connection, transaction
from django.db.models import FETCH_RAISE
from django.urls import reverse

from linked_models import queries
from linked_models.models import (
    GroupTask,
    PersonTask,
    SavedAnime,
    SavedManga,
    SavedMovie,
)
from project.dataset import build_ownership, expected_task_rows
from tests.conftest import SAVED_AT, default_fetch_mode

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    alice = queries.create_person("Alice")
    team = queries.create_group("Team", creator=alice)
    return alice, team


# Two task tables, one API ------------------------------------------------------


def test_create_task_picks_the_table_by_the_owner_type(world):
    alice, team = world
    assert type(queries.create_task("Alice's task", alice)) is PersonTask
    assert type(queries.create_task("Team task", team)) is GroupTask
    assert (PersonTask.objects.count(), GroupTask.objects.count()) == (1, 1)


def test_a_function_taking_the_model_class_works_on_either_table(world):
    alice, team = world
    queries.create_task("Urgent: call", alice)
    queries.create_task("Someday", alice)
    queries.create_task("urgent: plan", team)
    person_hits = queries.tasks_matching(PersonTask, "urgent")
    group_hits = queries.tasks_matching(GroupTask, "urgent")
    assert [(type(t), t.description) for t in person_hits] == [
        (PersonTask, "Urgent: call")
    ]
    assert [(type(t), t.description) for t in group_hits] == [
        (GroupTask, "urgent: plan")
    ]


def test_task_rows_is_one_union_query_ordered_by_the_database(
    django_assert_num_queries,
):
    build_ownership(queries, 3)
    with default_fetch_mode(FETCH_RAISE), django_assert_num_queries(1) as ctx:
        rows = queries.task_rows()
    sql = ctx.captured_queries[0]["sql"]
    assert "UNION ALL" in sql and "ORDER BY" in sql
    assert rows == expected_task_rows(3)


def test_a_page_of_tasks_is_sliced_by_the_database(django_assert_num_queries):
    build_ownership(queries, 3)  # 12 tasks
    whole = queries.task_rows()
    with django_assert_num_queries(1) as ctx:
        rows = queries.task_page(2, 5)
    # LIMIT/OFFSET on the combined, ordered rows of the UNION.
    sql = ctx.captured_queries[0]["sql"]
    assert "UNION ALL" in sql and "LIMIT 5 OFFSET 5" in sql
    assert rows == whole[5:10]
    assert queries.task_page(3, 5) == whole[10:12]


def test_a_union_of_the_task_tables_cannot_be_filtered_afterwards(world):
    # Why task_union() takes `search` and `kinds`: a combined query only
    # orders, slices and counts; a filter must go into each branch.
    with pytest.raises(NotSupportedError, match="filter"):
        queries.task_union("description").filter(description="x")


# Saves: one table per kind -------------------------------------------------------


@pytest.fixture
def saver(django_user_model):
    return django_user_model.objects.create_user("viewer")


def test_the_feed_is_one_union_query_ordered_and_sliced_by_the_database(
    saver, django_assert_num_queries
):
    items = []
    for n in range(3):
        items.append(queries.create_media("movie", f"M{n}", year=2000))
        items.append(queries.create_media("anime", f"A{n}", episodes=1))
        items.append(queries.create_media("manga", f"K{n}", volumes=1))
    for minutes, item in enumerate(items):
        queries.save_item(saver, item, at=SAVED_AT + timedelta(minutes=minutes))
    with default_fetch_mode(FETCH_RAISE), django_assert_num_queries(1) as ctx:
        feed = queries.saved_feed(saver, 2, 4)
    sql = ctx.captured_queries[0]["sql"]
    # One SELECT per saved table, joined by UNION ALL, sliced once.
    assert sql.count("UNION ALL") == len(queries.SAVE_MODELS) - 1
    assert "LIMIT 4 OFFSET 4" in sql
    # Newest first across the three tables; page 2 is the 5th to 8th newest.
    assert [title for _, title, *_ in feed] == ["A1", "M1", "K0", "A0"]


def test_an_extra_column_exists_only_on_its_own_kind(saver):
    manga = queries.create_media("manga", "Monster", volumes=18)
    queries.save_item(saver, manga)
    # No column to put it in: the ORM refuses before the database is asked.
    with pytest.raises(FieldDoesNotExist):
        SavedManga.objects.filter(user=saver).update(episode_progress=5)
    # Nor through the scenario API: the setters refuse it the same way, while
    # progress() reads None for a kind that has none.
    with pytest.raises(FieldDoesNotExist):
        queries.set_progress(saver, manga, 5)
    with pytest.raises(FieldDoesNotExist):
        queries.set_watched(saver, manga)
    assert queries.progress(saver, manga) is None


def test_extras_are_never_null_and_the_database_fills_their_defaults(saver):
    anime = queries.create_media("anime", "Mushishi", episodes=26)
    movie = queries.create_media("movie", "Alien", year=1979)
    with connection.cursor() as cursor:
        # A raw INSERT that names no extra still gets one (db_default).
        cursor.execute(
            f"INSERT INTO {SavedAnime._meta.db_table} (user_id, item_id, created)"
            " VALUES (%s, %s, CURRENT_TIMESTAMP)",
            [saver.pk, anime.pk],
        )
    assert queries.progress(saver, anime) == 0
    queries.save_item(saver, movie)
    with pytest.raises(IntegrityError), transaction.atomic():
        SavedMovie.objects.filter(user=saver).update(watched=None)


# Admin: one changelist per table, and a read-only UNION of both ----------------


@pytest.fixture
def mixed_tasks(world):
    alice, team = world
    queries.create_task("Errand for Alice", alice)
    queries.create_task("Team errand", team)
    queries.create_task("Team chore", team)
    return world


def test_the_combined_task_list_is_linked_from_the_admin_index(admin_client):
    url = reverse("admin:linked_models_combinedtask_changelist")
    assert url in admin_client.get(reverse("admin:index")).text


def test_the_combined_task_list_shows_both_tables_with_links_to_each(
    admin_client, mixed_tasks
):
    alice, team = mixed_tasks
    text = admin_client.get(reverse("admin:linked_models_combinedtask_changelist")).text
    for task in [*alice.tasks.all(), *team.tasks.all()]:
        assert task.description in text
        change = f"admin:linked_models_{task._meta.model_name}_change"
        assert reverse(change, args=[task.pk]) in text
    assert "3 tasks" in text


def test_the_combined_task_list_is_newest_id_first_and_a_group_first_on_a_tie(
    admin_client, world
):
    alice, team = world
    # Each table has its own id sequence, so the same id turns up in both:
    # explicit ids make the ties whatever state the sequences are in. The
    # UNION reads the person table first: only the tie-breaker puts the group
    # task ahead.
    for pk in (1, 2):
        PersonTask.objects.create(pk=pk, description=f"Person {pk}", owner=alice)
    for pk in (1, 2, 3):
        GroupTask.objects.create(pk=pk, description=f"Group {pk}", owner=team)
    response = admin_client.get(reverse("admin:linked_models_combinedtask_changelist"))
    shown = [description for _, description, *_ in response.context["page"]]
    assert shown == ["Group 3", "Group 2", "Person 2", "Group 1", "Person 1"]


def test_the_combined_task_list_searches_and_filters_each_branch(
    admin_client, mixed_tasks
):
    url = reverse("admin:linked_models_combinedtask_changelist")
    searched = admin_client.get(url, {"q": "errand"}).text
    assert "Errand for Alice" in searched and "Team errand" in searched
    assert "Team chore" not in searched
    groups_only = admin_client.get(url, {"owner_kind": "group"}).text
    assert "Team chore" in groups_only and "Errand for Alice" not in groups_only


def test_the_combined_task_list_is_read_only(admin_client, mixed_tasks):
    task = PersonTask.objects.get()
    assert (
        admin_client.get(reverse("admin:linked_models_combinedtask_add")).status_code
        == 403
    )
    change = reverse("admin:linked_models_combinedtask_change", args=[task.pk])
    assert admin_client.post(change, {"description": "renamed"}).status_code == 403
    task.refresh_from_db()
    assert task.description == "Errand for Alice"
