"""Declared table and probes for mti.

A person or group is two rows sharing one id: an Owner row, which tasks point
at, and a child row keyed by it. The foreign keys guard every row that is
pointed at, but not how many child rows stand behind an Owner row: one, two (a
person and a group) or none are all the same to the database. The saves domain
has the same shape around Media. owner_o2o is this module's twin: the same
probes, with one-to-ones for parent links. Django's bulk_create() refuses
every child model, so a bulk write of a second child is refused_by_django.
inheritance_manager and polymorphic_models run these same probes: their
schema is this one.
"""

from django.contrib.auth.models import User

from mti import queries as q
from mti.models import (
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
from project.dataset import MEDIA
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
    MISSING_ID,
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
    WRITTEN_AT,
    WRONG_EXTRA,
    Admin,
    Ownership,
    Saves,
    Verdict,
    cost,
    delete_row,
    insert,
    write,
)

# Ownership probes --------------------------------------------------------------
# Each probe takes its models from the world it is given (world.models, the
# app's models module): mti's schema is inheritance_manager's too, and
# polymorphic_models' but for a type column the probes leave NULL, so the
# three apps share these probes.


def write_missing_owner(via, world, case):
    Task = world.models.Task
    existing = world.bob_task if case == "person" else world.group_task
    return write(
        via,
        Task,
        {"description": "dangling", "owner_id": MISSING_ID},
        (Task.objects.filter(pk=existing.pk), {"owner_id": MISSING_ID}),
    )


def write_both_owners(via, world, case):
    Group = world.models.Group
    # A group keyed by Bob's Owner row, so Bob's task has two owners; update:
    # the group moves onto it, leaving its own Owner row (and task) with nobody.
    return write(
        via,
        Group,
        {
            "name": "Bob's twin",
            "creator_id": world.alice.pk,
            "owner_ptr_id": world.bob.pk,
        },
        (Group.objects.filter(pk=world.group.pk), {"owner_ptr_id": world.bob.pk}),
    )


def write_no_owner(via, world, case):
    Owner, Task = world.models.Owner, world.models.Task
    # A task on an Owner row nobody links to; update: Bob's task moves there.
    # Task.owner itself is NOT NULL: the row it reaches can stand for nobody.
    nobody = (
        insert(Owner) if via == "sql" else Owner.objects.bulk_create([Owner()])[0].pk
    )
    return write(
        via,
        Task,
        {"description": "nobody's", "owner_id": nobody},
        (Task.objects.filter(pk=world.bob_task.pk), {"owner_id": nobody}),
    )


def raw_delete_owner(world, case):
    # The child row only: nothing points at it but Group.creator, so its
    # Owner row, and the tasks on it, stay behind.
    owner = world.bob if case == "person" else world.group
    return delete_row(type(owner), owner.pk)


def tasks_of(world, owner):
    Task = world.models.Task
    return list(Task.objects.filter(owner_id=owner.pk))


def invalid_task(world):
    Owner, Task = world.models.Owner, world.models.Task
    # An Owner row with no child: the FK is satisfied, only Task.clean() can
    # see the owner is nobody.
    return Task(description="Owned by nobody", owner=Owner.objects.create())


def admin_bad_task(world):
    Owner, Task = world.models.Owner, world.models.Task
    # The select box lists only Owner rows with a child: a bare one is an
    # invalid choice, a form error either way.
    return Task, {"description": "Owned by nobody", "owner": Owner.objects.create().pk}


def write_group_without_creator(via, world, case):
    Group = world.models.Group
    # A group is a child row keyed by an Owner row of its own; update: the
    # group loses its creator. bulk_create() refuses the child before any SQL.
    owner = insert(Owner) if via == "sql" else None
    return write(
        via,
        Group,
        {"owner_ptr_id": owner, "name": "Nobody's team", "creator_id": None},
        (Group.objects.filter(pk=world.group.pk), {"creator_id": None}),
    )


# Saves probes --------------------------------------------------------------------


def users_save(sworld, kind):
    SavedItem = sworld.models.SavedItem
    return SavedItem.objects.filter(user=sworld.user, item_id=getattr(sworld, kind).pk)


def write_duplicate_save(via, sworld, case):
    SavedItem = sworld.models.SavedItem
    # update: the user's save of another kind moves onto this kind's Media
    # row, its extras cleared.
    other = "anime" if case == "movie" else "movie"
    item_id = getattr(sworld, case).pk
    return write(
        via,
        SavedItem,
        {"user_id": sworld.user.pk, "item_id": item_id, "created": WRITTEN_AT},
        (
            users_save(sworld, other),
            {"item_id": item_id, "episode_progress": None, "watched": None},
        ),
    )


def write_save_of_many(via, sworld, case):
    kinds = {
        "movie": sworld.models.Movie,
        "anime": sworld.models.Anime,
        "manga": sworld.models.Manga,
    }
    # The first kind's Media row has the other kinds' child rows too: new
    # ones, or (update) the saved ones moved onto it, leaving their own Media
    # rows, and saves, with no child.
    first, *others = case.split("+")
    host = getattr(sworld, first).pk
    written = 0
    for kind in others:
        media = getattr(sworld, kind)
        row = {MEDIA[kind][0]: 1, "media_ptr_id": host}
        written += bool(
            write(
                via,
                kinds[kind],
                row,
                (kinds[kind].objects.filter(pk=media.pk), {"media_ptr_id": host}),
            )
        )
    return written


def write_save_of_nothing(via, sworld, case):
    Media, SavedItem = sworld.models.Media, sworld.models.SavedItem
    # A save on a Media row with no child; update: the manga save moves there.
    title = {"title": "No kind at all"}
    nothing = (
        insert(Media, **title)
        if via == "sql"
        else Media.objects.bulk_create([Media(**title)])[0].pk
    )
    return write(
        via,
        SavedItem,
        {"user_id": sworld.other.pk, "item_id": nothing, "created": WRITTEN_AT},
        (users_save(sworld, "manga"), {"item_id": nothing}),
    )


def write_save_of_missing_item(via, sworld, case):
    SavedItem = sworld.models.SavedItem
    return write(
        via,
        SavedItem,
        {"user_id": sworld.other.pk, "item_id": MISSING_ID, "created": WRITTEN_AT},
        (users_save(sworld, case), {"item_id": MISSING_ID}),
    )


EXTRAS = {
    "progress on movie": ("movie", {"episode_progress": 7}),
    "progress on manga": ("manga", {"episode_progress": 7}),
    "watched on anime": ("anime", {"watched": True}),
    "watched on manga": ("manga", {"watched": True}),
}


def write_wrong_extra(via, sworld, case):
    SavedItem = sworld.models.SavedItem
    # A save the other user hasn't got yet, so no unique index answers first.
    kind, extra = EXTRAS[case]
    row = {"user_id": sworld.other.pk, "item_id": getattr(sworld, kind).pk}
    return write(
        via,
        SavedItem,
        {**row, "created": WRITTEN_AT, **extra},
        (users_save(sworld, kind), extra),
    )


def raw_delete_item(sworld, case):
    # The child row only: nothing points at it, so its Media row and the
    # saves on it stay behind.
    item = getattr(sworld, case)
    return delete_row(type(item), item.pk)


def raw_delete_user(sworld, case):
    return delete_row(User, sworld.user.pk)


def saves_of(sworld, target):
    SavedItem = sworld.models.SavedItem
    if isinstance(target, User):
        return list(SavedItem.objects.filter(user=target))
    return list(SavedItem.objects.filter(item_id=target.pk))


def invalid_save(sworld):
    Media, SavedItem = sworld.models.Media, sworld.models.SavedItem
    # A save on a Media row with no child: only SavedItem.clean() objects.
    return SavedItem(user=sworld.other, item=Media.objects.create(title="?"))


def admin_bad_save(sworld):
    Media, SavedItem = sworld.models.Media, sworld.models.SavedItem
    bare = Media.objects.create(title="No kind at all")
    return SavedItem, {"user": sworld.other.pk, "item": bare.pk}


def write_media_without_its_field(via, sworld, case):
    Media = sworld.models.Media
    kinds = {
        "movie": sworld.models.Movie,
        "anime": sworld.models.Anime,
        "manga": sworld.models.Manga,
    }
    model, field = kinds[case], MEDIA[case][0]
    media = insert(Media, title="Unnumbered") if via == "sql" else None
    return write(
        via,
        model,
        {"media_ptr_id": media, field: None},
        (model.objects.filter(pk=getattr(sworld, case).pk), {field: None}),
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
    # 1 + per person task 3 (Owner, the group table asked and found empty,
    # Person) + per group task 3 (Owner, Group, creator): 12 and 120 tasks,
    # half of each kind. FETCH_PEERS: tasks, Owner rows, persons, groups,
    # creators.
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
