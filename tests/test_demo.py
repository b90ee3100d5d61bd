"""The demo: `make demo` loads this data and serves these pages."""

import importlib
import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from project import demos
from project.dataset import expected_task_rows
from project.patterns import OWNERSHIP_APPS, PATTERN_APPS, SAVES_APPS

pytestmark = pytest.mark.django_db


def all_row_counts():
    return {
        model._meta.label: model._base_manager.count()
        for app in [*PATTERN_APPS, "swappable"]
        for model in apps.get_app_config(app).get_models()
        if not model._meta.swapped
    }


def test_load_demo_twice_gives_the_same_rows_as_once(django_user_model):
    call_command("load_demo", stdout=io.StringIO())
    once = all_row_counts()
    call_command("load_demo", stdout=io.StringIO())
    assert all_row_counts() == once
    assert django_user_model.objects.filter(username="demo").count() == 1
    assert apps.get_model("swappable", "Task").objects.count() == 2


def test_every_app_gets_the_same_demo_data(django_user_model):
    call_command("load_demo", stdout=io.StringIO())
    demo = django_user_model.objects.get(username="demo")
    feeds = []
    for app in SAVES_APPS:
        q = importlib.import_module(f"{app}.queries")
        if app in OWNERSHIP_APPS:
            assert q.task_rows() == expected_task_rows(3), app
        feeds.append(
            sorted((kind, title) for kind, title, *_ in q.saved_feed(demo, 1, 50))
        )
    assert feeds[0] and all(feed == feeds[0] for feed in feeds), feeds


def test_index_links_every_app_to_its_admin_items_and_dashboard(client):
    text = client.get("/").text
    for app in PATTERN_APPS:
        assert reverse("admin:app_list", args=[app]) in text
        assert reverse(f"{app}:media_list") in text
        assert reverse(f"{app}:saved") in text
    assert reverse("admin:app_list", args=["swappable"]) in text


def test_demo_user_can_browse_every_apps_pages(client, django_user_model):
    call_command("load_demo", stdout=io.StringIO())
    client.force_login(django_user_model.objects.get(username="demo"))
    for app in PATTERN_APPS:
        for name in ("media_list", "saved"):
            assert client.get(reverse(f"{app}:{name}")).status_code == 200, (app, name)
        assert client.get(reverse("admin:app_list", args=[app])).status_code == 200


def sqlite_schema() -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT type, name, tbl_name, sql FROM sqlite_master")
        objects = sorted(cursor.fetchall(), key=repr)
        cursor.execute("SELECT name, seq FROM sqlite_sequence")
        return objects + sorted(cursor.fetchall())


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="one write lock per database: SQLite's"
)
def test_a_demonstration_on_sqlite_runs_on_a_copy_with_every_row_and_schema_object(
    django_user_model,
):
    # project/demos.py: a demonstration's writes go to an in-memory copy, so
    # the database itself is never locked by a page view. The copy must hold
    # what the page would otherwise have seen: every row (the test's own,
    # uncommitted), table, index, trigger and sequence.
    call_command("load_demo", stdout=io.StringIO())
    rows, schema, real = all_row_counts(), sqlite_schema(), connection.connection
    with demos.rolled_back():
        assert connection.connection is not real
        assert all_row_counts() == rows
        assert sqlite_schema() == schema
        django_user_model.objects.create_user("written-in-the-copy")
    assert connection.connection is real
    assert not django_user_model.objects.filter(username="written-in-the-copy")
    assert all_row_counts() == rows
