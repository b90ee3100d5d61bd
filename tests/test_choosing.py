"""The "which one?" verdicts (project/choosing.py) still follow from the matrix.

A verdict recommends patterns and warns against others, citing matrix rows.
Every cited row must exist; every recommended pattern must show a supporting
value in each cited row; every pattern warned against must fail at least one;
and no pattern with cells in the cited rows is left out of both. The README's
table and docs/choosing.md, read back, must say each verdict as it is: what it
picks and avoids on every database, the caveats for one database included.
"""

import re
from pathlib import Path

import pytest
from django.conf import settings

from project.choosing import VERDICTS
from project.management.commands.render_docs import BLOCK, matrix
from project.patterns import DATABASES, PATTERN_APPS, SAVES_APPS


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


@pytest.mark.parametrize("verdict", VERDICTS, ids=lambda v: v.question[:50])
def test_a_verdict_places_every_pattern_its_rows_measure(verdict):
    # A pattern the cited rows measure (a cell other than "-": m2m_fields has
    # no tasks) is picked or avoided; a guide that stays silent on it reads
    # as if it hadn't been measured. "-" is the same on every database.
    rows = matrix()
    placed = {*verdict.pick, *verdict.avoid}
    measured = [
        app
        for app in PATTERN_APPS
        if any(rows[c.row][SAVES_APPS.index(app)] != "-" for c in verdict.cites)
    ]
    assert [app for app in measured if app not in placed] == []


def test_the_check_catches_a_verdict_silent_on_a_measured_pattern():
    # The guard above must fail when a library drops out of a verdict.
    from dataclasses import replace

    picked = next(v for v in VERDICTS if "polymorphic_models" in v.pick)
    silent = replace(
        picked, pick=tuple(a for a in picked.pick if a != "polymorphic_models")
    )
    test_a_verdict_places_every_pattern_its_rows_measure(picked)
    with pytest.raises(AssertionError):
        test_a_verdict_places_every_pattern_its_rows_measure(silent)


def apps_in(text: str) -> tuple[str, ...]:
    return tuple(word for word in re.findall(r"\w+", text) if word in SAVES_APPS)


# "; on MariaDB, `owner_table` too" (the README's table, the site's) or
# ". On MariaDB, avoid `owner_table` too." (docs/choosing.md).
CAVEAT = re.compile(rf"[Oo]n ({'|'.join(DATABASES.values())}), (?:avoid )?([^;.]*) too")


def read_back(pick: str, avoid: str) -> dict[str, tuple[tuple, tuple]]:
    """A verdict's pick and avoid as a page words them, read back as
    Verdict.on() answers: (pick, avoid) on each database."""
    vendor_of = {name: vendor for vendor, name in DATABASES.items()}
    extra = {vendor_of[name]: apps_in(apps) for name, apps in CAVEAT.findall(avoid)}
    everywhere = apps_in(CAVEAT.sub("", avoid))
    return {
        vendor: (
            tuple(app for app in apps_in(pick) if app not in extra.get(vendor, ())),
            (*everywhere, *extra.get(vendor, ())),
        )
        for vendor in DATABASES
    }


def readme_verdicts() -> list[tuple[str, str, str]]:
    """The README's "Which one?" table: (question, pick, avoid) a row."""
    text = (Path(settings.BASE_DIR) / "README.md").read_text()
    [block] = [b for b in BLOCK.finditer(text) if b.group(1) == "choosing"]
    rows = [line.strip("|").split(" | ") for line in block.group().splitlines()]
    return [tuple(cell.strip() for cell in row) for row in rows[3:-1]]


def guide_verdicts() -> list[tuple[str, str, str]]:
    """docs/choosing.md's rendered verdicts: (question, pick, avoid), the
    avoid with the sentences on single databases after it."""
    text = (Path(settings.BASE_DIR) / "docs" / "choosing.md").read_text()
    return re.findall(r"^### (.+)\n\nIf yes: pick (.+?); avoid (.+)$", text, re.M)


@pytest.mark.parametrize("rendered", [readme_verdicts, guide_verdicts])
def test_the_docs_say_what_each_verdict_picks_and_avoids_on_each_database(rendered):
    # The verdicts above follow from the matrix; the README's table and the
    # guide must then say them: every pick, every avoid, every database's own.
    shown = rendered()
    assert [question for question, _, _ in shown] == [v.question for v in VERDICTS]
    for verdict, (_, pick, avoid) in zip(VERDICTS, shown, strict=True):
        read = read_back(pick, avoid)
        assert read == {vendor: verdict.on(vendor) for vendor in DATABASES}, (
            verdict.question
        )


def test_the_reading_back_sees_a_dropped_caveat_pick_or_avoid():
    [deletes] = [v for v in VERDICTS if v.not_on]
    as_shown = {vendor: deletes.on(vendor) for vendor in DATABASES}
    [(vendor, dropped)] = deletes.not_on.items()
    other = next(name for v, name in DATABASES.items() if v != vendor)

    def names(apps):
        return ", ".join(f"`{app}`" for app in apps)

    pick, avoid = names(deletes.pick), names(deletes.avoid)
    caveat = f"; on {DATABASES[vendor]}, {names(dropped)} too"
    assert read_back(pick, avoid + caveat) == as_shown
    assert read_back(pick, avoid) != as_shown
    assert read_back(pick, avoid + caveat.replace(DATABASES[vendor], other)) != as_shown
    assert read_back(names(deletes.pick[1:]), avoid + caveat) != as_shown
    assert read_back(pick, names(deletes.avoid[1:]) + caveat) != as_shown


def guide_prose() -> str:
    """docs/choosing.md as written by hand: the rendered verdicts left out."""
    path = Path(settings.BASE_DIR) / "docs" / "choosing.md"
    return BLOCK.sub(" ", path.read_text())


def missing_citations(prose: str) -> list[str]:
    """The rows and tests the prose cites that the matrix or no app's tests/
    has. Rows are quoted by their name in the comparison, tests named in code."""
    rows = [" ".join(q.split()) for q in re.findall(r'"([^"]+)"', prose)]
    tests = re.findall(r"`(test_\w+)`", prose)
    base = Path(settings.BASE_DIR)
    defined = {
        name
        for app in PATTERN_APPS
        for module in (base / app / "tests").glob("test_*.py")
        for name in re.findall(r"^def (test_\w+)", module.read_text(), re.M)
    }
    labels = matrix()
    return [row for row in rows if row not in labels] + [
        test for test in tests if test not in defined
    ]


def test_the_guides_prose_cites_rows_and_tests_that_exist():
    # The section on libraries is prose, not a rendering: its citations must
    # still name a row of the matrix and a test in one of the apps' tests/.
    prose = guide_prose()
    assert '"' in prose and "`test_" in prose  # it cites both kinds
    assert missing_citations(prose) == []


def test_the_citation_check_catches_a_row_or_test_that_is_gone():
    prose = (
        'as "task owned by\n  nobody" shows, not "task owned by no one";'
        " (`test_one_join_builds_each_owner_as_its_class`, `test_gone`)"
    )
    assert missing_citations(prose) == ["task owned by no one", "test_gone"]


@pytest.mark.parametrize("vendor", DATABASES)
def test_inheritance_manager_measures_as_mti_in_every_row(vendor):
    # The guide says the manager costs and guards what mti does: the same
    # schema, with the downcast in Python.
    rows = matrix(vendor)
    # Except the size of the add-a-type patch: code, which the library is
    # there to change, not a cost or a guarantee.
    rows.pop("adding a type: files (outside the app) / lines of the patch")
    column = {
        app: [cells[SAVES_APPS.index(app)] for cells in rows.values()]
        for app in ("mti", "inheritance_manager")
    }
    assert column["inheritance_manager"] == column["mti"]
