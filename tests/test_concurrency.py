"""Concurrent requests against the demo server itself, on both databases.

Two tabs, a double click, a save racing an unsave: the threads below send
them at the same instant (a barrier releases them together) to a real
threaded server on the demo's own kind of database, a file on SQLite. No
interleaving may answer with a 5xx, and the save rows must end consistent.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.db import connection

from project.patterns import SAVES_APPS

# One demo server per test run (tests/conftest.py), so every test that needs
# it goes to the same pytest worker.
pytestmark = pytest.mark.xdist_group("demo_server")

ROUNDS = 3  # save, save and unsave released together, this many times
CLICKS = 20  # simultaneous saves of one item


def at_once(actions) -> list:
    """Run the callables in threads released together; their results, in order."""
    barrier = threading.Barrier(len(actions))
    results = [None] * len(actions)

    def run(n, action):
        barrier.wait()
        results[n] = action()

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def first_item(browser, app: str, kind: str) -> str:
    """The path of the first item of a kind on the app's item list."""
    page = browser.get(f"/{app}/items/").text
    return re.search(rf'href="(/{app}/items/{kind}/\d+/)"', page).group(1)


def saved_count(browser, app: str) -> int:
    return int(re.search(r"(\d+) saved", browser.get(f"/{app}/saved/").text).group(1))


def is_saved(browser, path: str) -> bool:
    return "unsave/" in browser.get(path).text


@pytest.fixture(scope="module")
def reader(demo_server):
    # Signed in once: the demo server hashes passwords for real.
    browser = demo_server.browser()
    browser.sign_in("reader", "reader")
    return browser


@pytest.fixture(scope="module")
def racer(demo_server):
    # Not a superuser: the toolbar, which records every request of one,
    # stays out of the timing of the race.
    browser = demo_server.browser()
    browser.sign_in("racer", "racer")
    return browser


@pytest.mark.parametrize("app", SAVES_APPS)
def test_twenty_simultaneous_saves_store_one_save_and_never_fail(reader, app):
    # A user with no saves, so the item is unsaved; all twenty share a session.
    browser = reader
    item = first_item(browser, app, "manga")
    token = browser.token(item)
    before = saved_count(browser, app)
    replies = at_once([lambda: browser.post(item + "save/", token=token)] * CLICKS)
    assert [reply.status for reply in replies] == [302] * CLICKS, [
        reply.text[:300] for reply in replies if reply.status != 302
    ]
    assert saved_count(browser, app) == before + 1
    assert is_saved(browser, item)
    browser.post(item + "unsave/", token=token)


@pytest.mark.parametrize("app", SAVES_APPS)
def test_saves_racing_an_unsave_never_fail_and_leave_one_save_or_none(
    demo_server, app, racer
):
    item = first_item(racer, app, "anime")
    token = racer.token(item)
    for _ in range(ROUNDS):
        racer.post(item + "unsave/", token=token)
        before = saved_count(racer, app)
        replies = at_once(
            [
                lambda: racer.post(item + "save/", token=token),
                lambda: racer.post(item + "save/", token=token),
                lambda: racer.post(item + "unsave/", token=token),
            ]
        )
        assert [reply.status for reply in replies] == [302, 302, 302], [
            reply.text[:300] for reply in replies
        ]
        # Whichever order the database saw: saved once, or not at all.
        assert saved_count(racer, app) == before + is_saved(racer, item)


# The pages that build demonstration worlds on every GET (project/demos.py).
DEMO_PAGES = ["/patterns/owner_table/", "/patterns/mti/", "/compare/"]
VIEWERS = 2  # anonymous visitors, each loading every demo page in turn
WRITE_LOCK_HELD = 1.0  # seconds: far longer than any one Save holds it


def writer_waiting(demo_server) -> str | None:
    """What a write to the demo's database would wait on now, if anything.

    SQLite: a writer of our own takes the write lock, waiting for it no
    longer than a user's Save holds it (milliseconds; a demonstration held it
    for seconds). PostgreSQL: any session of the demo's database waiting on a
    lock (the saves are sent one at a time, so none waits on another)."""
    if connection.vendor == "sqlite":
        file = Path(demo_server.tmp.name) / "db.sqlite3"
        probe = sqlite3.connect(file, timeout=WRITE_LOCK_HELD, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
            return None
        except sqlite3.OperationalError as error:
            return str(error)
        finally:
            probe.close()
    with psycopg.connect(demo_server.env["DATABASE_URL"], autocommit=True) as probe:
        waiting = probe.execute(
            "SELECT query FROM pg_stat_activity"
            " WHERE datname = current_database() AND wait_event_type = 'Lock'"
        ).fetchall()
    return repr(waiting) if waiting else None


def test_page_views_building_demonstrations_never_lock_out_a_users_save(
    demo_server, racer
):
    # Issue 19: each GET of a pattern page built its worlds in a transaction
    # on the demo's database, holding SQLite's one write lock for seconds; a
    # few anonymous visitors made a signed-in user's Save a 500.
    item = first_item(racer, "check_constraint", "movie")
    token = racer.token(item)
    pages: list[int] = []
    saves: list[int] = []
    viewing = threading.Event()
    viewing.set()

    def view():
        visitor = demo_server.browser()
        pages.extend(visitor.get(page).status for page in DEMO_PAGES)

    def save_while_viewing():
        while viewing.is_set():
            for action in ("save/", "unsave/"):
                saves.append(racer.post(item + action, token=token).status)

    viewers = [threading.Thread(target=view) for _ in range(VIEWERS)]
    saver = threading.Thread(target=save_while_viewing)
    for thread in [*viewers, saver]:
        thread.start()
    blocked, probes = [], 0
    deadline = time.monotonic() + 180  # bounded: a stuck page fails the test
    while any(t.is_alive() for t in viewers) and time.monotonic() < deadline:
        probes += 1
        if (waiting := writer_waiting(demo_server)) is not None:
            blocked.append(waiting)
        time.sleep(0.05)
    viewing.clear()
    for thread in [*viewers, saver]:
        thread.join(timeout=120)
    assert pages == [200] * VIEWERS * len(DEMO_PAGES)
    assert saves and set(saves) == {302}, saves
    assert probes > 10 and not blocked, (probes, blocked[:3])
