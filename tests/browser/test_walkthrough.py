"""A visitor's walk through the site, in Chromium, on the demo server.

Landing page, a pattern page, compare, each live demonstration, and an admin
changelist with the toolbar open: checking what a person would check, that
the numbers shown are the declared ones, that a demonstration leaves the
database as it found it, and that no page logs an error.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from project.management.commands.render_docs import matrix
from project.patterns import PATTERN_APPS
from tests import patterns
from tests.browser.conftest import row_counts

pytestmark = [
    pytest.mark.browser,
    # pytest-base-url (pytest-playwright's base_url fixture) declares a
    # session fixture as a method, which pytest 9 warns is going away.
    pytest.mark.filterwarnings("ignore::pytest.PytestRemovedIn10Warning"),
]


def naive_row() -> str:
    # The N+1 row under Django's default fetch mode, as render_docs names it.
    return next(
        label
        for label in matrix()
        if label.startswith("naive listing") and "FETCH_PEERS" not in label
    )


def test_the_landing_page_shows_the_declared_matrix_and_the_login(walk):
    walk.open("/", "landing")
    page = walk.page
    expect(page.locator("h1")).to_contain_text("GenericForeignKey")
    # The login is on the page, not only in the terminal.
    expect(page.locator(".login")).to_contain_text("demo")
    label = naive_row()
    row = page.locator("#matrix tr").filter(has=page.get_by_text(label, exact=True))
    cells = row.locator("td").all_inner_texts()
    assert cells == [cell.replace("**", "") for cell in matrix()[label]]
    assert page.locator("#matrix thead th").all_inner_texts()[1:] == PATTERN_APPS


def test_a_pattern_page_shows_its_sql_measured_as_declared(walk):
    walk.open("/", "landing")
    walk.page.get_by_role("link", name="owner_table", exact=True).first.click()
    walk.page.wait_for_url("**/patterns/owner_table/")
    walk.shot("pattern-owner_table")
    rows = walk.page.locator("#scenario-sql tbody tr")
    assert rows.count() > 10
    declared = rows.locator("td.declared").all_inner_texts()
    measured = rows.locator("td.measured").all_inner_texts()
    assert measured == declared
    # One of them by hand: task_rows() is one query, its SQL one statement.
    task_rows = walk.page.locator("#scenario-sql tr[data-function='task_rows']")
    count = patterns.module("owner_table").OWNERSHIP.costs
    expected = next(c for f, c in count.items() if f.__name__ == "task_rows")
    assert task_rows.locator("td.measured").inner_text() == str(
        patterns.at_size(next(iter(expected.queries.values())), False)
    )
    task_rows.locator("summary").click()
    expect(task_rows.locator(".highlight").first).to_contain_text("SELECT")


def test_compare_puts_two_patterns_side_by_side(walk):
    walk.open("/compare/", "compare")
    page = walk.page
    page.select_option("select[name=a]", "owner_o2o")
    page.select_option("select[name=b]", "mti")
    page.select_option("select[name=function]", "delete_owner")
    page.click("#compare-form button")
    page.wait_for_url(re.compile(r"a=owner_o2o&b=mti&function=delete_owner"))
    walk.shot("compare-owner_o2o-mti")
    expect(page.locator("h1")).to_contain_text("owner_o2o")
    assert page.locator("table.diff").count() == 2
    for column in page.locator(".sql-column").all():
        assert (
            column.locator(".measured").all_inner_texts()
            == column.locator(".declared").all_inner_texts()
        )


def test_the_listing_demonstration_shows_the_declared_counts_and_keeps_nothing(
    walk, demo_server
):
    app = "gfk_baseline"
    before = row_counts(demo_server, app)
    walk.sign_in()
    walk.open(f"/patterns/{app}/", "pattern")
    walk.page.click("#run-listing")
    walk.page.wait_for_url(f"**/patterns/{app}/listing/")
    walk.shot("listing")
    declared = patterns.module(app).OWNERSHIP.naive_fetch_one
    naive = walk.page.locator(
        "tr[data-mode^='FETCH_ONE'][data-function='task_rows_naive'] td.measured"
    )
    assert naive.all_inner_texts() == [str(n) for n in declared]
    assert walk.page.locator(".mismatch").count() == 0
    assert row_counts(demo_server, app) == before


def test_every_attack_runs_as_declared_and_keeps_nothing(walk, demo_server):
    # mti: writes rejected, writes stored, and bulk_create() refused by Django.
    app = "mti"
    before = row_counts(demo_server, app)
    walk.sign_in()
    walk.open(f"/patterns/{app}/", "pattern")
    walk.page.click("#run-every-attack")
    walk.page.wait_for_url(f"**/patterns/{app}/corrupt/")
    walk.shot("every-attack")
    summary = walk.page.locator("#attack-summary tbody tr")
    assert summary.count() > 10
    outcomes = set(summary.locator("td:nth-child(3)").all_inner_texts())
    assert outcomes <= {"as declared", "not run live", "nothing to run"}
    assert "as declared" in outcomes
    # What the database answered, as a person reads it: an error or a row.
    expect(
        walk.page.locator("tr.attempt[data-outcome='rejected'] pre").first
    ).to_be_visible()
    assert row_counts(demo_server, app) == before


def test_a_single_attack_shows_the_corrupt_row_it_stored(walk, demo_server):
    app = "gfk_baseline"
    before = row_counts(demo_server, app)
    walk.sign_in()
    walk.open(f"/patterns/{app}/", "pattern")
    walk.page.click("button[data-attack='task-pointing-at-a-missing-owner']")
    walk.page.wait_for_url("**/corrupt/task-pointing-at-a-missing-owner/")
    walk.shot("attack")
    stored = walk.page.locator("tr.attempt[data-outcome='accepted'] .rows")
    expect(stored.first).to_contain_text(f"owner_id={patterns.MISSING_ID}")
    assert row_counts(demo_server, app) == before


def test_an_admin_changelist_with_the_toolbar_open(walk):
    walk.sign_in()
    walk.open("/admin/", "admin-index")
    headers = walk.page.locator("#content-main caption").all_inner_texts()
    assert headers[0].upper() == "GFK BASELINE"
    walk.open("/admin/check_constraint/task/", "changelist")
    declared = patterns.module("check_constraint").OWNERSHIP.admin
    task = next(page for model, page in declared.items() if model.__name__ == "Task")
    expect(walk.page.locator("#changelist-note")).to_contain_text(
        f"declared at {task.changelist} queries"
    )
    walk.page.click("#djShowToolBarButton")
    walk.page.click("#djdt-SQLPanel")
    panel = walk.page.locator("#SQLPanel")
    expect(panel).to_contain_text("check_constraint_task")
    walk.shot("toolbar-sql")


def test_every_toolbar_panel_opens_under_the_content_security_policy(walk):
    # The toolbar's scripts, styles and each panel's content (fetched, then
    # put in the page by its script) under the site's policy: a refusal is an
    # error the walk fails on (tests/browser/conftest.py).
    walk.sign_in()
    walk.open("/admin/check_constraint/task/", "changelist")
    page = walk.page
    page.click("#djShowToolBarButton")
    links = page.locator("#djDebugPanelList li.djDebugPanelButton a")
    panel_ids = links.evaluate_all("links => links.map(link => link.className)")
    assert {"SQLPanel", "TemplatesPanel", "HistoryPanel"} <= set(panel_ids)
    for panel_id in panel_ids:
        page.click(f"#djdt-{panel_id} a")
        expect(page.locator(f"#{panel_id} .djdt-loader")).to_have_count(0)
        expect(page.locator(f"#{panel_id} .djdt-scroll")).not_to_be_empty()
        walk.shot(f"toolbar-{panel_id}")
        page.click(f"#{panel_id} .djDebugClose")
