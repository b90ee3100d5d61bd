"""Declared table and probes for mti."""

from django.core import serializers
from django.db import connection
from django.utils import timezone

from mti.models import Anime, Group, Media, Owner, Person, SavedItem, Task
from tests.patterns import (
    ACCEPTED,
    CASCADED,
    REJECTED,
    Ownership,
    Saves,
)

OWNERSHIP = Ownership(
    # one query: owner, both child tables and the creator LEFT JOINed.
    task_rows=1,
    # one query: task -> owner -> group, filtered on the creator.
    tasks_of_groups_created_by=1,
    # 1 + per person task 2 (owner, person) + per group task 4 (owner, person
    # miss, group, creator): 1 + 6*2 + 6*4 and 1 + 60*2 + 60*4. FETCH_PEERS
    # batches each step: tasks, owners, persons, groups, creators.
    naive_fetch_one=(37, 361),
    naive_fetch_peers=(5, 5),
    # session, user, filtered count, total count, then the page with every
    # child table joined: one query for the rows.
    admin_changelists={"admin:mti_task_changelist": 5},
    integrity={
        "missing_owner": REJECTED,
        "both_owners": ACCEPTED,
        "no_owner": REJECTED,
        "raw_delete_owner": REJECTED,
        "orm_delete_owner": CASCADED,
    },
)

SAVES = Saves(
    # one query: one save table, media row and the three kinds LEFT JOINed.
    feed_page=1,
    # one query: the (user, item) unique index.
    is_saved=1,
    feed_newest_first=True,
    extras=True,
    integrity={
        "duplicate_save": REJECTED,
        "two_items": ACCEPTED,
        "no_item": REJECTED,
        "missing_item": REJECTED,
        "raw_delete_item": REJECTED,
        "orm_delete_item": CASCADED,
    },
)

MISSING_ID = 10**9
NOW = timezone.now()


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _load_raw(obj):
    # bulk_create() refuses every multi-table child ("Can't bulk create a
    # multi-table inherited model") before writing anything. The bulk door
    # Django leaves open is loaddata: deserialized objects are saved raw, which
    # writes the child's own row and skips the parent's entirely.
    data = serializers.serialize("python", [obj])
    for loaded in serializers.deserialize("python", data):
        loaded.save()
    return 1


# Ownership -------------------------------------------------------------------


def write_missing_owner(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {Task._meta.db_table} (description, owner_id)"
            " VALUES (%s, %s)",
            ["dangling", MISSING_ID],
        )
    elif via == "update":
        return Task.objects.filter(pk=world.bob_task.pk).update(owner_id=MISSING_ID)
    else:
        return len(
            Task.objects.bulk_create(
                [Task(description="dangling", owner_id=MISSING_ID)]
            )
        )


def write_both_owners(via, world):
    # Bob's Owner row gains a group row too: Bob's task is now owned by a
    # person and a group at once, and nothing in the schema objects.
    if via == "sql":
        return _sql(
            f"INSERT INTO {Group._meta.db_table} (owner_ptr_id, name, creator_id)"
            " VALUES (%s, %s, %s)",
            [world.bob.pk, "Bob's shadow group", world.alice.pk],
        )
    elif via == "update":
        # Move the group row onto Bob's Owner row; its old Owner row stays
        # behind with no child, still holding the group's task.
        return Group.objects.filter(pk=world.group.pk).update(owner_ptr_id=world.bob.pk)
    else:
        return _load_raw(
            Group(
                owner_ptr_id=world.bob.pk,
                name="Bob's shadow group",
                creator=world.alice,
            )
        )


def write_no_owner(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {Task._meta.db_table} (description, owner_id)"
            " VALUES (%s, NULL)",
            ["nobody's"],
        )
    elif via == "update":
        return Task.objects.filter(pk=world.bob_task.pk).update(owner_id=None)
    else:
        return len(Task.objects.bulk_create([Task(description="nobody's")]))


def raw_delete_owner(person):
    # A person is two rows: the child row first, then its Owner row, which
    # the person's tasks still point at.
    deleted = _sql(
        f"DELETE FROM {Person._meta.db_table} WHERE owner_ptr_id = %s", [person.pk]
    )
    return deleted + _sql(
        f"DELETE FROM {Owner._meta.db_table} WHERE id = %s", [person.pk]
    )


def task_count():
    return Task.objects.count()


def bad_instance(world):
    # An Owner row with no person or group behind it: the FK is satisfied,
    # only Task.clean() can see the owner is nobody.
    return Task(description="Owned by a bare Owner row", owner=Owner.objects.create())


def admin_bad_add(world):
    data = {
        "description": "Owned by a bare Owner row",
        "owner": Owner.objects.create().pk,
    }
    return "admin:mti_task_add", data, Task


# Saves -----------------------------------------------------------------------


def write_duplicate_save(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table} (user_id, item_id, created)"
            " VALUES (%s, %s, %s)",
            [sworld.user.pk, sworld.movie.pk, NOW],
        )
    elif via == "update":
        # Point the user's anime save at the movie they already saved.
        return SavedItem.objects.filter(user=sworld.user, item=sworld.anime).update(
            item_id=sworld.movie.pk
        )
    else:
        return len(
            SavedItem.objects.bulk_create(
                [SavedItem(user=sworld.user, item_id=sworld.movie.pk, created=NOW)]
            )
        )


def write_save_of_two_items(via, sworld):
    # The movie's media row gains an anime row too: the user's save of the
    # movie is now a save of an anime as well.
    if via == "sql":
        return _sql(
            f"INSERT INTO {Anime._meta.db_table} (media_ptr_id, episodes)"
            " VALUES (%s, %s)",
            [sworld.movie.pk, 12],
        )
    elif via == "update":
        return Anime.objects.filter(pk=sworld.anime.pk).update(
            media_ptr_id=sworld.movie.pk
        )
    else:
        return _load_raw(Anime(media_ptr_id=sworld.movie.pk, episodes=12))


def write_save_of_nothing(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table} (user_id, created)"
            " VALUES (%s, %s)",
            [sworld.other.pk, NOW],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user).update(item=None)
    else:
        return len(
            SavedItem.objects.bulk_create([SavedItem(user=sworld.other, created=NOW)])
        )


def write_save_of_missing_item(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table} (user_id, item_id, created)"
            " VALUES (%s, %s, %s)",
            [sworld.other.pk, MISSING_ID, NOW],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user).update(item_id=MISSING_ID)
    else:
        return len(
            SavedItem.objects.bulk_create(
                [SavedItem(user=sworld.other, item_id=MISSING_ID, created=NOW)]
            )
        )


def raw_delete_item(item):
    # An item is two rows: the kind's row, then the media row saves point at.
    deleted = _sql(
        f"DELETE FROM {type(item)._meta.db_table} WHERE media_ptr_id = %s", [item.pk]
    )
    return deleted + _sql(
        f"DELETE FROM {Media._meta.db_table} WHERE id = %s", [item.pk]
    )


def save_count():
    return SavedItem.objects.count()
