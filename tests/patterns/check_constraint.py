"""Declared table and probes for check_constraint.

nullable_fks' columns plus an owner_type and CheckConstraints: every bad
combination is the database's to refuse. The saves tables are nullable_fks'
with constraints added, so its saves probes attack them unchanged; the task
probes set owner_type, so each breaks only the rule it means to.
"""

from django.contrib.auth.models import User

from check_constraint import queries as q
from check_constraint.models import (
    Anime,
    Group,
    Manga,
    Movie,
    OwnerType,
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
    WRONG_EXTRA,
    Admin,
    Ownership,
    Saves,
    Verdict,
    cost,
    delete_row,
    write,
)
from tests.patterns.nullable_fks import (
    raw_delete_item,
    raw_delete_user,
    write_duplicate_save,
    write_media_without_its_field,
    write_save_of_many,
    write_save_of_missing_item,
    write_save_of_nothing,
    write_wrong_extra,
)

# Ownership probes --------------------------------------------------------------


def write_missing_owner(via, world, case):
    column = f"owner_{case}_id"
    existing = world.bob_task if case == "person" else world.group_task
    return write(
        via,
        Task,
        {"description": "dangling", "owner_type": case, column: MISSING_ID},
        (Task.objects.filter(pk=existing.pk), {column: MISSING_ID}),
    )


def write_both_owners(via, world, case):
    return write(
        via,
        Task,
        {
            "description": "everyone's",
            "owner_type": OwnerType.PERSON,
            "owner_person_id": world.bob.pk,
            "owner_group_id": world.group.pk,
        },
        (Task.objects.filter(pk=world.bob_task.pk), {"owner_group": world.group}),
    )


def write_no_owner(via, world, case):
    return write(
        via,
        Task,
        {"description": "nobody's", "owner_type": OwnerType.PERSON},
        (Task.objects.filter(pk=world.bob_task.pk), {"owner_person": None}),
    )


def raw_delete_owner(world, case):
    owner = world.bob if case == "person" else world.group
    return delete_row(type(owner), owner.pk)


def tasks_of(world, owner):
    return list(owner.tasks.all())


def invalid_task(world):
    return Task(description="Nobody's", owner_type=OwnerType.PERSON)


def admin_bad_task(world):
    # A person-type task pointing at a group: the constraint's own message.
    data = {"description": "Misfiled", "owner_type": OwnerType.PERSON}
    return Task, {**data, "owner_group": world.group.pk}


def write_group_without_creator(via, world, case):
    return write(
        via,
        Group,
        {"name": "Nobody's team", "creator_id": None},
        (Group.objects.filter(pk=world.group.pk), {"creator_id": None}),
    )


# Saves probes --------------------------------------------------------------------
# nullable_fks' probes, run against this app's SavedItem (they read it off the
# world): the same columns, now under constraints.


def saves_of(sworld, target):
    if isinstance(target, User):
        return list(target.check_constraint_saveditem_set.all())
    return list(target.saves.all())


def invalid_save(sworld):
    return SavedItem(user=sworld.other)


def admin_bad_save(sworld):
    return SavedItem, {"user": sworld.other.pk}


# The declarations --------------------------------------------------------------

OWNERSHIP = Ownership(
    costs={
        q.create_person: cost(1, A_NAME),
        q.create_group: cost(1, A_GROUP_NAME),
        q.create_task: cost(1, FIRST_TASK, LATER_TASK),
        q.owner_of: cost(1, OF_A_PERSONS_TASK, OF_A_GROUPS_TASK),
        # Both owner tables and the group's creator LEFT OUTER JOINed.
        q.task_rows: cost(1, EVERY_TASK),
        q.task_page: cost(1, FIRST_PAGE),
        # The page, the persons on it, the groups with their creators joined.
        q.task_page_prefetched: cost(3, FIRST_PAGE),
        q.task_counts: cost(1, EVERY_TASK),
        q.tasks_owned_by: cost(1, BOBS),
        q.tasks_of_groups_created_by: cost(1, ALICES_GROUPS),
        # A query per table the ORM's cascade collects.
        q.delete_owner: cost({A_GROUP: 2, A_PERSON: 3, A_CREATOR: 5}),
        q.create_persons: cost(1, TWO_NAMES),
    },
    # 1 + 1 per person task (its owner) + 2 per group task (owner, creator):
    # 1 + 6 + 12 at 3 owners per kind, 1 + 60 + 120 at 30. FETCH_PEERS loads
    # each relation once for the whole result: tasks, persons, groups, creators.
    naive_fetch_one=(19, 181),
    naive_fetch_peers=(4, 4),
    admin={
        Person: Admin(changelist=5, add_form=2),
        Group: Admin(changelist=5, add_form=3),
        # Session, user, two COUNTs, the page with both owners joined in; the
        # add form lists persons and groups.
        Task: Admin(changelist=5, add_form=4),
    },
    tables=3,
    columns=10,
    integrity={
        # Real FKs: the deferred constraint check refuses the id.
        MISSING_OWNER: Verdict(REJECTED, write_missing_owner),
        # The CheckConstraint: the type's FK set, the other one NULL.
        BOTH_OWNERS: Verdict(REJECTED, write_both_owners),
        NO_OWNER: Verdict(REJECTED, write_no_owner),
        # A column every group has: NOT NULL.
        GROUP_WITHOUT_CREATOR: Verdict(REJECTED, write_group_without_creator),
        # The FK refuses to leave a task pointing at nothing.
        RAW_DELETE_OWNER: Verdict(REJECTED, raw_delete_owner),
        # on_delete=CASCADE: the ORM deletes the task first.
        ORM_DELETE_OWNER: Verdict(CASCADED),
        PROTECTED_DELETE_OWNER: Verdict(
            PROTECTED,
            protect=(
                Task._meta.get_field("owner_person"),
                Task._meta.get_field("owner_group"),
            ),
        ),
    },
    dependants=tasks_of,
    invalid=invalid_task,
    admin_bad_add=admin_bad_task,
)

SAVES = Saves(
    costs={
        q.create_media: cost(1, A_MANGA),
        q.get_media: cost(1, AN_ANIME),
        q.list_media: cost(1, MOVIES),
        # The INSERT; a repeat is refused by the kind's unique constraint.
        q.save_item: cost(1, NEW_ITEM, NEW_SAVE, ALREADY_SAVED),
        q.unsave_item: cost(1, SAVED, NOT_SAVED),
        q.is_saved: cost(1, SAVED, NOT_SAVED),
        # The three item tables LEFT OUTER JOINed, ordered and sliced.
        q.saved_feed: cost(1, FEED_PAGE),
        q.saved_count: cost(1, USERS_SAVES),
        q.set_progress: cost(1, PROGRESS),
        q.progress: cost(1, ANIME_SAVE),
        q.set_watched: cost(1, WATCHED),
        # The item's saves, then the item.
        q.delete_media: cost({A_SAVED_ITEM: 2, AN_UNSAVED_ITEM: 2}),
    },
    feed_newest_first=True,
    feed_ties="in the order saved",
    extras=True,
    admin={
        Movie: Admin(changelist=5, add_form=2),
        Anime: Admin(changelist=5, add_form=2),
        Manga: Admin(changelist=5, add_form=2),
        # The add form lists users and each kind's items: a query each.
        SavedItem: Admin(changelist=5, add_form=6),
    },
    tables=4,
    columns=17,
    integrity={
        # The per-kind partial unique constraint.
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        # The CheckConstraint counting non-null item columns: exactly one.
        MANY_ITEMS: Verdict(REJECTED, write_save_of_many),
        NO_ITEM: Verdict(REJECTED, write_save_of_nothing),
        # Real FKs, as for owners.
        MISSING_ITEM: Verdict(REJECTED, write_save_of_missing_item),
        # Two CheckConstraints: progress only with an anime, watched only
        # with a movie.
        WRONG_EXTRA: Verdict(REJECTED, write_wrong_extra),
        # Each kind's table has its own field, NOT NULL.
        MEDIA_WITHOUT_ITS_FIELD: Verdict(REJECTED, write_media_without_its_field),
        RAW_DELETE_ITEM: Verdict(REJECTED, raw_delete_item),
        ORM_DELETE_ITEM: Verdict(CASCADED),
        RAW_DELETE_USER: Verdict(REJECTED, raw_delete_user),
        ORM_DELETE_USER: Verdict(CASCADED),
    },
    dependants=saves_of,
    invalid=invalid_save,
    admin_bad_add=admin_bad_save,
)
