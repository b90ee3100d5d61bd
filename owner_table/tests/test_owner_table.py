"""The intermediate Owner table's traps, and what its CheckConstraint adds.

Luke Plant's "Avoid Django's GenericForeignKey" (Alternative 2) leaves "exactly
one of person and group" to save(); here the database holds it, and these
tests show both the difference and the on-demand Owner rows it costs.
"""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models.query import QuerySet
from django.urls import reverse

from owner_table import queries
from owner_table.models import Group, Owner, Person, SavedItem
from tests.conftest import count_queries, real_queries

pytestmark = pytest.mark.django_db

CHECK = "owner_table_owner_exactly_one_owner"


@pytest.fixture
def bob_row():
    bob = queries.create_person("Bob")
    return queries.create_task("Bob's task", bob).owner


@pytest.fixture
def unlinked_group():
    # No task yet, so no Owner row: a link to it can't clash with a unique index.
    return Group.objects.create(name="Team", creator=Person.objects.create(name="Al"))


def test_update_linking_an_owner_to_a_person_and_a_group_is_rejected_by_the_check(
    bob_row, unlinked_group
):
    with pytest.raises(IntegrityError, match=CHECK), transaction.atomic():
        Owner.objects.filter(pk=bob_row.pk).update(group=unlinked_group)


def test_a_save_only_check_like_the_articles_never_sees_update(
    bob_row, unlinked_group, monkeypatch
):
    # The article's advice: ensure one and only one link "when saving".
    calls = []
    plain_save = Owner.save

    def save_with_article_check(self, *args, **kwargs):
        calls.append(self)
        if (self.person_id is None) == (self.group_id is None):
            raise ValueError("An owner needs exactly one of person and group.")
        return plain_save(self, *args, **kwargs)

    monkeypatch.setattr(Owner, "save", save_with_article_check)
    with pytest.raises(ValueError):
        Owner(person=bob_row.person, group=unlinked_group).save()
    assert len(calls) == 1
    # update() writes SQL without building a model, so the Python check never
    # runs: only the database's CheckConstraint stands in the way.
    with pytest.raises(IntegrityError, match=CHECK), transaction.atomic():
        Owner.objects.filter(pk=bob_row.pk).update(group=unlinked_group)
    assert len(calls) == 1


def test_full_clean_reports_the_check_constraints_own_message(unlinked_group):
    owner = Owner(person=unlinked_group.creator, group=unlinked_group)
    with pytest.raises(ValidationError) as caught:
        owner.full_clean()
    assert caught.value.messages == ["An owner is exactly one person or one group."]


def test_the_first_task_makes_the_owner_row_and_later_tasks_share_it():
    alice = queries.create_person("Alice")
    assert not Owner.objects.exists()  # a person without tasks has no Owner row
    with count_queries() as ctx:
        first = queries.create_task("First", alice)
    # SELECT finds no Owner row, INSERT it, INSERT the task.
    assert len(real_queries(ctx)) == 3
    with count_queries() as ctx:
        second = queries.create_task("Second", alice)
    # SELECT finds the Owner row, INSERT the task.
    assert len(real_queries(ctx)) == 2
    assert first.owner_id == second.owner_id
    assert Owner.objects.get().person == alice


def test_create_task_reuses_the_owner_row_a_racing_request_just_made(monkeypatch):
    alice = queries.create_person("Alice")
    rival = []
    plain_get = QuerySet.get

    def get_missing_a_rival_insert(self, *args, **kwargs):
        # The rival request's INSERT lands between our SELECT and our INSERT.
        if self.model is Owner and not rival:
            rival.append(Owner.objects.create(person=alice))
            raise Owner.DoesNotExist
        return plain_get(self, *args, **kwargs)

    monkeypatch.setattr(QuerySet, "get", get_missing_a_rival_insert)
    task = queries.create_task("Alice's task", alice)
    # Our INSERT hit the one-to-one's unique index and read the rival's row back.
    assert Owner.objects.filter(person=alice).count() == 1
    assert task.owner_id == rival[0].pk


def test_the_database_lets_a_movie_save_carry_episode_progress(django_user_model):
    # The kind is in the Item table, out of a CheckConstraint's reach on
    # SavedItem: only save_item() and set_progress() keep extras in place.
    user = django_user_model.objects.create_user("viewer")
    movie = queries.create_media("movie", "Alien", year=1979)
    queries.save_item(user, movie)
    assert SavedItem.objects.filter(item__movie=movie).update(episode_progress=5) == 1
    assert SavedItem.objects.get().episode_progress == 5


def test_admin_owner_form_shows_the_check_constraints_message(
    admin_client, unlinked_group
):
    data = {"person": unlinked_group.creator.pk, "group": unlinked_group.pk}
    response = admin_client.post(reverse("admin:owner_table_owner_add"), data)
    assert response.status_code == 200  # the form again, not a 500
    assert response.context["adminform"].form.non_field_errors() == [
        "An owner is exactly one person or one group."
    ]
    assert not Owner.objects.exists()
