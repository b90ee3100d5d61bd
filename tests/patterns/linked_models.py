"""Declared table and probes for linked_models."""

from django.db import connection
from django.utils import timezone

from linked_models.models import (
    GroupTask,
    Person,
    PersonTask,
    SavedAnime,
    SavedManga,
    SavedMovie,
)
from tests.patterns import (
    CASCADED,
    REJECTED,
    UNREPRESENTABLE,
    Ownership,
    Saves,
)

OWNERSHIP = Ownership(
    # one query: UNION ALL of both task tables, each with its owner (and the
    # group's creator) joined; the database orders the combined rows.
    task_rows=1,
    # one query: only the group task table can hold such tasks.
    tasks_of_groups_created_by=1,
    # 2 (one per table) + 1 per task (owner) + 1 per group task (creator):
    # 2 + 12 + 6 and 2 + 120 + 60. FETCH_PEERS batches each: 2 tables, the
    # persons, the groups, their creators.
    naive_fetch_one=(20, 182),
    naive_fetch_peers=(5, 5),
    # session, user, filtered count, total count, the page with its owner
    # (and creator) joined. The combined list: session, user, one COUNT(*)
    # over the UNION (no separate unfiltered total), the page of the UNION.
    admin_changelists={
        "admin:linked_models_persontask_changelist": 5,
        "admin:linked_models_grouptask_changelist": 5,
        "admin:linked_models_combinedtask_changelist": 4,
    },
    integrity={
        "missing_owner": REJECTED,
        "both_owners": UNREPRESENTABLE,
        "no_owner": REJECTED,
        "raw_delete_owner": REJECTED,
        "orm_delete_owner": CASCADED,
    },
    unrepresentable_because={
        "both_owners": "each task table has one owner column, to one owner table",
    },
)

SAVES = Saves(
    # one query: UNION ALL of the three saved tables, ordered and sliced.
    feed_page=1,
    # one query: the kind's own (user, item) unique index.
    is_saved=1,
    feed_newest_first=True,
    extras=True,
    integrity={
        "duplicate_save": REJECTED,
        "two_items": UNREPRESENTABLE,
        "no_item": REJECTED,
        "missing_item": REJECTED,
        "raw_delete_item": REJECTED,
        "orm_delete_item": CASCADED,
        # episode_progress is a column of SavedAnime only.
        "progress_on_a_movie": UNREPRESENTABLE,
    },
    unrepresentable_because={
        "two_items": "each saved table has one item column, to one media table",
        "progress_on_a_movie": "saved movies have their own table, which has"
        " no episode_progress column",
    },
)

MISSING_ID = 10**9
NOW = timezone.now()


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


# Ownership -------------------------------------------------------------------


def write_missing_owner(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {GroupTask._meta.db_table} (description, owner_id)"
            " VALUES (%s, %s)",
            ["dangling", MISSING_ID],
        )
    elif via == "update":
        return PersonTask.objects.filter(pk=world.bob_task.pk).update(
            owner_id=MISSING_ID
        )
    else:
        return len(
            PersonTask.objects.bulk_create(
                [PersonTask(description="dangling", owner_id=MISSING_ID)]
            )
        )


def write_no_owner(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {PersonTask._meta.db_table} (description, owner_id)"
            " VALUES (%s, NULL)",
            ["nobody's"],
        )
    elif via == "update":
        return GroupTask.objects.filter(pk=world.group_task.pk).update(owner_id=None)
    else:
        return len(PersonTask.objects.bulk_create([PersonTask(description="nobody's")]))


def raw_delete_owner(person):
    return _sql(f"DELETE FROM {Person._meta.db_table} WHERE id = %s", [person.pk])


def task_count():
    return PersonTask.objects.count() + GroupTask.objects.count()


def bad_instance(world):
    # The only bad owner a task table can hold is none at all.
    return PersonTask(description="Nobody's")


def admin_bad_add(world):
    data = {"description": "Nobody's", "owner": ""}
    return "admin:linked_models_persontask_add", data, PersonTask


# Saves -----------------------------------------------------------------------


def write_duplicate_save(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedMovie._meta.db_table}"
            " (user_id, item_id, created, watched) VALUES (%s, %s, %s, %s)",
            [sworld.user.pk, sworld.movie.pk, NOW, False],
        )
    elif via == "update":
        # Hand the other user's save of the movie to the user who has one.
        SavedMovie.objects.create(user=sworld.other, item=sworld.movie)
        return SavedMovie.objects.filter(user=sworld.other).update(user=sworld.user)
    else:
        return len(
            SavedMovie.objects.bulk_create(
                [SavedMovie(user=sworld.user, item=sworld.movie, created=NOW)]
            )
        )


def write_save_of_nothing(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedManga._meta.db_table} (user_id, created)"
            " VALUES (%s, %s)",
            [sworld.other.pk, NOW],
        )
    elif via == "update":
        return SavedAnime.objects.filter(user=sworld.user).update(item=None)
    else:
        return len(
            SavedManga.objects.bulk_create([SavedManga(user=sworld.other, created=NOW)])
        )


def write_save_of_missing_item(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedManga._meta.db_table} (user_id, item_id, created)"
            " VALUES (%s, %s, %s)",
            [sworld.other.pk, MISSING_ID, NOW],
        )
    elif via == "update":
        return SavedMovie.objects.filter(user=sworld.user).update(item_id=MISSING_ID)
    else:
        return len(
            SavedAnime.objects.bulk_create(
                [SavedAnime(user=sworld.other, item_id=MISSING_ID, created=NOW)]
            )
        )


def raw_delete_item(item):
    return _sql(f"DELETE FROM {type(item)._meta.db_table} WHERE id = %s", [item.pk])


def save_count():
    return (
        SavedMovie.objects.count()
        + SavedAnime.objects.count()
        + SavedManga.objects.count()
    )
