"""Browser tests: Playwright (pytest-playwright) driving Debian's Chromium
against the demo server itself (tests/live.py), as a visitor would use it.

Run them with `make test-live` (pytest -m "live or browser"); `make test`
leaves them out. Chromium is Debian's (`apt-get install chromium`),
never a browser Playwright downloads. A failing test leaves a screenshot of
every page it had opened in $BROWSER_SCREENSHOTS (a temp dir by default), and
says where.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import urllib.parse
from pathlib import Path

import pytest
from django.apps import apps

from tests.live import DemoServer

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
# What headless Chromium needs as root in a container, and nothing that calls
# home: no sandbox (root), no GPU, /tmp instead of a small /dev/shm, and no
# background updates, sync or first-run pages.
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(
    os.environ.get(
        "BROWSER_SCREENSHOTS",
        Path(tempfile.gettempdir()) / "gfk-alternatives-browser-screenshots",
    )
)


def pytest_configure(config):
    # Registered here too, so that --strict-markers accepts it wherever the
    # pyproject's list doesn't have it yet.
    config.addinivalue_line(
        "markers", "browser: drives a real browser (make test-live)"
    )


def pytest_collection_modifyitems(config, items):
    # Only when asked for by marker (-m browser): the default run deselects
    # them, as pyproject's addopts does for `history`.
    if "browser" in (config.option.markexpr or "").replace("not browser", ""):
        return
    chosen = [item for item in items if "browser" not in item.keywords]
    if len(chosen) != len(items):
        config.hook.pytest_deselected(
            items=[item for item in items if "browser" in item.keywords]
        )
        items[:] = chosen


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"No Chromium at {CHROMIUM}: apt-get install -y chromium")
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_FLAGS,
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1280, "height": 900}}


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


# What the Content-Security-Policy refused, told to the test: Chromium reports
# it to the page as an event, which Playwright's console listener never sees.
# Composed, the event reaches the document from the toolbar's shadow root too.
REPORT_VIOLATIONS = """
document.addEventListener("securitypolicyviolation", (event) => {
  window.reportViolation(
    `${event.effectiveDirective} refused ${event.blockedURI || "?"}`
    + ` in ${event.sourceFile || document.location.pathname}:${event.lineNumber}`
    + ` (${event.sample})`
  );
});
"""


class Walk:
    """A page and the screenshots of every page it opened, kept on failure.

    Every error the page reports fails the test: a console error, an
    uncaught exception, a 4xx or 5xx response, a refusal by the
    Content-Security-Policy."""

    def __init__(self, page, base: str, folder: Path):
        self.page, self.base, self.folder = page, base, folder
        self.shots = 0
        self.errors: list[str] = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.errors.append(f"page: {error}"))
        page.on("response", self.response)
        page.expose_function("reportViolation", self.violation)
        page.add_init_script(REPORT_VIOLATIONS)

    def console(self, message) -> None:
        # A failed load is logged without its address: response() names it.
        if message.type == "error" and not message.text.startswith(
            "Failed to load resource"
        ):
            self.errors.append(f"console: {message.text}")

    def violation(self, text: str) -> None:
        self.errors.append(f"CSP: {text}")

    def response(self, response) -> None:
        # The browser's own guess at an icon is no page's error.
        path = urllib.parse.urlsplit(response.url).path
        if response.status >= 400 and path != "/favicon.ico":
            self.errors.append(f"{response.status}: {response.url}")

    def shot(self, name: str, full_page: bool = False) -> None:
        # The visible part only, as it is opened: a whole page of SQL takes
        # seconds to draw. The page a test fails on is drawn whole.
        self.shots += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        path = self.folder / f"{self.shots:02d}-{name}.png"
        self.page.screenshot(path=path, full_page=full_page)

    def open(self, path: str, name: str):
        response = self.page.goto(self.base + path)
        self.shot(name)
        return response

    def sign_in(self, username: str = "demo", password: str = "demo") -> None:
        self.open("/accounts/login/", "login")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", password)
        self.page.click("main button[type=submit]")
        self.page.wait_for_load_state()


@pytest.fixture
def walk(demo_server, page, request):
    # demo_server (tests/conftest.py) first: it is set up before Playwright
    # starts its event loop (Django refuses to open a connection inside one,
    # and DemoServer makes PostgreSQL's database with Django's), and stopped
    # after it ends.
    folder = SCREENSHOTS / request.node.name
    shutil.rmtree(folder, ignore_errors=True)
    walker = Walk(page, demo_server.base, folder)
    yield walker
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        walker.shot("at-failure", full_page=True)
        print(f"\nScreenshots of every page this test opened: {folder}")
    else:
        shutil.rmtree(folder, ignore_errors=True)
    assert walker.errors == [], walker.errors


def row_counts(server: DemoServer, app: str) -> dict[str, int]:
    """Rows in every table of an app, read from the demo server's database."""
    tables = [
        model._meta.db_table
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    ]
    url = server.env["DATABASE_URL"]
    if url.startswith("sqlite"):
        with sqlite3.connect(urllib.parse.urlsplit(url).path) as db:
            return {
                t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0]
                for t in tables
            }
    import psycopg

    with psycopg.connect(url) as db:
        return {
            t: db.execute(f'SELECT COUNT(*) FROM "{t}"').fetchone()[0] for t in tables
        }
