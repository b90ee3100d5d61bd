"""What changes from one database to the next, beyond the matrix's cells.

The suite runs on SQLite, PostgreSQL and MariaDB (make test, test-postgres,
test-mariadb); each test here states what the database it runs on does.
"""

import pytest
from django.db import IntegrityError, connection, transaction

from nullable_fks import queries as nullable
from nullable_fks.models import Task
from tests.patterns import MISSING_ID

pytestmark = pytest.mark.django_db


def test_a_missing_owner_is_refused_at_commit_except_on_mariadb_at_once():
    # SQLite and PostgreSQL create foreign keys DEFERRABLE INITIALLY DEFERRED:
    # the UPDATE goes through and the COMMIT (here, its checks) refuses it.
    # MariaDB refuses the statement itself. Refused either way.
    task = nullable.create_task("Bob's task", nullable.create_person("Bob"))
    refused_by_the_statement = False
    with pytest.raises(IntegrityError), transaction.atomic():
        try:
            with transaction.atomic():
                Task.objects.filter(pk=task.pk).update(owner_person_id=MISSING_ID)
        except IntegrityError:
            refused_by_the_statement = True
            raise
        connection.check_constraints()
    assert refused_by_the_statement == (connection.vendor == "mysql")


def test_names_differing_only_in_case_collide_on_mariadb(django_user_model):
    # utf8mb4_general_ci (the collation project/settings.py asks for) compares
    # case-insensitively: a unique username treats "alice" and "Alice" as one.
    django_user_model.objects.create_user("alice")
    if connection.vendor == "mysql":
        with pytest.raises(IntegrityError), transaction.atomic():
            django_user_model.objects.create_user("Alice")
    else:
        django_user_model.objects.create_user("Alice")
        assert django_user_model.objects.filter(username__iexact="alice").count() == 2


class Undone(Exception):
    pass


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_create_table_stays_created_only_on_mariadb():
    # MariaDB commits a DDL statement at once, whatever transaction it is in:
    # a migration that fails halfway stays half applied there.
    with pytest.raises(Undone), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("CREATE TABLE ddl_probe (id integer)")
        raise Undone
    try:
        kept = "ddl_probe" in connection.introspection.table_names()
        assert kept == (connection.vendor == "mysql")
        assert kept == (not connection.features.can_rollback_ddl)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE IF EXISTS ddl_probe")
