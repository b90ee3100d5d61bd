"""Render the declared tables (tests/patterns/) into the READMEs and docs/.

The tables are what the shared suite checks against fresh measurements; the
docs are rendered from them, and tests/test_docs.py fails when a committed
doc differs from a fresh render. So: measured -> declared -> documented.

    python manage.py render_docs          # rewrite the generated blocks
    python manage.py render_docs --check  # exit 1 if any block is stale
"""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tests import patterns

START, END = "<!-- declared:start -->", "<!-- declared:end -->"
BLOCK = re.compile(re.escape(START) + r".*?" + re.escape(END), re.DOTALL)

CHECK_LABELS = {
    "missing_owner": "task pointing at a missing owner",
    "both_owners": "task owned by a person and a group",
    "no_owner": "task owned by nobody",
    "raw_delete_owner": "owner deleted with raw SQL",
    "orm_delete_owner": "owner deleted through the ORM",
    "duplicate_save": "second save of the same item",
    "two_items": "save pointing at two items",
    "no_item": "save pointing at no item",
    "missing_item": "save pointing at a missing item",
    "raw_delete_item": "item deleted with raw SQL",
    "orm_delete_item": "item deleted through the ORM",
    "progress_on_a_movie": "episode progress on a movie save",
}
OUTCOME_LABELS = {
    patterns.REJECTED: "rejected",
    patterns.ACCEPTED: "**accepted (corrupt)**",
    patterns.CASCADED: "cascaded",
    patterns.UNREPRESENTABLE: "can't be written",
}
SOURCE = (
    "_Rendered by `python manage.py render_docs` from `tests/patterns/{app}.py`;"
    " every value is checked against a fresh measurement by `tests/`._"
)


def yes_no(flag: bool) -> str:
    return "yes" if flag else "**no**"


def app_block(app: str) -> str:
    module = patterns.module(app)
    lines = ["| measured | value |", "|---|---|"]
    ownership = getattr(module, "OWNERSHIP", None)
    saves = getattr(module, "SAVES", None)
    if ownership:
        one, peers = ownership.naive_fetch_one, ownership.naive_fetch_peers
        lines += [
            f"| `task_rows()` queries, any size | {ownership.task_rows} |",
            "| `tasks_of_groups_created_by()` queries | "
            f"{ownership.tasks_of_groups_created_by} |",
            f"| naive listing, FETCH_ONE, 3 / 30 owners a kind | {one[0]} / {one[1]} |",
            "| naive listing, FETCH_PEERS, 3 / 30 owners a kind | "
            f"{peers[0]} / {peers[1]} |",
        ]
        lines += [
            f"| admin `{name}`, 5 or 50 tasks | {count} |"
            for name, count in ownership.admin_changelists.items()
        ]
    if saves:
        lines += [
            f"| `saved_feed()` page queries, 10 or 100 saves | {saves.feed_page} |",
            f"| `is_saved()` queries | {saves.is_saved} |",
            f"| feed newest first | {yes_no(saves.feed_newest_first)} |",
            f"| per-type extras (progress, watched) | {yes_no(saves.extras)} |",
        ]
    lines += ["", "| the database, asked directly | outcome |", "|---|---|"]
    for table in (ownership, saves):
        if table:
            for check, outcome in table.integrity.items():
                label = OUTCOME_LABELS[outcome]
                if outcome == patterns.UNREPRESENTABLE:
                    label += f" ({table.unrepresentable_because[check]})"
                refused = table.refused_by_django.get(check)
                if refused:
                    label += f"; Django refuses it via {', '.join(refused)}"
                lines.append(f"| {CHECK_LABELS[check]} | {label} |")
    return "\n".join(lines + ["", SOURCE.format(app=app)])


def matrix_block() -> str:
    apps = patterns.saves_apps()
    head = "| | " + " | ".join(f"`{app}`" for app in apps) + " |"
    rows = [head, "|---" * (len(apps) + 1) + "|"]

    def row(label, value_of):
        cells = []
        for app in apps:
            module = patterns.module(app)
            cells.append(value_of(module))
        rows.append(f"| {label} | " + " | ".join(cells) + " |")

    def ownership(attr):
        return lambda m: (
            str(getattr(m.OWNERSHIP, attr)) if hasattr(m, "OWNERSHIP") else "-"
        )

    def saves(attr):
        return lambda m: str(getattr(m.SAVES, attr))

    row("`task_rows()` queries", ownership("task_rows"))
    row(
        "`tasks_of_groups_created_by()` queries",
        ownership("tasks_of_groups_created_by"),
    )
    row(
        "naive listing at 30 owners, FETCH_ONE / FETCH_PEERS",
        lambda m: (
            f"{m.OWNERSHIP.naive_fetch_one[1]} / {m.OWNERSHIP.naive_fetch_peers[1]}"
            if hasattr(m, "OWNERSHIP")
            else "-"
        ),
    )
    row("`saved_feed()` page queries", saves("feed_page"))
    row("feed newest first", lambda m: yes_no(m.SAVES.feed_newest_first))
    row("per-type extras", lambda m: yes_no(m.SAVES.extras))
    for check in patterns.OWNERSHIP_CHECKS:
        row(
            CHECK_LABELS[check],
            lambda m, c=check: (
                OUTCOME_LABELS[m.OWNERSHIP.integrity[c]]
                if hasattr(m, "OWNERSHIP")
                else "-"
            ),
        )
    for check in patterns.SAVES_CHECKS:
        row(
            CHECK_LABELS[check], lambda m, c=check: OUTCOME_LABELS[m.SAVES.integrity[c]]
        )
    return "\n".join(rows + ["", SOURCE.format(app="<app>")])


def targets() -> dict[Path, str]:
    base = Path(settings.BASE_DIR)
    rendered = {
        base / app / "README.md": app_block(app) for app in patterns.saves_apps()
    }
    matrix = matrix_block()
    rendered[base / "README.md"] = matrix
    rendered[base / "docs" / "comparison.md"] = matrix
    return rendered


def render_into(text: str, block: str) -> str:
    if START not in text or END not in text:
        raise CommandError(f"no {START} ... {END} markers")
    return BLOCK.sub(lambda _: f"{START}\n{block}\n{END}", text, count=1)


def stale_files() -> list[Path]:
    return [
        path
        for path, block in targets().items()
        if render_into(path.read_text(), block) != path.read_text()
    ]


class Command(BaseCommand):
    help = "Render the declared tables into the READMEs and docs/comparison.md."

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
        for path, block in targets().items():
            try:
                path.write_text(render_into(path.read_text(), block))
            except CommandError as error:
                raise CommandError(f"{path}: {error}") from None
            self.stdout.write(f"rendered {path}")
