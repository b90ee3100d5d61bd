"""What django-typed-models does to the schema and the reads, on Django 6.1."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from typed_models import queries
from typed_models.models import Group, Media, Owner, Person, Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks():
    alice = queries.create_person("Alice")
    team = queries.create_group("Team", creator=alice)
    queries.create_task("Alice's task", alice)
    queries.create_task("Team task", team)
    return alice, team


def columns(model) -> dict[str, bool]:
    """Column name -> NULL-able, as the database has them."""
    with connection.cursor() as cursor:
        return {
            c.name: c.null_ok
            for c in connection.introspection.get_table_description(
                cursor, model._meta.db_table
            )
        }


def test_every_kinds_own_field_is_a_nullable_column_of_one_table():
    assert columns(Owner) == {
        "id": False,
        "type": False,
        "name": False,
        "creator_id": True,
    }
    media = columns(Media)
    assert {media[f] for f in ("year", "episodes", "volumes")} == {True}


def test_one_join_builds_each_owner_as_its_class(tasks, django_assert_num_queries):
    with django_assert_num_queries(1):
        owners = [
            t.owner
            for t in Task.objects.select_related("owner__creator").order_by("pk")
        ]
        assert [type(o).__name__ for o in owners] == ["Person", "Group"]
        assert owners[1].creator.name == "Alice"


def test_a_type_no_class_names_breaks_every_read_of_the_table(tasks):
    # `type` is a plain string column: the database takes any value, and the
    # library refuses to build a row it can't name.
    alice, _ = tasks
    Owner.objects.filter(pk=alice.pk).update(type="typed_models.robot")
    with pytest.raises(ValueError, match="robot"):
        list(Owner.objects.all())
    # A read that builds no instances doesn't notice.
    assert ("Alice's task", None, "Alice", None) in queries.task_rows()


def test_only_validation_asks_a_group_for_its_creator():
    # The field isn't blank, so cleaning a group asks for a creator; a person,
    # whose class hasn't the field, is never asked.
    group = Group(name="Nobody's team")
    with pytest.raises(ValidationError) as refused:
        group.full_clean()
    assert list(refused.value.message_dict) == ["creator"]
    Person(name="Bob").full_clean()
    group.save()  # save() doesn't ask
    assert Group.objects.get().creator is None
