"""The admin under bad input: no query string, no form, gives a 5xx."""

import io

import pytest
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import call_command
from django.db import connection
from django.test import RequestFactory
from django.urls import reverse

from project.patterns import PATTERN_APPS

pytestmark = pytest.mark.django_db

NUL = "\x00"
# What a curious visitor, a stale bookmark or a fuzzer sends a changelist.
QUERY_STRINGS = [
    {"o": "2.1.-3"},
    {"o": "x"},
    {"q": f"a{NUL}b"},
    {"q": "%_'\\" * 300},
    {"p": "x"},
    {"p": "999999"},
    {"owner_kind": NUL},
    {"all": ""},
    {"no_such_field": "1"},
    {"id__gt": "x"},
]


def models_of(app: str) -> list:
    return [model for model in admin.site._registry if model._meta.app_label == app]


def url_of(model, view: str, *args) -> str:
    name = f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}"
    return reverse(name, args=args)


def changelist_of(model, params: dict, user):
    """A changelist view's response, its rows read but its page not rendered.

    Rendering costs most of a request and never touches the database again:
    what a query string can break (ordering, search, filters, the page) runs
    before it. tests/test_costs.py renders every changelist for real.
    """
    request = RequestFactory().get(url_of(model, "changelist"), params)
    request.user = user
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    response = admin.site._registry[model].changelist_view(request)
    context = getattr(response, "context_data", None) or {}
    if "cl" in context:
        list(context["cl"].result_list)
    if "page" in context:  # linked_models' list of tasks of any owner
        list(context["page"].object_list)
    return response


@pytest.mark.parametrize("app", [*PATTERN_APPS, "swappable"])
def test_no_query_string_makes_a_changelist_fail(app, admin_user):
    # The demo's rows, so every changelist has rows to sort and filter.
    call_command("load_demo", app, stdout=io.StringIO())
    failures = {}
    for model in models_of(app):
        # Every column, sorted either way, and one past the last.
        columns = range(1, len(admin.site._registry[model].list_display) + 2)
        ordering = [
            {"o": ".".join(f"{sign}{n}" for n in columns)} for sign in ("", "-")
        ]
        for params in [*ordering, *QUERY_STRINGS]:
            try:
                status = changelist_of(model, params, admin_user).status_code
            except Exception as error:  # what the server would answer with a 500
                status = f"500: {error!r}"[:120]
            if str(status).startswith("5"):
                failures[(model.__name__, repr(params))] = status
    assert failures == {}


@pytest.mark.parametrize("app", [*PATTERN_APPS, "swappable"])
def test_an_empty_or_nonsense_add_form_is_refused_not_a_failure(app, admin_client):
    nonsense = {
        "name": NUL,
        "description": "x",
        "owner_id": "-1",
        "item_id": "99999999999999999999999",
        "owner": "x",
        "item": "x",
        "user": "x",
        "year": "x",
    }
    for model in models_of(app):
        for data in ({}, nonsense):
            response = admin_client.post(url_of(model, "add"), data)
            # 200: the form again, with its errors; 403: a read-only list.
            assert response.status_code in (200, 403), (model, data)


def rows_listed(changelist) -> int:
    context = changelist.context_data
    if "cl" in context:
        return context["cl"].result_count
    return len(context["page"].object_list)  # linked_models' tasks of any owner


# Past a 64-bit integer column either way: ids no row can have.
PAST_64_BITS = [2**63, -(2**63) - 1]


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's driver")
def test_django_checks_an_ids_range_for_an_integer_column_but_not_through_a_relation():
    # Why project/admin.py catches OverflowError: on SQLite an id past 64 bits
    # finds nothing through an integer primary key, but through a relation (an
    # inheritance model's parent link, any foreign key) reaches the driver,
    # which can't bind it.
    from gfk_baseline.models import Person as PlainPerson
    from mti.models import Person as ChildPerson
    from mti.models import Task

    assert not PlainPerson.objects.filter(pk=2**63).exists()
    with pytest.raises(OverflowError):
        ChildPerson.objects.filter(pk=2**63).exists()
    with pytest.raises(OverflowError):
        Task.objects.filter(owner=2**63).exists()


@pytest.mark.parametrize("app", [*PATTERN_APPS, "swappable"])
def test_an_id_past_64_bits_in_any_admin_url_is_not_found_not_a_failure(
    app, admin_client, admin_user
):
    failures = {}
    for model in models_of(app):
        kind = ContentType.objects.get_for_model(model, for_concrete_model=False)
        relations = [f.attname for f in model._meta.concrete_fields if f.is_relation]
        for pk in PAST_64_BITS:
            for view in ("change", "delete", "history"):
                # The admin's "doesn't exist": back to its index with a message
                # (django-polymorphic's parent admins: a 404; a read-only
                # list's delete: 403, refused before the id is looked at).
                status = admin_client.get(url_of(model, view, pk)).status_code
                if status not in (302, 403, 404):
                    failures[(model.__name__, view, pk)] = status
            status = admin_client.get(f"/admin/r/{kind.pk}/{pk}/").status_code
            if status != 404:
                failures[(model.__name__, "view on site", pk)] = status
            for column in [model._meta.pk.attname, *relations]:
                # An empty list (Django's range check for an integer column),
                # or its answer to a lookup that makes no sense: ?e=1.
                reply = changelist_of(model, {column: pk}, admin_user)
                empty = reply.status_code == 200 and rows_listed(reply) == 0
                if not (empty or reply.url.endswith("?e=1")):
                    failures[(model.__name__, column, pk)] = reply.status_code
    assert failures == {}
