import pytest
import swapper
from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.models import FETCH_RAISE
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from swappable import queries as q
from swappable.models import Owner, Task
from swappable.tests.conftest import SWAPPED
from tests.conftest import check_deferred_constraints, default_fetch_mode

pytestmark = pytest.mark.django_db

MISSING_ID = 10**9


def target():
    return swapper.load_model("swappable", "Owner")


# Wired to whatever the setting names -----------------------------------------


def test_task_owner_targets_the_model_the_setting_names():
    assert target()._meta.label == settings.SWAPPABLE_OWNER_MODEL
    assert Task._meta.get_field("owner").related_model is target()
    # The setting name swapper derives for ("swappable", "Owner").
    assert Owner._meta.swappable == "SWAPPABLE_OWNER_MODEL"


def test_task_owner_is_a_database_foreign_key_to_the_configured_table():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(
            cursor, Task._meta.db_table
        )
    foreign_keys = {
        tuple(c["columns"]): c["foreign_key"]
        for c in constraints.values()
        if c["foreign_key"]
    }
    assert foreign_keys[("owner_id",)] == (
        target()._meta.db_table,
        target()._meta.pk.column,
    )


def test_the_migration_runs_after_the_target_apps_first_migration():
    graph = MigrationLoader(connection, ignore_no_migrations=True).graph
    parents = graph.node_map[("swappable", "0001_initial")].parents
    # swapper.dependency() names the target app's first migration, or nothing
    # when the target is this app's own Owner.
    target_label = target()._meta.app_label
    expected = set() if target_label == "swappable" else {target_label}
    assert {parent.key[0] for parent in parents} == expected


def test_makemigrations_finds_nothing_to_do_under_these_settings():
    # The migration was edited by hand to use swapper: it must still match the
    # models under both settings (SystemExit(1) if Django sees a change).
    call_command("makemigrations", "swappable", check=True, dry_run=True, verbosity=0)


# A real foreign key, whichever table it points at ----------------------------


def test_deleting_an_owner_through_the_orm_deletes_their_tasks(make_owner):
    alice, bob = make_owner("Alice"), make_owner("Bob")
    q.create_task("Alice's task", alice)
    q.create_task("Bob's task", bob)
    q.delete_owner(alice)
    assert [t.description for t in Task.objects.all()] == ["Bob's task"]
    check_deferred_constraints()


def test_a_task_pointing_at_a_missing_owner_is_rejected_by_the_database():
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {Task._meta.db_table} (description, owner_id)"
                " VALUES (%s, %s)",
                ["dangling", MISSING_ID],
            )
        # Foreign keys are checked at commit; force the check here.
        check_deferred_constraints()


def test_full_clean_rejects_a_missing_owner():
    with pytest.raises(ValidationError) as error:
        Task(description="dangling", owner_id=MISSING_ID).full_clean()
    assert "owner" in error.value.message_dict


def test_admin_add_form_shows_a_missing_owner_as_a_form_error(admin_client):
    response = admin_client.post(
        reverse("admin:swappable_task_add"),
        {"description": "dangling", "owner": MISSING_ID},
    )
    assert response.status_code == 200
    assert "owner" in response.context["adminform"].form.errors
    assert Task.objects.count() == 0


def test_task_changelist_shows_each_owner(admin_client, make_owner):
    q.create_task("Alice's task", make_owner("Alice"))
    response = admin_client.get(reverse("admin:swappable_task_changelist"))
    assert response.status_code == 200
    assert "Alice" in response.text


# What the app can and can't optimise -------------------------------------------


def task_rows_queries(make_owner, total):
    # Tops the table up to `total` tasks, each with an owner of its own.
    for n in range(Task.objects.count(), total):
        q.create_task(f"Task {n}", make_owner(f"Owner {n}"))
    with CaptureQueriesContext(connection) as ctx:
        rows = q.task_rows()
    assert len(rows) == total
    return len(ctx.captured_queries)


@pytest.mark.skipif(SWAPPED, reason="a swapped-in owner's own relations cost more")
def test_create_task_and_delete_owner_cost_what_queries_py_says(make_owner):
    owner = make_owner("Ada")
    with CaptureQueriesContext(connection) as create:
        q.create_task("Ada's task", owner)
    with CaptureQueriesContext(connection) as delete:
        q.delete_owner(owner)
    # An INSERT; then the owner's tasks and the owner.
    assert (len(create), len(delete)) == (1, 2)


@pytest.mark.skipif(SWAPPED, reason="the swapped-in owner's __str__ reads more")
def test_task_rows_is_one_query_at_any_size_for_the_default_owner(make_owner):
    with default_fetch_mode(FETCH_RAISE):
        small = task_rows_queries(make_owner, 2)
        large = task_rows_queries(make_owner, 6)
    # One SELECT with the owner table joined; FETCH_RAISE proves no lazy load.
    assert (small, large) == (1, 1)


@pytest.mark.swapped
def test_task_rows_pays_per_row_for_what_the_swapped_in_owner_str_reads(
    make_owner,
):
    # mti.Owner.__str__ looks for its Person or Group: a query per row that
    # select_related("owner") can't cover and the reusable app can't name.
    assert task_rows_queries(make_owner, 2) < task_rows_queries(make_owner, 6)
    # The project can: it knows its owner has person and group children.
    with CaptureQueriesContext(connection) as ctx:
        tasks = Task.objects.select_related("owner__person", "owner__group")
        names = {str(task.owner) for task in tasks}
    assert len(ctx.captured_queries) == 1
    assert "Owner 5" in names


# Only under project.settings_swapped -------------------------------------------


@pytest.mark.swapped
def test_the_swapped_out_default_owner_has_no_table_and_no_manager():
    assert Owner._meta.db_table not in connection.introspection.table_names()
    with pytest.raises(AttributeError, match="swapped"):
        Owner.objects.all()


@pytest.mark.swapped
def test_tasks_of_mti_persons_and_groups_go_with_the_person_who_created_them():
    Person, Group = apps.get_model("mti", "Person"), apps.get_model("mti", "Group")
    alice = Person.objects.create(name="Alice")
    team = Group.objects.create(name="Team", creator=alice)
    # Both are mti.Owner rows, so both can own a task of this app.
    q.create_task("Alice's task", alice)
    q.create_task("Team task", team)
    assert {str(q.owner_of(t)) for t in Task.objects.all()} == {"Alice", "Team"}
    # Alice's Owner row goes, her group (creator CASCADE) and its Owner row go,
    # and the ORM follows both Owner rows to this app's tasks.
    alice.delete()
    assert Task.objects.count() == 0
    check_deferred_constraints()
