"""One parent row, one kind: the shared-link rules, asked in every direction.

An Owner row stands behind a person or a group, never both; a Media (Item)
row behind one movie, anime or manga. Where the kinds are tables of their own
that point at the parent (mti, polymorphic_models, inheritance_manager:
the parent link; owner_o2o: a one-to-one), only each kind's clean() holds the
rule, and each kind's clean() names the kinds it asks: a kind left out of one
list is a direction nobody refuses. Every ordered pair of kinds is asked here,
so each list is checked whole. owner_table's parent rows hold the links
themselves, and a CheckConstraint refuses any second one, from whichever kind
the row was made for. typed_models can't be asked: its one `type` column holds
one kind per row.
"""

from __future__ import annotations

from itertools import permutations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.conftest import models_of, queries_of

pytestmark = pytest.mark.django_db

# The link a kind's row has to its parent row.
LINKS = {
    "mti": ("owner_ptr", "media_ptr"),
    "polymorphic_models": ("owner_ptr", "media_ptr"),
    "inheritance_manager": ("owner_ptr", "media_ptr"),
    "owner_o2o": ("owner", "media"),
}
OWNER_KINDS = ("person", "group")
MEDIA_KINDS = ("movie", "anime", "manga")
# Each media kind's own field, as create_media() takes it.
MEDIA_FIELDS = {"movie": "year", "anime": "episodes", "manga": "volumes"}


def make(q, kind: str, creator=None):
    """A row of `kind`, made through the app's API (and its parent row)."""
    if kind == "person":
        return q.create_person("First")
    if kind == "group":
        return q.create_group("First", creator=creator)
    return q.create_media(kind, "First", **{MEDIA_FIELDS[kind]: 1})


def unsaved(m, kind: str, creator, **link):
    """A row of `kind` not yet saved, pointed at an existing parent row."""
    if kind == "person":
        return m.Person(name="Second", **link)
    if kind == "group":
        return m.Group(name="Second", creator=creator, **link)
    model = {"movie": m.Movie, "anime": m.Anime, "manga": m.Manga}[kind]
    return model(title="Second", **{MEDIA_FIELDS[kind]: 1}, **link)


def pairs(kinds):
    return [pytest.param(a, b, id=f"{b} on a {a}'s") for a, b in permutations(kinds, 2)]


def clean_params():
    return [
        pytest.param(app, first, second, id=f"{app}-{second} on a {first}'s row")
        for app in LINKS
        for kinds in (OWNER_KINDS, MEDIA_KINDS)
        for first, second in permutations(kinds, 2)
    ]


@pytest.mark.parametrize("app, first, second", clean_params())
def test_full_clean_refuses_a_second_kind_on_a_parent_row(app, first, second):
    q, m = queries_of(app), models_of(app)
    creator = q.create_person("Creator")
    existing = make(q, first, creator)
    link = LINKS[app][first not in OWNER_KINDS]
    parent_id = getattr(existing, f"{link}_id")
    twin = unsaved(m, second, creator, **{f"{link}_id": parent_id})
    with pytest.raises(ValidationError) as refused:
        twin.full_clean()
    parent = twin._meta.get_field(link).related_model._meta.model_name
    noun = type(existing)._meta.verbose_name
    # The shared-link rule's own message, not some other field's complaint.
    assert refused.value.message_dict == {
        link: [f"This {parent} is already a {noun}'s."]
    }


@pytest.mark.parametrize(
    "first, second",
    pairs(OWNER_KINDS) + pairs(MEDIA_KINDS),
)
def test_owner_tables_check_refuses_a_second_link_on_any_kinds_row(first, second):
    # The parent row made for `first` (by its first task or save) gains a link
    # to a `second`, in one UPDATE: no save(), no clean(); the database alone.
    q, m = queries_of("owner_table"), models_of("owner_table")
    creator = q.create_person("Creator")
    existing, other = make(q, first, creator), make(q, second, creator)
    if first in OWNER_KINDS:
        rows = m.Owner.objects.filter(pk=q._owner_row(existing).pk)
    else:
        rows = m.Item.objects.filter(pk=q._item_row(existing).pk)
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.update(**{second: other})
