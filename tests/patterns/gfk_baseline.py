"""Declared table and probes for gfk_baseline.

owner_id and item_id are bare integers: the database checks that the content
type exists, and nothing else. Each target's GenericRelation (with its
related_query_name) gives the ORM its joins and its cascades, never the
database.
"""

from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType

from gfk_baseline import queries as q
from gfk_baseline.models import Anime, Group, Manga, Movie, Person, SavedItem, Task
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

OWNERS = {"person": Person, "group": Group}
KINDS = {"movie": Movie, "anime": Anime, "manga": Manga}


def ct(model) -> int:
    return ContentType.objects.get_for_model(model).pk


# Ownership probes --------------------------------------------------------------


def write_missing_owner(via, world, case):
    existing = world.bob_task if case == "person" else world.group_task
    return write(
        via,
        Task,
        {
            "description": "dangling",
            "owner_type_id": ct(OWNERS[case]),
            "owner_id": MISSING_ID,
        },
        (Task.objects.filter(pk=existing.pk), {"owner_id": MISSING_ID}),
    )


def write_no_owner(via, world, case):
    return write(
        via,
        Task,
        {"description": "nobody's", "owner_type_id": None, "owner_id": None},
        (Task.objects.filter(pk=world.bob_task.pk), {"owner_id": None}),
    )


def raw_delete_owner(world, case):
    owner = world.bob if case == "person" else world.group
    return delete_row(type(owner), owner.pk)


def tasks_of(world, owner):
    return list(owner.tasks.all())


def invalid_task(world):
    # The content type is valid, the id points at no person.
    return Task(
        description="Owned by a ghost", owner_type_id=ct(Person), owner_id=MISSING_ID
    )


def admin_bad_task(world):
    return Task, {
        "description": "Owned by a ghost",
        "owner_type": ct(Person),
        "owner_id": MISSING_ID,
    }


def write_group_without_creator(via, world, case):
    return write(
        via,
        Group,
        {"name": "Nobody's team", "creator_id": None},
        (Group.objects.filter(pk=world.group.pk), {"creator_id": None}),
    )


# Saves probes --------------------------------------------------------------------


def save_row(sworld, user, kind, **extra):
    item = getattr(sworld, kind)
    return {
        "user_id": user.pk,
        "item_type_id": ct(KINDS[kind]),
        "item_id": item.pk,
        "created": WRITTEN_AT,
        **extra,
    }


def users_save(sworld, kind):
    return SavedItem.objects.filter(user=sworld.user, item_type_id=ct(KINDS[kind]))


def write_duplicate_save(via, sworld, case):
    # update: the user's save of another kind is pointed at this kind's item.
    other = "anime" if case == "movie" else "movie"
    item = getattr(sworld, case)
    return write(
        via,
        SavedItem,
        save_row(sworld, sworld.user, case),
        (
            users_save(sworld, other),
            {"item_type_id": ct(KINDS[case]), "item_id": item.pk},
        ),
    )


def write_save_of_nothing(via, sworld, case):
    return write(
        via,
        SavedItem,
        {"user_id": sworld.other.pk, "created": WRITTEN_AT},
        (users_save(sworld, "movie"), {"item_id": None}),
    )


def write_save_of_missing_item(via, sworld, case):
    return write(
        via,
        SavedItem,
        {**save_row(sworld, sworld.other, case), "item_id": MISSING_ID},
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
    return write(
        via,
        SavedItem,
        save_row(sworld, sworld.other, kind, **extra),
        (users_save(sworld, kind), extra),
    )


def raw_delete_item(sworld, case):
    item = getattr(sworld, case)
    return delete_row(type(item), item.pk)


def raw_delete_user(sworld, case):
    return delete_row(User, sworld.user.pk)


def saves_of(sworld, target):
    if isinstance(target, User):
        return list(SavedItem.objects.filter(user=target))
    return list(target.saves.all())


def invalid_save(sworld):
    # A save of a user account: the drop-down wouldn't offer it, the database
    # would take it.
    return SavedItem(user=sworld.other, item_type_id=ct(User), item_id=sworld.user.pk)


def admin_bad_save(sworld):
    return SavedItem, {
        "user": sworld.other.pk,
        "item_type": ct(Movie),
        "item_id": MISSING_ID,
    }


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
        # The content type of the owner: cached, or one more query cold.
        q.create_task: cost(1, FIRST_TASK, LATER_TASK, cold=2),
        q.owner_of: cost(1, OF_A_PERSONS_TASK, OF_A_GROUPS_TASK, cold=2),
        # Both owner tables joined through the GenericRelations; their join
        # conditions name each content type, read from the cache (or, cold,
        # one query each).
        q.task_rows: cost(1, EVERY_TASK, cold=3),
        q.task_page: cost(1, FIRST_PAGE, cold=3),
        # The page, then GenericPrefetch's query per owner type on it.
        q.task_page_prefetched: cost(3, FIRST_PAGE, cold=5),
        q.task_counts: cost(1, EVERY_TASK, cold=3),
        q.tasks_owned_by: cost(1, BOBS, cold=2),
        q.tasks_of_groups_created_by: cost(1, ALICES_GROUPS, cold=2),
        # A query per table the ORM collects through: the task table, then
        # the owner; for a creator also their groups and those groups' tasks.
        # Cold, one more per content type the GenericRelations ask for.
        q.delete_owner: cost(
            {A_GROUP: 2, A_PERSON: 3, A_CREATOR: 5},
            cold={A_GROUP: 3, A_PERSON: 4, A_CREATOR: 7},
        ),
        q.create_persons: cost(1, TWO_NAMES),
    },
    # 1 + 1 per task (its owner) + 1 per group task (its creator); FETCH_PEERS
    # loads each relation once for the whole result: tasks, persons, groups,
    # creators.
    naive_fetch_one=(19, 181),
    naive_fetch_peers=(4, 4),
    admin={
        Person: Admin(changelist=5, add_form=2),
        Group: Admin(changelist=5, add_form=3),
        # Session, user, two COUNTs, the page with both owner tables joined
        # through the GenericRelations. The add form lists the content types.
        Task: Admin(changelist=5, add_form=3, cold_changelist=7),
    },
    tables=3,
    columns=9,
    integrity={
        # No foreign key on owner_id: any integer will do.
        MISSING_OWNER: Verdict(ACCEPTED, write_missing_owner),
        BOTH_OWNERS: unrepresentable("one (owner_type, owner_id) pair holds one owner"),
        # The two columns are NOT NULL.
        NO_OWNER: Verdict(REJECTED, write_no_owner),
        # A column every group has: NOT NULL.
        GROUP_WITHOUT_CREATOR: Verdict(REJECTED, write_group_without_creator),
        # Nothing in the database points at a person: the tasks stay.
        RAW_DELETE_OWNER: Verdict(ACCEPTED, raw_delete_owner),
        # The GenericRelation makes the ORM delete the tasks first.
        ORM_DELETE_OWNER: Verdict(CASCADED),
        # A GenericRelation has no on_delete to set: it always cascades.
        PROTECTED_DELETE_OWNER: Verdict(CASCADED),
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
        # The INSERT; a repeat is refused by the unique constraint. The item's
        # content type comes from the cache.
        q.save_item: cost(1, NEW_ITEM, NEW_SAVE, ALREADY_SAVED, cold=2),
        q.unsave_item: cost(1, SAVED, NOT_SAVED, cold=2),
        q.is_saved: cost(1, SAVED, NOT_SAVED, cold=2),
        # The three item tables joined through their GenericRelations.
        q.saved_feed: cost(1, FEED_PAGE, cold=4),
        q.saved_count: cost(1, USERS_SAVES),
        q.set_progress: cost(1, PROGRESS, cold=2),
        q.progress: cost(1, ANIME_SAVE, cold=2),
        q.set_watched: cost(1, WATCHED, cold=2),
        # The saves (through the GenericRelation), then the item.
        q.delete_media: cost({A_SAVED_ITEM: 2, AN_UNSAVED_ITEM: 2}, cold=3),
    },
    feed_newest_first=True,
    feed_ties="in the order saved",
    extras=True,
    admin={
        Movie: Admin(changelist=5, add_form=2),
        Anime: Admin(changelist=5, add_form=2),
        Manga: Admin(changelist=5, add_form=2),
        # The page with its users and the three item tables joined.
        SavedItem: Admin(changelist=5, add_form=4, cold_changelist=8),
    },
    tables=4,
    columns=16,
    integrity={
        # The (user, item_type, item_id) unique constraint.
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        MANY_ITEMS: unrepresentable("one (item_type, item_id) pair holds one item"),
        NO_ITEM: Verdict(REJECTED, write_save_of_nothing),
        MISSING_ITEM: Verdict(ACCEPTED, write_save_of_missing_item),
        # The kind is item_type, a row in another table: no CheckConstraint
        # can read it, so only save_item() keeps the extras in place.
        WRONG_EXTRA: Verdict(ACCEPTED, write_wrong_extra),
        # Each kind's table has its own field, NOT NULL.
        MEDIA_WITHOUT_ITS_FIELD: Verdict(REJECTED, write_media_without_its_field),
        RAW_DELETE_ITEM: Verdict(ACCEPTED, raw_delete_item),
        ORM_DELETE_ITEM: Verdict(CASCADED),
        # SavedItem.user is a real foreign key, ORM-cascaded.
        RAW_DELETE_USER: Verdict(REJECTED, raw_delete_user),
        ORM_DELETE_USER: Verdict(CASCADED),
    },
    dependants=saves_of,
    invalid=invalid_save,
    admin_bad_add=admin_bad_save,
)
