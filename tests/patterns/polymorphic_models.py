"""Declared table for polymorphic_models.

mti's schema plus a polymorphic_ctype column on each parent, which
django-polymorphic fills on save() and the database leaves to it: mti's probes
attack it unchanged (writing past save(), they leave the column NULL), and the
database answers them as it answers mti. The reads differ: the library fetches
each child type in a query of its own.
"""

from polymorphic_models import queries as q
from polymorphic_models.models import (
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
        # The Owner row first, with the child's content type (cached; one
        # more query cold), then the person row keyed by its id.
        q.create_person: cost(2, A_NAME, cold=3),
        q.create_group: cost(2, A_GROUP_NAME, cold=3),
        q.create_task: cost(1, FIRST_TASK, LATER_TASK),
        # The Owner row, then the child its stored type names; cold, the
        # content types too.
        q.owner_of: cost(2, OF_A_PERSONS_TASK, OF_A_GROUPS_TASK, cold=4),
        # Task -> Owner, its stored type, both child tables and the creator,
        # joined.
        q.task_rows: cost(1, EVERY_TASK),
        q.task_page: cost(1, FIRST_PAGE),
        # The page, its Owner rows, a query per child type, the creators.
        q.task_page_prefetched: cost(5, FIRST_PAGE, cold=8),
        # One COUNT per stored type, over the Owner rows.
        q.task_counts: cost(1, EVERY_TASK, cold=3),
        q.tasks_owned_by: cost(1, BOBS),
        q.tasks_of_groups_created_by: cost(1, ALICES_GROUPS),
        # As in mti, a query per table the collector goes through; the
        # library's collector reads a creator's groups through the
        # polymorphic manager, a query more.
        q.delete_owner: cost(
            {A_GROUP: 3, A_PERSON: 4, A_CREATOR: 7},
            cold={A_GROUP: 3, A_PERSON: 5, A_CREATOR: 8},
        ),
        q.create_persons: cost(4, TWO_NAMES, cold=5),
    },
    # 1 + per task 2 (its Owner row, then the child its stored type names) +
    # per group task its creator: no miss on the person table, as mti pays.
    naive_fetch_one=(31, 301),
    # FETCH_PEERS batches the Owner rows, but the library fetches each one's
    # child on its own: the naive listing still grows with the rows.
    naive_fetch_peers=(7, 34),
    admin={
        # Each of the library's admins reads a content type on its first
        # request (cold): the polymorphic_ctype it writes and filters on.
        Person: Admin(changelist=5, add_form=2, cold_changelist=6),
        Group: Admin(changelist=5, add_form=3, cold_changelist=6),
        # Its parent admin's add page asks which child to add.
        Owner: Admin(changelist=5, add_form=2, cold_changelist=6),
        # The page with Owner and both child tables joined; the add form lists
        # Owner rows with a child, both joined.
        Task: Admin(changelist=5, add_form=3),
    },
    tables=4,
    columns=10,
    integrity={
        # Task.owner is a real foreign key.
        MISSING_OWNER: Verdict(REJECTED, write_missing_owner),
        # Person's and Group's primary keys each see only their own table.
        BOTH_OWNERS: Verdict(
            ACCEPTED, write_both_owners, refused_by_django=("bulk_create",)
        ),
        # An Owner row's one column, the stored type, is what save() wrote:
        # nothing ties it to a child row, so nothing says there must be one.
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
        q.create_media: cost(2, A_MANGA, cold=3),
        # The kind's row joined to its Media row.
        q.get_media: cost(1, AN_ANIME, cold=2),
        q.list_media: cost(1, MOVIES, cold=2),
        q.save_item: cost(1, NEW_ITEM, NEW_SAVE, ALREADY_SAVED),
        q.unsave_item: cost(1, SAVED, NOT_SAVED),
        q.is_saved: cost(1, SAVED, NOT_SAVED),
        # Saves -> Media (the title) -> its stored content type (the kind):
        # no child table joined.
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
        Movie: Admin(changelist=5, add_form=2, cold_changelist=6),
        Anime: Admin(changelist=5, add_form=2, cold_changelist=6),
        Manga: Admin(changelist=5, add_form=2, cold_changelist=6),
        Media: Admin(changelist=5, add_form=2, cold_changelist=6),
        SavedItem: Admin(changelist=5, add_form=4),
    },
    tables=5,
    columns=15,
    integrity={
        # The (user, item) unique constraint.
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        # As for owners: each child table's primary key sees only itself, and
        # the Media row's stored type is a column nothing ties to them.
        MANY_ITEMS: Verdict(
            ACCEPTED, write_save_of_many, refused_by_django=("bulk_create",)
        ),
        NO_ITEM: Verdict(ACCEPTED, write_save_of_nothing),
        # SavedItem.item is a real foreign key.
        MISSING_ITEM: Verdict(REJECTED, write_save_of_missing_item),
        # The kind is the Media row's stored type, another table's column: no
        # CheckConstraint on SavedItem can read it. Only save_item() keeps the
        # extras in place.
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
