"""Declared table and probes for gfk_baseline."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.utils import timezone

from gfk_baseline.models import Anime, Group, Movie, Person, SavedItem, Task
from tests.patterns import (
    ACCEPTED,
    CASCADED,
    REJECTED,
    UNREPRESENTABLE,
    Ownership,
    Saves,
)

OWNERSHIP = Ownership(
    # tasks + persons + groups (creator joined): one query per owner type.
    task_rows=3,
    # one query: the group join rewritten by hand as a subquery.
    tasks_of_groups_created_by=1,
    # 1 + 1 per task + 1 per group task; FETCH_PEERS batches each step.
    naive_fetch_one=(19, 181),
    naive_fetch_peers=(4, 4),
    # session, user, filtered and total COUNTs, the page, then one prefetch
    # per owner type on the page (persons; groups with creators joined).
    admin_changelists={"admin:gfk_baseline_task_changelist": 7},
    integrity={
        "missing_owner": ACCEPTED,
        "both_owners": UNREPRESENTABLE,
        "no_owner": REJECTED,
        "raw_delete_owner": ACCEPTED,
        "orm_delete_owner": CASCADED,
    },
    unrepresentable_because={
        "both_owners": "one (owner_type, owner_id) pair holds one owner",
    },
)

SAVES = Saves(
    # the page of saves + one GenericPrefetch query per kind on the page.
    feed_page=4,
    # an EXISTS on the (user, item_type, item_id) unique index.
    is_saved=1,
    feed_newest_first=True,
    extras=True,
    integrity={
        "duplicate_save": REJECTED,
        "two_items": UNREPRESENTABLE,
        "no_item": REJECTED,
        "missing_item": ACCEPTED,
        "raw_delete_item": ACCEPTED,
        "orm_delete_item": CASCADED,
        # The kind is item_type, a row in another table: no CheckConstraint
        # can read it, so only save_item() keeps progress off a movie.
        "progress_on_a_movie": ACCEPTED,
    },
    unrepresentable_because={
        "two_items": "one (item_type, item_id) pair holds one item",
    },
)

MISSING_ID = 10**9
NOW = timezone.now()


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _ct(model):
    return ContentType.objects.get_for_model(model).pk


def write_missing_owner(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {Task._meta.db_table} (description, owner_type_id, owner_id)"
            " VALUES (%s, %s, %s)",
            ["dangling", _ct(Person), MISSING_ID],
        )
    elif via == "update":
        return Task.objects.filter(pk=world.bob_task.pk).update(owner_id=MISSING_ID)
    else:
        return Task.objects.bulk_create(
            [
                Task(
                    description="dangling",
                    owner_type_id=_ct(Group),
                    owner_id=MISSING_ID,
                )
            ]
        )


def write_no_owner(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {Task._meta.db_table} (description, owner_type_id, owner_id)"
            " VALUES (%s, NULL, NULL)",
            ["nobody's"],
        )
    elif via == "update":
        return Task.objects.filter(pk=world.bob_task.pk).update(owner_id=None)
    else:
        return Task.objects.bulk_create([Task(description="nobody's")])


def raw_delete_owner(person):
    return _sql(f"DELETE FROM {Person._meta.db_table} WHERE id = %s", [person.pk])


def bad_instance(world):
    return Task(
        description="Owned by a ghost", owner_type_id=_ct(Person), owner_id=MISSING_ID
    )


def task_count():
    return Task.objects.count()


def admin_bad_add(world):
    # The content type is valid, the id points at no person.
    data = {
        "description": "Owned by a ghost",
        "owner_type": _ct(Person),
        "owner_id": MISSING_ID,
    }
    return "admin:gfk_baseline_task_add", data, Task


# Saves -----------------------------------------------------------------------


def write_duplicate_save(via, sworld):
    row = {
        "user_id": sworld.user.pk,
        "item_type_id": _ct(Movie),
        "item_id": sworld.movie.pk,
    }
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table}"
            " (user_id, item_type_id, item_id, created) VALUES (%s, %s, %s, %s)",
            [row["user_id"], row["item_type_id"], row["item_id"], NOW],
        )
    elif via == "update":
        # Point the user's anime save at the movie they already saved.
        return SavedItem.objects.filter(
            user=sworld.user, item_type_id=_ct(Anime)
        ).update(item_type_id=_ct(Movie), item_id=sworld.movie.pk)
    else:
        return SavedItem.objects.bulk_create([SavedItem(**row, created=NOW)])


def write_save_of_nothing(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table} (user_id, created)"
            " VALUES (%s, %s)",
            [sworld.user.pk, NOW],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user).update(item_id=None)
    else:
        return SavedItem.objects.bulk_create([SavedItem(user=sworld.user, created=NOW)])


def write_save_of_missing_item(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table}"
            " (user_id, item_type_id, item_id, created) VALUES (%s, %s, %s, %s)",
            [sworld.other.pk, _ct(Movie), MISSING_ID, NOW],
        )
    elif via == "update":
        return SavedItem.objects.filter(
            user=sworld.user, item_type_id=_ct(Movie)
        ).update(item_id=MISSING_ID)
    else:
        return SavedItem.objects.bulk_create(
            [
                SavedItem(
                    user=sworld.other,
                    item_type_id=_ct(Movie),
                    item_id=MISSING_ID,
                    created=NOW,
                )
            ]
        )


def write_progress_on_a_movie(via, sworld):
    # A save the other user hasn't got yet, so no unique index can answer first.
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table}"
            " (user_id, item_type_id, item_id, created, episode_progress)"
            " VALUES (%s, %s, %s, %s, %s)",
            [sworld.other.pk, _ct(Movie), sworld.movie.pk, NOW, 7],
        )
    elif via == "update":
        return SavedItem.objects.filter(
            user=sworld.user, item_type_id=_ct(Movie)
        ).update(episode_progress=7)
    else:
        return SavedItem.objects.bulk_create(
            [
                SavedItem(
                    user=sworld.other,
                    item_type_id=_ct(Movie),
                    item_id=sworld.movie.pk,
                    created=NOW,
                    episode_progress=7,
                )
            ]
        )


def raw_delete_item(item):
    return _sql(f"DELETE FROM {type(item)._meta.db_table} WHERE id = %s", [item.pk])


def save_count():
    return SavedItem.objects.count()
