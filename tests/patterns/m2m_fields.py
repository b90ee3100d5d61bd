"""Declared table and probes for m2m_fields (saves domain only: no OWNERSHIP).

A save is a row of a hidden through table per kind, (id, <kind>_id, user_id),
unique on the pair: real foreign keys, and room for nothing else.
"""

from django.contrib.auth.models import User

from m2m_fields import queries as q
from m2m_fields.models import Anime, Manga, Movie
from project.dataset import MEDIA
from tests.patterns import (
    A_MANGA,
    A_SAVED_ITEM,
    ALREADY_SAVED,
    AN_ANIME,
    AN_UNSAVED_ITEM,
    ANIME_SAVE,
    CASCADED,
    DUPLICATE_SAVE,
    FEED_PAGE,
    MANY_ITEMS,
    MEDIA_WITHOUT_ITS_FIELD,
    MISSING_ID,
    MISSING_ITEM,
    MOVIES,
    NEW_ITEM,
    NEW_SAVE,
    NO_ITEM,
    NOT_SAVED,
    ORM_DELETE_ITEM,
    ORM_DELETE_USER,
    PROGRESS,
    RAW_DELETE_ITEM,
    RAW_DELETE_USER,
    REJECTED,
    SAVED,
    USERS_SAVES,
    WATCHED,
    WRONG_EXTRA,
    Admin,
    Saves,
    Verdict,
    cost,
    delete_row,
    unrepresentable,
    write,
)

# The app's own: a user's saves are rows of every kind's through table.
KINDS = q.KINDS


def through(kind):
    # Django's generated table for KIND.saved_by: (id, <kind>_id, user_id).
    return KINDS[kind].saved_by.through


def write_duplicate_save(via, sworld, case):
    # update: the user's save of a second item of the kind, pointed at the
    # first one.
    model, item = through(case), getattr(sworld, case)
    second = None
    if via == "update":
        second = KINDS[case].objects.create(title="Second", **{MEDIA[case][0]: 1})
        model.objects.create(user=sworld.user, **{case: second})
    return write(
        via,
        model,
        {f"{case}_id": item.pk, "user_id": sworld.user.pk},
        (model.objects.filter(**{case: second}), {f"{case}_id": item.pk}),
    )


def write_save_of_nothing(via, sworld, case):
    model = through("manga")
    return write(
        via,
        model,
        {"manga_id": None, "user_id": sworld.other.pk},
        (model.objects.filter(user=sworld.user), {"manga_id": None}),
    )


def write_save_of_missing_item(via, sworld, case):
    model = through(case)
    return write(
        via,
        model,
        {f"{case}_id": MISSING_ID, "user_id": sworld.other.pk},
        (model.objects.filter(user=sworld.user), {f"{case}_id": MISSING_ID}),
    )


def raw_delete_item(sworld, case):
    item = getattr(sworld, case)
    return delete_row(type(item), item.pk)


def raw_delete_user(sworld, case):
    return delete_row(User, sworld.user.pk)


def saves_of(sworld, target):
    if isinstance(target, User):
        return [
            row for kind in KINDS for row in through(kind).objects.filter(user=target)
        ]
    kind = type(target)._meta.model_name
    return list(through(kind).objects.filter(**{kind: target}))


def invalid_save(sworld):
    return through("movie")(user=sworld.other)


def write_media_without_its_field(via, sworld, case):
    model, field = KINDS[case], MEDIA[case][0]
    return write(
        via,
        model,
        {"title": "Unnumbered", field: None},
        (model.objects.filter(pk=getattr(sworld, case).pk), {field: None}),
    )


SAVES = Saves(
    costs={
        q.create_media: cost(1, A_MANGA),
        q.get_media: cost(1, AN_ANIME),
        q.list_media: cost(1, MOVIES),
        # The INSERT into the through table; a repeat is refused by its
        # unique (item, user) pair.
        q.save_item: cost(1, NEW_ITEM, NEW_SAVE, ALREADY_SAVED),
        q.unsave_item: cost(1, SAVED, NOT_SAVED),
        q.is_saved: cost(1, SAVED, NOT_SAVED),
        # One UNION ALL of the three item tables, each joined to its through
        # table; ordered and sliced by the database.
        q.saved_feed: cost(1, FEED_PAGE),
        q.saved_count: cost(1, USERS_SAVES),
        # Nowhere to keep them: accepted and dropped, no query.
        q.set_progress: cost(0, PROGRESS),
        q.progress: cost(0, ANIME_SAVE),
        q.set_watched: cost(0, WATCHED),
        # The item's through rows, then the item.
        q.delete_media: cost({A_SAVED_ITEM: 2, AN_UNSAVED_ITEM: 2}),
    },
    # No through table has a saved-at column: the feed is alphabetical...
    feed_newest_first=False,
    feed_ties="by title",
    # ...nor a column for episode_progress or watched.
    extras=False,
    admin={
        # The change form's inline lists the item's saves; the changelist is
        # the items alone.
        Movie: Admin(changelist=5, add_form=2),
        Anime: Admin(changelist=5, add_form=2),
        Manga: Admin(changelist=5, add_form=2),
    },
    tables=6,
    columns=18,
    integrity={
        DUPLICATE_SAVE: Verdict(REJECTED, write_duplicate_save),
        MANY_ITEMS: unrepresentable(
            "a through row has one item column, in a table per kind"
        ),
        NO_ITEM: Verdict(REJECTED, write_save_of_nothing),
        MISSING_ITEM: Verdict(REJECTED, write_save_of_missing_item),
        WRONG_EXTRA: unrepresentable("a through row has no column for any extra"),
        # Each kind's table has its own field, NOT NULL.
        MEDIA_WITHOUT_ITS_FIELD: Verdict(REJECTED, write_media_without_its_field),
        RAW_DELETE_ITEM: Verdict(REJECTED, raw_delete_item),
        ORM_DELETE_ITEM: Verdict(CASCADED),
        RAW_DELETE_USER: Verdict(REJECTED, raw_delete_user),
        ORM_DELETE_USER: Verdict(CASCADED),
    },
    dependants=saves_of,
    invalid=invalid_save,
    admin_bad_add=None,
)
