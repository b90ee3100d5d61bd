"""What django-polymorphic does on Django 6.1, shown rather than assumed."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import FETCH_PEERS
from django.test.utils import CaptureQueriesContext

from polymorphic_models import queries
from polymorphic_models.models import Anime, Group, Media, Owner, Person, Task
from project.dataset import build_ownership
from tests.conftest import default_fetch_mode, warm_up_content_types
from tests.patterns import insert

pytestmark = pytest.mark.django_db


@pytest.fixture
def tasks():
    # Content types read, as in a process past its first request.
    warm_up_content_types()
    alice = queries.create_person("Alice")
    team = queries.create_group("Team", creator=alice)
    queries.create_task("Alice's task", alice)
    queries.create_task("Team task", team)
    return alice, team


def test_an_owner_queryset_costs_a_query_per_child_type(
    tasks, django_assert_num_queries
):
    # The Owner rows, then each child table for the ids of its type.
    with django_assert_num_queries(3):
        assert sorted(type(o).__name__ for o in Owner.objects.all()) == [
            "Group",
            "Person",
        ]


def test_a_lazy_owner_is_its_child_but_a_joined_one_is_the_bare_parent(
    tasks, django_assert_num_queries
):
    task = Task.objects.get(description="Team task")
    with django_assert_num_queries(2):  # the Owner row, then its Group row
        assert type(task.owner) is Group
    with django_assert_num_queries(1):
        joined = Task.objects.select_related("owner").get(description="Team task")
    assert type(joined.owner) is Owner


def test_fetch_peers_batches_owners_and_children_but_not_the_creators():
    # Under Django 6.1's FETCH_PEERS the naive listing loads the Owner rows of
    # every task in one query and each child type in one more; but each
    # group's creator, a relation of an instance the library built in a query
    # of its own, is a query per group.
    warm_up_content_types()
    build_ownership(queries, 3)
    with default_fetch_mode(FETCH_PEERS), CaptureQueriesContext(connection) as ctx:
        queries.task_rows_naive()
    # A single-row fetch is a get(): one creator at a time.
    creators = [q for q in ctx.captured_queries if q["sql"].endswith("LIMIT 21")]
    assert len(ctx.captured_queries) == 4 + len(creators)
    assert len(creators) == Group.objects.count() == 3


def test_the_stored_type_outlives_the_child_row_and_reads_stay_quiet(tasks):
    bob = queries.create_person("Bob")
    queries.create_task("Bob's task", bob)
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {Person._meta.db_table} WHERE owner_ptr_id = %s", [bob.pk]
        )
    # The Owner row still says "person"; the library hands back a bare Owner
    # for it, and the listing still calls the task a person's, with no name.
    assert Owner.objects.non_polymorphic().get(pk=bob.pk).polymorphic_ctype == (
        ContentType.objects.get_for_model(Person)
    )
    assert type(Owner.objects.get(pk=bob.pk)) is Owner
    assert ("Bob's task", "person", None, None) in queries.task_rows()


def test_a_parent_written_in_raw_sql_has_no_stored_type():
    # The library writes polymorphic_ctype in save() and in its bulk_create();
    # the database leaves the column NULL for any other writer.
    [typed] = Media.objects.bulk_create([Media(title="Typed")])
    untyped = insert(Media, title="Untyped")
    stored = dict(
        Media.objects.non_polymorphic().values_list("pk", "polymorphic_ctype")
    )
    assert stored[typed.pk] == ContentType.objects.get_for_model(Media).pk
    assert stored[untyped] is None


def test_a_row_with_both_children_reads_as_its_stored_type_everywhere(tasks):
    # A group row keyed by Alice's Owner row, as mti's BOTH_OWNERS probe
    # writes it; the Owner row's stored type still says person. The library
    # downcasts by that type, so the listing's SQL and a bare Owner row must
    # read the person too, not the group's name and creator.
    alice, _ = tasks
    insert(Group, owner_ptr_id=alice.pk, name="Shadow", creator_id=alice.pk)
    rows = [
        ("Alice's task", "person", "Alice", None),
        ("Team task", "group", "Team", "Alice"),
    ]
    assert queries.task_rows() == rows
    assert queries.task_page(1, 10) == rows
    assert queries.task_rows_naive() == rows  # through the library's downcast
    assert queries.task_page_prefetched(1, 10) == rows
    owner = queries.owner_of(Task.objects.get(description="Alice's task"))
    assert type(owner) is Person and str(owner) == "Alice"
    assert str(Owner.objects.get(pk=alice.pk)) == "Alice"
    # A join from Task hands back the bare Owner row: it follows the type too.
    bare = Task.objects.select_related("owner").get(description="Alice's task").owner
    assert type(bare) is Owner and str(bare) == "Alice"


def test_save_stores_a_group_on_a_persons_owner_row_that_full_clean_refuses(tasks):
    # Group.clean() asks the person table; save() never calls clean(). The
    # group's row is keyed by the person's Owner id: one Owner, two children.
    alice, _ = tasks
    twin = Group(name="Twin", creator=alice, owner_ptr_id=alice.pk)
    with pytest.raises(ValidationError, match="already a person's"):
        twin.full_clean()
    twin.save()
    assert Owner.objects.non_polymorphic().get(pk=alice.pk).group == twin
    # The library's save() wrote the Owner row's stored type over, too: the
    # row Alice was made as now reads as the group wherever it is read.
    assert Owner.objects.get(pk=alice.pk) == twin
    assert ("Alice's task", "group", "Twin", "Alice") in queries.task_rows()


def test_save_stores_an_anime_on_a_movies_media_row_that_full_clean_refuses():
    movie = queries.create_media("movie", "Alien", year=1979)
    twin = Anime(title="Twin", episodes=1, media_ptr_id=movie.pk)
    with pytest.raises(ValidationError, match="already a movie's"):
        twin.full_clean()


def test_a_bare_owner_reads_the_child_its_stored_type_names_not_the_first_found(
    tasks,
):
    # A person row keyed by the team's Owner row, whose stored type says
    # group: asking the child tables in turn, person first, would find it.
    _, team = tasks
    insert(Person, owner_ptr_id=team.pk, name="Shadow")
    bare = Owner.objects.non_polymorphic().get(pk=team.pk)
    assert type(bare.person_or_group) is Group and str(bare) == "Team"
    joined = Task.objects.select_related("owner").get(description="Team task").owner
    assert type(joined) is Owner and str(joined) == "Team"
    assert ("Team task", "group", "Team", "Alice") in queries.task_rows()


@pytest.mark.parametrize("kind", ["person", "group", "gone"])
def test_a_bare_owner_asks_only_the_child_table_its_stored_type_names(
    tasks, kind, django_assert_num_queries
):
    alice, team = tasks
    owner = {"person": alice, "group": team, "gone": queries.create_person("Bob")}[kind]
    if kind == "gone":
        # Bob's person row deleted behind the library's back: the stored type
        # still says person, and only the person table is asked.
        with connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {Person._meta.db_table} WHERE owner_ptr_id = %s",
                [owner.pk],
            )
    bare = Owner.objects.non_polymorphic().get(pk=owner.pk)
    # 1 query: the one child table the stored type names (the type itself
    # from Django's warm content-type cache). Asking each child table in turn
    # would cost 2 for whichever kind it asks second, and for a row with none.
    with django_assert_num_queries(1):
        child = bare.person_or_group
    if kind == "gone":
        assert child is None
    else:
        assert type(child) is type(owner) and child.pk == owner.pk


@pytest.mark.django_db
def test_a_bare_media_row_reads_the_child_its_stored_type_names_in_one_query(
    django_assert_num_queries,
):
    # As for an owner: an anime row keyed by a manga's Media row reads as the
    # manga, and only the manga table is asked (asking movie, anime, manga in
    # turn would find the anime, in two queries).
    manga = queries.create_media("manga", "Akira", volumes=6)
    insert(Anime, media_ptr_id=manga.pk, episodes=1)
    warm_up_content_types()
    bare = Media.objects.non_polymorphic().get(pk=manga.pk)
    with django_assert_num_queries(1):
        child = bare.media_item
    assert type(child).__name__ == "Manga" and child.pk == manga.pk
