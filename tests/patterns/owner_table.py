"""Declared table and probes for owner_table.

A task points at an Owner row, and the Owner row at a person or a group
through nullable one-to-ones: the hop the probes attack is the Owner row, held
by a CheckConstraint (exactly one link) and real foreign keys. The saves
domain has the same shape around Item.
"""

from django.contrib.auth.models import User

from owner_table import queries as q
from owner_table.models import (
    Anime,
    Group,
    Item,
    Manga,
    Movie,
    Owner,
    Person,
    SavedItem,
    Task,
)
from owner_table.queries import KINDS
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


def owner_row(owner):
    return Owner.objects.filter(**{type(owner).__name__.lower(): owner})


def unlinked_person_and_group():
    # A person and a group with no Owner row yet (Owner rows come with a first
    # task), so a bad Owner row can't trip a unique index first and pass for
    # the CheckConstraint's refusal.
    carol = Person.objects.create(name="Carol")
    return carol, Group.objects.create(name="Carol's team", creator=carol)


def write_missing_owner(via, world, case):
    # An Owner row linking a person (or group) that doesn't exist; update:
    # the row Bob's (or the group's) task points at.
    owner = world.bob if case == "person" else world.group
    return write(
        via,
        Owner,
        {f"{case}_id": MISSING_ID},
        (owner_row(owner), {f"{case}_id": MISSING_ID}),
    )


def write_both_owners(via, world, case):
    # update: the group's Owner row, which its task points at, gains a person.
    carol, carols_team = unlinked_person_and_group()
    return write(
        via,
        Owner,
        {"person_id": carol.pk, "group_id": carols_team.pk},
        (owner_row(world.group), {"person": carol}),
    )


def write_no_owner(via, world, case):
    # update: Bob's Owner row loses Bob, so Bob's task is owned by nobody.
    # Task.owner itself is NOT NULL.
    return write(
        via,
        Owner,
        {"person_id": None, "group_id": None},
        (owner_row(world.bob), {"person": None}),
    )


def raw_delete_owner(world, case):
    # The person (or group) row only; the Owner row still points at it.
    owner = world.bob if case == "person" else world.group
    return delete_row(type(owner), owner.pk)


def tasks_of(world, owner):
    return list(Task.objects.filter(owner__in=owner_row(owner)))


def invalid_owner(world):
    # An Owner row linking nobody: only the CheckConstraint can object.
    return Owner()


def admin_bad_owner(world):
    # Both links: the form error is the CheckConstraint's own message.
    carol, carols_team = unlinked_person_and_group()
    return Owner, {"person": carol.pk, "group": carols_team.pk}


def write_group_without_creator(via, world, case):
    return write(
        via,
        Group,
        {"name": "Nobody's team", "creator_id": None},
        (Group.objects.filter(pk=world.group.pk), {"creator_id": None}),
    )


# Saves probes --------------------------------------------------------------------


def item_row(media):
    return Item.objects.filter(**{type(media).__name__.lower(): media})


def unsaved_media():
    # Media with no Item row yet (Item rows come with a first save), as above.
    return {
        "movie": Movie.objects.create(title="Heat", year=1995),
        "anime": Anime.objects.create(title="Dororo", episodes=24),
        "manga": Manga.objects.create(title="Blame!", volumes=10),
    }


def users_save(sworld, kind):
    return SavedItem.objects.filter(
        user=sworld.user, item__in=item_row(getattr(sworld, kind))
    )


def write_duplicate_save(via, sworld, case):
    # update: the user's save of another kind is pointed at this kind's Item
    # row, its extras cleared.
    other = "anime" if case == "movie" else "movie"
    item = item_row(getattr(sworld, case)).get()
    return write(
        via,
        SavedItem,
        {"user_id": sworld.user.pk, "item_id": item.pk, "created": WRITTEN_AT},
        (
            users_save(sworld, other),
            {"item": item, "episode_progress": None, "watched": None},
        ),
    )


def write_save_of_many(via, sworld, case):
    # An Item row linking several media; update: the Item row the user's save
    # of the first kind points at gains the others.
    first, *others = case.split("+")
    fresh = unsaved_media()
    return write(
        via,
        Item,
        {f"{kind}_id": fresh[kind].pk for kind in case.split("+")},
        (
            item_row(getattr(sworld, first)),
            {f"{kind}_id": fresh[kind].pk for kind in others},
        ),
    )


def write_save_of_nothing(via, sworld, case):
    # An Item row linking nothing; update: the manga's, so the user's manga
    # save is of nothing. SavedItem.item itself is NOT NULL.
    return write(
        via,
        Item,
        {"movie_id": None, "anime_id": None, "manga_id": None},
        (item_row(sworld.manga), {"manga": None}),
    )


def write_save_of_missing_item(via, sworld, case):
    return write(
        via,
        Item,
        {f"{case}_id": MISSING_ID},
        (item_row(getattr(sworld, case)), {f"{case}_id": MISSING_ID}),
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
    item = item_row(getattr(sworld, kind)).get()
    return write(
        via,
        SavedItem,
        {"user_id": sworld.other.pk, "item_id": item.pk, "created": WRITTEN_AT} | extra,
        (users_save(sworld, kind), extra),
    )


def raw_delete_item(sworld, case):
    # The media row only; its Item row still points at it.
    item = getattr(sworld, case)
    return delete_row(type(item), item.pk)


def raw_delete_user(sworld, case):
    return delete_row(User, sworld.user.pk)


def saves_of(sworld, target):
    if isinstance(target, User):
        return list(SavedItem.objects.filter(user=target))
    return list(SavedItem.objects.filter(item__in=item_row(target)))


def invalid_item(sworld):
    return Item()


def admin_bad_item(sworld):
    fresh = unsaved_media()
    return Item, {"movie": fresh["movie"].pk, "anime": fresh["anime"].pk}


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
        # No Owner row yet: it comes with the person's first task.
        q.create_person: cost(1, A_NAME),
        q.create_group: cost(1, A_GROUP_NAME),
        # The Owner row's SELECT (and INSERT, the first time), the task's INSERT.
        q.create_task: cost({FIRST_TASK: 3, LATER_TASK: 2}),
        q.owner_of: cost(1, OF_A_PERSONS_TASK, OF_A_GROUPS_TASK),
        # Task -> Owner -> both owner tables, and the creator, joined.
        q.task_rows: cost(1, EVERY_TASK),
        q.task_page: cost(1, FIRST_PAGE),
        # The page, then its Owner rows with both owner tables joined.
        q.task_page_prefetched: cost(2, FIRST_PAGE),
        q.task_counts: cost(1, EVERY_TASK),
        q.tasks_owned_by: cost(1, BOBS),
        q.tasks_of_groups_created_by: cost(1, ALICES_GROUPS),
        # The Owner rows first (a query per table they cascade to), then the
        # owner: a query per table, not per row.
        q.delete_owner: cost({A_GROUP: 5, A_PERSON: 6, A_CREATOR: 8}),
        q.create_persons: cost(1, TWO_NAMES),
    },
    # 1 + per person task 2 (Owner, Person) + per group task 3 (Owner, Group,
    # creator): 1 + 12 + 18 and 1 + 120 + 180. FETCH_PEERS: tasks, Owner rows,
    # persons, groups, creators.
    naive_fetch_one=(31, 301),
    naive_fetch_peers=(5, 5),
    admin={
        Person: Admin(changelist=5, add_form=2),
        Group: Admin(changelist=5, add_form=3),
        # The add form offers persons and groups with no Owner row.
        Owner: Admin(changelist=5, add_form=4),
        # The page with Owner and both its links joined; the add form lists
        # Owner rows with both links joined.
        Task: Admin(changelist=5, add_form=3),
    },
    tables=4,
    columns=11,
    integrity={
        # Real FKs from the Owner row: the deferred check refuses the id.
        MISSING_OWNER: Verdict(REJECTED, write_missing_owner),
        # The CheckConstraint on Owner: exactly one link.
        BOTH_OWNERS: Verdict(REJECTED, write_both_owners),
        NO_OWNER: Verdict(REJECTED, write_no_owner),
        # A column every group has: NOT NULL.
        GROUP_WITHOUT_CREATOR: Verdict(REJECTED, write_group_without_creator),
        # The Owner row's FK refuses to point at nothing.
        RAW_DELETE_OWNER: Verdict(REJECTED, raw_delete_owner),
        # Person -> Owner -> Task, all CASCADE. MariaDB can't defer a foreign
        # key, so Django first sets the Owner row's link to NULL, which the
        # CheckConstraint refuses: the delete fails, and stores nothing.
        ORM_DELETE_OWNER: Verdict(CASCADED, on={"mysql": REJECTED}),
        PROTECTED_DELETE_OWNER: Verdict(
            PROTECTED, protect=(Task._meta.get_field("owner"),)
        ),
    },
    dependants=tasks_of,
    invalid=invalid_owner,
    admin_bad_add=admin_bad_owner,
)

SAVES = Saves(
    costs={
        # No Item row yet: it comes with the first save.
        q.create_media: cost(1, A_MANGA),
        q.get_media: cost(1, AN_ANIME),
        q.list_media: cost(1, MOVIES),
        # The Item row's SELECT (and INSERT, the first time), the save's INSERT.
        q.save_item: cost({NEW_ITEM: 3, NEW_SAVE: 2, ALREADY_SAVED: 2}),
        q.unsave_item: cost(1, SAVED, NOT_SAVED),
        q.is_saved: cost(1, SAVED, NOT_SAVED),
        q.saved_feed: cost(1, FEED_PAGE),
        q.saved_count: cost(1, USERS_SAVES),
        q.set_progress: cost(1, PROGRESS),
        q.progress: cost(1, ANIME_SAVE),
        q.set_watched: cost(1, WATCHED),
        # The Item row first (its SELECT, its saves, itself), then the item.
        q.delete_media: cost({A_SAVED_ITEM: 5, AN_UNSAVED_ITEM: 3}),
    },
    feed_newest_first=True,
    feed_ties="in the order saved",
    extras=True,
    admin={
        Movie: Admin(changelist=5, add_form=2),
        Anime: Admin(changelist=5, add_form=2),
        Manga: Admin(changelist=5, add_form=2),
        Item: Admin(changelist=5, add_form=5),
        SavedItem: Admin(changelist=5, add_form=4),
    },
    tables=5,
    columns=19,
    integrity={
        # The (user, item) unique constraint.
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        # The CheckConstraint on Item: exactly one link.
        MANY_ITEMS: Verdict(REJECTED, write_save_of_many),
        NO_ITEM: Verdict(REJECTED, write_save_of_nothing),
        MISSING_ITEM: Verdict(REJECTED, write_save_of_missing_item),
        # The kind lives in Item, out of reach of a CheckConstraint on
        # SavedItem: only save_item() keeps the extras in place.
        WRONG_EXTRA: Verdict(ACCEPTED, write_wrong_extra),
        # Each kind's table has its own field, NOT NULL.
        MEDIA_WITHOUT_ITS_FIELD: Verdict(REJECTED, write_media_without_its_field),
        RAW_DELETE_ITEM: Verdict(REJECTED, raw_delete_item),
        # As for owners, on MariaDB.
        ORM_DELETE_ITEM: Verdict(CASCADED, on={"mysql": REJECTED}),
        RAW_DELETE_USER: Verdict(REJECTED, raw_delete_user),
        ORM_DELETE_USER: Verdict(CASCADED),
    },
    dependants=saves_of,
    invalid=invalid_item,
    admin_bad_add=admin_bad_item,
)
