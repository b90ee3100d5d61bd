"""Declared table for inheritance_manager.

mti's schema to the column, with django-model-utils' InheritanceManager on the
parents: mti's probes attack it unchanged, and the database answers them as
it answers mti. Only the reads that start from a parent differ.
"""

from inheritance_manager import queries as q
from inheritance_manager.models import (
    Anime,
    Group,
    Manga,
    Media,
    Movie,
    Owner,
    Person,
    SavedItem,
    Task,
)
from tests.patterns import (
    A_CREATOR,
    A_GROUP,
    A_GROUP_NAME,
    A_MANGA,
    A_NAME,
    A_PERSON,
    A_SAVED_ITEM,
    ACCEPTED,
    ALICES_GROUPS,
    ALREADY_SAVED,
    AN_ANIME,
    AN_UNSAVED_ITEM,
    ANIME_SAVE,
    BOBS,
    BOTH_OWNERS,
    CASCADED,
    DUPLICATE_SAVE,
    EVERY_TASK,
    FEED_PAGE,
    FIRST_PAGE,
    FIRST_TASK,
    GROUP_WITHOUT_CREATOR,
    LATER_TASK,
    MANY_ITEMS,
    MEDIA_WITHOUT_ITS_FIELD,
    MISSING_ITEM,
    MISSING_OWNER,
    MOVIES,
    NEW_ITEM,
    NEW_SAVE,
    NO_ITEM,
    NO_OWNER,
    NOT_SAVED,
    OF_A_GROUPS_TASK,
    OF_A_PERSONS_TASK,
    ORM_DELETE_ITEM,
    ORM_DELETE_OWNER,
    ORM_DELETE_USER,
    PROGRESS,
    PROTECTED,
    PROTECTED_DELETE_OWNER,
    RAW_DELETE_ITEM,
    RAW_DELETE_OWNER,
    RAW_DELETE_USER,
    REJECTED,
    SAVED,
    TWO_NAMES,
    USERS_SAVES,
    WATCHED,
    WRONG_EXTRA,
    Admin,
    Ownership,
    Saves,
    Verdict,
    cost,
)
from tests.patterns.mti import (
    admin_bad_save,
    admin_bad_task,
    invalid_save,
    invalid_task,
    raw_delete_item,
    raw_delete_owner,
    raw_delete_user,
    saves_of,
    tasks_of,
    write_both_owners,
    write_duplicate_save,
    write_group_without_creator,
    write_media_without_its_field,
    write_missing_owner,
    write_no_owner,
    write_save_of_many,
    write_save_of_missing_item,
    write_save_of_nothing,
    write_wrong_extra,
)

# The declarations --------------------------------------------------------------

OWNERSHIP = Ownership(
    costs={
        # The Owner row first, then the person row keyed by its id.
        q.create_person: cost(2, A_NAME),
        q.create_group: cost(2, A_GROUP_NAME),
        q.create_task: cost(1, FIRST_TASK, LATER_TASK),
        q.owner_of: cost(1, OF_A_PERSONS_TASK, OF_A_GROUPS_TASK),
        # Task -> Owner, then both child tables, and the creator, joined.
        q.task_rows: cost(1, EVERY_TASK),
        q.task_page: cost(1, FIRST_PAGE),
        # The page, then its Owner rows with both owner tables joined.
        q.task_page_prefetched: cost(2, FIRST_PAGE),
        q.task_counts: cost(1, EVERY_TASK),
        q.tasks_owned_by: cost(1, BOBS),
        q.tasks_of_groups_created_by: cost(1, ALICES_GROUPS),
        # Deleting a child deletes its Owner row and the tasks on it: a
        # query per table the collector goes through.
        q.delete_owner: cost({A_GROUP: 3, A_PERSON: 4, A_CREATOR: 6}),
        q.create_persons: cost(4, TWO_NAMES),
    },
    # 1 + per person task 2 (Owner, Person) + per group task 4 (Owner, the
    # person table asked and found empty, Group, creator): 12 and 120 tasks,
    # half of each kind. The person is asked first, as the library forces.
    # FETCH_PEERS: tasks, Owner rows, persons, groups, creators.
    naive_fetch_one=(37, 361),
    naive_fetch_peers=(5, 5),
    admin={
        Person: Admin(changelist=5, add_form=2),
        Group: Admin(changelist=5, add_form=3),
        Owner: Admin(changelist=5, add_form=None),
        # The page with Owner and both child tables joined; the add form lists
        # Owner rows with a child, both joined.
        Task: Admin(changelist=5, add_form=3),
    },
    tables=4,
    columns=9,
    integrity={
        # Task.owner is a real foreign key.
        MISSING_OWNER: Verdict(REJECTED, write_missing_owner),
        # Person's and Group's primary keys each see only their own table.
        BOTH_OWNERS: Verdict(
            ACCEPTED, write_both_owners, refused_by_django=("bulk_create",)
        ),
        # An Owner row has no columns, so none can say it must have a child.
        NO_OWNER: Verdict(ACCEPTED, write_no_owner),
        # A column of the group's own table: NOT NULL.
        GROUP_WITHOUT_CREATOR: Verdict(
            REJECTED, write_group_without_creator, refused_by_django=("bulk_create",)
        ),
        RAW_DELETE_OWNER: Verdict(ACCEPTED, raw_delete_owner),
        # Django deletes the parent row with the child, and the tasks on it.
        ORM_DELETE_OWNER: Verdict(CASCADED),
        # The parent row's tasks stop the delete before any SQL.
        PROTECTED_DELETE_OWNER: Verdict(
            PROTECTED, protect=(Task._meta.get_field("owner"),)
        ),
    },
    dependants=tasks_of,
    invalid=invalid_task,
    admin_bad_add=admin_bad_task,
)

SAVES = Saves(
    costs={
        # The Media row first, then the kind's row keyed by its id.
        q.create_media: cost(2, A_MANGA),
        # The kind's row joined to its Media row.
        q.get_media: cost(1, AN_ANIME),
        q.list_media: cost(1, MOVIES),
        q.save_item: cost(1, NEW_ITEM, NEW_SAVE, ALREADY_SAVED),
        q.unsave_item: cost(1, SAVED, NOT_SAVED),
        q.is_saved: cost(1, SAVED, NOT_SAVED),
        # Saves -> Media -> its three child tables, joined.
        q.saved_feed: cost(1, FEED_PAGE),
        q.saved_count: cost(1, USERS_SAVES),
        q.set_progress: cost(1, PROGRESS),
        q.progress: cost(1, ANIME_SAVE),
        q.set_watched: cost(1, WATCHED),
        # The saves, the kind's row, then its Media row.
        q.delete_media: cost({A_SAVED_ITEM: 3, AN_UNSAVED_ITEM: 3}),
    },
    feed_newest_first=True,
    feed_ties="in the order saved",
    extras=True,
    admin={
        Movie: Admin(changelist=5, add_form=2),
        Anime: Admin(changelist=5, add_form=2),
        Manga: Admin(changelist=5, add_form=2),
        Media: Admin(changelist=5, add_form=None),
        SavedItem: Admin(changelist=5, add_form=4),
    },
    tables=5,
    columns=14,
    integrity={
        # The (user, item) unique constraint.
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        # As for owners: each child table's primary key sees only itself, and
        # a Media row has no column to say which kind it is.
        MANY_ITEMS: Verdict(
            ACCEPTED, write_save_of_many, refused_by_django=("bulk_create",)
        ),
        NO_ITEM: Verdict(ACCEPTED, write_save_of_nothing),
        # SavedItem.item is a real foreign key.
        MISSING_ITEM: Verdict(REJECTED, write_save_of_missing_item),
        # The kind is which child table has the Media row: no CheckConstraint
        # on SavedItem can read it. Only save_item() keeps the extras in place.
        WRONG_EXTRA: Verdict(ACCEPTED, write_wrong_extra),
        # Each kind's child table has its own field, NOT NULL.
        MEDIA_WITHOUT_ITS_FIELD: Verdict(
            REJECTED,
            write_media_without_its_field,
            refused_by_django=("bulk_create",),
        ),
        # The child row alone goes; its Media row and the saves stay.
        RAW_DELETE_ITEM: Verdict(ACCEPTED, raw_delete_item),
        # Django deletes the Media row with the child, and the saves on it.
        ORM_DELETE_ITEM: Verdict(CASCADED),
        RAW_DELETE_USER: Verdict(REJECTED, raw_delete_user),
        ORM_DELETE_USER: Verdict(CASCADED),
    },
    dependants=saves_of,
    invalid=invalid_save,
    admin_bad_add=admin_bad_save,
)
