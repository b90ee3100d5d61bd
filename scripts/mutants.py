# ruff: noqa: E501 (each edit quotes the code it changes, as it is)
"""Plausible one-line regressions, each of which the suite or the linters must catch.

    .venv/bin/python scripts/mutants.py            # every mutant, on SQLite
    .venv/bin/python scripts/mutants.py 3 7        # only these
    scripts/with-postgres .venv/bin/python scripts/mutants.py --postgres-only

Each mutant is a small edit a careless refactor could make (a constraint
rewritten as XOR, a tie-breaker dropped, a decorator removed). The runner
applies one, runs `make lint`'s checks and then the tests most likely to
notice, then the whole suite if those pass, restores the files, and reports
every mutant that nothing caught. It exits 1 if any survived. A model edit
gets its migration (makemigrations, removed afterwards), so that the tests,
not only `makemigrations --check`, must notice.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The interpreter running this script, so that a copy of the repo (a git
# worktree) can be mutated with the main checkout's virtualenv.
BIN = Path(sys.executable).parent
LOCAL = ["env", "DJANGO_DEBUG=1"]


def replace(old: str, new: str) -> Callable[[str], str]:
    def edit(text: str) -> str:
        assert text.count(old) == 1, f"expected exactly one {old!r}"
        return text.replace(old, new)

    return edit


def cut(start: str, end: str, new: str = "") -> Callable[[str], str]:
    """Replace the text from `start` up to (not including) `end`."""

    def edit(text: str) -> str:
        assert text.count(start) == 1, f"expected exactly one {start!r}"
        i = text.index(start)
        j = text.index(end, i)
        return text[:i] + new + text[j:]

    return edit


@dataclass
class Mutant:
    why: str
    edits: list[tuple[str, Callable[[str], str]]]
    # Tests to run first; the whole suite runs if these miss it.
    tests: list[str]
    # Only PostgreSQL can tell (make test-postgres must catch it).
    postgres: bool = False
    # Only the demo server under real requests can tell (make test-live):
    # `tests` are then run with the live marker, one process.
    live: bool = False


XOR_MODEL = (
    "EXACTLY_ONE_ITEM = Q(movie__isnull=False) ^ Q(anime__isnull=False)"
    " ^ Q(manga__isnull=False)\n"
)

MUTANTS = [
    Mutant(
        "exactly one of three written as XOR: parity, so all three pass",
        [
            (
                "check_constraint/models.py",
                cut("EXACTLY_ONE_ITEM = Exact(", "\n\n\nclass SavedItem", XOR_MODEL),
            ),
        ],
        ["tests/test_integrity.py", "check_constraint"],
    ),
    Mutant(
        "one kind's unique constraint dropped (manga)",
        [
            (
                "nullable_fks/models.py",
                replace('            one_save_per("manga"),\n', ""),
            ),
        ],
        ["tests/test_integrity.py"],
    ),
    Mutant(
        "a check on extras dropped (progress only on anime)",
        [
            (
                "check_constraint/models.py",
                cut(
                    "            models.CheckConstraint(\n"
                    "                condition=Q(episode_progress__isnull=True)",
                    "            models.CheckConstraint(\n"
                    "                condition=Q(watched__isnull=True)",
                ),
            ),
        ],
        ["tests/test_integrity.py"],
    ),
    Mutant(
        "a save's user link no longer cascades (DO_NOTHING)",
        [
            (
                "gfk_baseline/models.py",
                replace(
                    "class SavedItem(models.Model):\n    user = models.ForeignKey(\n"
                    "        settings.AUTH_USER_MODEL,\n        on_delete=models.CASCADE,",
                    "class SavedItem(models.Model):\n    user = models.ForeignKey(\n"
                    "        settings.AUTH_USER_MODEL,\n        on_delete=models.DO_NOTHING,",
                ),
            ),
        ],
        ["tests/test_integrity.py"],
    ),
    Mutant(
        "one media kind's link no longer cascades (SET_NULL on the anime FK)",
        [
            (
                "nullable_fks/models.py",
                replace(
                    "    anime = models.ForeignKey(\n        Anime,\n        null=True,\n"
                    "        blank=True,\n        on_delete=models.CASCADE,",
                    "    anime = models.ForeignKey(\n        Anime,\n        null=True,\n"
                    "        blank=True,\n        on_delete=models.SET_NULL,",
                ),
            ),
        ],
        ["tests/test_integrity.py", "tests/test_saves.py"],
    ),
    Mutant(
        "CSRF switched off on unsave",
        [
            (
                "project/web.py",
                replace(
                    "@require_POST\n@login_required\ndef unsave(",
                    "@csrf_exempt\n@require_POST\n@login_required\ndef unsave(",
                ),
            ),
            (
                "project/web.py",
                replace(
                    "from django.views.decorators.http import",
                    "from django.views.decorators.csrf import csrf_exempt\n"
                    "from django.views.decorators.http import",
                ),
            ),
        ],
        ["tests/test_save_views.py"],
    ),
    Mutant(
        "sign-in no longer required to unsave",
        [
            (
                "project/web.py",
                replace(
                    "@require_POST\n@login_required\ndef unsave(",
                    "@require_POST\ndef unsave(",
                ),
            )
        ],
        ["tests/test_save_views.py"],
    ),
    Mutant(
        "a saved-item changelist loses its joins",
        [
            (
                "owner_table/admin.py",
                replace(
                    '    list_select_related = ["user", "item__movie", "item__anime", "item__manga"]\n',
                    "",
                ),
            )
        ],
        ["tests/test_costs.py"],
    ),
    Mutant(
        "save_item() resets the extras of an existing save (update_or_create)",
        [
            (
                "nullable_fks/queries.py",
                replace(
                    "            SavedItem.objects.create(user=user, **{_kind_of(item): item}, **defaults)",
                    "            SavedItem.objects.update_or_create(\n"
                    "                user=user, **{_kind_of(item): item}, defaults=defaults\n"
                    "            )",
                ),
            )
        ],
        ["tests/test_saves.py"],
    ),
    Mutant(
        "the feed's tie-breaker dropped",
        [
            (
                "gfk_baseline/queries.py",
                cut(
                    '        .annotate(kind=FEED_KIND, title=FEED_TITLE)\n        .order_by("-created", "pk")',
                    "\n    )",
                    '        .annotate(kind=FEED_KIND, title=FEED_TITLE)\n        .order_by("-created")',
                ),
            )
        ],
        ["tests/test_saves.py"],
        # SQLite returns tied rows in rowid order either way (tests/test_saves.py).
        postgres=True,
    ),
    Mutant(
        "the UNION feed's tie-breakers dropped",
        [
            (
                "linked_models/queries.py",
                replace(
                    '.order_by("-created", "kind", "id")',
                    '.order_by("-created", "id")',
                ),
            )
        ],
        ["tests/test_saves.py"],
    ),
    Mutant(
        "the combined admin task list's order flipped",
        [
            (
                "linked_models/admin.py",
                replace('rows.order_by("-id", "kind")', 'rows.order_by("id", "kind")'),
            )
        ],
        ["linked_models"],
    ),
    Mutant(
        "the listing no longer orders by owner kind",
        [
            (
                "owner_o2o/queries.py",
                replace(
                    '        "description", "owner_kind", "owner_name", "pk"\n',
                    '        "description", "owner_name", "pk"\n',
                ),
            )
        ],
        ["tests/test_ownership.py"],
    ),
    Mutant(
        "a number changed in the README's rendered table",
        [
            (
                "README.md",
                replace(
                    "| `task_counts()` queries | 1 |", "| `task_counts()` queries | 2 |"
                ),
            )
        ],
        ["tests/test_docs.py"],
    ),
    Mutant(
        "a count written into README prose",
        [
            (
                "README.md",
                replace(
                    "## The question\n",
                    "## The question\n\nThe naive listing costs 181 queries.\n",
                ),
            )
        ],
        ["tests/test_docs.py"],
    ),
    Mutant(
        "save_item() lets the unique violation through (a double click is a 500)",
        [
            (
                "owner_o2o/queries.py",
                cut(
                    "    try:\n        with transaction.atomic():\n"
                    "            SavedItem.objects.create(user=user, item_id=item.media_id, **defaults)",
                    "\n    return True",
                    "    SavedItem.objects.create(user=user, item_id=item.media_id, **defaults)",
                ),
            )
        ],
        ["tests/test_saves.py", "tests/test_save_views.py"],
    ),
    Mutant(
        "the toolbar shown to anyone on 127.0.0.1 (the toolbar's default)",
        [
            (
                "project/toolbar.py",
                replace(
                    "    return bool(user and user.is_active and user.is_staff)",
                    "    return True",
                ),
            )
        ],
        ["tests/test_toolbar.py"],
    ),
    Mutant(
        "DEBUG on by default again",
        [
            (
                "project/settings.py",
                replace(
                    'DEBUG = os.environ.get("DJANGO_DEBUG", "") == "1" and not TESTING',
                    'DEBUG = os.environ.get("DJANGO_DEBUG", "1") == "1" and not TESTING',
                ),
            )
        ],
        ["tests/test_settings.py"],
    ),
    Mutant(
        "the public key used whenever none is set",
        [
            (
                "project/settings.py",
                replace("    if not (DEBUG or TESTING):", "    if False:"),
            )
        ],
        ["tests/test_settings.py"],
    ),
    Mutant(
        "HEAD refused on item pages",
        [
            (
                "project/web.py",
                replace(
                    "@require_safe\ndef media_detail(",
                    "@require_GET\ndef media_detail(",
                ),
            ),
            (
                "project/web.py",
                replace(
                    "from django.views.decorators.http import require_POST, require_safe",
                    "from django.views.decorators.http import (\n"
                    "    require_GET,\n    require_POST,\n    require_safe,\n)",
                ),
            ),
        ],
        ["tests/test_save_views.py"],
    ),
    Mutant(
        "m2m_fields' item form offers saved_by again (and deletes saves it didn't show)",
        [("m2m_fields/admin.py", replace('        exclude=["saved_by"],\n', ""))],
        ["m2m_fields"],
    ),
    Mutant(
        "owner_o2o's delete_owner() deletes the person, not the Owner rows",
        [
            (
                "owner_o2o/queries.py",
                replace("    owner_rows_of([owner]).delete()", "    owner.delete()"),
            )
        ],
        ["tests/test_ownership.py"],
    ),
    Mutant(
        "mti's Task.clean() no longer asks for exactly one child",
        [
            (
                "mti/models.py",
                replace(
                    "    if linked is not None and sum(link is not None for link in linked) != 1:",
                    "    if linked is not None and not any(linked):",
                ),
            )
        ],
        ["tests/test_integrity.py", "mti"],
    ),
    Mutant(
        "gfk_baseline's SavedItem form takes any content type and id",
        [
            (
                "gfk_baseline/models.py",
                replace(
                    "        refuse_bad_target(\n"
                    '            self, "item_type", "item_id", (Movie, Anime, Manga), "A save is of"\n'
                    "        )",
                    "",
                ),
            )
        ],
        ["tests/test_integrity.py"],
    ),
    Mutant(
        "the feed of a pattern that keeps gone items fails on one",
        [
            (
                "owner_o2o/queries.py",
                replace(
                    'FEED_TITLE = Coalesce("item__movie__title", "item__anime__title", "item__manga__title")',
                    'FEED_TITLE = Coalesce("item__movie__title", "item__anime__title", "item__manga__title", Value("?"))',
                ),
            )
        ],
        ["tests/test_integrity.py", "tests/test_save_views.py"],
    ),
    Mutant(
        "an admin task changelist loses its joins",
        [
            (
                "mti/admin.py",
                replace(
                    '            .select_related("owner__person", "owner__group")\n',
                    "",
                ),
            )
        ],
        ["tests/test_costs.py"],
    ),
    Mutant(
        "a search for a NUL character reaches PostgreSQL",
        [
            (
                "linked_models/admin.py",
                replace(
                    'search = request.GET.get("q", "").replace("\\x00", "")',
                    'search = request.GET.get("q", "")',
                ),
            )
        ],
        ["tests/test_admin.py"],
        postgres=True,
    ),
    Mutant(
        "SQLite's write lock taken late again (issue 7's defect 2): owner_table"
        " reads then writes inside atomic(), under DEFERRED transactions",
        [
            (
                "project/settings.py",
                replace('        "transaction_mode": "IMMEDIATE",\n', ""),
            ),
            (
                "owner_table/queries.py",
                replace(
                    "        row, _ = Item.objects.get_or_create(**{_kind_of(item): item})\n"
                    "        with transaction.atomic():\n",
                    "        with transaction.atomic():\n"
                    "            row, _ = Item.objects.get_or_create(**{_kind_of(item): item})\n",
                ),
            ),
        ],
        ["tests/test_concurrency.py"],
        live=True,
    ),
]


class NothingRan(Exception):
    """pytest collected no test: a mutant's test list that names nothing."""


def run(command: list[str], timeout: int = 1800) -> bool:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout
    )
    # pytest's 5: nothing collected. That catches no mutant.
    if result.returncode == 5 and Path(command[0]).name == "pytest":
        raise NothingRan(" ".join(command[1:]))
    return result.returncode == 0


def lint_passes() -> bool:
    return run([str(BIN / "ruff"), "check", "-q", "."])


def migrations_match_models() -> bool:
    return run(
        [*LOCAL, str(BIN / "python"), "manage.py", "makemigrations", "--check"]
        + ["--dry-run"]
    )


def migration_files() -> set[Path]:
    return set(ROOT.glob("*/migrations/0*.py"))


def tests_pass(paths: list[str], live: bool = False) -> bool:
    how = ["-m", "live", "-n", "0"] if live else ["-n", "auto", "--dist", "loadgroup"]
    return run([str(BIN / "pytest"), "-q", "-x", *how, *paths])


def check(number: int, mutant: Mutant) -> str:
    originals = {}
    migrations_before = migration_files()
    try:
        for path, edit in mutant.edits:
            file = ROOT / path
            originals.setdefault(file, file.read_text())
            file.write_text(edit(file.read_text()))
        # As its careful author would: the import or variable the edit left
        # unused removed, the lines re-wrapped. A mutant is caught by lint
        # only for what the linter says about the change itself.
        edited = [str(ROOT / path) for path, _ in mutant.edits]
        fixes = ["check", "-q", "--fix", "--unsafe-fixes", "--select", "F401,F841"]
        run([str(BIN / "ruff"), *fixes, *edited])
        run([str(BIN / "ruff"), "format", "-q", *edited])
        if not lint_passes():
            return "caught by lint"
        # The test database must have the mutated schema: a migration for
        # the edit, as its author would have made.
        if not run([*LOCAL, str(BIN / "python"), "manage.py", "makemigrations"]):
            return "caught by makemigrations"
        if not tests_pass(mutant.tests, live=mutant.live):
            return f"caught by {' '.join(mutant.tests)}"
        if not tests_pass([]):
            return "caught by the whole suite"
        return "SURVIVED"
    except NothingRan as error:
        return f"SURVIVED (no test ran: {error})"
    finally:
        for file, text in originals.items():
            file.write_text(text)
        for made in migration_files() - migrations_before:
            made.unlink()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", type=int, help="mutants to run (1-based)")
    parser.add_argument(
        "--postgres-only",
        action="store_true",
        help="only the mutants only PostgreSQL can catch (run under with-postgres)",
    )
    args = parser.parse_args()
    on_postgres = os.environ.get("DATABASE_URL", "").startswith("postgres")
    # A mutant is caught only if something fails that passed before it.
    if not (lint_passes() and migrations_match_models() and tests_pass([])):
        print("the unmutated checkout fails its own checks: fix that first")
        return 2
    survivors = 0
    for number, mutant in enumerate(MUTANTS, 1):
        if args.numbers and number not in args.numbers:
            continue
        if args.postgres_only and not mutant.postgres:
            continue
        if mutant.postgres and not on_postgres:
            print(f"{number:2}. {mutant.why}: skipped, needs PostgreSQL", flush=True)
            continue
        start = time.monotonic()
        verdict = check(number, mutant)
        survivors += verdict.startswith("SURVIVED")
        took = time.monotonic() - start
        print(f"{number:2}. {mutant.why}: {verdict} ({took:.0f} s)", flush=True)
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
