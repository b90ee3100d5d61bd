"""Declared table and probes for nullable_fks."""

from django.db import connection
from django.utils import timezone

from nullable_fks.models import Person, SavedItem, Task
from tests.patterns import ACCEPTED, CASCADED, REJECTED, Ownership, Saves

OWNERSHIP = Ownership(
    # one query: both owner tables and the group's creator LEFT OUTER JOINed.
    task_rows=1,
    # one query: Task -> owner_group -> creator is an ordinary join.
    tasks_of_groups_created_by=1,
    # 1 + 1 per person task (its owner) + 2 per group task (owner, creator):
    # 1 + 6 + 12 at 3 owners per kind, 1 + 60 + 120 at 30. FETCH_PEERS loads
    # each relation once for the whole result: tasks, persons, groups, creators.
    naive_fetch_one=(19, 181),
    naive_fetch_peers=(4, 4),
    # session + user + two COUNTs (paginator, full result count) + one page
    # query with both owners joined in.
    admin_changelists={"admin:nullable_fks_task_changelist": 5},
    integrity={
        # real FKs: the deferred constraint check refuses the id.
        "missing_owner": REJECTED,
        # no CheckConstraint: only Task.clean() says "exactly one".
        "both_owners": ACCEPTED,
        "no_owner": ACCEPTED,
        # the FK constraint refuses to leave Bob's task pointing at nothing.
        "raw_delete_owner": REJECTED,
        # on_delete=CASCADE: the ORM deletes Bob's task first.
        "orm_delete_owner": CASCADED,
    },
)

SAVES = Saves(
    # one query: the three item tables LEFT OUTER JOINed, ordered and sliced.
    feed_page=1,
    # an EXISTS on the kind's partial unique index.
    is_saved=1,
    feed_newest_first=True,
    extras=True,
    integrity={
        # the per-kind partial unique constraint.
        "duplicate_save": REJECTED,
        # no CheckConstraint: only SavedItem.clean() says "exactly one".
        "two_items": ACCEPTED,
        "no_item": ACCEPTED,
        # real FKs, as for owners.
        "missing_item": REJECTED,
        "raw_delete_item": REJECTED,
        "orm_delete_item": CASCADED,
        # no CheckConstraint: only save_item() keeps progress off a movie.
        "progress_on_a_movie": ACCEPTED,
    },
)

MISSING_ID = 10**9
NOW = timezone.now()


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def write_missing_owner(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {Task._meta.db_table} (description, owner_person_id)"
            " VALUES (%s, %s)",
            ["dangling", MISSING_ID],
        )
    elif via == "update":
        return Task.objects.filter(pk=world.bob_task.pk).update(
            owner_person_id=MISSING_ID
        )
    else:
        return Task.objects.bulk_create(
            [Task(description="dangling", owner_group_id=MISSING_ID)]
        )


def write_both_owners(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {Task._meta.db_table}"
            " (description, owner_person_id, owner_group_id) VALUES (%s, %s, %s)",
            ["everyone's", world.bob.pk, world.group.pk],
        )
    elif via == "update":
        return Task.objects.filter(pk=world.bob_task.pk).update(owner_group=world.group)
    else:
        return Task.objects.bulk_create(
            [
                Task(
                    description="everyone's",
                    owner_person=world.bob,
                    owner_group=world.group,
                )
            ]
        )


def write_no_owner(via, world):
    if via == "sql":
        return _sql(
            f"INSERT INTO {Task._meta.db_table} (description) VALUES (%s)",
            ["nobody's"],
        )
    elif via == "update":
        return Task.objects.filter(pk=world.bob_task.pk).update(owner_person=None)
    else:
        return Task.objects.bulk_create([Task(description="nobody's")])


def raw_delete_owner(person):
    return _sql(f"DELETE FROM {Person._meta.db_table} WHERE id = %s", [person.pk])


def bad_instance(world):
    return Task(
        description="Owned twice", owner_person=world.alice, owner_group=world.group
    )


def task_count():
    return Task.objects.count()


def admin_bad_add(world):
    # Both drop-downs chosen: only Task.clean() objects.
    data = {
        "description": "Owned twice",
        "owner_person": world.alice.pk,
        "owner_group": world.group.pk,
    }
    return "admin:nullable_fks_task_add", data, Task


# Saves -----------------------------------------------------------------------


def write_duplicate_save(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table} (user_id, movie_id, created)"
            " VALUES (%s, %s, %s)",
            [sworld.user.pk, sworld.movie.pk, NOW],
        )
    elif via == "update":
        # Point the user's anime save at the movie they already saved.
        return SavedItem.objects.filter(user=sworld.user, anime=sworld.anime).update(
            anime=None, movie=sworld.movie, episode_progress=None
        )
    else:
        return SavedItem.objects.bulk_create(
            [SavedItem(user=sworld.user, movie=sworld.movie, created=NOW)]
        )


def write_save_of_two_items(via, sworld):
    # Always a pair the user hasn't saved yet, so that no unique constraint
    # can be what answers.
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table}"
            " (user_id, movie_id, anime_id, created) VALUES (%s, %s, %s, %s)",
            [sworld.other.pk, sworld.movie.pk, sworld.anime.pk, NOW],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user, movie=sworld.movie).update(
            manga=sworld.manga
        )
    else:
        return SavedItem.objects.bulk_create(
            [
                SavedItem(
                    user=sworld.other,
                    anime=sworld.anime,
                    manga=sworld.manga,
                    created=NOW,
                )
            ]
        )


def write_save_of_nothing(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table} (user_id, created)"
            " VALUES (%s, %s)",
            [sworld.user.pk, NOW],
        )
    elif via == "update":
        # The extras go too, so that "no item" is the only thing wrong.
        return SavedItem.objects.filter(user=sworld.user).update(
            movie=None, anime=None, manga=None, episode_progress=None, watched=None
        )
    else:
        return SavedItem.objects.bulk_create([SavedItem(user=sworld.user, created=NOW)])


def write_save_of_missing_item(via, sworld):
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table} (user_id, movie_id, created)"
            " VALUES (%s, %s, %s)",
            [sworld.other.pk, MISSING_ID, NOW],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user, movie=sworld.movie).update(
            movie_id=MISSING_ID
        )
    else:
        return SavedItem.objects.bulk_create(
            [SavedItem(user=sworld.other, anime_id=MISSING_ID, created=NOW)]
        )


def write_progress_on_a_movie(via, sworld):
    # A save the other user hasn't got yet, so no unique index can answer first.
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table}"
            " (user_id, movie_id, created, episode_progress) VALUES (%s, %s, %s, %s)",
            [sworld.other.pk, sworld.movie.pk, NOW, 7],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user, movie=sworld.movie).update(
            episode_progress=7
        )
    else:
        return SavedItem.objects.bulk_create(
            [
                SavedItem(
                    user=sworld.other,
                    movie=sworld.movie,
                    created=NOW,
                    episode_progress=7,
                )
            ]
        )


def raw_delete_item(item):
    return _sql(f"DELETE FROM {type(item)._meta.db_table} WHERE id = %s", [item.pk])


def save_count():
    return SavedItem.objects.count()
