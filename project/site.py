"""What the site shows besides its live runs: the comparison, the verdicts, the
patterns' code and README, SQL made readable, and the last benchmark run.

Every number here is the declarations' (tests/patterns/, through render_docs'
matrix()) or a recorded run's (benchmarks/results/); none is written by hand.
"""

from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt
from pygments import format as format_tokens
from pygments import highlight
from pygments.formatters import HtmlFormatter

# From their own modules, not through pygments.lexers' lazy name lookup: one
# fresh-clone `make demo` failed its system checks with "cannot import name
# 'PythonLexer' from 'pygments.lexers'" (once; the cause was not found), and
# this path skips the lookup that raised it.
from pygments.lexers.python import PythonLexer
from pygments.lexers.sql import SqlLexer
from pygments.token import Token

from project.choosing import VERDICTS
from project.management.commands.render_docs import matrix
from project.patterns import DATABASES, OWNERSHIP_APPS, PATTERN_APPS
from tests import patterns

BASE = Path(settings.BASE_DIR)
# The files a reader opens side by side (README.md's "diff -u" advice).
SOURCES = ("models.py", "queries.py")

ARTICLES = [
    (
        "Luke Plant, “Avoid Django's GenericForeignKey”",
        "https://lukeplant.me.uk/blog/posts/avoid-django-genericforeignkey/",
        "the Person/Group/Task domain, why a GFK hurts, Alternatives 1 to 5,"
        " and swappable models for reusable apps",
    ),
    (
        "Abenezer Belachew, “Avoiding Generic Foreign Keys by using Check Constraints”",
        "https://abenezer.org/blog/generic-foreign-key-check-constraint",
        "a type column, nullable foreign keys and a CheckConstraint: the"
        " check_constraint app",
    ),
    (
        "“The 'Save Button' Dilemma: Choosing Redundancy Over DRY in Django”",
        "https://engineeringnotes.dev/blog/"
        "the-save-button-dilemma-choosing-redundancy-over-dry-in-django/",
        "movies, anime and manga saved by users: explicit tables, a GFK, a"
        " ManyToManyField, and the exactly-one CheckConstraint",
    ),
]


def pattern_apps() -> list[str]:
    return list(PATTERN_APPS)


def is_pattern(app: str) -> bool:
    return app in PATTERN_APPS


def has_ownership(app: str) -> bool:
    return app in OWNERSHIP_APPS


# Markdown's inline marks, as the rendered tables use them -----------------------

INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*")


def inline(text: str) -> SafeString:
    """`code` and **bold** of a matrix label or cell as HTML, the rest escaped."""
    out, end = [], 0
    for match in INLINE.finditer(text):
        out.append(escape(text[end : match.start()]))
        code, bold = match.groups()
        if code is not None:
            out.append(format_html("<code>{}</code>", code))
        else:
            out.append(format_html('<strong class="bad">{}</strong>', bold))
        end = match.end()
    out.append(escape(text[end:]))
    return mark_safe("".join(out))


# The comparison -----------------------------------------------------------------


@dataclass
class MatrixRow:
    label: SafeString
    cells: list[SafeString]
    # Every pattern that has the domain agrees: the README folds these rows.
    same: bool
    common: SafeString = mark_safe("")


def matrix_rows(apps: list[str] | None = None) -> list[MatrixRow]:
    """render_docs' matrix, as HTML, for every pattern or the `apps` given."""
    columns = [PATTERN_APPS.index(app) for app in (apps or PATTERN_APPS)]
    rows = []
    for label, cells in matrix().items():
        present = {cell for cell in cells if cell != "-"}
        chosen = [cells[i] for i in columns]
        rows.append(
            MatrixRow(
                inline(label),
                [inline(c) for c in chosen],
                len(present) <= 1,
                inline(next(iter(present), "-")),
            )
        )
    return rows


@dataclass
class Choice:
    question: str
    pick: list[str]
    avoid: list[str]
    because: str
    cited: list[MatrixRow]
    apps: list[str]
    # (a database's name, the picks to avoid there too), as the README says it.
    not_on: list[tuple[str, list[str]]]


def choices() -> list[Choice]:
    """project/choosing.py's verdicts, each with the cells of the rows it cites."""
    rows = matrix()
    found = []
    for verdict in VERDICTS:
        named = [*verdict.pick, *verdict.avoid]
        cited = [
            MatrixRow(
                inline(cite.row),
                [inline(rows[cite.row][PATTERN_APPS.index(app)]) for app in named],
                False,
            )
            for cite in verdict.cites
        ]
        found.append(
            Choice(
                verdict.question,
                list(verdict.pick),
                list(verdict.avoid),
                verdict.because,
                cited,
                named,
                [
                    (DATABASES[vendor], list(apps))
                    for vendor, apps in verdict.not_on.items()
                ],
            )
        )
    return found


# Code, READMEs and SQL ----------------------------------------------------------

FORMATTER = HtmlFormatter(cssclass="highlight")


def pygments_css() -> str:
    return FORMATTER.get_style_defs(".highlight")


def source(app: str, name: str) -> str:
    return (BASE / app / name).read_text()


def highlighted(app: str, name: str) -> SafeString:
    # Highlighting a module takes a good part of a page's time: once per
    # version of the file.
    return _highlighted(app, name, (BASE / app / name).stat().st_mtime_ns)


@lru_cache(maxsize=128)
def _highlighted(app: str, name: str, version: int) -> SafeString:
    return mark_safe(
        highlight(
            source(app, name),
            PythonLexer(),
            HtmlFormatter(cssclass="highlight", linenos="table"),
        )
    )


@cache
def _markdown() -> MarkdownIt:
    # The READMEs are the repo's own: their HTML comments (the rendered
    # blocks' markers) pass through as comments.
    return MarkdownIt("commonmark", {"html": True}).enable("table")


def readme(app: str) -> SafeString:
    markdown = _markdown()
    tokens = markdown.parse(source(app, "README.md"))
    for token in tokens:
        # A table column's alignment comes as style="text-align:right", which
        # the Content-Security-Policy refuses: a class instead (base.html).
        style = token.attrs.pop("style", None) if token.type in CELLS else None
        if style:
            token.attrSet("class", style.replace("text-align:", "align-"))
    return mark_safe(markdown.renderer.render(tokens, markdown.options, {}))


CELLS = ("th_open", "td_open")


# Keywords that start a clause, and so a line, when not inside parentheses;
# not when they continue one ("LEFT OUTER JOIN", "UNION ALL").
CLAUSE_STARTS = {
    "SELECT", "FROM", "WHERE", "ORDER", "GROUP", "HAVING", "LIMIT", "OFFSET",
    "UNION", "VALUES", "SET", "RETURNING", "INNER", "LEFT", "RIGHT", "FULL",
    "CROSS", "JOIN",
}  # fmt: skip
CLAUSE_CONTINUES = {"INNER", "LEFT", "RIGHT", "FULL", "CROSS", "OUTER", "UNION"}


@lru_cache(maxsize=4096)
def formatted_sql(sql: str) -> SafeString:
    """One statement, a clause a line, keywords upper-cased, highlighted.

    One pass of Pygments' SQL lexer does both; a reindenting formatter
    (sqlparse) was an order of magnitude slower, and an attack's page shows
    hundreds of statements."""
    tokens: list[tuple] = []
    depth, previous = 0, ""
    for ttype, value in SqlLexer().get_tokens(sql):
        if ttype in Token.Punctuation:
            depth += value.count("(") - value.count(")")
        elif ttype in Token.Keyword:
            value = value.upper()
            starts = value in CLAUSE_STARTS and previous not in CLAUSE_CONTINUES
            if depth == 0 and tokens and starts:
                if tokens[-1][0] in Token.Text and not tokens[-1][1].strip():
                    tokens.pop()
                tokens.append((Token.Text, "\n"))
            previous = value
        tokens.append((ttype, value))
    return mark_safe(format_tokens(tokens, FORMATTER))


# Literals and numbers, so that the N+1's queries group as one shape.
LITERAL = re.compile(r"'(?:[^']|'')*'|\b\d+\b")


@dataclass
class SqlGroup:
    count: int
    example: SafeString


def grouped_sql(sql: list[str]) -> list[SqlGroup]:
    """Queries that differ only in their values, as one shape with a count, in
    the order each shape was first sent."""
    groups: dict[str, list] = {}
    for statement in sql:
        groups.setdefault(LITERAL.sub("?", statement), []).append(statement)
    return [SqlGroup(len(found), formatted_sql(found[0])) for found in groups.values()]


def side_by_side(a: str, b: str, name: str) -> SafeString:
    """Two apps' copies of one file as difflib's side-by-side table, with the
    lines around each change."""
    table = difflib.HtmlDiff(tabsize=4, wrapcolumn=72).make_table(
        source(a, name).splitlines(),
        source(b, name).splitlines(),
        f"{a}/{name}",
        f"{b}/{name}",
        context=True,
        numlines=3,
    )
    return mark_safe(table)


# What each pattern declares, for the pages that explain it ---------------------


def feed_is_dated(app: str) -> bool:
    return patterns.module(app).SAVES.feed_newest_first


def feed_ties(app: str) -> tuple[str, str]:
    ties = patterns.module(app).SAVES.feed_ties
    return ties, patterns.FEED_TIES[ties]


# The last benchmark run -----------------------------------------------------------

RESULTS = BASE / "benchmarks" / "results"


@dataclass
class Run:
    name: str
    results: dict
    charts: list[str]

    @property
    def databases(self) -> list[tuple[str, str]]:
        return [
            (name, part.get("version", ""))
            for name, part in self.results.get("databases", {}).items()
        ]


def _read(path: Path) -> dict | None:
    try:
        results = json.loads(path.read_text())
    except (OSError, ValueError):
        return None
    return results if isinstance(results, dict) else None


def recorded_runs(root: Path | None = None) -> dict[str, Path]:
    """Run name -> its results.json, for every run that wrote one."""
    return {path.parent.name: path for path in (root or RESULTS).glob("*/results.json")}


def recorded_run(name: str, root: Path | None = None) -> Run | None:
    path = recorded_runs(root).get(name)
    results = _read(path) if path else None
    if results is None:
        return None
    # The charts its results file lists (benchmarks/charts.py's record()), and
    # only those: a file dropped beside them is not the run's, and is not served.
    listed = results.get("charts")
    folder = path.parent / "charts"
    charts = [
        chart
        for chart in (listed if isinstance(listed, list) else [])
        if isinstance(chart, str)
        and Path(chart).name == chart
        and chart.endswith(".png")
        and (folder / chart).is_file()
    ]
    return Run(name, results, charts)


def latest_run(root: Path | None = None) -> Run | None:
    """The newest recorded run: by the time it started, as its results.json
    says (run directories are named after it too). None when there is none."""
    runs = [recorded_run(name, root) for name in recorded_runs(root)]
    runs = [run for run in runs if run is not None]
    if not runs:
        return None
    return max(runs, key=lambda run: (str(run.results.get("started", "")), run.name))
