"""Adding a type: the recorded run, its page, and the patches it measured.

The recorded run (benchmarks/results/<date>-adding/, `make benchmark-adding`)
loads 100,000 tasks before it migrates; the tests marked `extend` (`make
test-extend`, on SQLite and on PostgreSQL) run every patch again at a small
size and fail when what the run recorded is no longer what the patch does.
"""

from __future__ import annotations

import json

import pytest

from benchmarks import adding, runs
from benchmarks.adding_report import render
from project.patterns import PATTERN_APPS


def newest_run() -> dict:
    runs = sorted(adding.RESULTS.glob("*-adding/results.json"))
    assert runs, "no recorded run: make benchmark-adding"
    return json.loads(runs[-1].read_text())


def test_every_pattern_app_has_an_add_a_type_patch():
    assert adding.apps_with_patch() == PATTERN_APPS


def test_the_recorded_run_covers_every_patch_on_both_databases_at_size():
    run = newest_run()
    assert set(run["apps"]) == set(PATTERN_APPS)
    for app, by_vendor in run["apps"].items():
        assert set(by_vendor) == {"sqlite", "postgresql"}, app
        for vendor, result in by_vendor.items():
            assert result["tasks"] == adding.TASKS, (app, vendor)
            # The tables held the dataset when the migration ran over them.
            assert sum(result["rows_before"].values()) >= adding.TASKS, (app, vendor)
            kept = {t: result["rows_after"][t] for t in result["rows_before"]}
            assert kept == result["rows_before"], (app, vendor)
            summary = result["suite"]["summary"]
            assert "passed" in summary and "failed" not in summary, (app, vendor)


def test_the_page_is_the_newest_recorded_run_rendered():
    expected = render(newest_run())
    assert adding.DOC.read_text() == expected, (
        "docs/adding-a-type.md is stale: python -m benchmarks.adding --render"
        " benchmarks/results/<newest>-adding/results.json > docs/adding-a-type.md"
    )


@pytest.mark.extend
@pytest.mark.parametrize("app", PATTERN_APPS)
def test_the_patch_migrates_a_full_database_and_passes_the_suite_as_recorded(app):
    # measure() raises if a step fails: the patch doesn't apply, a migration
    # doesn't run over the rows, or the app's share of the suite (with the
    # fourth kind's tests) fails.
    fresh = adding.measure(app, runs.vendor(), adding.SMALL)
    kept = {t: fresh["rows_after"][t] for t in fresh["rows_before"]}
    assert kept == fresh["rows_before"]
    recorded = newest_run()["apps"][app][runs.vendor()]
    assert adding.facts(fresh) == adding.facts(recorded), (
        "the patch no longer does what the recorded run measured:"
        " make benchmark-adding, then render docs/adding-a-type.md"
    )
