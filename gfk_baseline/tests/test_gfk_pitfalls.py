"""What a GenericForeignKey can't do, shown rather than asserted in prose.

Each test reproduces a claim from Luke Plant's "Avoid Django's
GenericForeignKey" against Django 6.1, including where Django has since moved.
"""

from datetime import timedelta

import pytest
from django.contrib.admin import AdminSite
from django.contrib.auth.models import User
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.core import checks
from django.core.exceptions import FieldError
from django.db import connection
from django.db.models import FETCH_RAISE
from django.forms import modelform_factory
from django.test import RequestFactory
from django.urls import reverse

from gfk_baseline import queries
from gfk_baseline.admin import TaskAdmin
from gfk_baseline.models import Group, Movie, Person, SavedItem, Task
from nullable_fks.models import Movie as OtherAppsMovie
from tests.conftest import (
    SAVED_AT,
    check_deferred_constraints,
    default_fetch_mode,
    warm_up_content_types,
)
from tests.patterns import MISSING_ID
from tests.patterns.gfk_baseline import ct

pytestmark = pytest.mark.django_db


@pytest.fixture
def mixed_tasks():
    alice = queries.create_person("Alice")
    team = queries.create_group("Team", creator=alice)
    queries.create_task("Alice's task", alice)
    queries.create_task("Team task", team)
    return alice, team


def test_select_related_cannot_follow_a_gfk(mixed_tasks):
    # The join target is a value in each row, so there is no join to plan.
    with pytest.raises(FieldError, match="select_related"):
        list(Task.objects.select_related("owner"))


def test_prefetching_a_field_of_one_owner_type_fails_on_mixed_owners(mixed_tasks):
    # Only Group has a creator; the plain lookup tries it on Person too.
    with pytest.raises(AttributeError, match="creator"):
        list(Task.objects.prefetch_related("owner__creator"))


def test_generic_prefetch_gives_each_owner_type_its_own_queryset(
    mixed_tasks, django_assert_num_queries
):
    # Django 5.0's GenericPrefetch is the fix the article didn't have: one
    # queryset per type, so only groups are asked for their creator.
    tasks = Task.objects.order_by("description").prefetch_related(
        GenericPrefetch(
            "owner", [Person.objects.all(), Group.objects.select_related("creator")]
        )
    )
    # tasks, persons, groups joined to their creators.
    with django_assert_num_queries(3):
        assert [t.owner.creator.name for t in tasks if isinstance(t.owner, Group)] == [
            "Alice"
        ]


def test_filtering_through_the_gfk_itself_is_impossible(mixed_tasks):
    alice, _ = mixed_tasks
    with pytest.raises(FieldError):
        list(Task.objects.filter(owner__creator=alice))


def test_filtering_through_a_generic_relations_query_name_is_one_join(
    mixed_tasks, django_assert_num_queries
):
    # What the article calls impossible works on Django 6.1 once the target
    # declares GenericRelation(related_query_name="group"): a plain JOIN, with
    # the content type in its condition.
    alice, team = mixed_tasks
    with django_assert_num_queries(1) as ctx:
        tasks = list(Task.objects.filter(group__creator=alice))
    assert [t.description for t in tasks] == ["Team task"]
    sql = ctx.captured_queries[0]["sql"]
    assert "JOIN" in sql and Group._meta.db_table in sql
    assert "owner_type_id" in sql


def test_the_listing_orders_by_the_owner_in_the_database_through_the_joins(
    mixed_tasks, django_assert_num_queries
):
    # "Can't be ordered by owner kind or name in SQL (no join)": it can, with
    # a LEFT JOIN per owner type through the GenericRelations.
    bob = queries.create_person("Bob")
    queries.create_task("Alice's task", bob)  # same description, another owner
    with django_assert_num_queries(1) as ctx:
        rows = queries.task_rows()
    assert rows == [
        ("Alice's task", "person", "Alice", None),
        ("Alice's task", "person", "Bob", None),
        ("Team task", "group", "Team", "Alice"),
    ]
    assert "ORDER BY" in ctx.captured_queries[0]["sql"]


def test_the_joins_exist_only_for_targets_that_declare_a_generic_relation(
    mixed_tasks,
):
    # A GFK takes an owner of a model you don't own (auth's User here), but
    # User declares no GenericRelation back to Task: no field of Task leads to
    # it, so no lookup reaches the user's columns, under any name.
    user = User.objects.create_user("owner")
    task = Task.objects.create(description="Owned by a user", owner=user)
    assert Task.objects.get(pk=task.pk).owner == user
    assert User not in {f.related_model for f in Task._meta.get_fields()}
    with pytest.raises(FieldError, match="Cannot resolve keyword 'user'") as caught:
        list(Task.objects.filter(user__username="owner"))
    # The names Django offers instead: Task's own fields and one per
    # GenericRelation pointing here (group, person, and any kind added
    # since), none for User.
    choices = str(caught.value).split("Choices are: ")[1].split(", ")
    assert "user" not in choices
    assert {"group", "person"} <= set(choices)
    # Group declares GenericRelation(related_query_name="group"): its columns
    # are one lookup away.
    tasks = Task.objects.filter(group__name="Team")
    assert [t.description for t in tasks] == ["Team task"]


def test_list_filter_on_the_gfk_passes_the_checks_and_fails_on_the_page(
    admin_client, mixed_tasks
):
    # The system checks accept list_filter=["owner"]; the changelist that
    # uses it raises when it builds the filter.
    class OwnerFilteredTaskAdmin(TaskAdmin):
        list_filter = ["owner"]

    site = AdminSite(name="pitfall")
    model_admin = OwnerFilteredTaskAdmin(Task, site)
    assert [e for e in model_admin.check() if e.level >= checks.ERROR] == []
    request = RequestFactory().get("/")
    request.user = User.objects.get(username="admin")
    with pytest.raises(FieldError, match="does not generate an automatic reverse"):
        model_admin.get_changelist_instance(request)


def test_a_model_form_cannot_name_the_gfk():
    with pytest.raises(FieldError, match="owner"):
        modelform_factory(Task, fields=["description", "owner"])


def test_the_admin_delete_page_of_a_target_without_generic_relation_lists_no_tasks(
    admin_client,
):
    # Movie has no GenericRelation to Task: the "are you sure?" page doesn't
    # know the task exists, and neither does the delete.
    movie = Movie.objects.create(title="Alien", year=1979)
    Task.objects.create(description="Owned by a film", owner=movie)
    url = reverse("admin:gfk_baseline_movie_delete", args=[movie.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    assert "Owned by a film" not in page.text
    # A person's page, with a GenericRelation, lists theirs.
    bob = queries.create_person("Bob")
    queries.create_task("Bob's task", bob)
    page = admin_client.get(reverse("admin:gfk_baseline_person_delete", args=[bob.pk]))
    assert "Bob&#x27;s task" in page.text or "Bob's task" in page.text


def test_a_gfk_accepts_an_owner_of_any_model(mixed_tasks):
    # Nothing in the schema says "a person or a group": a movie will do.
    movie = Movie.objects.create(title="Alien", year=1979)
    task = Task.objects.create(description="Owned by a film", owner=movie)
    task.refresh_from_db()
    assert task.owner == movie


def test_deleting_an_owner_without_a_generic_relation_leaves_its_tasks_behind():
    # Movie has no GenericRelation to Task, so the ORM's delete can't find
    # the task; the database never knew about the link at all.
    movie = Movie.objects.create(title="Alien", year=1979)
    task = Task.objects.create(description="Owned by a film", owner=movie)
    movie_id = movie.pk
    movie.delete()
    check_deferred_constraints()  # the database sees nothing wrong
    task = Task.objects.get(pk=task.pk)
    assert task.owner_id == movie_id
    assert task.owner is None  # the GFK finds no row and says so quietly


def test_deleting_an_owner_with_a_generic_relation_deletes_its_tasks(mixed_tasks):
    alice, team = mixed_tasks
    alice.delete()  # cascades to the team through Group.creator, then to tasks
    assert Task.objects.count() == 0


def test_raw_sql_delete_of_an_owner_leaves_a_dangling_task():
    bob = queries.create_person("Bob")
    task = queries.create_task("Bob's task", bob)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {Person._meta.db_table} WHERE id = %s", [bob.pk])
    check_deferred_constraints()  # no foreign key, so nothing to violate
    task = Task.objects.get(pk=task.pk)
    assert (task.owner_id, task.owner) == (bob.pk, None)


# Saves of a model that isn't one of this app's media ---------------------------


@pytest.fixture
def viewer(django_user_model):
    warm_up_content_types()
    return django_user_model.objects.create_user("viewer", password="pw")


@pytest.fixture
def foreign_saves(viewer):
    # The database takes a save of any content type; create() runs no clean().
    # One of a user account, one of another app's movie that shares its id
    # with one of this app's: only the content type tells them apart.
    other_movie = OtherAppsMovie.objects.create(title="Elsewhere", year=2000)
    Movie.objects.create(pk=other_movie.pk, title="Alien", year=1979)
    SavedItem.objects.create(user=viewer, item=viewer, created=SAVED_AT)
    later = SAVED_AT + timedelta(minutes=1)
    SavedItem.objects.create(user=viewer, item=other_movie, created=later)
    return viewer


def test_the_feed_lists_a_save_of_a_foreign_model_with_no_title(
    foreign_saves, django_assert_num_queries
):
    # 1 query, as declared: the item tables join on their own content type,
    # so neither save finds a row; the kind is read from the content type.
    with default_fetch_mode(FETCH_RAISE), django_assert_num_queries(1):
        feed = queries.saved_feed(foreign_saves, 1, 10)
    assert [(kind, title, extras) for kind, title, _, extras in feed] == [
        # The kind is the model's name, its app unread: another app's movie
        # reads as a movie, but never with this app's movie's title.
        ("movie", None, {"watched": None}),
        # "user" is not a kind of media: unknown.
        (None, None, {}),
    ]


def test_the_dashboard_shows_a_save_of_a_foreign_model_as_unavailable(
    foreign_saves, client
):
    client.force_login(foreign_saves)
    page = client.get(reverse("gfk_baseline:saved"))
    assert page.status_code == 200
    assert page.text.count("no longer available") == 2
    assert "unknown kind" in page.text
    assert "Alien" not in page.text and "Elsewhere" not in page.text


@pytest.mark.parametrize(
    "target, field",
    [
        ("user account", "item_type"),
        ("other app's movie", "item_type"),
        ("missing movie", "item_id"),
    ],
)
def test_the_saved_item_change_form_refuses_a_foreign_type_or_a_missing_id(
    admin_client, viewer, target, field
):
    movie = Movie.objects.create(title="Alien", year=1979)
    queries.save_item(viewer, movie)
    save = SavedItem.objects.get()
    other_movie = OtherAppsMovie.objects.create(title="Elsewhere", year=2000)
    item_type, item_id = {
        "user account": (ct(User), viewer.pk),
        "other app's movie": (ct(OtherAppsMovie), other_movie.pk),
        "missing movie": (ct(Movie), MISSING_ID),
    }[target]
    # The form as it stands but for the item; episode_progress left blank.
    data = {"user": viewer.pk, "item_type": item_type, "item_id": item_id}
    url = reverse("admin:gfk_baseline_saveditem_change", args=[save.pk])
    response = admin_client.post(url, {**data, "watched": "false"})
    # 200 with the form again and the error on that field, not a redirect.
    # (A refused type leaves the save's own, movie, for the id's check: an id
    # no movie has is a second error.)
    assert response.status_code == 200
    assert field in response.context["adminform"].form.errors
    saved = SavedItem.objects.values_list("item_type_id", "item_id").get()
    assert saved == (ct(Movie), movie.pk)
