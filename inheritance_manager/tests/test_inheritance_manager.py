"""What InheritanceManager adds to multi-table inheritance, on Django 6.1."""

import pytest
from django.core.exceptions import ValidationError

from inheritance_manager import queries
from inheritance_manager.models import Anime, Group, Owner, Person, Task
from tests.patterns import insert

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks():
    alice = queries.create_person("Alice")
    team = queries.create_group("Team", creator=alice)
    queries.create_task("Alice's task", alice)
    queries.create_task("Team task", team)
    return alice, team


def test_select_subclasses_builds_every_child_in_one_query(
    tasks, django_assert_num_queries
):
    with django_assert_num_queries(1):
        owners = list(Owner.objects.select_subclasses().order_by("pk"))
    assert [type(o) for o in owners] == [Person, Group]


def test_a_foreign_key_to_the_parent_still_gives_the_bare_parent(
    tasks, django_assert_num_queries
):
    # The manager works where a query starts from Owner; from Task, a join
    # or a lazy load hands back the Owner row, as in plain mti.
    with django_assert_num_queries(1):
        task = Task.objects.select_related("owner").get(description="Team task")
    assert type(task.owner) is Owner
    assert type(Task.objects.get(description="Team task").owner) is Owner


def test_get_subclass_finds_the_child_of_one_row(tasks, django_assert_num_queries):
    _, team = tasks
    with django_assert_num_queries(1):
        assert Owner.objects.get_subclass(pk=team.pk) == team


def test_a_row_with_both_children_reads_as_the_person_everywhere(tasks):
    # A group row keyed by Alice's Owner row, as mti's BOTH_OWNERS probe
    # writes it. The library tries the longest link name first ("person"),
    # whatever order it's given; the listing's SQL and person_or_group follow
    # it, so every read names the person, never the group or its creator.
    alice, _ = tasks
    insert(Group, owner_ptr_id=alice.pk, name="Shadow", creator_id=alice.pk)
    both = Owner.objects.select_subclasses("group", "person").get(pk=alice.pk)
    assert type(both) is Person
    rows = [
        ("Alice's task", "person", "Alice", None),
        ("Team task", "group", "Team", "Alice"),
    ]
    assert queries.task_rows() == rows
    assert queries.task_page(1, 10) == rows
    assert queries.task_rows_naive() == rows  # person_or_group on bare rows
    assert queries.task_page_prefetched(1, 10) == rows  # select_subclasses()
    owner = queries.owner_of(Task.objects.get(description="Alice's task"))
    assert type(owner) is Person and str(owner) == "Alice"
    assert str(Owner.objects.get(pk=alice.pk)) == "Alice"


def test_save_stores_a_group_on_a_persons_owner_row_that_full_clean_refuses(tasks):
    # Group.clean() asks the person table; save() never calls clean(). The
    # group's row is keyed by the person's Owner id: one Owner, two children.
    alice, _ = tasks
    twin = Group(name="Twin", creator=alice, owner_ptr_id=alice.pk)
    with pytest.raises(ValidationError, match="already a person's"):
        twin.full_clean()
    twin.save()
    assert Owner.objects.get(pk=alice.pk).group == twin


def test_save_stores_an_anime_on_a_movies_media_row_that_full_clean_refuses():
    movie = queries.create_media("movie", "Alien", year=1979)
    twin = Anime(title="Twin", episodes=1, media_ptr_id=movie.pk)
    with pytest.raises(ValidationError, match="already a movie's"):
        twin.full_clean()
