"""Declared table and probes for nullable_fks.

Real foreign keys everywhere, and no rule about how many are set: the
database guards every id and cascades nothing on its own, while "exactly
one" lives only in clean(). The saves probes read the app's models off the
world, so check_constraint (the same columns plus constraints) reuses them.
"""

from django.contrib.auth.models import User

from nullable_fks import queries as q
from nullable_fks.models import Anime, Group, Manga, Movie, Person, SavedItem, Task
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
    write,
)

# Ownership probes --------------------------------------------------------------


def write_missing_owner(via, world, case):
    column = f"owner_{case}_id"
    existing = world.bob_task if case == "person" else world.group_task
    return write(
        via,
        Task,
        {"description": "dangling", column: MISSING_ID},
        (Task.objects.filter(pk=existing.pk), {column: MISSING_ID}),
    )


def write_both_owners(via, world, case):
    return write(
        via,
        Task,
        {
            "description": "everyone's",
            "owner_person_id": world.bob.pk,
            "owner_group_id": world.group.pk,
        },
        (Task.objects.filter(pk=world.bob_task.pk), {"owner_group": world.group}),
    )


def write_no_owner(via, world, case):
    return write(
        via,
        Task,
        {"description": "nobody's"},
        (Task.objects.filter(pk=world.bob_task.pk), {"owner_person": None}),
    )


def raw_delete_owner(world, case):
    owner = world.bob if case == "person" else world.group
    return delete_row(type(owner), owner.pk)


def tasks_of(world, owner):
    return list(owner.tasks.all())


def invalid_task(world):
    return Task(description="Nobody's")


def admin_bad_task(world):
    data = {"description": "Everyone's", "owner_person": world.bob.pk}
    return Task, {**data, "owner_group": world.group.pk}


def write_group_without_creator(via, world, case):
    return write(
        via,
        Group,
        {"name": "Nobody's team", "creator_id": None},
        (Group.objects.filter(pk=world.group.pk), {"creator_id": None}),
    )


# Saves probes --------------------------------------------------------------------
# The models come from the world's queries module: check_constraint's too.


def save_row(sworld, user, kinds: str, **extra):
    row = {"user_id": user.pk, "created": WRITTEN_AT, **extra}
    for kind in kinds.split("+"):
        row[f"{kind}_id"] = getattr(sworld, kind).pk
    return row


def users_save(sworld, kind):
    return sworld.queries.SavedItem.objects.filter(
        user=sworld.user, **{f"{kind}__isnull": False}
    )


def write_duplicate_save(via, sworld, case):
    # update: the user's save of another kind is pointed at this kind's item,
    # its extras cleared so that only the unique constraint can object.
    other = "anime" if case == "movie" else "movie"
    return write(
        via,
        sworld.queries.SavedItem,
        save_row(sworld, sworld.user, case),
        (
            users_save(sworld, other),
            {
                f"{other}_id": None,
                f"{case}_id": getattr(sworld, case).pk,
                "episode_progress": None,
                "watched": None,
            },
        ),
    )


def write_save_of_many(via, sworld, case):
    # update: the user's save of the first kind gains items of the others,
    # new ones the user hasn't saved, so no unique index answers first.
    first, *others = case.split("+")
    fresh = {
        kind: sworld.queries.KINDS[kind].objects.create(
            title="Unsaved", **{MEDIA[kind][0]: 1}
        )
        for kind in others
    }
    return write(
        via,
        sworld.queries.SavedItem,
        save_row(sworld, sworld.other, case),
        (users_save(sworld, first), {f"{k}_id": fresh[k].pk for k in others}),
    )


def write_save_of_nothing(via, sworld, case):
    return write(
        via,
        sworld.queries.SavedItem,
        {"user_id": sworld.other.pk, "created": WRITTEN_AT},
        # The manga save: no extras to trip another rule.
        (users_save(sworld, "manga"), {"manga_id": None}),
    )


def write_save_of_missing_item(via, sworld, case):
    return write(
        via,
        sworld.queries.SavedItem,
        {**save_row(sworld, sworld.other, case), f"{case}_id": MISSING_ID},
        (users_save(sworld, case), {f"{case}_id": MISSING_ID}),
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
        sworld.queries.SavedItem,
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
        return list(target.nullable_fks_saveditem_set.all())
    return list(target.saves.all())


def invalid_save(sworld):
    return SavedItem(user=sworld.other)


def admin_bad_save(sworld):
    return SavedItem, {"user": sworld.other.pk}


def write_media_without_its_field(via, sworld, case):
    model, field = sworld.queries.KINDS[case], MEDIA[case][0]
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
    columns=9,
    integrity={
        # Real FKs: the deferred constraint check refuses the id.
        MISSING_OWNER: Verdict(REJECTED, write_missing_owner),
        # No CheckConstraint: only Task.clean() says "exactly one".
        BOTH_OWNERS: Verdict(ACCEPTED, write_both_owners),
        NO_OWNER: Verdict(ACCEPTED, write_no_owner),
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
        # The per-kind unique constraint.
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        # No CheckConstraint: only SavedItem.clean() says "exactly one".
        MANY_ITEMS: Verdict(ACCEPTED, write_save_of_many),
        NO_ITEM: Verdict(ACCEPTED, write_save_of_nothing),
        # Real FKs, as for owners.
        MISSING_ITEM: Verdict(REJECTED, write_save_of_missing_item),
        # No CheckConstraint: only save_item() keeps the extras in place.
        WRONG_EXTRA: Verdict(ACCEPTED, write_wrong_extra),
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
