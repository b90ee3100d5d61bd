"""The docs state only what the declarations say (and the suite measures).

Tables are rendered from tests/patterns/ (render_docs); a test fails when a
committed rendering is stale. Prose outside the rendered blocks may not state
a measured number at all: a count, a row figure or an outcome written by hand
would not fail when it stops being true, so this test fails instead.
"""

import json
import re
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

from benchmarks import report
from benchmarks.run import FULL
from project.management.commands.render_docs import BLOCK, stale_files
from project.patterns import PATTERN_APPS

BASE = Path(settings.BASE_DIR)


def test_rendered_docs_match_the_declared_tables():
    # Fails when a declaration changes without `python manage.py render_docs`.
    assert stale_files() == []


def prose_pages() -> list[Path]:
    pages = [BASE / "README.md", *sorted((BASE / "docs").glob("*.md"))]
    pages += sorted(BASE.glob("*/README.md"))
    # Generated whole from a recorded benchmark run, and drift-tested there.
    generated = {
        BASE / "docs" / name
        for name in ("performance.md", "adding-a-type.md", "moving-off-a-gfk.md")
    }
    return [
        page for page in pages if page not in generated and ".venv" not in str(page)
    ]


# Where a digit is not a measurement: versions, ports, addresses, the articles'
# numbering, file names and code. Anything else with a digit fails the test.
NOT_A_MEASUREMENT = re.compile(
    r"```.*?```"  # code blocks
    r"|`[^`\n]*`"  # code spans
    r"|\]\([^)]*\)"  # link targets
    r"|<!--.*?-->"  # comments
    r"|\b(?:Django|Python|PostgreSQL|MariaDB|MySQL|SQLite|Chromium|pytest)"
    r"\s+\d+(?:\.\d+)*\+?"
    r"|\b(?i:alternatives?|option) \d(?:-\d)?(?:, \d)*"
    r"|\b[A-Za-z_]+\d[\w]*"  # names with a digit in them: o2o, m2m, python3
    r"|\bport \d+"
    r"|\bticket #\d+"
    r"|\b(?:a|an|no) [45]\d\d\b"  # an HTTP status: "a 500", "a 404"
    r"|\b(?:localhost|127\.0\.0\.1)(?::\d+)?"
    r"|\b\d{4}-\d{2}-\d{2}\b"  # dates
    r"|\b(?:64|32)-bit\b"
    r"|\bN\+1\b",
    re.DOTALL,
)
COUNT_IN_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|twice)\s+"
    r"(?:more\s+|extra\s+|fewer\s+)?(?:quer(?:y|ies)|statements?|round trips?)\b",
    re.IGNORECASE,
)


def stated_numbers(text: str) -> list[str]:
    prose = NOT_A_MEASUREMENT.sub(" ", BLOCK.sub(" ", text))
    digits = [m.group(0) for m in re.finditer(r"[^\n]{0,30}\d[^\n]{0,30}", prose)]
    words = [m.group(0) for m in COUNT_IN_WORDS.finditer(prose)]
    return digits + words


@pytest.mark.parametrize("doc", prose_pages(), ids=lambda p: str(p.relative_to(BASE)))
def test_prose_states_no_number_by_hand(doc):
    assert stated_numbers(doc.read_text()) == []


def test_the_number_check_catches_a_count_written_in_prose():
    # The guard above must fail on what it guards against.
    assert stated_numbers("The listing costs 181 queries.")
    assert stated_numbers("`task_rows()` is one query, always.")
    assert stated_numbers("It takes three queries per page.")
    assert not stated_numbers("Django 6.1 and Python 3.12, `task_rows()`.")
    assert not stated_numbers("<!-- declared:start -->\n| 181 |\n<!-- declared:end -->")


# docs/performance.md ----------------------------------------------------------


def newest_full_run() -> Path:
    runs = sorted((BASE / "benchmarks" / "results").glob("*-full/results.json"))
    assert runs, "no full run recorded: make benchmark-full, then benchmarks.report"
    return runs[-1]


def test_performance_page_renders_the_newest_full_run_with_every_outlier_explained():
    # Fails when the run, benchmarks/explanations.toml or the report changed
    # without `python -m benchmarks.report <results.json>`, and while an
    # operation over 3x the fastest has no explanation.
    results_file = newest_full_run()
    results = json.loads(results_file.read_text())
    texts = tomllib.loads(report.EXPLANATIONS.read_text())
    page, unexplained = report.render_doc(results, results_file, texts, report.DOC)
    assert unexplained == []
    assert report.DOC.read_text() == page


def test_the_recorded_run_is_the_whole_grid_with_its_charts():
    results_file = newest_full_run()
    results = json.loads(results_file.read_text())
    assert results["sizes"] == FULL["sizes"]
    assert results["apps"] == PATTERN_APPS
    # The third database is added to the same run: make benchmark-mariadb.
    assert set(results["databases"]) == {*FULL["databases"], "mariadb"}
    charts = {path.name for path in (results_file.parent / "charts").glob("*.png")}
    largest = max(FULL["sizes"])
    for database in results["databases"]:
        assert {f"time-{database}.png", f"ratio-{database}-{largest}.png"} <= charts
    # The site serves the charts the results file lists: every one drawn.
    assert set(results["charts"]) == charts
