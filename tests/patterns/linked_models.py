"""Declared table and probes for linked_models.

A task table per owner type and a saved table per kind, each row with one
non-null foreign key: "both" and "neither" have no columns to be written in,
and each extra exists only in its own kind's table.
"""

from django.contrib.auth.models import User

from linked_models import queries as q
from linked_models.models import (
    Anime,
    CombinedTask,
    Group,
    GroupTask,
    Manga,
    Movie,
    Person,
    PersonTask,
    SavedAnime,
    SavedManga,
    SavedMovie,
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
    Situation,
    Verdict,
    cost,
    delete_row,
    unrepresentable,
    write,
)

TASKS = {"person": PersonTask, "group": GroupTask}
SAVES_OF_KIND = {"movie": SavedMovie, "anime": SavedAnime, "manga": SavedManga}
KINDS = {"movie": Movie, "anime": Anime, "manga": Manga}

# Ownership probes --------------------------------------------------------------


def write_missing_owner(via, world, case):
    existing = world.bob_task if case == "person" else world.group_task
    return write(
        via,
        TASKS[case],
        {"description": "dangling", "owner_id": MISSING_ID},
        (TASKS[case].objects.filter(pk=existing.pk), {"owner_id": MISSING_ID}),
    )


def write_no_owner(via, world, case):
    return write(
        via,
        PersonTask,
        {"description": "nobody's", "owner_id": None},
        (PersonTask.objects.filter(pk=world.bob_task.pk), {"owner_id": None}),
    )


def raw_delete_owner(world, case):
    owner = world.bob if case == "person" else world.group
    return delete_row(type(owner), owner.pk)


def tasks_of(world, owner):
    return list(owner.tasks.all())


def invalid_task(world):
    return PersonTask(description="Nobody's")


def admin_bad_task(world):
    return PersonTask, {"description": "Owned by a ghost", "owner": MISSING_ID}


def write_group_without_creator(via, world, case):
    return write(
        via,
        Group,
        {"name": "Nobody's team", "creator_id": None},
        (Group.objects.filter(pk=world.group.pk), {"creator_id": None}),
    )


# Saves probes --------------------------------------------------------------------


def write_duplicate_save(via, sworld, case):
    # update: the user's save of a second item of the kind, pointed at the
    # first one.
    model, item = SAVES_OF_KIND[case], getattr(sworld, case)
    second = None
    if via == "update":
        second = KINDS[case].objects.create(title="Second", **{MEDIA[case][0]: 1})
        model.objects.create(user=sworld.user, item=second)
    return write(
        via,
        model,
        {"user_id": sworld.user.pk, "item_id": item.pk, "created": WRITTEN_AT},
        (model.objects.filter(item=second), {"item_id": item.pk}),
    )


def write_save_of_nothing(via, sworld, case):
    return write(
        via,
        SavedManga,
        {"user_id": sworld.other.pk, "item_id": None, "created": WRITTEN_AT},
        (SavedManga.objects.filter(user=sworld.user), {"item_id": None}),
    )


def write_save_of_missing_item(via, sworld, case):
    model = SAVES_OF_KIND[case]
    return write(
        via,
        model,
        {"user_id": sworld.other.pk, "item_id": MISSING_ID, "created": WRITTEN_AT},
        (model.objects.filter(user=sworld.user), {"item_id": MISSING_ID}),
    )


def raw_delete_item(sworld, case):
    item = getattr(sworld, case)
    return delete_row(type(item), item.pk)


def raw_delete_user(sworld, case):
    return delete_row(User, sworld.user.pk)


def saves_of(sworld, target):
    if isinstance(target, User):
        return [
            save
            for model in SAVES_OF_KIND.values()
            for save in model.objects.filter(user=target)
        ]
    return list(target.saves.all())


def invalid_save(sworld):
    return SavedMovie(user=sworld.other)


def admin_bad_save(sworld):
    return SavedMovie, {"user": sworld.other.pk, "item": MISSING_ID}


def write_media_without_its_field(via, sworld, case):
    model, field = KINDS[case], MEDIA[case][0]
    return write(
        via,
        model,
        {"title": "Unnumbered", field: None},
        (model.objects.filter(pk=getattr(sworld, case).pk), {field: None}),
    )


# The declarations --------------------------------------------------------------

OWNERSHIP = Ownership(
    costs={
        q.create_person: cost(1, A_NAME),
        q.create_group: cost(1, A_GROUP_NAME),
        q.create_task: cost(1, FIRST_TASK, LATER_TASK),
        q.owner_of: cost(1, OF_A_PERSONS_TASK, OF_A_GROUPS_TASK),
        # A UNION ALL of both task tables, each with its owner (and the
        # group's creator) joined; the database orders the combined rows.
        q.task_rows: cost(1, EVERY_TASK),
        q.task_page: cost(1, FIRST_PAGE),
        # The page's keys from the UNION, then each table's rows with owners.
        q.task_page_prefetched: cost(3, FIRST_PAGE),
        # A COUNT per task table.
        q.task_counts: cost(2, EVERY_TASK),
        q.tasks_owned_by: cost(1, BOBS),
        # Only the group task table can hold such tasks.
        q.tasks_of_groups_created_by: cost(1, ALICES_GROUPS),
        q.delete_owner: cost({A_GROUP: 2, A_PERSON: 3, A_CREATOR: 5}),
        # Outside the contract: the article's function taking a model class,
        # and the UNION builder (lazy, a query when evaluated).
        q.tasks_matching: cost(1, Situation("", lambda w, f: f(PersonTask, "task"))),
        q.task_union: cost(0, Situation("", lambda w, f: f("description"))),
        q.create_persons: cost(1, TWO_NAMES),
    },
    # 2 (one per table) + 1 per task (owner) + 1 per group task (creator):
    # 2 + 12 + 6 and 2 + 120 + 60. FETCH_PEERS batches each: 2 tables, the
    # persons, the groups, their creators.
    naive_fetch_one=(20, 182),
    naive_fetch_peers=(5, 5),
    admin={
        Person: Admin(changelist=5, add_form=2),
        Group: Admin(changelist=5, add_form=3),
        # The page with its owner (and creator) joined; the add form lists
        # the one owner table.
        PersonTask: Admin(changelist=5, add_form=3),
        GroupTask: Admin(changelist=5, add_form=3),
        # Read-only: session, user, one COUNT(*) over the UNION (no separate
        # unfiltered total), the page of the UNION. No add form.
        CombinedTask: Admin(changelist=4, add_form=None),
    },
    tables=4,
    columns=11,
    integrity={
        MISSING_OWNER: Verdict(REJECTED, write_missing_owner),
        BOTH_OWNERS: unrepresentable(
            "each task table has one owner column, to one owner table"
        ),
        # The owner column is NOT NULL.
        NO_OWNER: Verdict(REJECTED, write_no_owner),
        # A column every group has: NOT NULL.
        GROUP_WITHOUT_CREATOR: Verdict(REJECTED, write_group_without_creator),
        RAW_DELETE_OWNER: Verdict(REJECTED, raw_delete_owner),
        ORM_DELETE_OWNER: Verdict(CASCADED),
        PROTECTED_DELETE_OWNER: Verdict(
            PROTECTED,
            protect=(
                PersonTask._meta.get_field("owner"),
                GroupTask._meta.get_field("owner"),
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
        # The INSERT into the kind's table; a repeat is refused by its unique
        # constraint.
        q.save_item: cost(1, NEW_ITEM, NEW_SAVE, ALREADY_SAVED),
        q.unsave_item: cost(1, SAVED, NOT_SAVED),
        q.is_saved: cost(1, SAVED, NOT_SAVED),
        # A UNION ALL of the three saved tables, titles joined.
        q.saved_feed: cost(1, FEED_PAGE),
        # COUNT(*) over the UNION ALL.
        q.saved_count: cost(1, USERS_SAVES),
        q.set_progress: cost(1, PROGRESS),
        q.progress: cost(1, ANIME_SAVE),
        q.set_watched: cost(1, WATCHED),
        q.delete_media: cost({A_SAVED_ITEM: 2, AN_UNSAVED_ITEM: 2}),
    },
    feed_newest_first=True,
    feed_ties="by kind, then the order saved",
    extras=True,
    admin={
        Movie: Admin(changelist=5, add_form=2),
        Anime: Admin(changelist=5, add_form=2),
        Manga: Admin(changelist=5, add_form=2),
        SavedMovie: Admin(changelist=5, add_form=4),
        SavedAnime: Admin(changelist=5, add_form=4),
        SavedManga: Admin(changelist=5, add_form=4),
    },
    tables=6,
    columns=23,
    integrity={
        # Each saved table's (user, item) unique constraint.
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        MANY_ITEMS: unrepresentable("each saved table has one item column"),
        # The item column is NOT NULL.
        NO_ITEM: Verdict(REJECTED, write_save_of_nothing),
        MISSING_ITEM: Verdict(REJECTED, write_save_of_missing_item),
        WRONG_EXTRA: unrepresentable(
            "each extra's column exists only in its own kind's saved table"
        ),
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
