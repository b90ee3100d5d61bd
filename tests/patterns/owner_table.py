"""Declared table and probes for owner_table.

Here an owner is a chain, Task -> Owner -> Person or Group, so every probe
attacks the hop the pattern adds: the Owner row (or, for saves, the Item row).
The Task -> Owner and SavedItem -> Item hops are plain non-null foreign keys.
"""

from django.db import connection
from django.utils import timezone

from owner_table.models import Group, Item, Manga, Movie, Owner, Person, SavedItem, Task
from tests.patterns import ACCEPTED, CASCADED, REJECTED, Ownership, Saves

OWNERSHIP = Ownership(
    # One query: Task, Owner, Person, Group and the group's creator joined.
    task_rows=1,
    # One query: Task -> Owner -> Group, filtered on the group's creator.
    tasks_of_groups_created_by=1,
    # 1 + per person task 2 (Owner, Person) + per group task 3 (Owner, Group,
    # creator): 12 and 120 tasks, half of each kind. A NULL link costs nothing.
    naive_fetch_one=(31, 301),
    # Tasks, then one batch each for Owner, Person, Group and creator.
    naive_fetch_peers=(5, 5),
    # Session, user, the paginator's count, the unfiltered count, and the page
    # with Owner and both of its links joined in.
    admin_changelists={"admin:owner_table_task_changelist": 5},
    integrity={
        # Owner.person_id is a real foreign key.
        "missing_owner": REJECTED,
        # The counted CheckConstraint: the article's save() check would not be.
        "both_owners": REJECTED,
        "no_owner": REJECTED,
        # Owner.person_id still points at the person: the FK refuses, it
        # doesn't cascade (CASCADE is the ORM's, not the database's).
        "raw_delete_owner": REJECTED,
        # Person -> Owner -> Task, collected by the ORM.
        "orm_delete_owner": CASCADED,
    },
)

SAVES = Saves(
    # One query: SavedItem -> Item -> Movie, Anime and Manga joined.
    feed_page=1,
    # One query: SavedItem joined to Item on the media's link column.
    is_saved=1,
    feed_newest_first=True,
    extras=True,
    integrity={
        # The (user, item) unique constraint.
        "duplicate_save": REJECTED,
        # Item's counted CheckConstraint, both ways.
        "two_items": REJECTED,
        "no_item": REJECTED,
        # Item's links are real foreign keys.
        "missing_item": REJECTED,
        "raw_delete_item": REJECTED,
        # Movie -> Item -> SavedItem, collected by the ORM.
        "orm_delete_item": CASCADED,
        # The kind is which link of the Item row is set, in another table: no
        # CheckConstraint on SavedItem can read it. Only save_item() objects.
        "progress_on_a_movie": ACCEPTED,
    },
)

MISSING_ID = 10**9
NOW = timezone.now()
OWNER = Owner._meta.db_table
ITEM = Item._meta.db_table


def _sql(statement, params):
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.rowcount


def _unlinked_person_and_group():
    # A person and a group with no Owner row yet (Owner rows come with a first
    # task), so a bad Owner row can't trip a unique index first and pass for
    # the CheckConstraint's refusal.
    carol = Person.objects.create(name="Carol")
    return carol, Group.objects.create(name="Carol's team", creator=carol)


def write_missing_owner(via, world):
    """Write an Owner row whose person does not exist (via update: Bob's row).

    The hop from Task to Owner is an ordinary non-null FK; this is the new one.
    """
    if via == "sql":
        return _sql(f"INSERT INTO {OWNER} (person_id) VALUES (%s)", [MISSING_ID])
    elif via == "update":
        return Owner.objects.filter(person=world.bob).update(person_id=MISSING_ID)
    else:
        return len(Owner.objects.bulk_create([Owner(person_id=MISSING_ID)]))


def write_both_owners(via, world):
    """Write an Owner row linking a person and a group (via update: the Team's
    Owner row, which Team's task points at, gains a person)."""
    carol, carols_team = _unlinked_person_and_group()
    if via == "sql":
        return _sql(
            f"INSERT INTO {OWNER} (person_id, group_id) VALUES (%s, %s)",
            [carol.pk, carols_team.pk],
        )
    elif via == "update":
        return Owner.objects.filter(group=world.group).update(person=carol)
    else:
        return len(Owner.objects.bulk_create([Owner(person=carol, group=carols_team)]))


def write_no_owner(via, world):
    """Write an Owner row linking nobody (via update: Bob's row, so Bob's task
    is owned by nobody). Task.owner itself is NOT NULL."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {OWNER} (person_id, group_id) VALUES (NULL, NULL)", []
        )
    elif via == "update":
        return Owner.objects.filter(person=world.bob).update(person=None)
    else:
        return len(Owner.objects.bulk_create([Owner()]))


def raw_delete_owner(person):
    """DELETE the Person row only; their Owner row still points at it."""
    return _sql(f"DELETE FROM {Person._meta.db_table} WHERE id = %s", [person.pk])


def bad_instance(world):
    # An Owner row linking nobody: only the CheckConstraint can object (no
    # unique index is involved), so full_clean() reports it from the database's
    # own rule.
    return Owner()


def task_count():
    return Task.objects.count()


def admin_bad_add(world):
    # Both links set, on a person and group with no Owner row yet: the form
    # error is the CheckConstraint's message, not a unique clash.
    carol, carols_team = _unlinked_person_and_group()
    data = {"person": carol.pk, "group": carols_team.pk}
    return "admin:owner_table_owner_add", data, Owner


# Saves -----------------------------------------------------------------------


def _item_of(media):
    return Item.objects.get(**{type(media).__name__.lower(): media})


def _unsaved_movie_and_manga():
    # Media nobody has saved have no Item row yet: as for owners above.
    return (
        Movie.objects.create(title="Heat", year=1995),
        Manga.objects.create(title="Pluto", volumes=8),
    )


def write_duplicate_save(via, sworld):
    """Write a second SavedItem of the user's movie Item."""
    movie_item = _item_of(sworld.movie)
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table} (user_id, item_id, created)"
            " VALUES (%s, %s, %s)",
            [sworld.user.pk, movie_item.pk, NOW],
        )
    elif via == "update":
        # Point the user's anime save at the movie's Item they already saved.
        return SavedItem.objects.filter(
            user=sworld.user, item__anime__isnull=False
        ).update(item=movie_item)
    else:
        return len(
            SavedItem.objects.bulk_create(
                [SavedItem(user=sworld.user, item=movie_item, created=NOW)]
            )
        )


def write_save_of_two_items(via, sworld):
    """Write an Item row linking a movie and a manga (via update: the saved
    anime's Item row, which the user's save points at, gains a movie)."""
    movie, manga = _unsaved_movie_and_manga()
    if via == "sql":
        return _sql(
            f"INSERT INTO {ITEM} (movie_id, manga_id) VALUES (%s, %s)",
            [movie.pk, manga.pk],
        )
    elif via == "update":
        return Item.objects.filter(anime=sworld.anime).update(movie=movie)
    else:
        return len(Item.objects.bulk_create([Item(movie=movie, manga=manga)]))


def write_save_of_nothing(via, sworld):
    """Write an Item row linking no media (via update: the saved movie's Item
    row, so the user's save is of nothing). SavedItem.item is NOT NULL."""
    if via == "sql":
        return _sql(
            f"INSERT INTO {ITEM} (movie_id, anime_id, manga_id)"
            " VALUES (NULL, NULL, NULL)",
            [],
        )
    elif via == "update":
        return Item.objects.filter(movie=sworld.movie).update(movie=None)
    else:
        return len(Item.objects.bulk_create([Item()]))


def write_save_of_missing_item(via, sworld):
    """Write an Item row whose movie does not exist (via update: the saved
    movie's Item row)."""
    if via == "sql":
        return _sql(f"INSERT INTO {ITEM} (movie_id) VALUES (%s)", [MISSING_ID])
    elif via == "update":
        return Item.objects.filter(movie=sworld.movie).update(movie_id=MISSING_ID)
    else:
        return len(Item.objects.bulk_create([Item(movie_id=MISSING_ID)]))


def write_progress_on_a_movie(via, sworld):
    """Write a save of the movie's Item with episode_progress set (via update:
    the user's movie save). The other user hasn't saved the movie, so no
    unique index can answer first."""
    movie_item = _item_of(sworld.movie)
    if via == "sql":
        return _sql(
            f"INSERT INTO {SavedItem._meta.db_table}"
            " (user_id, item_id, created, episode_progress) VALUES (%s, %s, %s, %s)",
            [sworld.other.pk, movie_item.pk, NOW, 7],
        )
    elif via == "update":
        return SavedItem.objects.filter(user=sworld.user, item=movie_item).update(
            episode_progress=7
        )
    else:
        save = SavedItem(
            user=sworld.other, item=movie_item, created=NOW, episode_progress=7
        )
        return len(SavedItem.objects.bulk_create([save]))


def raw_delete_item(item):
    """DELETE the media row only; its Item row (if saved) still points at it."""
    return _sql(f"DELETE FROM {type(item)._meta.db_table} WHERE id = %s", [item.pk])


def save_count():
    return SavedItem.objects.count()
