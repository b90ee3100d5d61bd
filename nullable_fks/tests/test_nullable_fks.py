import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, models, transaction
from django.db.models import UniqueConstraint
from django.test.utils import isolate_apps
from django.urls import reverse

from nullable_fks import queries as q
from nullable_fks.models import SavedItem, Task
from tests.conftest import check_deferred_constraints, make_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return make_world("nullable_fks")


@pytest.fixture
def media():
    return {
        "movie": q.create_media("movie", "Alien", year=1979),
        "anime": q.create_media("anime", "Mushishi", episodes=26),
        "manga": q.create_media("manga", "Monster", volumes=18),
    }


def committed(write):
    # Run a write and the checks a commit would run (FKs are deferred), in a
    # savepoint that rolls back if the database refuses.
    with transaction.atomic():
        result = write()
        check_deferred_constraints()
    return result


# Ownership -------------------------------------------------------------------


def test_full_clean_rejects_both_owners_and_no_owner(world):
    both = Task(description="x", owner_person=world.alice, owner_group=world.group)
    nobody = Task(description="x")
    for task in (both, nobody):
        with pytest.raises(ValidationError) as caught:
            task.full_clean()
        assert caught.value.error_dict["__all__"][0].code == "exactly_one_owner"


def test_bulk_create_stores_the_task_full_clean_rejects(world):
    task = Task(description="x", owner_person=world.alice, owner_group=world.group)
    with pytest.raises(ValidationError):
        task.full_clean()
    # The same instance, past the one place that holds the rule.
    committed(lambda: Task.objects.bulk_create([task]))
    stored = Task.objects.get(pk=task.pk)
    assert (stored.owner_person_id, stored.owner_group_id) == (
        world.alice.pk,
        world.group.pk,
    )


def test_a_task_emptied_by_update_is_owned_by_nobody_and_still_listed(world):
    Task.objects.filter(pk=world.bob_task.pk).update(owner_person=None)
    task = Task.objects.get(pk=world.bob_task.pk)
    assert q.owner_of(task) is None
    assert ("Bob's task", None, None, None) in q.task_rows()


def test_task_with_both_owners_is_listed_as_the_groups_and_owned_by_both(world):
    Task.objects.filter(pk=world.bob_task.pk).update(owner_group=world.group)
    # The listing shows one owner and hides the corruption...
    assert ("Bob's task", "group", "Team", "Alice") in q.task_rows()
    # ...while each owner's own list claims the task.
    assert "Bob's task" in [t.description for t in q.tasks_owned_by(world.bob)]
    assert "Bob's task" in [t.description for t in q.tasks_owned_by(world.group)]


def test_task_changelist_shows_corrupt_rows_instead_of_failing(world, admin_client):
    Task.objects.filter(pk=world.bob_task.pk).update(owner_group=world.group)
    Task.objects.filter(pk=world.alice_task.pk).update(owner_person=None)
    response = admin_client.get(reverse("admin:nullable_fks_task_changelist"))
    # Task.owner would raise on Alice's emptied task; the admin's own column
    # shows both rows as they are.
    assert response.status_code == 200
    assert "person, group" in response.text


# Saves -----------------------------------------------------------------------


def test_full_clean_rejects_a_save_of_no_item_and_of_two(media, django_user_model):
    user = django_user_model.objects.create_user("viewer")
    two = SavedItem(user=user, movie=media["movie"], anime=media["anime"])
    nothing = SavedItem(user=user)
    for save in (two, nothing):
        with pytest.raises(ValidationError) as caught:
            save.full_clean()
        assert caught.value.error_dict["__all__"][0].code == "exactly_one_item"


@pytest.mark.parametrize("kind", ["movie", "anime", "manga"])
def test_second_save_of_the_same_item_is_refused_for_every_kind(
    kind, media, django_user_model
):
    user = django_user_model.objects.create_user("viewer")
    SavedItem.objects.create(user=user, **{kind: media[kind]})
    with pytest.raises(IntegrityError):
        committed(
            lambda: SavedItem.objects.bulk_create(
                [SavedItem(user=user, **{kind: media[kind]})]
            )
        )


def test_saves_of_every_kind_coexist_despite_the_shared_null_columns(
    media, django_user_model
):
    user = django_user_model.objects.create_user("viewer")
    second_movie = q.create_media("movie", "Heat", year=1995)
    # Each row is NULL in two of the three unique-constrained columns, and
    # a NULL never equals another in a unique index.
    rows = [SavedItem(user=user, **{kind: item}) for kind, item in media.items()]
    rows.append(SavedItem(user=user, movie=second_movie))
    committed(lambda: SavedItem.objects.bulk_create(rows))
    assert SavedItem.objects.filter(user=user).count() == 4


@pytest.mark.django_db(transaction=True)
def test_one_unique_over_all_item_columns_would_accept_a_duplicate_save():
    # The tempting single constraint, on a scratch table of the same shape
    # (a real table, since MariaDB commits DDL and a test transaction can't
    # undo it): NULL anime and manga make the two rows distinct in SQL's eyes.
    with isolate_apps("nullable_fks"):

        class NaiveSave(models.Model):
            user = models.IntegerField()
            movie = models.IntegerField(null=True)
            anime = models.IntegerField(null=True)
            manga = models.IntegerField(null=True)

            class Meta:
                app_label = "nullable_fks"
                constraints = [
                    UniqueConstraint(
                        fields=["user", "movie", "anime", "manga"],
                        name="naive_one_save",
                    )
                ]

        with connection.schema_editor() as editor:
            editor.create_model(NaiveSave)
        try:
            NaiveSave.objects.bulk_create(
                [NaiveSave(user=1, movie=7) for _ in range(2)]
            )
            assert NaiveSave.objects.filter(user=1, movie=7).count() == 2
        finally:
            with connection.schema_editor() as editor:
                editor.delete_model(NaiveSave)


def test_database_accepts_episode_progress_on_a_movie_save(media, django_user_model):
    user = django_user_model.objects.create_user("viewer")
    q.save_item(user, media["movie"])
    # Only save_item() keeps extras on their own kind; check_constraint adds
    # the CheckConstraint that refuses this.
    written = committed(
        lambda: SavedItem.objects.filter(user=user).update(episode_progress=5)
    )
    assert written == 1
    assert SavedItem.objects.get(user=user).episode_progress == 5


@pytest.mark.django_db(transaction=True)
def test_nulls_not_distinct_is_no_fix_for_a_unique_per_kind():
    # Django's own UniqueConstraint(nulls_distinct=False) on the per-kind
    # (user, movie) unique, on a scratch table like the one above. PostgreSQL
    # treats the NULLs as equal: a user's second anime save, movie NULL like the
    # first's, collides. SQLite and MariaDB can't: Django creates the table
    # without the index (and warns, models.W047, below), so both saves go in.
    with isolate_apps("nullable_fks"):

        class NullsEqualSave(models.Model):
            user = models.IntegerField()
            movie = models.IntegerField(null=True)
            anime = models.IntegerField(null=True)

            class Meta:
                app_label = "nullable_fks"
                constraints = [
                    UniqueConstraint(
                        fields=["user", "movie"],
                        nulls_distinct=False,
                        name="movie_nulls_equal",
                    )
                ]

    supported = connection.features.supports_nulls_distinct_unique_constraints
    assert supported == (connection.vendor == "postgresql")
    with connection.schema_editor() as editor:
        editor.create_model(NullsEqualSave)
    try:
        with connection.cursor() as cursor:
            table = NullsEqualSave._meta.db_table
            names = connection.introspection.get_constraints(cursor, table)
        assert ("movie_nulls_equal" in names) == supported
        NullsEqualSave.objects.create(user=1, anime=1)
        second = NullsEqualSave(user=1, anime=2)
        if supported:
            with pytest.raises(IntegrityError), transaction.atomic():
                second.save()
        else:
            second.save()
        stored = NullsEqualSave.objects.values_list("anime", flat=True)
        assert sorted(stored) == ([1] if supported else [1, 2])
    finally:
        with connection.schema_editor() as editor:
            editor.delete_model(NullsEqualSave)


def test_only_postgresql_has_nulls_not_distinct_and_django_warns_elsewhere():
    constraint = models.UniqueConstraint(
        fields=["user", "movie"], nulls_distinct=False, name="unused"
    )
    with isolate_apps("nullable_fks"):

        class Checked(models.Model):
            user = models.IntegerField()
            movie = models.IntegerField(null=True)

            class Meta:
                app_label = "nullable_fks"
                constraints = [constraint]

        warnings = {w.id for w in Checked.check(databases=["default"])}
    supported = connection.features.supports_nulls_distinct_unique_constraints
    assert ("models.W047" in warnings) == (not supported)
    assert supported == (connection.vendor == "postgresql")
