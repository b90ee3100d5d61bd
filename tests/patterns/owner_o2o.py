"""Declared table and probes for owner_o2o.

An owner is a chain read backwards: Task -> Owner <- Person or Group. The
foreign keys guard every row that is pointed at, but not how many rows point at
an Owner: one, two (a person and a group) or none are all the same to the
database. The saves domain has the same shape around Item.
"""

from django.db import connection
from django.utils import timezone

from owner_o2o.models import Anime, Group, Item, Owner, Person, SavedItem, Task
from tests.patterns import ACCEPTED, REJECTED, Ownership, Saves

OWNERSHIP = Ownership(
    # One query: Task, Owner, and Person, Group and the group's creator joined
    # through the reverse one-to-ones.
    task_rows=1,
    # One query: Task -> Owner -> Group, filtered on the group's creator.
    tasks_of_groups_created_by=1,
    # 1 + per person task 2 (Owner, Person) + per group task 4 (Owner, the
    # person table asked and found empty, Group, creator): 12 and 120 tasks,
    # half of each kind. owner_table's group tasks cost 3: its row names the kind.
    naive_fetch_one=(37, 361),
    # Tasks, then one batch each for Owner, Person, Group and creator.
    naive_fetch_peers=(5, 5),
    # Session, user, the paginator's count, the unfiltered count, and the page
    # with Owner and both reverse one-to-ones joined in.
    admin_changelists={"admin:owner_o2o_task_changelist": 5},
    integrity={
        # Task.owner is a real foreign key.
        "missing_owner": REJECTED,
        # Person's and Group's unique indexes each see only their own table.
        "both_owners": ACCEPTED,
        # An Owner row has no columns, so none can say it must be linked.
        "no_owner": ACCEPTED,
        # Nothing points at a person but Group.creator: the Owner row stays,
        # and so do the tasks on it.
        "raw_delete_owner": ACCEPTED,
        # The ORM cascades from Owner to Person, never back: Model.delete()
        # of a person leaves the same remains. delete_owner() doesn't.
        "orm_delete_owner": ACCEPTED,
    },
)

SAVES = Saves(
    # One query: SavedItem -> Item -> Movie, Anime and Manga joined through
    # the reverse one-to-ones.
    feed_page=1,
    # One query, no join: the media carries its Item id.
    is_saved=1,
    feed_newest_first=True,
    extras=True,
    integrity={
        # The (user, item) unique constraint.
        "duplicate_save": REJECTED,
        # As for owners: each media table's unique index sees only itself,
        # and an Item row has no columns to be checked.
        "two_items": ACCEPTED,
        "no_item": ACCEPTED,
        # SavedItem.item is a real foreign key.
        "missing_item": REJECTED,
        # The cascade runs from Item to the media, never back: a deleted
        # movie's Item row and its saves stay. delete_media() doesn't.
        "raw_delete_item": ACCEPTED,
        "orm_delete_item": ACCEPTED,
        # The kind is which media table links the Item row: no CheckConstraint
        # on SavedItem can read it. Only save_item() objects.
        "progress_on_a_movie": ACCEPTED,
    },
)

MISSING_ID = 10**9
NOW = timezone.now()
OWNER = Owner._meta.db_table
ITEM = Item._meta.db_table
TASK = Task._meta.db_table
SAVE = SavedItem._meta.db_table


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


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
        return len(
            Task.objects.bulk_create(
                [Task(description="dangling", owner_id=MISSING_ID)]
            )
        )


def write_both_owners(via, world):
    """Link Bob's Owner row from a group as well, so Bob's task has two owners
    (via update: the Team now points at it; otherwise a new group row does)."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {Group._meta.db_table} (name, creator_id, owner_id)"
            " VALUES (%s, %s, %s)",
            ["Bob's twin", world.alice.pk, world.bob.owner_id],
        )
    elif via == "update":
        # The Team's old Owner row is left linked by nobody, with its task.
        return Group.objects.filter(pk=world.group.pk).update(
            owner_id=world.bob.owner_id
        )
    else:
        twin = Group(
            name="Bob's twin", creator=world.alice, owner_id=world.bob.owner_id
        )
        return len(Group.objects.bulk_create([twin]))


def write_no_owner(via, world):
    """Write a task whose Owner row no person or group links to: a new, empty
    Owner row and a task on it (via update: Bob's task is moved onto it).

    Task.owner itself is NOT NULL; the Owner row it reaches can stand for nobody.
    """
    if via == "sql":
        return _sql(f"INSERT INTO {OWNER} DEFAULT VALUES", []) + _sql(
            f"INSERT INTO {TASK} (description, owner_id)"
            f" SELECT %s, MAX(id) FROM {OWNER}",
            ["nobody's"],
        )
    elif via == "update":
        nobody = Owner.objects.create()  # a row with no columns to refuse
        return Task.objects.filter(pk=world.bob_task.pk).update(owner=nobody)
    else:
        [nobody] = Owner.objects.bulk_create([Owner()])
        task = Task(description="nobody's", owner=nobody)
        return 1 + len(Task.objects.bulk_create([task]))


def raw_delete_owner(person):
    """DELETE the Person row only: nothing points at a person but Group.creator,
    so their Owner row, and their tasks on it, stay behind."""
    return _sql(f"DELETE FROM {Person._meta.db_table} WHERE id = %s", [person.pk])


def bad_instance(world):
    # A new group on Bob's Owner row: Group's own unique index sees no other
    # group there, so only Group.clean(), asking the person table, objects.
    return Group(name="Bob's twin", creator=world.alice, owner=world.bob.owner)


def task_count():
    return Task.objects.count()


def admin_bad_add(world):
    # A task on an Owner row that no person or group links to: the select box
    # offers it (it is a valid row), and only Task.clean() turns it away.
    nobody = Owner.objects.create()
    data = {"description": "Owned by nobody", "owner": nobody.pk}
    return "admin:owner_o2o_task_add", data, Task


# Saves -----------------------------------------------------------------------


def write_duplicate_save(via, sworld):
    """Write a second save of the user's movie Item."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {SAVE} (user_id, item_id, created) VALUES (%s, %s, %s)",
            [sworld.user.pk, sworld.movie.item_id, NOW],
        )
    elif via == "update":
        # Point the user's anime save at the movie's Item they already saved.
        return SavedItem.objects.filter(
            user=sworld.user, item_id=sworld.anime.item_id
        ).update(item_id=sworld.movie.item_id)
    else:
        save = SavedItem(user=sworld.user, item_id=sworld.movie.item_id, created=NOW)
        return len(SavedItem.objects.bulk_create([save]))


def write_save_of_two_items(via, sworld):
    """Link the saved movie's Item row from an anime as well (via update: the
    saved anime moves onto it, leaving its own Item row, and save, on nothing)."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {Anime._meta.db_table} (title, episodes, item_id)"
            " VALUES (%s, %s, %s)",
            ["Alien: the series", 12, sworld.movie.item_id],
        )
    elif via == "update":
        return Anime.objects.filter(pk=sworld.anime.pk).update(
            item_id=sworld.movie.item_id
        )
    else:
        twin = Anime(
            title="Alien: the series", episodes=12, item_id=sworld.movie.item_id
        )
        return len(Anime.objects.bulk_create([twin]))


def write_save_of_nothing(via, sworld):
    """Write a save whose Item row no media links to: a new, empty Item row
    and a save on it (via update: the user's movie save is moved onto it)."""
    if via == "sql":
        return _sql(f"INSERT INTO {ITEM} DEFAULT VALUES", []) + _sql(
            f"INSERT INTO {SAVE} (user_id, item_id, created)"
            f" SELECT %s, MAX(id), %s FROM {ITEM}",
            [sworld.user.pk, NOW],
        )
    elif via == "update":
        nothing = Item.objects.create()
        return SavedItem.objects.filter(
            user=sworld.user, item_id=sworld.movie.item_id
        ).update(item=nothing)
    else:
        [nothing] = Item.objects.bulk_create([Item()])
        save = SavedItem(user=sworld.user, item=nothing, created=NOW)
        return 1 + len(SavedItem.objects.bulk_create([save]))


def write_save_of_missing_item(via, sworld):
    """Write a save whose Item row does not exist (via update: the movie save)."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {SAVE} (user_id, item_id, created) VALUES (%s, %s, %s)",
            [sworld.other.pk, MISSING_ID, NOW],
        )
    elif via == "update":
        return SavedItem.objects.filter(
            user=sworld.user, item_id=sworld.movie.item_id
        ).update(item_id=MISSING_ID)
    else:
        save = SavedItem(user=sworld.other, item_id=MISSING_ID, created=NOW)
        return len(SavedItem.objects.bulk_create([save]))


def write_progress_on_a_movie(via, sworld):
    """Write a save of the movie's Item with episode_progress set (via update:
    the user's movie save). The other user hasn't saved the movie, so no
    unique index can answer first."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {SAVE} (user_id, item_id, created, episode_progress)"
            " VALUES (%s, %s, %s, %s)",
            [sworld.other.pk, sworld.movie.item_id, NOW, 7],
        )
    elif via == "update":
        return SavedItem.objects.filter(
            user=sworld.user, item_id=sworld.movie.item_id
        ).update(episode_progress=7)
    else:
        save = SavedItem(
            user=sworld.other,
            item_id=sworld.movie.item_id,
            created=NOW,
            episode_progress=7,
        )
        return len(SavedItem.objects.bulk_create([save]))


def raw_delete_item(item):
    """DELETE the media row only: nothing points at it, so its Item row and
    the saves on it stay behind."""
    return _sql(f"DELETE FROM {type(item)._meta.db_table} WHERE id = %s", [item.pk])


def save_count():
    return SavedItem.objects.count()
