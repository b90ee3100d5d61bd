"""What multi-table inheritance leaves to Python, shown against the database.

Luke Plant's "Avoid Django's GenericForeignKey" (Alternative 4) notes that MTI
builds almost the schema of Alternative 3: an Owner table and child tables
keyed by it. The gaps are the same too: which child an Owner is sits in no
column, so an Owner can be both, or neither, and only Python objects.
"""

import json

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, models, transaction
from django.db.models import FETCH_RAISE
from django.test.utils import isolate_apps

from mti import queries
from mti.models import Anime, Group, Media, Movie, Owner, Person, SavedItem, Task
from tests.conftest import check_deferred_constraints, default_fetch_mode

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    alice = queries.create_person("Alice")
    bob = queries.create_person("Bob")
    team = queries.create_group("Team", creator=alice)
    queries.create_task("Bob's task", bob)
    queries.create_task("Team task", team)
    return alice, bob, team


def execute(sql, params):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_save_stores_a_group_on_a_persons_owner_row_that_full_clean_refuses(world):
    # Group.clean() asks the person table; save() never calls clean(). The
    # group's row is keyed by the person's Owner id: one Owner, two children.
    alice, _, _ = world
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


# Two rows per owner ------------------------------------------------------------


def test_a_person_is_an_owner_row_and_a_person_row_sharing_one_id():
    bob = queries.create_person("Bob")
    assert Owner.objects.filter(pk=bob.pk).exists()
    assert bob.owner_ptr_id == bob.pk


def test_deleting_a_person_through_the_orm_deletes_its_owner_row_and_tasks(world):
    alice, bob, team = world
    queries.delete_owner(alice)  # takes Team along (Group.creator cascades)
    # Alice's and Team's Owner rows went with their child rows.
    assert set(Owner.objects.values_list("pk", flat=True)) == {bob.pk}
    assert list(Task.objects.values_list("description", flat=True)) == ["Bob's task"]


def test_delete_keeping_parents_leaves_a_childless_owner_holding_the_tasks(world):
    _, bob, _ = world
    # keep_parents=True is Django's documented way to drop only the child row;
    # the tasks stay, now owned by an Owner that is nobody.
    bob.delete(keep_parents=True)
    check_deferred_constraints()
    task = Task.objects.get(description="Bob's task")
    assert queries.owner_of(task) is None


def test_bulk_create_refuses_multi_table_children():
    # The database would take the rows; Django can't insert two tables per
    # object in bulk, so every person and group costs two INSERTs. The shared
    # suite's bulk_create probes for a second child meet the same ValueError.
    with pytest.raises(ValueError, match="multi-table inherited model"):
        Person.objects.bulk_create([Person(name="Carol")])


# What the schema lets in -------------------------------------------------------


def test_raw_sql_can_make_one_owner_row_a_person_and_a_group(world):
    alice, bob, _ = world
    with transaction.atomic():
        execute(
            f"INSERT INTO {Group._meta.db_table} (owner_ptr_id, name, creator_id)"
            " VALUES (%s, %s, %s)",
            [bob.pk, "Bob's shadow group", alice.pk],
        )
        check_deferred_constraints()  # every FK holds: nothing to refuse
    # Bob's task now answers to both kinds of query.
    assert Task.objects.filter(
        owner__person__isnull=False, owner__group__isnull=False
    ).exists()
    assert [t.description for t in queries.tasks_of_groups_created_by(alice)] == [
        "Bob's task",
        "Team task",
    ]
    # ...and the downcast shows whichever child table it tries first: the
    # group, as the listing's SQL does.
    owner = queries.owner_of(Task.objects.get(description="Bob's task"))
    assert isinstance(owner, Group) and owner.name == "Bob's shadow group"


def test_loaddata_can_make_one_owner_row_a_person_and_a_group(world, tmp_path):
    # The bulk door bulk_create() leaves shut: fixtures are saved raw, which
    # writes only the child's own table. A group row keyed by Bob's id goes
    # in beside his person row, and loaddata's own constraint check passes.
    alice, bob, _ = world
    fixture = tmp_path / "shadow_group.json"
    fixture.write_text(
        json.dumps(
            [
                {
                    "model": "mti.group",
                    "pk": bob.pk,
                    "fields": {"name": "Bob's shadow group", "creator": alice.pk},
                }
            ]
        )
    )
    owners_before = Owner.objects.count()
    call_command("loaddata", fixture, verbosity=0)
    assert Owner.objects.count() == owners_before  # no new Owner row: Bob is both
    assert Group.objects.filter(pk=bob.pk).exists()
    assert Person.objects.filter(pk=bob.pk).exists()
    check_deferred_constraints()


def test_raw_sql_delete_of_a_person_row_leaves_its_owner_and_tasks_behind(world):
    _, bob, _ = world
    with transaction.atomic():
        execute(
            f"DELETE FROM {Person._meta.db_table} WHERE owner_ptr_id = %s", [bob.pk]
        )
        check_deferred_constraints()  # the tasks point at Owner, which remains
    assert Task.objects.filter(owner_id=bob.pk).count() == 1
    # The listing can't say who owns it: nobody, as far as it can tell.
    assert ("Bob's task", None, None, None) in queries.task_rows()


def test_raw_sql_delete_of_the_owner_row_too_is_rejected(world):
    _, bob, _ = world
    with pytest.raises(IntegrityError), transaction.atomic():
        execute(
            f"DELETE FROM {Person._meta.db_table} WHERE owner_ptr_id = %s", [bob.pk]
        )
        execute(f"DELETE FROM {Owner._meta.db_table} WHERE id = %s", [bob.pk])
        check_deferred_constraints()
    assert Person.objects.filter(pk=bob.pk).exists()


def test_raw_sql_delete_of_a_movie_row_leaves_its_media_row_and_saves_behind(
    django_user_model,
):
    user = django_user_model.objects.create_user("viewer")
    movie = queries.create_media("movie", "Alien", year=1979)
    queries.save_item(user, movie)
    with transaction.atomic():
        execute(
            f"DELETE FROM {Movie._meta.db_table} WHERE media_ptr_id = %s", [movie.pk]
        )
        check_deferred_constraints()  # the save points at Media, which remains
    assert queries.saved_count(user) == 1
    # The title lives on in the Media row; what kind of item it was doesn't.
    [(kind, title, _, extras)] = queries.saved_feed(user, 1, 10)
    assert (kind, title, extras) == (None, "Alien", {})


def test_raw_sql_delete_of_the_media_row_too_is_rejected(django_user_model):
    user = django_user_model.objects.create_user("viewer")
    movie = queries.create_media("movie", "Alien", year=1979)
    queries.save_item(user, movie)
    with pytest.raises(IntegrityError), transaction.atomic():
        execute(
            f"DELETE FROM {Movie._meta.db_table} WHERE media_ptr_id = %s", [movie.pk]
        )
        execute(f"DELETE FROM {Media._meta.db_table} WHERE id = %s", [movie.pk])
        check_deferred_constraints()
    assert Movie.objects.filter(pk=movie.pk).exists()


def test_only_task_clean_rejects_an_owner_that_is_neither_kind():
    bare = Owner.objects.create()
    task = Task(description="Owned by nobody in particular", owner=bare)
    with pytest.raises(ValidationError) as error:
        task.full_clean()
    assert error.value.error_dict["owner"][0].code == "owner_not_one"
    task.save()  # save() doesn't call clean(): the database takes it
    check_deferred_constraints()


def test_task_clean_rejects_an_owner_that_is_both_kinds(world):
    alice, bob, _ = world
    execute(
        f"INSERT INTO {Group._meta.db_table} (owner_ptr_id, name, creator_id)"
        " VALUES (%s, %s, %s)",
        [bob.pk, "Bob's shadow group", alice.pk],
    )
    with pytest.raises(ValidationError):
        Task(description="Whose?", owner_id=bob.pk).full_clean()


# Downcasting: a join, or a query per child table --------------------------------


def test_downcasting_a_fresh_tasks_owner_asks_each_child_table_in_turn(
    world, django_assert_num_queries
):
    # The article: starting from a Task, finding the owner's type costs more
    # queries than a nullable FK would. Lazily: the owner, then Group; for a
    # person also the miss on Group before Person. owner_of() joins both
    # child tables instead, in one query (tests/patterns/mti.py).
    bobs_task = Task.objects.get(description="Bob's task")
    team_task = Task.objects.get(description="Team task")
    with django_assert_num_queries(3):
        assert isinstance(bobs_task.owner.person_or_group, Person)
    with django_assert_num_queries(2):
        assert isinstance(team_task.owner.person_or_group, Group)


def test_downcasting_after_select_related_costs_no_query(
    world, django_assert_num_queries
):
    tasks = Task.objects.select_related(
        "owner__person", "owner__group__creator"
    ).order_by("pk")
    # 1 query, and FETCH_RAISE proves no lazy load hides behind it.
    with default_fetch_mode(FETCH_RAISE), django_assert_num_queries(1):
        owners = [task.owner.person_or_group for task in tasks]
        creators = [o.creator.name for o in owners if isinstance(o, Group)]
    assert [type(o) for o in owners] == [Person, Group]
    assert creators == ["Alice"]


# Saves: the shared parent -------------------------------------------------------


def test_title_lives_in_the_media_table_not_the_movies(django_assert_num_queries):
    movie = Movie.objects.create(title="Alien", year=1979)
    assert Movie._meta.get_field("title").model is Media
    with connection.cursor() as cursor:
        columns = {
            c.name
            for c in connection.introspection.get_table_description(
                cursor, Movie._meta.db_table
            )
        }
    assert columns == {"media_ptr_id", "year"}
    # So every read of a movie's title is a join, in one query.
    with django_assert_num_queries(1):
        assert Movie.objects.get(title="Alien") == movie


def test_nothing_in_the_schema_keeps_episode_progress_off_a_manga(django_user_model):
    user = django_user_model.objects.create_user("viewer")
    manga = queries.create_media("manga", "Monster", volumes=18)
    queries.save_item(user, manga)
    # The kind is which child table holds item_id: a check constraint on
    # the save row can't see it, so the database stores the nonsense.
    assert SavedItem.objects.filter(user=user).update(episode_progress=5) == 1
    check_deferred_constraints()
    assert SavedItem.objects.get(user=user).episode_progress == 5


# What the article says of MTI, on Django 6.1 ------------------------------------


@pytest.mark.django_db(transaction=True)
def test_a_model_can_inherit_from_two_concrete_parents():
    # "Django doesn't support multiple inheritance, so you can only use it
    # once": on Django 6.1 a model with two concrete parents passes the
    # system checks and saves a row in each parent table (their primary keys
    # need distinct names). The article's point stands as a design choice,
    # not a limit: the first parent's link becomes the child's primary key.
    with isolate_apps("mti"):

        class Owned(models.Model):
            owned_id = models.AutoField(primary_key=True)

            class Meta:
                app_label = "mti"

        class Titled(models.Model):
            titled_id = models.AutoField(primary_key=True)
            title = models.CharField(max_length=20)

            class Meta:
                app_label = "mti"

        class Both(Owned, Titled):
            class Meta:
                app_label = "mti"

        assert Both.check() == []
        with connection.schema_editor() as editor:
            for model in (Owned, Titled, Both):
                editor.create_model(model)
        try:
            both = Both.objects.create(title="Either")
            assert (Owned.objects.count(), Titled.objects.count()) == (1, 1)
            assert both.pk == both.owned_ptr_id
            assert Titled.objects.get().title == "Either"
        finally:
            with connection.schema_editor() as editor:
                for model in (Both, Titled, Owned):
                    editor.delete_model(model)
