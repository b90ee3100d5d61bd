"""Declared table and probes for typed_models.

Every owner is a row of one Owner table and every media item a row of one
Media table, each with a `type` column. One row has one type, so "both" can't
be written; but each kind's own field is a column of every row, NULL-able, so
the database stores a group with no creator and a movie with no year.
"""

from django.contrib.auth.models import User

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
    unrepresentable,
    write,
)
from typed_models import queries as q
from typed_models.models import (
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

KINDS = {"movie": Movie, "anime": Anime, "manga": Manga}

# Ownership probes --------------------------------------------------------------


def write_missing_owner(via, world, case):
    existing = world.bob_task if case == "person" else world.group_task
    return write(
        via,
        Task,
        {"description": "dangling", "owner_id": MISSING_ID},
        (Task.objects.filter(pk=existing.pk), {"owner_id": MISSING_ID}),
    )


def write_no_owner(via, world, case):
    return write(
        via,
        Task,
        {"description": "nobody's", "owner_id": None},
        (Task.objects.filter(pk=world.bob_task.pk), {"owner_id": None}),
    )


def write_group_without_creator(via, world, case):
    return write(
        via,
        Group,
        {"type": Group._typedmodels_type, "name": "Nobody's team", "creator_id": None},
        (Group.objects.filter(pk=world.group.pk), {"creator_id": None}),
    )


def raw_delete_owner(world, case):
    owner = world.bob if case == "person" else world.group
    return delete_row(Owner, owner.pk)


def tasks_of(world, owner):
    return list(Task.objects.filter(owner_id=owner.pk))


def invalid_group(world):
    # A group with no creator: the column allows it, only full_clean() objects.
    return Group(name="Nobody's team")


def admin_bad_group(world):
    return Group, {"name": "Nobody's team"}


# Saves probes --------------------------------------------------------------------


def users_save(sworld, kind):
    return SavedItem.objects.filter(user=sworld.user, item_id=getattr(sworld, kind).pk)


def write_duplicate_save(via, sworld, case):
    # update: the user's save of another kind moves onto this kind's item,
    # its extras cleared.
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


def write_save_of_nothing(via, sworld, case):
    return write(
        via,
        SavedItem,
        {"user_id": sworld.other.pk, "item_id": None, "created": WRITTEN_AT},
        (users_save(sworld, "manga"), {"item_id": None}),
    )


def write_save_of_missing_item(via, sworld, case):
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
    # A save the other user hasn't got yet, so no unique index answers first.
    kind, extra = EXTRAS[case]
    row = {"user_id": sworld.other.pk, "item_id": getattr(sworld, kind).pk}
    return write(
        via,
        SavedItem,
        {**row, "created": WRITTEN_AT, **extra},
        (users_save(sworld, kind), extra),
    )


def write_media_without_its_field(via, sworld, case):
    model, field = KINDS[case], MEDIA[case][0]
    return write(
        via,
        model,
        {"type": model._typedmodels_type, "title": "Unnumbered", field: None},
        (model.objects.filter(pk=getattr(sworld, case).pk), {field: None}),
    )


def raw_delete_item(sworld, case):
    return delete_row(Media, getattr(sworld, case).pk)


def raw_delete_user(sworld, case):
    return delete_row(User, sworld.user.pk)


def saves_of(sworld, target):
    if isinstance(target, User):
        return list(SavedItem.objects.filter(user=target))
    return list(SavedItem.objects.filter(item_id=target.pk))


def invalid_save(sworld):
    return SavedItem(user=sworld.other)


def admin_bad_save(sworld):
    return SavedItem, {"user": sworld.other.pk, "item": MISSING_ID}


# The declarations --------------------------------------------------------------

OWNERSHIP = Ownership(
    costs={
        # An INSERT into the one Owner table, with the type.
        q.create_person: cost(1, A_NAME),
        q.create_group: cost(1, A_GROUP_NAME),
        q.create_task: cost(1, FIRST_TASK, LATER_TASK),
        # The Owner row, built as the class its type names.
        q.owner_of: cost(1, OF_A_PERSONS_TASK, OF_A_GROUPS_TASK),
        # Task -> Owner (kind and name in one row) -> the creator's row.
        q.task_rows: cost(1, EVERY_TASK),
        q.task_page: cost(1, FIRST_PAGE),
        # The page, then its Owner rows with the creators joined.
        q.task_page_prefetched: cost(2, FIRST_PAGE),
        q.task_counts: cost(1, EVERY_TASK),
        q.tasks_owned_by: cost(1, BOBS),
        q.tasks_of_groups_created_by: cost(1, ALICES_GROUPS),
        # A query per table the collector goes through, the Owner table's
        # creator link to itself included: even for a group, which can't be
        # a creator, the collector asks.
        # MariaDB can't defer the creator key, so Django first sets the
        # created groups' creator to NULL: one UPDATE more.
        q.delete_owner: cost(
            {A_GROUP: 3, A_PERSON: 3, A_CREATOR: 6}, on={"mysql": {A_CREATOR: 7}}
        ),
        q.create_persons: cost(1, TWO_NAMES),
    },
    # 1 + 1 per task (its Owner row) + 1 per group task (the creator's row).
    # FETCH_PEERS: tasks, owners, creators.
    naive_fetch_one=(19, 181),
    naive_fetch_peers=(3, 3),
    admin={
        Person: Admin(changelist=5, add_form=2),
        Group: Admin(changelist=5, add_form=3),
        Owner: Admin(changelist=5, add_form=None),
        # The page with its owner row joined; the add form lists the owners.
        Task: Admin(changelist=5, add_form=3),
    },
    tables=2,
    columns=7,
    integrity={
        # Task.owner is a real foreign key, to the one owner table.
        MISSING_OWNER: Verdict(REJECTED, write_missing_owner),
        BOTH_OWNERS: unrepresentable("one owner row has one type"),
        NO_OWNER: Verdict(REJECTED, write_no_owner),
        # creator is every owner row's column, so NULL-able: only
        # full_clean() and forms ask a group for one.
        GROUP_WITHOUT_CREATOR: Verdict(ACCEPTED, write_group_without_creator),
        # The task's FK refuses to point at nothing.
        RAW_DELETE_OWNER: Verdict(REJECTED, raw_delete_owner),
        ORM_DELETE_OWNER: Verdict(CASCADED),
        PROTECTED_DELETE_OWNER: Verdict(
            PROTECTED, protect=(Task._meta.get_field("owner"),)
        ),
    },
    dependants=tasks_of,
    invalid=invalid_group,
    admin_bad_add=admin_bad_group,
)

SAVES = Saves(
    costs={
        q.create_media: cost(1, A_MANGA),
        q.get_media: cost(1, AN_ANIME),
        q.list_media: cost(1, MOVIES),
        q.save_item: cost(1, NEW_ITEM, NEW_SAVE, ALREADY_SAVED),
        q.unsave_item: cost(1, SAVED, NOT_SAVED),
        q.is_saved: cost(1, SAVED, NOT_SAVED),
        # Saves -> the one Media table: its type and title.
        q.saved_feed: cost(1, FEED_PAGE),
        q.saved_count: cost(1, USERS_SAVES),
        q.set_progress: cost(1, PROGRESS),
        q.progress: cost(1, ANIME_SAVE),
        q.set_watched: cost(1, WATCHED),
        # The item's saves, then its Media row.
        q.delete_media: cost({A_SAVED_ITEM: 2, AN_UNSAVED_ITEM: 2}),
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
    tables=2,
    columns=12,
    integrity={
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        MANY_ITEMS: unrepresentable("one media row has one type"),
        NO_ITEM: Verdict(REJECTED, write_save_of_nothing),
        MISSING_ITEM: Verdict(REJECTED, write_save_of_missing_item),
        # The kind is Media.type, another table's column: no CheckConstraint
        # on SavedItem can read it.
        WRONG_EXTRA: Verdict(ACCEPTED, write_wrong_extra),
        # Each kind's own field is every Media row's column, NULL-able.
        MEDIA_WITHOUT_ITS_FIELD: Verdict(ACCEPTED, write_media_without_its_field),
        RAW_DELETE_ITEM: Verdict(REJECTED, raw_delete_item),
        ORM_DELETE_ITEM: Verdict(CASCADED),
        RAW_DELETE_USER: Verdict(REJECTED, raw_delete_user),
        ORM_DELETE_USER: Verdict(CASCADED),
    },
    dependants=saves_of,
    invalid=invalid_save,
    admin_bad_add=admin_bad_save,
)
