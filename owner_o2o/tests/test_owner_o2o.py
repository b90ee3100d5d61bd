"""What the database can't hold when the one-to-ones point at Owner.

Luke Plant's "Avoid Django's GenericForeignKey" (Alternative 3) trades Alternative
2's NULL links for links that point the other way. Every foreign key is real,
but how many rows link to an Owner (or Media) row is nobody's business but
Python's, and the ORM's cascade runs only from Owner outwards.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from owner_o2o import queries
from owner_o2o.models import (
    Anime,
    Group,
    Media,
    Movie,
    Owner,
    Person,
    SavedItem,
    Task,
)
from tests.conftest import check_deferred_constraints

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice():
    alice = queries.create_person("Alice")
    queries.create_task("Alice's task", alice)
    queries.create_task("Team task", queries.create_group("Team", creator=alice))
    return alice


def test_update_can_link_one_owner_row_from_a_person_and_a_group(alice):
    team = Group.objects.get()
    with transaction.atomic():
        Group.objects.filter(pk=team.pk).update(owner_id=alice.owner_id)
        check_deferred_constraints()  # every key points at a real row
    team.refresh_from_db()
    shared = Owner.objects.get(person=alice, group=team)
    # Alice's task now has two owners, and the Team's task is owned by nobody.
    assert queries.tasks_owned_by(alice) == queries.tasks_owned_by(team)
    assert queries.owner_of(Task.objects.get(description="Team task")) is None
    assert shared.tasks.count() == 1


def test_an_owner_row_that_nobody_links_to_can_own_tasks():
    nobody = Owner.objects.create()  # no columns, so nothing to refuse
    task = Task.objects.create(description="Nobody's", owner=nobody)
    check_deferred_constraints()
    assert queries.owner_of(task) is None


def test_deleting_a_person_through_the_orm_leaves_the_owner_rows_and_tasks(alice):
    alice.delete()  # cascades Person -> Group, never Person -> Owner
    check_deferred_constraints()
    assert not Person.objects.exists() and not Group.objects.exists()
    # Her Owner row and the Team's, each still owning its task, linked by nobody.
    assert Owner.objects.count() == 2
    assert [queries.owner_of(task) for task in Task.objects.all()] == [None, None]


def test_delete_owner_deletes_the_owner_rows_so_everything_cascades(alice):
    bob = queries.create_person("Bob")
    queries.create_task("Bob's task", bob)
    queries.delete_owner(alice)
    check_deferred_constraints()
    assert list(Owner.objects.all()) == [Owner.objects.get(person=bob)]
    assert [task.description for task in Task.objects.all()] == ["Bob's task"]


def test_save_stores_a_group_on_a_persons_owner_row_that_full_clean_refuses(alice):
    # Group.clean() asks the person table; save() never calls clean().
    twin = Group(name="Twin", creator=alice, owner_id=alice.owner_id)
    with pytest.raises(ValidationError, match="already a person's"):
        twin.full_clean()
    twin.save()
    assert Owner.objects.get(pk=alice.owner_id).group == twin


def test_deleting_a_movie_through_the_orm_leaves_its_media_row_and_saves(
    django_user_model,
):
    user = django_user_model.objects.create_user("viewer")
    movie = queries.create_media("movie", "Alien", year=1979)
    queries.save_item(user, movie)
    movie.delete()  # cascades Media -> Movie only, never Movie -> Media
    check_deferred_constraints()
    assert SavedItem.objects.get().item_id == movie.media_id
    assert Media.objects.get().media_item is None
    assert queries.saved_count(user) == 1  # a save of nothing, counted


def test_update_can_link_one_media_row_from_a_movie_and_an_anime(django_user_model):
    user = django_user_model.objects.create_user("viewer")
    movie = queries.create_media("movie", "Alien", year=1979)
    anime = queries.create_media("anime", "Mushishi", episodes=26)
    queries.save_item(user, movie)
    with transaction.atomic():
        Anime.objects.filter(pk=anime.pk).update(media_id=movie.media_id)
        check_deferred_constraints()
    anime.refresh_from_db()
    # The user saved a movie; the anime now reads as saved too.
    assert queries.is_saved(user, anime)
    assert Media.objects.filter(movie=movie, anime=anime).exists()


def test_adding_a_person_in_the_admin_makes_their_owner_row(admin_client):
    # The form has no owner field: save_model() makes the row, as create_person()
    # does, so an admin user can't pick another person's or group's Owner row.
    response = admin_client.post(reverse("admin:owner_o2o_person_add"), {"name": "Zoe"})
    assert response.status_code == 302
    zoe = Person.objects.get(name="Zoe")
    assert Owner.objects.get().person == zoe


def test_raw_delete_of_a_movie_leaves_its_media_row_and_saves(django_user_model):
    user = django_user_model.objects.create_user("viewer")
    movie = queries.create_media("movie", "Alien", year=1979)
    queries.save_item(user, movie)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Movie._meta.db_table} WHERE id = %s", [movie.pk]
            )
        check_deferred_constraints()  # no key points at a movie
    assert Media.objects.get(pk=movie.media_id).media_item is None
    assert SavedItem.objects.get().item_id == movie.media_id


def test_deleting_a_person_in_the_admin_deletes_their_owner_rows_and_tasks(
    admin_client, alice
):
    # PersonAdmin.delete_model() goes through delete_owner(); Django's own
    # delete would cascade Person -> Group only, as in the ORM test above.
    url = reverse("admin:owner_o2o_person_delete", args=[alice.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    check_deferred_constraints()
    assert not Person.objects.exists() and not Group.objects.exists()
    assert not Owner.objects.exists() and not Task.objects.exists()


def test_admin_delete_page_lists_the_owner_rows_and_tasks_it_will_delete(
    admin_client, alice
):
    # The confirmation lists what delete_owner() removes, not Django's own
    # Person -> Group cascade, which would miss the Owner rows and tasks.
    url = reverse("admin:owner_o2o_person_delete", args=[alice.pk])
    page = admin_client.get(url)
    assert page.status_code == 200
    summary = dict(page.context["model_count"])
    assert summary == {"owners": 2, "persons": 1, "groups": 1, "tasks": 2}


def test_bulk_deleting_people_in_the_admin_deletes_their_owner_rows_and_tasks(
    admin_client, alice
):
    bob = queries.create_person("Bob")
    queries.create_task("Bob's task", bob)
    kept = queries.create_person("Carol")
    queries.create_task("Carol's task", kept)
    data = {
        "action": "delete_selected",
        "_selected_action": [alice.pk, bob.pk],
        "post": "yes",
    }
    response = admin_client.post(reverse("admin:owner_o2o_person_changelist"), data)
    assert response.status_code == 302
    check_deferred_constraints()
    assert list(Owner.objects.all()) == [Owner.objects.get(person=kept)]
    assert [task.description for task in Task.objects.all()] == ["Carol's task"]


def test_deleting_a_movie_in_the_admin_deletes_its_media_row_and_saves(
    admin_client, django_user_model
):
    user = django_user_model.objects.create_user("viewer")
    movie = queries.create_media("movie", "Alien", year=1979)
    queries.save_item(user, movie)
    url = reverse("admin:owner_o2o_movie_delete", args=[movie.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 302
    check_deferred_constraints()
    assert not Movie.objects.exists() and not Media.objects.exists()
    assert queries.saved_count(user) == 0


def test_the_task_changelist_shows_an_owner_row_linked_from_nobody_as_none(
    admin_client,
):
    Task.objects.create(description="Nobody's", owner=Owner.objects.create())
    response = admin_client.get(reverse("admin:owner_o2o_task_changelist"))
    assert '<td class="field-owner_kind">none</td>' in response.text
