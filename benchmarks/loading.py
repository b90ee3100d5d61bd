"""Loading helpers every pattern module shares: users, victims, schema swaps."""

from __future__ import annotations

import importlib
from types import ModuleType

from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import connection, models

from benchmarks.databases import Dialect
from benchmarks.dataset import (
    SAVED_FROM,
    TASKS_OF_VICTIM_GROUP,
    VICTIM_DEPENDANTS,
    Dataset,
    Sql,
)

VICTIM_PERSON_TASKS = VICTIM_DEPENDANTS - TASKS_OF_VICTIM_GROUP


def load_users(ds: Dataset, db: Dialect) -> int:
    """Users 1..writer: the heavy user, the savers, the writer. Shared by all apps."""
    user = get_user_model()
    sql = Sql(ds, db)
    count = db.insert_series(
        user,
        {
            "id": "i",
            # Not a usable password: nobody signs in to a benchmark.
            "password": "'!'",
            "is_superuser": "(1 = 0)",
            "username": db.concat("'user'", db.pad("i")),
            "first_name": "''",
            "last_name": "''",
            "email": "''",
            "is_staff": "(1 = 0)",
            "is_active": "(1 = 1)",
            "date_joined": sql.db.timestamp(SAVED_FROM, "0"),
        },
        ds.writer,
    )
    db.reset_sequences([user])
    return count


def user(n: int):
    return get_user_model().objects.get(pk=n)


def victim_owner(q: ModuleType, pattern: ModuleType, db: Dialect):
    """A new person with 1,000 dependent tasks: 900 own, 100 of a group they created."""
    person = q.create_person("Victim")
    group = q.create_group("Victim's group", creator=person)
    pattern.insert_tasks(db, person, VICTIM_PERSON_TASKS)
    pattern.insert_tasks(db, group, TASKS_OF_VICTIM_GROUP)
    return person


def victim_item(q: ModuleType, pattern: ModuleType, db: Dialect):
    """A new movie saved by 1,000 users (users 2..1001; the writer never saves)."""
    item = q.create_media("movie", "Victim", year=2000)
    pattern.insert_saves(db, item, VICTIM_DEPENDANTS)
    return item


def victim_description(db: Dialect) -> str:
    return db.concat("'Victim task '", db.pad("i"))


def victim_save(db: Dialect) -> dict[str, str]:
    # Saved by users 2..1001 (every dataset has them), one second apart.
    return {"user": "i + 1", "created": db.timestamp(SAVED_FROM, "i")}


def app_models(app_label: str) -> list[type[models.Model]]:
    """Every table of an app, auto-created M2M through tables included."""
    found = []
    for model in apps.get_app_config(app_label).get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            found.append(model)
    return found


def row_counts(app_label: str) -> dict[str, int]:
    """Every table of the app -> its rows: what a timed delete is checked by."""
    return {
        model._meta.db_table: model._base_manager.count()
        for model in app_models(app_label)
    }


def recreate_tables(app_label: str, bare: bool = False) -> list[str]:
    """Drop and create the app's tables: empty, with the schema its models say.

    Also undoes what a variant changed (a dropped index, a DB_CASCADE FK).
    With `bare`, the indexes and foreign-key constraints are not made yet:
    their SQL (what Django runs last in a migration anyway) is returned, for
    finish_load() to run once the rows are in. Built over the loaded rows in
    one pass each, as pg_restore does, instead of row by row.
    """
    tables = [model for model in app_models(app_label) if not model._meta.auto_created]
    # MariaDB refuses to drop a table another one still references, and the
    # models come in no dependency order; PostgreSQL drops with CASCADE and
    # SQLite checks nothing here.
    disabled = connection.disable_constraint_checking()
    try:
        with connection.schema_editor() as editor:
            for model in tables:
                editor.delete_model(model)
    finally:
        if disabled:
            connection.enable_constraint_checking()
    with connection.schema_editor() as editor:
        for model in tables:
            editor.create_model(model)
        deferred = [str(statement) for statement in editor.deferred_sql]
        if bare:
            editor.deferred_sql.clear()
    return deferred if bare else []


def start_load() -> None:
    # SQLite writes its foreign keys into CREATE TABLE, so they can't wait:
    # it checks none while loading and all of them in finish_load().
    connection.disable_constraint_checking()


def finish_load(deferred: list[str], tables: list[str]) -> None:
    """Build what recreate_tables(bare=True) left out, and check every row."""
    with connection.cursor() as cursor:
        for sql in deferred:
            cursor.execute(sql)
    connection.enable_constraint_checking()
    # SQLite: PRAGMA foreign_key_check; PostgreSQL validated each foreign key
    # when it was added above. Raises IntegrityError on a dangling row.
    connection.check_constraints(table_names=tables)


def table_rows(app_label: str) -> dict[str, int]:
    return {
        model._meta.db_table: model._base_manager.count()
        for model in app_models(app_label)
    }


def cascade_in_database(pattern: ModuleType, twins: ModuleType) -> None:
    """Alter each FK that a twin declares DB_CASCADE, with Django's schema editor.

    The DDL a migration to DB_CASCADE would run: on PostgreSQL each
    constraint is dropped and added back ON DELETE CASCADE (checked against
    every row); SQLite rebuilds the table.
    """
    # benchmarks.db_cascade.<app>.models: first, that the twins are the app's.
    app = twins.__name__.split(".")[-2]
    if problems := twin_differences(app, twins):
        raise RuntimeError(f"{app}'s DB_CASCADE twins: " + "; ".join(problems))
    by_table = {
        model._meta.db_table: model
        for model in vars(pattern).values()
        if isinstance(model, type)
        and issubclass(model, models.Model)
        and not (model._meta.abstract or model._meta.proxy)
    }
    with connection.schema_editor() as editor:
        for twin in vars(twins).values():
            if not (isinstance(twin, type) and issubclass(twin, models.Model)):
                continue
            model = by_table[twin._meta.db_table]
            pairs = [
                (
                    next(f for f in model._meta.local_fields if f.column == new.column),
                    new,
                )
                for new in twin._meta.local_fields
                if isinstance(
                    getattr(new.remote_field, "on_delete", None),
                    models.deletion.DatabaseOnDelete,
                )
            ]
            if connection.vendor == "sqlite" and pairs:
                # One rebuild with every change: alter_field() rebuilds from
                # the model class, so a second call would undo the first.
                editor._remake_table(model, alter_fields=pairs)
            else:
                for old, new in pairs:
                    editor.alter_field(model, old, new)


def twins(app: str) -> ModuleType:
    """The app's DB_CASCADE twins, installed by benchmarks/settings.py only."""
    return importlib.import_module(f"benchmarks.db_cascade.{app}.models")


def twin_differences(app: str, module: ModuleType | None = None) -> list[str]:
    """Where the app's DB_CASCADE twins and its migrated tables disagree.

    Read from the database, not the app's models: the same tables, every
    column a twin declares there, and the same foreign keys (column and the
    table it points at). Only on_delete may differ, and that is the point of
    a twin. A twin that forgot a foreign key would be altered nowhere, and
    its timed delete would leave rows behind, or win by doing less.
    """
    declared = [
        model
        for model in vars(module or twins(app)).values()
        if isinstance(model, type)
        and issubclass(model, models.Model)
        and not model._meta.abstract
    ]
    tables = {model._meta.db_table for model in app_models(app)}
    problems = []
    if missing := sorted(tables - {twin._meta.db_table for twin in declared}):
        problems.append(f"tables with no twin: {missing}")
    introspection = connection.introspection
    with connection.cursor() as cursor:
        for twin in declared:
            table = twin._meta.db_table
            if table not in tables:
                problems.append(f"{twin.__name__}: {table} is no table of {app}")
                continue
            columns = {
                c.name for c in introspection.get_table_description(cursor, table)
            }
            fields = twin._meta.local_concrete_fields
            if extra := sorted({f.column for f in fields} - columns):
                problems.append(f"{table}: the twin's columns {extra} aren't there")
            # {column: (column it references, table it references, ...)}
            relations = introspection.get_relations(cursor, table)
            migrated = {column: refers[1] for column, refers in relations.items()}
            twinned = {
                f.column: f.related_model._meta.db_table
                for f in fields
                if f.is_relation
            }
            if migrated != twinned:
                problems.append(
                    f"{table}: foreign keys migrated {migrated}, twinned {twinned}"
                )
    return problems


def drop_index(model: type[models.Model], fields: list[str]) -> None:
    index = next(i for i in model._meta.indexes if i.fields == fields)
    with connection.schema_editor() as editor:
        editor.remove_index(model, index)
