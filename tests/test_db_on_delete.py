# ruff: noqa: DJ008 - throwaway models, built only to run system checks on
"""Django 6.1's database-level on_delete (DB_CASCADE), pattern by pattern.

Two questions, both answered by measurement:

1. What does a raw-SQL delete of an owner do under the ORM's CASCADE (the
   database refuses: it never heard of the cascade) and under DB_CASCADE (the
   database cascades)? Shown with linked_models and its DB_CASCADE twin,
   tests/db_cascade.
2. Which patterns can use DB_CASCADE at all? Each pattern's relations are
   rebuilt with DB_CASCADE in an isolated app registry and put through
   Django's system checks; the expected check ids are the verdict recorded in
   docs/db-on-delete.md.
"""

import pytest
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, connection, models, transaction
from django.test.utils import isolate_apps

from linked_models import queries as linked
from tests.conftest import check_deferred_constraints, count_queries, real_queries
from tests.db_cascade import models as db

pytestmark = pytest.mark.django_db


def raw_delete(model, pk):
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {model._meta.db_table} WHERE id = %s", [pk])


def test_raw_delete_of_a_person_is_refused_under_orm_cascade():
    alice = linked.create_person("Alice")
    linked.create_task("Alice's task", alice)
    linked.create_task("Team task", linked.create_group("Team", creator=alice))
    with pytest.raises(IntegrityError), transaction.atomic():
        raw_delete(type(alice), alice.pk)
        check_deferred_constraints()  # what COMMIT would have checked


def test_raw_delete_of_a_person_cascades_under_db_cascade():
    alice = db.Person.objects.create(name="Alice")
    db.PersonTask.objects.create(description="Alice's task", owner=alice)
    team = db.Group.objects.create(name="Team", creator=alice)
    db.GroupTask.objects.create(description="Team task", owner=team)
    raw_delete(db.Person, alice.pk)
    check_deferred_constraints()
    # The database followed creator -> group -> group task by itself.
    assert (db.Group.objects.count(), db.GroupTask.objects.count()) == (0, 0)
    assert db.PersonTask.objects.count() == 0


def test_orm_delete_under_db_cascade_is_one_statement():
    alice = db.Person.objects.create(name="Alice")
    for n in range(5):
        db.PersonTask.objects.create(description=f"Task {n}", owner=alice)
        team = db.Group.objects.create(name=f"Team {n}", creator=alice)
        db.GroupTask.objects.create(description=f"Team task {n}", owner=team)
    with count_queries() as ctx:
        alice.delete()
    # No collection: Django issues the DELETE and the database does the rest.
    # The flip side: nothing (signals, the admin's "are you sure" page) sees
    # the rows the database removes.
    assert len(real_queries(ctx)) == 1
    assert db.GroupTask.objects.count() == 0


def test_orm_delete_under_orm_cascade_collects_every_dependant_first():
    alice = linked.create_person("Alice")
    for n in range(5):
        linked.create_task(f"Task {n}", alice)
        linked.create_task(f"Team task {n}", linked.create_group(f"Team {n}", alice))
    with count_queries() as ctx:
        alice.delete()
    # 5: the collector SELECTs the groups it must delete (their tasks have no
    # signals or further relations, so Django fast-deletes them by filter),
    # then DELETEs group tasks, person tasks, groups, the person. Python knows
    # every row's fate; the database is only ever asked to delete.
    assert len(real_queries(ctx)) == 5


# Which patterns can use database-level on_delete ------------------------------


def check_ids(*models_):
    ids = set()
    for model in models_:
        ids |= {error.id for error in model.check()}
        for field in model._meta.private_fields:
            ids |= {error.id for error in field.check()}
    return ids


@isolate_apps("tests.db_cascade")
def test_gfk_content_type_fk_cannot_be_db_level():
    class Task(models.Model):
        owner_type = models.ForeignKey(ContentType, on_delete=models.DB_CASCADE)
        owner_id = models.PositiveBigIntegerField()
        owner = GenericForeignKey("owner_type", "owner_id")

        class Meta:
            app_label = "db_cascade"

    # And owner_id has no foreign key at all: nothing for a DB cascade to follow.
    assert "contenttypes.E006" in check_ids(Task)


@isolate_apps("tests.db_cascade")
def test_nullable_fks_can_be_db_level_only_all_together():
    class Person(models.Model):
        class Meta:
            app_label = "db_cascade"

    class Group(models.Model):
        creator = models.ForeignKey(Person, on_delete=models.CASCADE)

        class Meta:
            app_label = "db_cascade"

    class Task(models.Model):
        owner_person = models.ForeignKey(
            Person, null=True, on_delete=models.DB_CASCADE, related_name="+"
        )
        owner_group = models.ForeignKey(
            Group, null=True, on_delete=models.CASCADE, related_name="+"
        )

        class Meta:
            app_label = "db_cascade"

    class AllDbTask(models.Model):
        owner_person = models.ForeignKey(
            Person, null=True, on_delete=models.DB_CASCADE, related_name="+"
        )

        class Meta:
            app_label = "db_cascade"

    # One model mixing the two kinds is refused; a model whose FKs are all
    # database-level, into a model with no FKs of its own, passes.
    assert {"models.E050"} <= check_ids(Task)
    assert check_ids(AllDbTask) == set()


@isolate_apps("tests.db_cascade")
def test_a_db_cascade_into_a_model_with_python_level_fks_is_refused():
    class Person(models.Model):
        class Meta:
            app_label = "db_cascade"

    class Group(models.Model):
        creator = models.ForeignKey(Person, on_delete=models.CASCADE)

        class Meta:
            app_label = "db_cascade"

    class GroupTask(models.Model):
        owner = models.ForeignKey(Group, on_delete=models.DB_CASCADE)

        class Meta:
            app_label = "db_cascade"

    # Why tests/db_cascade makes Group.creator DB_CASCADE too.
    assert "fields.E323" in check_ids(GroupTask)


@isolate_apps("tests.db_cascade")
def test_owner_tables_can_be_db_level():
    class Owner(models.Model):
        class Meta:
            app_label = "db_cascade"

    class Person(models.Model):
        owner = models.OneToOneField(Owner, on_delete=models.DB_CASCADE)

        class Meta:
            app_label = "db_cascade"

    class Task(models.Model):
        owner = models.ForeignKey(Owner, on_delete=models.DB_CASCADE)

        class Meta:
            app_label = "db_cascade"

    # owner_o2o's shape passes; note the cascade still runs Owner -> Person,
    # so deleting a Person row leaves its Owner (and tasks) behind either way.
    assert check_ids(Owner, Person, Task) == set()


@isolate_apps("tests.db_cascade")
def test_mti_parent_links_stay_python_level_but_task_fk_may_be_db_level():
    class Owner(models.Model):
        class Meta:
            app_label = "db_cascade"

    class Person(Owner):
        class Meta:
            app_label = "db_cascade"

    class Task(models.Model):
        owner = models.ForeignKey(Owner, on_delete=models.DB_CASCADE)

        class Meta:
            app_label = "db_cascade"

    parent_link = Person._meta.get_field("owner_ptr")
    assert parent_link.remote_field.on_delete is models.CASCADE
    assert check_ids(Owner, Person, Task) == set()


def test_m2m_auto_through_tables_use_python_level_cascade():
    from m2m_fields.models import Movie

    through = Movie._meta.get_field("saved_by").remote_field.through
    # Django writes the through model; no option reaches its on_delete.
    assert {
        field.remote_field.on_delete
        for field in through._meta.fields
        if field.is_relation
    } == {models.CASCADE}


@isolate_apps("tests.db_cascade")
def test_owner_table_links_can_be_db_level_all_together():
    class Person(models.Model):
        class Meta:
            app_label = "db_cascade"

    class Owner(models.Model):
        person = models.OneToOneField(Person, null=True, on_delete=models.DB_CASCADE)

        class Meta:
            app_label = "db_cascade"

    class Task(models.Model):
        owner = models.ForeignKey(Owner, on_delete=models.DB_CASCADE)

        class Meta:
            app_label = "db_cascade"

    class HalfwayTask(models.Model):
        # Task -> Owner in the database, Owner -> Person left to the ORM.
        owner = models.ForeignKey(Owner, on_delete=models.CASCADE, related_name="+")

        class Meta:
            app_label = "db_cascade"

    assert check_ids(Person, Owner, Task) == set()
    assert "fields.E323" in check_ids(HalfwayTask)
