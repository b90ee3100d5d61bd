"""The site that teaches: its pages show the declarations' numbers and fresh
measurements that agree with them, and its demonstrations change nothing.

Every demonstration endpoint is attacked the same ways as the Save button's
(tests/test_save_views.py): GET, signed out, signed in without staff, without
a CSRF token, an unknown pattern or attack. Browsers: tests/browser/.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser

import pytest
from django.apps import apps
from django.contrib import admin
from django.core.management import call_command
from django.db import connection, models
from django.test import Client, override_settings
from django.urls import reverse
from django.utils.html import escape

from project import demos, site
from project.choosing import summary_rows
from project.management.commands.load_demo import DEMO_PASSWORD
from project.management.commands.render_docs import matrix
from project.patterns import OWNERSHIP_APPS, PATTERN_APPS
from tests import patterns
from tests.conftest import saves_params

pytestmark = pytest.mark.django_db

SAVES_ONLY = [app for app in PATTERN_APPS if app not in OWNERSHIP_APPS]


HIGHLIGHTED = re.compile(r'<div class="highlight"><pre>.*?</pre></div>', re.DOTALL)


class Tables(HTMLParser):
    """The text of every table cell, by the id of its table."""

    def __init__(self, html: str):
        super().__init__()
        self.tables: dict[str, list[list[str]]] = {}
        self.stack: list[str] = []
        self.cell: list[str] | None = None
        # Highlighted code and SQL hold no table this reads, and are most of
        # a page: Python's HTMLParser takes a tenth of a second on them.
        self.feed(HIGHLIGHTED.sub("", html))

    def handle_starttag(self, tag, attrs):
        if tag == "table":
            self.stack.append(dict(attrs).get("id", ""))
            self.tables.setdefault(self.stack[-1], [])
        elif tag == "tr" and self.stack:
            self.tables[self.stack[-1]].append([])
        elif tag in ("td", "th") and self.stack:
            self.cell = []

    def handle_endtag(self, tag):
        if tag == "table" and self.stack:
            self.stack.pop()
        elif tag in ("td", "th") and self.cell is not None and self.stack:
            self.tables[self.stack[-1]][-1].append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        if self.cell is not None:
            self.cell.append(data)


def plain(cell: str) -> str:
    """A matrix cell as the page shows it: markdown's marks gone."""
    return cell.replace("**", "").replace("`", "")


def matrix_texts(apps_shown: list[str]) -> list[list[str]]:
    columns = [PATTERN_APPS.index(app) for app in apps_shown]
    return [
        [plain(label), *(plain(cells[i]) for i in columns)]
        for label, cells in matrix().items()
    ]


@pytest.fixture
def staff(django_user_model):
    return django_user_model.objects.create_user(
        "curator", password="pw", is_staff=True
    )


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def load_demo(*apps_loaded: str) -> None:
    call_command("load_demo", *apps_loaded, stdout=io.StringIO())


def all_row_counts() -> dict[str, int]:
    """Rows in every table of every model, in one query."""
    tables = sorted(
        {
            model._meta.db_table
            for model in apps.get_models(include_auto_created=True)
            if not model._meta.swapped and model._meta.managed
        }
    )
    quote = connection.ops.quote_name
    sql = " UNION ALL ".join(
        f"SELECT '{table}', COUNT(*) FROM {quote(table)}" for table in tables
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return dict(cursor.fetchall())


# The landing page -------------------------------------------------------------------


def test_landing_page_shows_the_declared_matrix_cell_for_cell(client):
    shown = Tables(client.get("/").text).tables["matrix"]
    expected = [
        row for row in matrix_texts(PATTERN_APPS) if len(set(row[1:]) - {"-"}) > 1
    ]
    assert shown[0] == ["", *PATTERN_APPS]
    assert shown[1:] == expected


def test_landing_page_links_every_pattern_page_the_verdicts_and_the_articles(client):
    text = client.get("/").text
    for app in PATTERN_APPS:
        assert reverse("pattern", args=[app]) in text
    for verdict_question in [c.question for c in site.choices()]:
        assert verdict_question.replace("'", "&#x27;") in text
    for _, url, _ in site.ARTICLES:
        assert url in text


def test_landing_page_says_each_verdict_as_the_readme_does_caveats_included(client):
    # The README's "Which one?" rows (summary_rows(), which render_docs writes
    # there and tests/test_choosing.py reads back): every pick, every avoid,
    # and the picks to avoid on one database ("; on MariaDB, ... too").
    shown = Tables(client.get("/").text).tables["verdicts"][1:]
    expected = [[q, plain(pick), plain(avoid)] for q, pick, avoid in summary_rows()]
    assert shown == expected
    assert any("; on " in avoid for _, _, avoid in expected)  # a caveat to show


@pytest.mark.parametrize("debug, shown", [(True, True), (False, False)])
def test_the_demo_login_is_shown_only_where_the_demo_runs(client, debug, shown):
    with override_settings(DEBUG=debug):
        for page in ("/", reverse("login")):
            assert (f"<code>{DEMO_PASSWORD}</code>" in client.get(page).text) is shown


# What the site renders from code: escaped, and SQL grouped by shape --------------

MARKUP = "<script>alert(1)</script>"


def test_inline_escapes_a_label_its_code_and_its_bold_text():
    # Matrix labels and cells are code's (tests/patterns/, render_docs):
    # markdown's two marks become tags, and nothing else in them does.
    html = site.inline(f"{MARKUP} `{MARKUP}` **{MARKUP}** {MARKUP}")
    assert "<script>" not in html
    assert html == (
        f"{escape(MARKUP)} <code>{escape(MARKUP)}</code>"
        f' <strong class="bad">{escape(MARKUP)}</strong> {escape(MARKUP)}'
    )


def test_the_landing_page_escapes_a_verdicts_and_a_matrix_rows_text(
    client, monkeypatch
):
    # A verdict's question and reasons, and a cited matrix row's label and
    # cells, with markup in them: the page shows it, as text.
    from dataclasses import replace

    from project.choosing import VERDICTS, cite

    real = site.matrix
    cells = [MARKUP, f"`{MARKUP}`", f"**{MARKUP}**"]
    cells += ["-"] * (len(PATTERN_APPS) - len(cells))
    monkeypatch.setattr(
        site, "matrix", lambda vendor=None: {**real(vendor), MARKUP: cells}
    )
    verdict = replace(
        VERDICTS[0], question=MARKUP, because=MARKUP, cites=(cite(MARKUP),)
    )
    monkeypatch.setattr(site, "VERDICTS", (verdict,))
    text = client.get("/").text
    assert MARKUP not in text
    # Read as a browser would: each is text in its cell, not a tag.
    tables = Tables(text).tables
    assert tables["verdicts"][1][0] == MARKUP
    assert [MARKUP] * 4 + ["-"] * (len(PATTERN_APPS) - 3) in tables["matrix"]
    # The cited row under the verdict: its label, its cells of the apps named.
    named = [*verdict.pick, *verdict.avoid]
    cited = [MARKUP, *(plain(cells[PATTERN_APPS.index(app)]) for app in named)]
    assert cited in tables[""]
    assert f"<summary>Why: {escape(MARKUP)}</summary>" in text
    assert f"<p>{escape(MARKUP)}</p>" in text


def test_formatted_sql_and_the_side_by_side_diff_escape_what_they_show(
    monkeypatch,
):
    assert MARKUP not in site.formatted_sql(f"SELECT '{MARKUP}' AS \"{MARKUP}\"")
    monkeypatch.setattr(site, "source", lambda app, name: f"# {MARKUP} in {app}\n")
    table = site.side_by_side("gfk_baseline", "mti", "models.py")
    assert "<script>" not in table and "&lt;script&gt;" in table


def test_grouped_sql_counts_statements_that_differ_only_in_their_values():
    # An N+1 reads as one shape sent N times; a statement of another shape,
    # or of another table whose name ends in a digit, is a group of its own.
    by_owner = 'SELECT "name" FROM "person" WHERE "id" = {}'
    by_title = 'SELECT "id" FROM "movie" WHERE "title" = \'{}\''
    sql = [
        by_owner.format(1),
        by_title.format("Alien"),
        by_owner.format(22),
        by_title.format("Ocean''s Eleven"),  # a quote inside, doubled
        'SELECT "name" FROM "person" WHERE "id" IN (1, 2)',
        by_owner.format(333),
        'SELECT "name" FROM "person2" WHERE "id" = 1',
        'SELECT "name" FROM "person3" WHERE "id" = 1',
        'SELECT "name" FROM "person" WHERE "id" > 1',
    ]
    groups = site.grouped_sql(sql)
    # In the order each shape was first sent, shown by its first statement.
    assert [(g.count, g.example) for g in groups] == [
        (3, site.formatted_sql(sql[0])),
        (2, site.formatted_sql(sql[1])),
        (1, site.formatted_sql(sql[4])),
        (1, site.formatted_sql(sql[6])),
        (1, site.formatted_sql(sql[7])),
        (1, site.formatted_sql(sql[8])),
    ]
    assert site.grouped_sql([]) == []


# A page per pattern ------------------------------------------------------------------


def declared_calls(app: str) -> list[tuple[str, str, int]]:
    return [
        (function.__name__, situation.phrase, patterns.at_size(count, False))
        for _, declared in demos.declarations(app)
        for function, cost in declared.costs.items()
        for situation, count in cost.queries_on(connection.vendor).items()
    ]


@pytest.mark.parametrize("app", PATTERN_APPS)
def test_pattern_page_measures_every_scenario_function_at_its_declared_count(
    app, client
):
    load_demo(app)
    response = client.get(reverse("pattern", args=[app]))
    assert response.status_code == 200
    rows = Tables(response.text).tables["scenario-sql"][1:]
    # function, situation, declared, measured: the page's own four columns.
    shown = [(row[1], row[2], row[3]) for row in rows]
    expected = [
        (situation or "-", str(count), str(count))
        for _, situation, count in declared_calls(app)
    ]
    assert shown == expected
    # The measured column is the SQL shown beside it, counted.
    sent = [row[4].split(" ")[0].replace("no", "0") for row in rows]
    assert sent == [row[3] for row in rows]
    column = Tables(response.text).tables["pattern-column"]
    assert column == [[row[0], row[1]] for row in matrix_texts([app])]


@pytest.mark.parametrize("app", PATTERN_APPS)
def test_pattern_and_compare_pages_keep_no_row_they_write_to_show_their_sql(
    app, client
):
    # Both pages run create_task(), save_item(), delete_owner()... against the
    # demo data to capture their SQL, for any visitor: all of it rolled back.
    load_demo(app)
    before = all_row_counts()
    assert client.get(reverse("pattern", args=[app])).status_code == 200
    other = next(name for name in PATTERN_APPS if name != app)
    compare = client.get(
        reverse("compare"), {"a": app, "b": other, "function": "delete_media"}
    )
    assert compare.status_code == 200
    assert all_row_counts() == before


def test_pattern_page_shows_its_code_and_readme(client):
    text = client.get(reverse("pattern", args=["check_constraint"])).text
    assert "EXACTLY_ONE_ITEM" in text  # models.py
    assert "task_rows_naive" in text  # queries.py
    assert "Trade-offs" in text  # README.md


@pytest.mark.parametrize("name", ["swappable", "nope", "auth", "PATTERN_APPS"])
def test_an_unknown_pattern_page_is_not_found(client, name):
    assert client.get(f"/patterns/{name}/").status_code == 404


def test_anonymous_visitors_see_no_demonstration_buttons(client):
    text = client.get(reverse("pattern", args=["mti"])).text
    assert reverse("demo_corrupt_all", args=["mti"]) not in text
    assert "log in" in text


# Compare -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b, function",
    [
        ("gfk_baseline", "check_constraint", "task_rows"),
        ("owner_o2o", "mti", "delete_owner"),
        ("m2m_fields", "linked_models", "saved_feed"),
    ],
)
def test_compare_shows_both_columns_diffs_and_sql(client, a, b, function):
    load_demo(a, b)
    response = client.get(reverse("compare"), {"a": a, "b": b, "function": function})
    assert response.status_code == 200
    rows = Tables(response.text).tables["compare-matrix"][1:]
    assert sorted(rows) == sorted(matrix_texts([a, b]))
    for name in site.SOURCES:
        assert f"{a}/{name}" in response.text and f"{b}/{name}" in response.text
    # Each column's SQL: measured as declared.
    for column in response.context["columns"]:
        for call in column["function"].calls:
            assert call["measured"] == call["declared"], (column["app"], call)


def test_compare_says_when_a_pattern_has_no_such_function(client):
    response = client.get(
        reverse("compare"),
        {"a": "m2m_fields", "b": "gfk_baseline", "function": "task_rows"},
    )
    assert response.status_code == 200
    assert "has no <code>task_rows()</code>" in response.text


@pytest.mark.parametrize(
    "params",
    [
        {"a": "nope"},
        {"b": "swappable"},
        {"a": "gfk_baseline", "b": "mti", "function": "delete_everything"},
        {"function": "__init__"},
        {"a": "\x00"},
    ],
)
def test_compare_with_an_unknown_name_is_not_found(client, params):
    assert client.get(reverse("compare"), params).status_code == 404


# The live demonstrations ------------------------------------------------------------


def demo_urls(app: str = "gfk_baseline") -> list[str]:
    return [
        reverse("demo_listing", args=[app]),
        reverse("demo_corrupt_all", args=[app]),
        reverse("demo_corrupt", args=[app, "task-pointing-at-a-missing-owner"]),
    ]


@pytest.mark.parametrize("url", demo_urls())
def test_a_demonstration_refuses_get_and_head(staff_client, url):
    assert staff_client.get(url).status_code == 405
    assert staff_client.head(url).status_code == 405


@pytest.mark.parametrize("url", demo_urls())
def test_a_demonstration_refuses_anonymous_and_non_staff_users(
    client, django_user_model, url
):
    reader = django_user_model.objects.create_user("reader")
    before = all_row_counts()
    assert client.post(url).status_code == 403
    client.force_login(reader)
    assert client.post(url).status_code == 403
    # The sign-in's session row aside, nothing was written.
    assert all_row_counts() | {"django_session": 0} == before


@pytest.mark.parametrize("url", demo_urls())
def test_a_demonstration_refuses_a_post_without_its_csrf_token(staff, url):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(staff)
    assert browser.post(url).status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/patterns/nope/listing/",
        "/patterns/swappable/corrupt/",
        "/patterns/nope/corrupt/task-owned-by-nobody/",
        "/patterns/gfk_baseline/corrupt/drop-every-table/",
        # m2m_fields has no tasks: no listing, no ownership attack.
        "/patterns/m2m_fields/listing/",
        "/patterns/m2m_fields/corrupt/task-owned-by-nobody/",
    ],
)
def test_a_demonstration_of_an_unknown_pattern_or_attack_is_not_found(
    staff_client, url
):
    assert staff_client.post(url).status_code == 404


@pytest.mark.parametrize("app", PATTERN_APPS)
def test_every_attack_meets_its_declared_outcome_and_nothing_persists(
    app, staff_client
):
    load_demo(app)
    before = all_row_counts()
    response = staff_client.post(reverse("demo_corrupt_all", args=[app]))
    assert response.status_code == 200
    assert all_row_counts() == before
    shown = response.context["attacks"]
    declared = {rule.label for _, d in demos.declarations(app) for rule in d.integrity}
    assert {attack.rule.label for attack in shown} == declared
    for attack in shown:
        assert attack.holds, (
            attack.slug,
            [(a.case, a.via, a.outcome) for a in attack.attempts],
        )
        live = (
            not attack.not_live
            and attack.verdict.probe
            or attack.rule in demos.ORM_DELETES
        )
        # Every case, and for a write every way in, was attempted.
        if live:
            ways = 1 if attack.rule in demos.ORM_DELETES | demos.RAW_DELETES else 3
            assert len(attack.attempts) == ways * len(attack.rule.cases), attack.slug


def test_an_accepted_write_shows_the_corrupt_row_and_a_rejected_one_the_error(
    staff_client,
):
    missing = "task-pointing-at-a-missing-owner"
    gfk = staff_client.post(reverse("demo_corrupt", args=["gfk_baseline", missing]))
    stored = gfk.context["attacks"][0].attempts[0]
    assert stored.outcome == patterns.ACCEPTED
    assert ("owner_id", patterns.MISSING_ID, False) in stored.rows[0].values
    assert str(patterns.MISSING_ID) in gfk.text
    fks = staff_client.post(reverse("demo_corrupt", args=["nullable_fks", missing]))
    refused = fks.context["attacks"][0].attempts[0]
    assert refused.outcome == patterns.REJECTED and refused.answer
    assert escape(refused.answer) in fks.text


@pytest.mark.parametrize("app", OWNERSHIP_APPS)
def test_the_listing_demonstration_measures_the_declared_counts_and_keeps_nothing(
    app, staff_client
):
    load_demo(app)
    before = all_row_counts()
    response = staff_client.post(reverse("demo_listing", args=[app]))
    assert response.status_code == 200
    assert all_row_counts() == before
    declared = patterns.module(app).OWNERSHIP
    sizes = response.context["sizes"]
    assert [size.declared_at for size in sizes] == list(demos.SIZES)
    naive = {
        "FETCH_ONE (Django's default)": declared.naive_fetch_one,
        "FETCH_PEERS": declared.naive_fetch_peers,
    }
    for n, size in enumerate(sizes):
        for listing in size.listings:
            assert listing.same_rows
            if listing.function == "task_rows_naive":
                assert listing.measured == naive[listing.mode][n]
            assert listing.measured == listing.declared
    # The page shows the measured counts next to the declared ones.
    rows = [row for row in Tables(response.text).tables[""] if len(row) == 5]
    assert [row[2:4] for row in rows[1:3]] == [
        [str(declared.naive_fetch_one[0])] * 2,
        ["1", "1"],
    ]


# Performance ---------------------------------------------------------------------


def record_run(root, name: str, started: str, charts=("time-sqlite.png",)) -> None:
    run = root / name
    (run / "charts").mkdir(parents=True)
    results = {
        "started": started,
        "command": f"python -m benchmarks.run --out {name}",
        "machine": {"cpu": "Test CPU", "cores": 2, "memory": "4 GiB", "os": "Linux"},
        "databases": {"sqlite": {"version": "3.40.1"}},
        # As benchmarks/charts.py's record() lists the charts it drew.
        "charts": list(charts),
    }
    (run / "results.json").write_text(json.dumps(results))
    for chart in charts:
        (run / "charts" / chart).write_bytes(b"\x89PNG\r\n\x1a\n" + name.encode())


def test_performance_says_when_no_run_is_recorded(client, tmp_path, monkeypatch):
    monkeypatch.setattr(site, "RESULTS", tmp_path)
    (tmp_path / "half-written").mkdir()  # a run still going: no results.json
    assert "No run recorded yet" in client.get(reverse("performance")).text


def test_performance_shows_the_newest_runs_charts_machine_date_and_command(
    client, tmp_path, monkeypatch
):
    monkeypatch.setattr(site, "RESULTS", tmp_path)
    record_run(tmp_path, "2026-01-02T000000Z-full", "2026-01-02T00:00:00+00:00")
    record_run(tmp_path, "2026-03-04T000000Z-quick", "2026-03-04T00:00:00+00:00")
    (tmp_path / "2026-05-06T000000Z-broken").mkdir()
    (tmp_path / "2026-05-06T000000Z-broken" / "results.json").write_text("{")
    assert client.head(reverse("performance")).status_code == 200
    text = client.get(reverse("performance")).text
    assert "2026-03-04T00:00:00+00:00" in text and "Test CPU" in text
    assert "python -m benchmarks.run --out 2026-03-04T000000Z-quick" in text
    chart = reverse(
        "performance_chart", args=["2026-03-04T000000Z-quick", "time-sqlite.png"]
    )
    assert chart in text
    assert client.head(chart).status_code == 200
    served = client.get(chart)
    assert served.status_code == 200
    assert b"".join(served.streaming_content).endswith(b"2026-03-04T000000Z-quick")


@pytest.mark.parametrize(
    "run, chart",
    [
        ("2026-03-04T000000Z-quick", "results.json"),
        ("2026-03-04T000000Z-quick", "nope.png"),
        ("..", "README.md"),
        ("2026-05-06T000000Z-none", "time-sqlite.png"),
    ],
)
def test_only_a_recorded_runs_charts_are_served(
    client, tmp_path, monkeypatch, run, chart
):
    monkeypatch.setattr(site, "RESULTS", tmp_path)
    record_run(tmp_path, "2026-03-04T000000Z-quick", "2026-03-04T00:00:00+00:00")
    assert client.get(f"/performance/{run}/{chart}").status_code == 404


def test_a_png_beside_a_runs_charts_is_neither_shown_nor_served(
    client, tmp_path, monkeypatch
):
    # Only the charts the run's results.json lists: a file copied into its
    # charts/ folder (or left by an older run) is not the run's.
    monkeypatch.setattr(site, "RESULTS", tmp_path)
    name = "2026-03-04T000000Z-quick"
    record_run(tmp_path, name, "2026-03-04T00:00:00+00:00")
    (tmp_path / name / "charts" / "stray.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    listed = reverse("performance_chart", args=[name, "time-sqlite.png"])
    stray = reverse("performance_chart", args=[name, "stray.png"])
    text = client.get(reverse("performance")).text
    assert listed in text and stray not in text
    assert client.get(listed).status_code == 200
    assert client.get(stray).status_code == 404
    assert site.recorded_run(name).charts == ["time-sqlite.png"]


def test_a_chart_the_run_lists_but_never_drew_is_not_shown(
    client, tmp_path, monkeypatch
):
    monkeypatch.setattr(site, "RESULTS", tmp_path)
    name = "2026-03-04T000000Z-quick"
    record_run(tmp_path, name, "2026-03-04T00:00:00+00:00")
    (tmp_path / name / "charts" / "time-sqlite.png").unlink()
    assert "This run drew no charts" in client.get(reverse("performance")).text
    chart = reverse("performance_chart", args=[name, "time-sqlite.png"])
    assert client.get(chart).status_code == 404


# The admin -----------------------------------------------------------------------


def test_the_admin_lists_the_patterns_in_the_comparisons_order(admin_client):
    apps_listed = [
        app["app_label"] for app in admin_client.get("/admin/").context["app_list"]
    ]
    ours = [app for app in apps_listed if app in [*PATTERN_APPS, "swappable"]]
    assert ours == [*PATTERN_APPS, "swappable"]
    assert apps_listed[: len(ours)] == ours
    assert "GFK baseline" in admin_client.get("/admin/").text


# The fields that say where a task's owner or a save's item is, in each app:
# foreign keys, one-to-ones and many-to-manys between its own models (not a
# group's creator), and a GFK's two columns.
GFK_COLUMNS = {"owner_type", "owner_id", "item_type", "item_id"}


def link_fields(app: str) -> list:
    found = []
    for model in apps.get_app_config(app).get_models():
        for field in model._meta.get_fields():
            if field.auto_created or not field.concrete and not field.many_to_many:
                continue
            if field.name in GFK_COLUMNS or (
                field.is_relation
                and field.name not in ("creator", "user")
                and not getattr(field.remote_field, "parent_link", False)
                and field.related_model._meta.app_label in (app, "auth")
                and isinstance(field, models.ForeignKey | models.ManyToManyField)
            ):
                found.append(field)
    return found


@pytest.mark.parametrize("app", [*PATTERN_APPS, "swappable"])
def test_every_owner_and_item_field_says_how_the_pattern_stores_it(app):
    fields = link_fields(app)
    assert fields, app
    assert [f for f in fields if not f.help_text] == []
    # A name of its own, not Django's default "Gfk_Baseline".
    assert "_" not in apps.get_app_config(app).verbose_name


@pytest.mark.parametrize("app", saves_params())
def test_each_changelist_tells_the_admins_queries_from_the_patterns(app, admin_client):
    module = patterns.module(app)
    for declared in (getattr(module, "OWNERSHIP", None), module.SAVES):
        for model, page in (declared.admin if declared else {}).items():
            if model not in admin.site._registry:
                continue
            opts = model._meta
            response = admin_client.get(
                reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
            )
            if "changelist-note" not in response.text:
                # A list drawn by its own template (linked_models' UNION).
                assert response.templates[0].name.endswith(
                    f"{opts.model_name}/change_list.html"
                )
                continue
            assert "duplicates" in response.text
            assert f"declared at <strong>{page.changelist}</strong>" in response.text
            return


# The dashboard's missing dates ------------------------------------------------------


@pytest.mark.parametrize("app", ["m2m_fields", "gfk_baseline"])
def test_the_dashboard_explains_a_save_time_the_pattern_cannot_record(
    app, client, django_user_model
):
    user = django_user_model.objects.create_user("saver")
    q = demos.queries_of(app)
    q.save_item(user, q.create_media("movie", "Alien", year=1979))
    client.force_login(user)
    text = client.get(reverse(f"{app}:saved")).text
    undated = not patterns.module(app).SAVES.feed_newest_first
    assert ("not-recorded" in text) is undated
    assert ("not recorded" in text) is undated


# The toolbar on the new pages, on the demo server itself ----------------------------


TOOLBAR = re.compile(r'id="djDebug"')


@pytest.mark.xdist_group("demo_server")
def test_the_demo_user_gets_the_toolbar_on_every_new_page(demo_server):
    browser = demo_server.browser()
    browser.sign_in("demo", "demo")
    pages = ["/", "/patterns/owner_table/", "/compare/", "/performance/"]
    for page in pages:
        reply = browser.get(page)
        assert reply.status == 200 and TOOLBAR.search(reply.text), page
    # One demonstration: the toolbar records every query, and a long one takes
    # its time (tests/browser/ runs each of them).
    token = browser.token("/patterns/owner_table/")
    reply = browser.post(demo_urls("owner_table")[2], token=token)
    assert reply.status == 200 and TOOLBAR.search(reply.text)
    reader = demo_server.browser()
    reader.sign_in("reader", "reader")
    assert not TOOLBAR.search(reader.get("/patterns/owner_table/").text)
