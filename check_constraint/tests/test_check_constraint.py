import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import CheckConstraint, Q
from django.db.models.lookups import Exact
from django.db.models.signals import post_delete

import nullable_fks.models as unconstrained
from check_constraint import queries as q
from check_constraint.models import OwnerType, SavedItem, Task, is_set
from tests.conftest import check_deferred_constraints, make_saves_world, make_world
from tests.patterns import MANY_ITEMS, VIAS, WRONG_EXTRA
from tests.patterns import check_constraint as probes

pytestmark = pytest.mark.django_db

# Constraint names, as both SQLite and PostgreSQL quote them in their errors.
OWNER_RULE = "check_constraint_task_owner_matches_type"
ITEM_RULE = "check_constraint_saveditem_exactly_one_item"


@pytest.fixture
def world():
    return make_world("check_constraint")


@pytest.fixture
def sworld(django_user_model):
    return make_saves_world("check_constraint", django_user_model)


def refusal(write) -> str:
    # The error the database raises for a write, the deferred FK checks a
    # commit would run included; the savepoint rolls the write back.
    with pytest.raises(IntegrityError) as caught:
        with transaction.atomic():
            write()
            check_deferred_constraints()
    return str(caught.value)


def sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


# Exactly one of three: counting, not XOR -------------------------------------


def test_xor_of_three_matches_an_odd_count_and_counting_matches_exactly_one(
    django_user_model,
):
    # nullable_fks' SavedItem has the same three columns and no CheckConstraint,
    # so it can hold the rows this app's database refuses.
    user = django_user_model.objects.create_user("viewer")
    movies = [unconstrained.Movie.objects.create(title=t, year=1) for t in "ABC"]
    animes = [unconstrained.Anime.objects.create(title=t, episodes=1) for t in "AB"]
    manga = unconstrained.Manga.objects.create(title="A", volumes=1)
    unconstrained.SavedItem.objects.bulk_create(
        [
            unconstrained.SavedItem(user=user, movie=movies[0]),
            unconstrained.SavedItem(user=user, movie=movies[1], anime=animes[0]),
            unconstrained.SavedItem(
                user=user, movie=movies[2], anime=animes[1], manga=manga
            ),
        ]
    )
    saves = unconstrained.SavedItem.objects.filter(user=user)

    def items_set(matching):
        return sorted(
            sum(pk is not None for pk in ids)
            for ids in matching.values_list("movie", "anime", "manga")
        )

    xor = Q(movie__isnull=False) ^ Q(anime__isnull=False) ^ Q(manga__isnull=False)
    # Parity: one item passes, two don't, all three pass again.
    assert items_set(saves.filter(xor)) == [1, 3]
    # The way this app's constraint counts (models.EXACTLY_ONE_ITEM), asked of
    # the same rows: over nullable_fks' columns, which are the same three.
    counted = Exact(is_set("movie") + is_set("anime") + is_set("manga"), 1)
    assert items_set(saves.filter(counted)) == [1]


def test_database_refuses_a_save_of_all_three_items(sworld):
    row = SavedItem(
        user=sworld.other, movie=sworld.movie, anime=sworld.anime, manga=sworld.manga
    )
    error = refusal(lambda: SavedItem.objects.bulk_create([row]))
    assert ITEM_RULE in error


EXTRA_RULES = {
    "progress": "check_constraint_saveditem_progress_only_on_anime",
    "watched": "check_constraint_saveditem_watched_only_on_movie",
}
CHECK_PROBES = [
    pytest.param(probe, fixture, case, rule, id=f"{probe.__name__}-{case}")
    for probe, fixture, cases, rule in [
        (probes.write_both_owners, "world", ["person+group"], OWNER_RULE),
        (probes.write_no_owner, "world", ["none"], OWNER_RULE),
        (probes.write_save_of_many, "sworld", MANY_ITEMS.cases, ITEM_RULE),
        (probes.write_save_of_nothing, "sworld", ["none"], ITEM_RULE),
    ]
    + [
        (probes.write_wrong_extra, "sworld", [case], EXTRA_RULES[case.split()[0]])
        for case in WRONG_EXTRA.cases
    ]
    for case in cases
]


@pytest.mark.parametrize("via", VIAS)
@pytest.mark.parametrize("probe, fixture, case, rule", CHECK_PROBES)
def test_shared_probes_are_refused_by_the_check_constraint_they_target(
    probe, fixture, case, rule, via, request
):
    # The shared suite only sees "rejected"; this pins down which rule did it,
    # so an unrelated constraint can't pass for this one.
    world = request.getfixturevalue(fixture)
    assert rule in refusal(lambda: probe(via, world, case))


# The discriminator -----------------------------------------------------------


def test_database_refuses_a_type_naming_the_other_owner(world):
    insert = (
        f"INSERT INTO {Task._meta.db_table} (description, owner_type, owner_person_id)"
        " VALUES (%s, %s, %s)"
    )
    error = refusal(lambda: sql(insert, ["x", OwnerType.GROUP, world.alice.pk]))
    assert OWNER_RULE in error
    relabel = Task.objects.filter(pk=world.alice_task.pk)
    error = refusal(lambda: relabel.update(owner_type=OwnerType.GROUP))
    assert OWNER_RULE in error


def test_database_refuses_an_owner_type_outside_the_choices(world):
    # choices= is Python-only; the constraint's branches name each type.
    relabel = Task.objects.filter(pk=world.alice_task.pk)
    error = refusal(lambda: relabel.update(owner_type="robot"))
    assert OWNER_RULE in error


def test_the_articles_condition_lets_an_ownerless_task_through(world):
    # The article only requires the other FK to be NULL. Evaluated by the
    # database (CheckConstraint.validate() runs it as a SELECT), it passes a
    # person's task with no person; this app's constraint refuses it.
    articles = CheckConstraint(
        condition=Q(owner_type=OwnerType.PERSON, owner_group__isnull=True)
        | Q(owner_type=OwnerType.GROUP, owner_person__isnull=True),
        name="articles_only_one_owner",
    )
    (ours,) = Task._meta.constraints
    ownerless = Task(description="x", owner_type=OwnerType.PERSON)
    articles.validate(Task, ownerless)
    with pytest.raises(ValidationError):
        ours.validate(Task, ownerless)
    # Both conditions do reach the database: each refuses a task with both.
    both = Task(
        description="x",
        owner_type=OwnerType.PERSON,
        owner_person=world.alice,
        owner_group=world.group,
    )
    for constraint in (articles, ours):
        with pytest.raises(ValidationError):
            constraint.validate(Task, both)


def test_full_clean_reports_the_constraints_code_and_message(world):
    mislabelled = Task(
        description="x", owner_type=OwnerType.GROUP, owner_person=world.alice
    )
    with pytest.raises(ValidationError) as caught:
        mislabelled.full_clean()
    (error,) = caught.value.error_dict["__all__"]
    assert error.code == "owner_mismatch"
    assert error.message == "Pick one owner, of the chosen type."


# Per-kind extras -------------------------------------------------------------


def test_database_refuses_extras_on_another_kinds_save(sworld):
    movie_save = SavedItem.objects.filter(user=sworld.user, movie=sworld.movie)
    anime_save = SavedItem.objects.filter(user=sworld.user, anime=sworld.anime)
    error = refusal(lambda: movie_save.update(episode_progress=5))
    assert "check_constraint_saveditem_progress_only_on_anime" in error
    error = refusal(lambda: anime_save.update(watched=True))
    assert "check_constraint_saveditem_watched_only_on_movie" in error
    # Their own kind's extras are fine.
    q.set_progress(sworld.user, sworld.anime, 5)
    q.set_watched(sworld.user, sworld.movie)
    assert q.progress(sworld.user, sworld.anime) == 5


# What the articles' spelling and a new rule cost on Django 6.1 ------------------


def test_the_articles_check_keyword_is_a_type_error_on_django_6():
    # Abenezer Belachew's article writes CheckConstraint(check=...), which
    # Django 6.0 removed: condition= is the only spelling.
    with pytest.raises(TypeError, match="check"):
        CheckConstraint(check=Q(owner_person__isnull=False), name="articles")


@pytest.mark.django_db(transaction=True)
def test_adding_a_check_rebuilds_the_table_on_sqlite_and_alters_it_on_postgresql():
    # A new owner type means a rewritten CHECK. PostgreSQL adds the constraint
    # to the table in place; SQLite has no ALTER TABLE ... ADD CONSTRAINT, so
    # Django copies the whole table into a new one.
    rule = CheckConstraint(condition=Q(owner_type__in=["person"]), name="narrower")
    with connection.schema_editor(collect_sql=True) as editor:
        editor.add_constraint(Task, rule)
    sql = " ".join(editor.collected_sql)
    if connection.vendor == "sqlite":
        assert 'CREATE TABLE "new__check_constraint_task"' in sql
        assert 'INSERT INTO "new__check_constraint_task"' in sql
    else:
        assert "ALTER TABLE" in sql and "ADD CONSTRAINT" in sql
        assert "CREATE TABLE" not in sql


def test_a_delete_receiver_on_task_makes_owner_deletes_fail_on_mariadb(world):
    # Deleting Bob cascades to his task. With no receiver Django deletes the
    # task by filter. With one, it collects the task, and on a database that
    # checks foreign keys per statement (MariaDB) it first NULLs the task's
    # owner_person so that delete order can't matter: a row the CHECK refuses.
    def receiver(**kwargs):
        pass

    post_delete.connect(receiver, sender=Task)
    try:
        if connection.features.can_defer_constraint_checks:
            world.bob.delete()
            assert not Task.objects.filter(pk=world.bob_task.pk).exists()
        else:
            assert OWNER_RULE in refusal(world.bob.delete)
            assert Task.objects.filter(pk=world.bob_task.pk).exists()
    finally:
        post_delete.disconnect(receiver, sender=Task)
