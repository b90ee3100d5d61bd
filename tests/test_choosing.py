"""The "which one?" verdicts (project/choosing.py) still follow from the matrix.

A verdict recommends patterns and warns against others, citing matrix rows.
Every cited row must exist; every recommended pattern must show a supporting
value in each cited row; every pattern warned against must fail at least one.
"""

import pytest

from project.choosing import VERDICTS
from project.management.commands.render_docs import matrix
from project.patterns import DATABASES, SAVES_APPS


def outcome(cell: str) -> str:
    # "rejected; Django refuses it via bulk_create": the database's outcome
    # first, a note on Django's own refusal after it.
    return cell.split(";")[0]


@pytest.mark.parametrize("vendor", DATABASES)
@pytest.mark.parametrize("verdict", VERDICTS, ids=lambda v: v.question[:50])
def test_a_verdict_follows_from_the_rows_it_cites_on_each_database(verdict, vendor):
    # Each database's own outcomes, as declared: the suite checks the
    # declarations on the database it runs on (tests/test_integrity.py).
    rows = matrix(vendor)
    pick, avoid = verdict.on(vendor)
    for cited in verdict.cites:
        assert cited.row in rows, f"cited row gone: {cited.row!r}"
    for app in (*pick, *avoid):
        assert app in SAVES_APPS, app
    assert set(verdict.not_on) <= set(DATABASES)
    for app in pick:
        cells = [rows[c.row][SAVES_APPS.index(app)] for c in verdict.cites]
        # "-": the pattern doesn't model that domain (m2m_fields has no tasks).
        assert all(
            outcome(cell) in c.good or cell == "-"
            for c, cell in zip(verdict.cites, cells, strict=True)
        ), (app, cells)
    for app in avoid:
        cells = [rows[c.row][SAVES_APPS.index(app)] for c in verdict.cites]
        assert any(
            outcome(cell) not in c.good and cell != "-"
            for c, cell in zip(verdict.cites, cells, strict=True)
        ), (app, cells)


def test_the_check_catches_a_verdict_the_matrix_contradicts():
    # The guard must fail when a recommended pattern stops meeting a row.
    from project.choosing import Verdict, cite

    wrong = Verdict(
        "?",
        "yes",
        ("nullable_fks",),
        (),
        "",
        (cite("task owned by nobody", "rejected"),),
    )
    with pytest.raises(AssertionError):
        test_a_verdict_follows_from_the_rows_it_cites_on_each_database(wrong, "sqlite")


def test_the_check_catches_a_pick_that_fails_on_one_database():
    # owner_table's ORM delete cascades on SQLite and PostgreSQL, and is
    # refused on MariaDB: a verdict that picks it there must not pass.
    from dataclasses import replace

    [deletes] = [v for v in VERDICTS if v.not_on]
    loose = replace(deletes, not_on={})
    test_a_verdict_follows_from_the_rows_it_cites_on_each_database(loose, "sqlite")
    with pytest.raises(AssertionError):
        test_a_verdict_follows_from_the_rows_it_cites_on_each_database(loose, "mysql")
