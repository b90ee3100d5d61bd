"""Declared table and probes for mti.

A person or group is two rows sharing one id: an Owner row, which tasks point
at, and a child row keyed by it. The foreign keys guard every row that is
pointed at, but not how many child rows stand behind an Owner: one, two (a
person and a group) or none are all the same to the database. The saves domain
has the same shape around Media. Django's bulk_create() refuses every child
model, so a bulk write of a second child is declared refused_by_django.
"""

from django.db import connection
from django.utils import timezone

from mti.models import Anime, Group, Media, Owner, Person, SavedItem, Task
from tests.patterns import ACCEPTED, CASCADED, REJECTED, Ownership, Saves

OWNERSHIP = Ownership(
    # One query: owner, both child tables and the creator LEFT JOINed.
    task_rows=1,
    # One query: task -> owner -> group, filtered on the creator.
    tasks_of_groups_created_by=1,
    # 1 + per person task 2 (owner, person) + per group task 4 (owner, person
    # miss, group, creator): 1 + 6*2 + 6*4 and 1 + 60*2 + 60*4.
    naive_fetch_one=(37, 361),
    # FETCH_PEERS batches each step: tasks, owners, persons, groups, creators.
    naive_fetch_peers=(5, 5),
    # Session, user, filtered count, total count, then the page with every
    # child table joined: one query for the rows.
    admin_changelists={"admin:mti_task_changelist": 5},
    integrity={
        # Task.owner is a real foreign key to Owner.
        "missing_owner": REJECTED,
        # Person's and Group's primary keys each see only their own table:
        # one Owner row can have a child in both.
        "both_owners": ACCEPTED,
        # An Owner row has no columns, so none can say it must have a child:
        # a task on an Owner row that is nobody is stored.
        "no_owner": ACCEPTED,
        # Nothing points at the person row but Group.creator: the parent
        # Owner row stays, and so do the tasks on it. (Deleting the Owner row
        # as well is refused by Task.owner: mti/tests/.)
        "raw_delete_owner": ACCEPTED,
        # Model.delete() of a child deletes its parent row too, and the tasks
        # cascade from that.
        "orm_delete_owner": CASCADED,
    },
    # bulk_create() of a Group (a second child on Bob's Owner row): Django
    # can't bulk-insert a multi-table child and raises before any SQL.
    refused_by_django={"both_owners": ("bulk_create",)},
)

SAVES = Saves(
    # One query: one save table, media row and the three kinds LEFT JOINed.
    feed_page=1,
    # One query: the (user, item) unique index.
    is_saved=1,
    feed_newest_first=True,
    extras=True,
    integrity={
        # The (user, item) unique constraint.
        "duplicate_save": REJECTED,
        # As for owners: each kind's primary key sees only its own table, so
        # the saved movie's media row can gain an anime row too.
        "two_items": ACCEPTED,
        # A media row needs only a title: one that is no movie, anime or
        # manga, with a save on it, is stored.
        "no_item": ACCEPTED,
        # SavedItem.item is a real foreign key to Media.
        "missing_item": REJECTED,
        # Nothing points at the movie row: its media row and the saves on it
        # stay. (Deleting the media row as well is refused: mti/tests/.)
        "raw_delete_item": ACCEPTED,
        # Model.delete() takes the media row, and the saves cascade from it.
        "orm_delete_item": CASCADED,
        # The kind is which child table holds the media id: a CheckConstraint
        # sees only its own row. Only save_item() objects.
        "progress_on_a_movie": ACCEPTED,
    },
    # bulk_create() of an Anime on the movie's media row: refused as above.
    refused_by_django={"two_items": ("bulk_create",)},
)

MISSING_ID = 10**9
NOW = timezone.now()
OWNER = Owner._meta.db_table
MEDIA = Media._meta.db_table
TASK = Task._meta.db_table
SAVE = SavedItem._meta.db_table


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


# Ownership -------------------------------------------------------------------


def write_missing_owner(via, world):
    """Write a task whose Owner row does not exist (via update: Bob's task)."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {TASK} (description, owner_id) VALUES (%s, %s)",
            ["dangling", MISSING_ID],
        )
    elif via == "update":
        return Task.objects.filter(pk=world.bob_task.pk).update(owner_id=MISSING_ID)
    else:
        task = Task(description="dangling", owner_id=MISSING_ID)
        return len(Task.objects.bulk_create([task]))


def write_both_owners(via, world):
    """Give Bob's Owner row a group row too, so Bob's task has two owners (via
    update: the Team's group row moves onto it). Via bulk_create, Django raises
    ValueError before any SQL: a Group is a multi-table child."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {Group._meta.db_table} (owner_ptr_id, name, creator_id)"
            " VALUES (%s, %s, %s)",
            [world.bob.pk, "Bob's shadow group", world.alice.pk],
        )
    elif via == "update":
        # The Team's old Owner row is left with no child, still holding its task.
        return Group.objects.filter(pk=world.group.pk).update(owner_ptr_id=world.bob.pk)
    else:
        shadow = Group(
            owner_ptr_id=world.bob.pk, name="Bob's shadow group", creator=world.alice
        )
        return len(Group.objects.bulk_create([shadow]))


def write_no_owner(via, world):
    """Write a task on an Owner row that no person or group row is keyed by: a
    new, bare Owner row and a task on it (via update: Bob's task moves onto it).

    Task.owner itself is NOT NULL; the Owner row it reaches can stand for nobody.
    """
    if via == "sql":
        return _sql(f"INSERT INTO {OWNER} DEFAULT VALUES", []) + _sql(
            f"INSERT INTO {TASK} (description, owner_id)"
            f" SELECT %s, MAX(id) FROM {OWNER}",
            ["nobody's"],
        )
    elif via == "update":
        nobody = Owner.objects.create()  # the parent alone: a row with no columns
        return Task.objects.filter(pk=world.bob_task.pk).update(owner=nobody)
    else:
        # Owner is the parent, not a child: bulk_create() takes it.
        owners = Owner.objects.bulk_create([Owner()])
        tasks = Task.objects.bulk_create(
            [Task(description="nobody's", owner=owners[0])]
        )
        return len(owners) + len(tasks)


def raw_delete_owner(person):
    """DELETE the Person row only: nothing points at a person but Group.creator,
    so their Owner row, and their tasks on it, stay behind."""
    return _sql(
        f"DELETE FROM {Person._meta.db_table} WHERE owner_ptr_id = %s", [person.pk]
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
    """Write a second save of the user's movie."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {SAVE} (user_id, item_id, created) VALUES (%s, %s, %s)",
            [sworld.user.pk, sworld.movie.pk, NOW],
        )
    elif via == "update":
        # Point the user's anime save at the movie they already saved.
        return SavedItem.objects.filter(user=sworld.user, item=sworld.anime).update(
            item_id=sworld.movie.pk
        )
    else:
        save = SavedItem(user=sworld.user, item_id=sworld.movie.pk, created=NOW)
        return len(SavedItem.objects.bulk_create([save]))


def write_save_of_two_items(via, sworld):
    """Give the saved movie's media row an anime row too, so the user's save of
    the movie is a save of an anime as well (via update: the saved anime's row
    moves onto it). Via bulk_create, Django raises ValueError before any SQL:
    an Anime is a multi-table child."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {Anime._meta.db_table} (media_ptr_id, episodes)"
            " VALUES (%s, %s)",
            [sworld.movie.pk, 12],
        )
    elif via == "update":
        # The anime's old media row is left with no child, still saved.
        return Anime.objects.filter(pk=sworld.anime.pk).update(
            media_ptr_id=sworld.movie.pk
        )
    else:
        twin = Anime(media_ptr_id=sworld.movie.pk, episodes=12)
        return len(Anime.objects.bulk_create([twin]))


def write_save_of_nothing(via, sworld):
    """Write a save on a media row that no movie, anime or manga row is keyed
    by: a new, bare media row and a save on it (via update: the user's movie
    save moves onto it). SavedItem.item itself is NOT NULL."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {MEDIA} (title) VALUES (%s)", ["No kind at all"]
        ) + _sql(
            f"INSERT INTO {SAVE} (user_id, item_id, created)"
            f" SELECT %s, MAX(id), %s FROM {MEDIA}",
            [sworld.user.pk, NOW],
        )
    elif via == "update":
        nothing = Media.objects.create(title="No kind at all")  # the parent alone
        return SavedItem.objects.filter(user=sworld.user, item=sworld.movie).update(
            item=nothing
        )
    else:
        # Media is the parent, not a child: bulk_create() takes it.
        media = Media.objects.bulk_create([Media(title="No kind at all")])
        save = SavedItem(user=sworld.user, item=media[0], created=NOW)
        return len(media) + len(SavedItem.objects.bulk_create([save]))


def write_save_of_missing_item(via, sworld):
    """Write a save whose media row does not exist (via update: the movie save)."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {SAVE} (user_id, item_id, created) VALUES (%s, %s, %s)",
            [sworld.other.pk, MISSING_ID, NOW],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user, item=sworld.movie).update(
            item_id=MISSING_ID
        )
    else:
        save = SavedItem(user=sworld.other, item_id=MISSING_ID, created=NOW)
        return len(SavedItem.objects.bulk_create([save]))


def write_progress_on_a_movie(via, sworld):
    """Write a save of the movie's media row with episode_progress set (via
    update: the user's movie save). The other user hasn't saved the movie, so
    no unique index can answer first. SavedItem is no child: bulk_create()
    takes it."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {SAVE} (user_id, item_id, created, episode_progress)"
            " VALUES (%s, %s, %s, %s)",
            [sworld.other.pk, sworld.movie.pk, NOW, 7],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user, item=sworld.movie).update(
            episode_progress=7
        )
    else:
        save = SavedItem(
            user=sworld.other, item_id=sworld.movie.pk, created=NOW, episode_progress=7
        )
        return len(SavedItem.objects.bulk_create([save]))


def raw_delete_item(item):
    """DELETE the kind's row only (the movie row): nothing points at it, so its
    media row and the saves on it stay behind."""
    return _sql(
        f"DELETE FROM {type(item)._meta.db_table} WHERE media_ptr_id = %s", [item.pk]
    )


def save_count():
    return SavedItem.objects.count()
