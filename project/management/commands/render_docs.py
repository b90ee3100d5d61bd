"""Render the declared tables (tests/patterns/) into the READMEs and docs/.

The tables are what the shared suite checks against fresh measurements; the
docs are rendered from them, and tests/test_docs.py fails when a committed
doc differs from a fresh render. So: measured -> declared -> documented.

    python manage.py render_docs          # rewrite the generated blocks
    python manage.py render_docs --check  # exit 1 if any block is stale
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from project.choosing import VERDICTS, summary_rows
from project.patterns import SAVES_APPS
from tests import patterns
from tests.patterns import Cost, Rule

# Generated blocks sit between <!-- NAME:start --> and <!-- NAME:end -->.
BLOCK = re.compile(r"<!-- (\w[\w-]*):start -->.*?<!-- \1:end -->", re.DOTALL)

OUTCOME_LABELS = {
    patterns.REJECTED: "rejected",
    patterns.ACCEPTED: "**accepted (corrupt)**",
    patterns.CASCADED: "cascaded",
    patterns.PROTECTED: "refused by Django",
    patterns.UNREPRESENTABLE: "can't be written",
}
SOURCE = (
    "_Rendered by `python manage.py render_docs` from `tests/patterns/{app}.py`;"
    " every value is checked against a fresh measurement by `tests/`._"
)


def yes_no(flag: bool) -> str:
    return "yes" if flag else "**no**"


def count_text(count: int | tuple[int, int]) -> str:
    """3, or "4 → 13" where ten times the rows cost more."""
    if isinstance(count, tuple) and count[0] != count[1]:
        return f"{count[0]} → {count[1]}"
    return str(patterns.at_size(count, False))


def counts_text(cost: Cost, cold: bool = False) -> str:
    """One count, or the counts of each situation joined by " / "; then the
    counts on each database that differs."""

    def joined(queries):
        counts = [count_text(c) for c in queries.values()]
        return counts[0] if len(set(counts)) == 1 else " / ".join(counts)

    text = joined(cost.cold_queries() if cold else cost.queries)
    for vendor in cost.on:
        queries = cost.cold_queries(vendor) if cold else cost.queries_on(vendor)
        text += f"; on {patterns.DATABASES[vendor]}: {joined(queries)}"
    return text


def outcome_text(
    verdict: patterns.Verdict, reason: bool = False, vendor: str | None = None
) -> str:
    """The outcome on every database, a note for each that differs; or, for
    one vendor, the outcome there alone."""
    outcome = verdict.outcome if vendor is None else verdict.outcome_on(vendor)
    label = OUTCOME_LABELS[outcome]
    if reason and verdict.because:
        label += f" ({verdict.because})"
    if verdict.refused_by_django:
        label += f"; Django refuses it via {', '.join(verdict.refused_by_django)}"
    if vendor is None:
        for other, differs in verdict.on.items():
            label += f"; on {patterns.DATABASES[other]}: {OUTCOME_LABELS[differs]}"
    return label


# One app's block ----------------------------------------------------------------


def cost_lines(declared) -> list[str]:
    lines = []
    for function, cost in declared.costs.items():
        for n, situation in enumerate(cost.queries):
            call = f"`{function.__name__}()`" if n == 0 else ""
            when = situation.phrase or "-"
            cells = []
            for cold in (False, True):
                counts = cost.cold_queries() if cold else cost.queries
                cell = count_text(counts[situation])
                for vendor in cost.on:
                    there = (
                        cost.cold_queries(vendor) if cold else cost.queries_on(vendor)
                    )
                    if there[situation] != counts[situation]:
                        differs = count_text(there[situation])
                        cell += f"; on {patterns.DATABASES[vendor]}: {differs}"
                cells.append(cell)
            lines.append(f"| {call} | {when} | {cells[0]} | {cells[1]} |")
    return lines


def app_block(app: str) -> str:
    module = patterns.module(app)
    domains = [d for d in (getattr(module, "OWNERSHIP", None), module.SAVES) if d]
    lines = [
        "| call | situation | queries | cold |",
        "|---|---|---:|---:|",
    ]
    for declared in domains:
        lines += cost_lines(declared)
    ownership = getattr(module, "OWNERSHIP", None)
    if ownership:
        one, peers = ownership.naive_fetch_one, ownership.naive_fetch_peers
        lines.append(
            f"| `task_rows_naive()` | 3 / 30 owners a kind, FETCH_ONE |"
            f" {one[0]} / {one[1]} | |"
        )
        lines.append(
            f"| | 3 / 30 owners a kind, FETCH_PEERS | {peers[0]} / {peers[1]} | |"
        )
    lines += [
        "",
        "| admin page | changelist, few rows or many | cold | add form |",
        "|---|---:|---:|---:|",
    ]
    for declared in domains:
        for model, page in declared.admin.items():
            cold = page.cold_changelist or page.changelist
            add = "-" if page.add_form is None else page.add_form
            lines.append(
                f"| {model._meta.verbose_name} | {page.changelist} | {cold} | {add} |"
            )
    lines += ["", "| schema | tables | columns |", "|---|---:|---:|"]
    if ownership:
        lines.append(f"| ownership | {ownership.tables} | {ownership.columns} |")
    saves = module.SAVES
    lines.append(f"| saves | {saves.tables} | {saves.columns} |")
    lines += [
        "",
        f"Feed newest first: {yes_no(saves.feed_newest_first)}; per-type extras:"
        f" {yes_no(saves.extras)}; saves of the same moment: {saves.feed_ties}.",
        "",
        "| the database, asked directly | outcome |",
        "|---|---|",
    ]
    for declared in domains:
        for rule, verdict in declared.integrity.items():
            lines.append(f"| {rule.label} | {outcome_text(verdict, reason=True)} |")
    return "\n".join(lines + ["", SOURCE.format(app=app)])


# The matrix -----------------------------------------------------------------------


def ownership_cell(value_of: Callable) -> Callable:
    return lambda m: value_of(m.OWNERSHIP) if hasattr(m, "OWNERSHIP") else "-"


def cost_of(name: str, domain: str, cold: bool = False) -> Callable:
    """The cell of one scenario function's cost, found by its contract name."""

    def cell(module):
        declared = getattr(module, domain, None)
        for function, cost in (declared.costs if declared else {}).items():
            if function.__name__ == name:
                return counts_text(cost, cold=cold)
        return "-"

    return cell


def admin_of(model_name: str, domain: str, attribute: str) -> Callable:
    """The admin page of the model of that name or, where a pattern splits it
    (linked_models' PersonTask, GroupTask and CombinedTask), of each part."""

    def one(page) -> str:
        value = getattr(page, attribute)
        if value is None:
            # A cold changelist declared None costs what the warm one does;
            # an add form declared None doesn't exist (a read-only page).
            return str(page.changelist) if attribute == "cold_changelist" else "-"
        return str(value)

    def cell(module):
        declared = getattr(module, domain, None)
        pages = declared.admin if declared else {}
        exact = [page for model, page in pages.items() if model.__name__ == model_name]
        parts = exact or [
            page for model, page in pages.items() if model.__name__.endswith(model_name)
        ]
        return " / ".join(one(page) for page in parts) or "-"

    return cell


def rule_cell(rule: Rule, domain: str, vendor: str | None) -> Callable:
    def cell(module):
        declared = getattr(module, domain, None)
        if declared is None:
            return "-"
        return outcome_text(declared.integrity[rule], vendor=vendor)

    return cell


def adding_cell(value_of: Callable) -> Callable:
    """A cell of the recorded add-a-type run (docs/adding-a-type.md): its facts,
    which `make test-extend` checks against the patch as it is now."""

    def cell(module):
        run = newest_adding_run()["apps"].get(module.__name__.rsplit(".", 1)[-1])
        return value_of(run) if run else "-"

    return cell


def newest_adding_run() -> dict:
    from benchmarks import adding

    runs = sorted(adding.RESULTS.glob("*-adding/results.json"))
    if not runs:
        return {"apps": {}}
    return recorded_run(runs[-1], runs[-1].stat().st_mtime_ns)


@functools.lru_cache(maxsize=4)
def recorded_run(path: Path, mtime_ns: int) -> dict:
    # Read once per version of the file, not once per cell: the site's
    # matrix asks for it hundreds of times a page. Callers only read it.
    return json.loads(path.read_text())


def adding_rows() -> list[tuple[str, Callable]]:
    from benchmarks.adding import facts
    from benchmarks.adding_report import LOCK_NAMES, outside, strongest_lock

    def patch(run):
        files = run["sqlite"]["files"]
        added = sum(f["added"] for f in files)
        removed = sum(f["removed"] for f in files)
        return f"{len(files)} ({len(outside_app(run, files))}) / +{added} -{removed}"

    def outside_app(run, files):
        return outside(run["sqlite"]["app"], files)

    return [
        (
            "adding a type: files (outside the app) / lines of the patch",
            adding_cell(patch),
        ),
        (
            "adding a type: migration operations",
            adding_cell(lambda run: str(len(facts(run["sqlite"])["operations"]))),
        ),
        (
            "adding a type: tables with rows SQLite rebuilds",
            adding_cell(lambda run: str(len(run["sqlite"]["rebuilt"]))),
        ),
        (
            "adding a type: PostgreSQL's strongest lock on a table with rows",
            adding_cell(
                lambda run: LOCK_NAMES.get(strongest_lock(run["postgresql"]), "none")
            ),
        ),
    ]


def matrix_rows(vendor: str | None = None) -> list[tuple[str, Callable]]:
    """(label, module -> cell) for every row of the comparison: on every
    database with notes where one differs, or on one vendor's."""
    rows = [
        (
            "tables / columns, ownership",
            ownership_cell(lambda d: f"{d.tables} / {d.columns}"),
        ),
        (
            "tables / columns, saves",
            lambda m: f"{m.SAVES.tables} / {m.SAVES.columns}",
        ),
        ("`task_rows()` queries", cost_of("task_rows", "OWNERSHIP")),
        (
            "`task_page()` / `task_page_prefetched()` queries",
            lambda m: (
                f"{cost_of('task_page', 'OWNERSHIP')(m)}"
                f" / {cost_of('task_page_prefetched', 'OWNERSHIP')(m)}"
                if hasattr(m, "OWNERSHIP")
                else "-"
            ),
        ),
        (
            "naive listing at 3 / 30 owners of each kind, FETCH_ONE",
            ownership_cell(lambda d: " / ".join(map(str, d.naive_fetch_one))),
        ),
        (
            "naive listing at 3 / 30 owners of each kind, FETCH_PEERS",
            ownership_cell(lambda d: " / ".join(map(str, d.naive_fetch_peers))),
        ),
    ]
    for name, label in (
        ("owner_of", "`owner_of()`: a person's task / a group's"),
        ("task_counts", "`task_counts()` queries"),
        ("tasks_owned_by", "`tasks_owned_by()` queries"),
        ("tasks_of_groups_created_by", "`tasks_of_groups_created_by()` queries"),
        ("create_person", "`create_person()` queries"),
        ("create_group", "`create_group()` queries"),
        ("create_task", "`create_task()`, first task / later"),
        ("delete_owner", "`delete_owner()`: group / person / creator of groups"),
    ):
        rows.append((label, cost_of(name, "OWNERSHIP")))
    for name, label in (
        ("saved_feed", "`saved_feed()` page queries"),
        ("is_saved", "`is_saved()` queries"),
        ("create_media", "`create_media()` queries"),
        ("save_item", "`save_item()`: item nobody saved / new save / repeat"),
        ("unsave_item", "`unsave_item()` queries"),
        ("delete_media", "`delete_media()`: saved item / unsaved"),
    ):
        rows.append((label, cost_of(name, "SAVES")))
    rows += [
        (
            "`task_rows()` on a process's first call (cold)",
            cost_of("task_rows", "OWNERSHIP", cold=True),
        ),
        (
            "admin task changelist (linked_models: person / group / combined)",
            admin_of("Task", "OWNERSHIP", "changelist"),
        ),
        (
            "admin task changelist, cold (linked_models: person / group / combined)",
            admin_of("Task", "OWNERSHIP", "cold_changelist"),
        ),
        (
            "admin task add form (linked_models: person / group / combined)",
            admin_of("Task", "OWNERSHIP", "add_form"),
        ),
        ("feed newest first", lambda m: yes_no(m.SAVES.feed_newest_first)),
        ("saves of the same moment", lambda m: m.SAVES.feed_ties),
        ("per-type extras", lambda m: yes_no(m.SAVES.extras)),
    ]
    rows += adding_rows()
    for rule in (*patterns.OWNERSHIP_WRITES, *patterns.OWNERSHIP_DELETES):
        rows.append((rule.label, rule_cell(rule, "OWNERSHIP", vendor)))
    for rule in (*patterns.SAVES_WRITES, *patterns.SAVES_DELETES):
        rows.append((rule.label, rule_cell(rule, "SAVES", vendor)))
    return rows


def matrix(vendor: str | None = None) -> dict[str, list[str]]:
    """Row label -> one cell per app, in the comparison's order."""
    modules = [patterns.module(app) for app in patterns.saves_apps()]
    return {label: [cell(m) for m in modules] for label, cell in matrix_rows(vendor)}


def rule_names() -> dict[str, str]:
    """A rule's label -> its name in tests/patterns/__init__.py, which is the
    key its verdict has in every pattern's declarations."""
    return {
        value.label: name
        for name, value in vars(patterns).items()
        if isinstance(value, patterns.Rule)
    }


def matrix_block() -> str:
    apps = patterns.saves_apps()
    names = rule_names()
    head = "| | " + " | ".join(f"`{app}`" for app in apps) + " |"
    lines = [head, "|---" * (len(apps) + 1) + "|"]
    same = []
    shown_rows: list[tuple[str, list[str]]] = []
    for label, cells in matrix().items():
        # A rule's row shows its name: the key to look for in a pattern's
        # tests/patterns/<app>.py, where the verdict and its probe sit.
        shown = f"{label} (`{names[label]}`)" if label in names else label
        present = [cell for cell in cells if cell != "-"]
        if len(set(present)) == 1:
            # A row where every pattern that has the domain agrees says
            # nothing about the choice: it goes under the table, once.
            same.append(f"{shown}: {present[0]}")
        elif shown_rows and shown_rows[-1][1] == cells:
            # The same cells as the row above (create_person() and
            # create_group()): one row, both labels.
            shown_rows[-1] = (f"{shown_rows[-1][0]}; {shown}", cells)
        else:
            shown_rows.append((shown, cells))
    for shown, cells in shown_rows:
        lines.append(f"| {shown} | " + " | ".join(cells) + " |")
    lines += ["", "The same in every pattern: " + "; ".join(same) + "."]
    databases = ", ".join(patterns.DATABASES.values())
    lines += [
        "",
        f"Measured on {databases}: a cell names a database only where the"
        " outcome there differs.",
    ]
    return "\n".join(lines + ["", SOURCE.format(app="<app>")])


def choosing_block() -> str:
    """docs/choosing.md: each verdict, with the cells of the rows it cites."""
    rows = matrix()
    parts = []
    for verdict in VERDICTS:
        named = [*verdict.pick, *verdict.avoid]
        pick = ", ".join(f"`{app}`" for app in verdict.pick) or "-"
        avoid = ", ".join(f"`{app}`" for app in verdict.avoid) or "-"
        exceptions = "".join(
            f" On {patterns.DATABASES[vendor]}, avoid"
            f" {', '.join(f'`{app}`' for app in apps)} too."
            for vendor, apps in verdict.not_on.items()
        )
        lines = [
            f"### {verdict.question}",
            "",
            f"If {verdict.answer}: pick {pick}; avoid {avoid}.{exceptions}",
            "",
            verdict.because,
            "",
            "| cited row | " + " | ".join(f"`{app}`" for app in named) + " |",
            "|---" * (len(named) + 1) + "|",
        ]
        for cited in verdict.cites:
            cells = [rows[cited.row][SAVES_APPS.index(app)] for app in named]
            lines.append(f"| {cited.row} | " + " | ".join(cells) + " |")
        parts.append("\n".join(lines))
    source = (
        "_Rendered by `python manage.py render_docs` from `project/choosing.py`;"
        " tests/test_choosing.py checks every verdict against these cells._"
    )
    return "\n\n".join([*parts, source])


def choosing_summary_block() -> str:
    lines = ["| if you answer yes to... | pick | avoid |", "|---|---|---|"]
    lines += [f"| {q} | {pick} | {avoid} |" for q, pick, avoid in summary_rows()]
    return "\n".join(lines)


def targets() -> dict[Path, dict[str, str]]:
    """File -> {block name: its rendering}."""
    base = Path(settings.BASE_DIR)
    rendered = {
        base / app / "README.md": {"declared": app_block(app)}
        for app in patterns.saves_apps()
    }
    block = matrix_block()
    rendered[base / "README.md"] = {
        "declared": block,
        "choosing": choosing_summary_block(),
    }
    rendered[base / "docs" / "comparison.md"] = {"declared": block}
    rendered[base / "docs" / "choosing.md"] = {"choosing": choosing_block()}
    return rendered


def render_into(text: str, blocks: dict[str, str]) -> str:
    for name, block in blocks.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        if start not in text or end not in text:
            raise CommandError(f"no {start} ... {end} markers")
        pattern = re.compile(re.escape(start) + r".*?" + re.escape(end), re.DOTALL)
        rendered = f"{start}\n{block}\n{end}"
        text = pattern.sub(lambda _, rendered=rendered: rendered, text, count=1)
    return text


def stale_files() -> list[Path]:
    return [
        path
        for path, blocks in targets().items()
        if render_into(path.read_text(), blocks) != path.read_text()
    ]


class Command(BaseCommand):
    help = "Render the declared tables and the verdicts into the READMEs and docs/."

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="only report stale files"
        )

    def handle(self, *args, check=False, **options):
        if check:
            stale = stale_files()
            for path in stale:
                self.stderr.write(f"stale: {path}")
            if stale:
                raise CommandError("run `python manage.py render_docs`")
            return
        for path, blocks in targets().items():
            try:
                path.write_text(render_into(path.read_text(), blocks))
            except CommandError as error:
                raise CommandError(f"{path}: {error}") from None
            self.stdout.write(f"rendered {path}")
