# ruff: noqa: E501 (each edit quotes the code it changes, as it is)
"""Plausible one-line regressions, each of which the suite or the linters must catch.

    .venv/bin/python scripts/mutants.py            # every mutant, on SQLite
    .venv/bin/python scripts/mutants.py 3 7        # only these
    scripts/with-postgres .venv/bin/python scripts/mutants.py --only-on postgresql
    scripts/with-mariadb .venv/bin/python scripts/mutants.py --only-on mysql

Each mutant is a small edit a careless refactor could make (a constraint
rewritten as XOR, a tie-breaker dropped, a decorator removed). The runner
applies one to a copy of the checkout, runs `make lint`'s checks and then the
tests most likely to notice, then the whole suite if those pass, restores the
copy, and reports every mutant that nothing caught. It exits 1 if any
survived. A model edit gets its migration (makemigrations, removed
afterwards), so that the tests, not only `makemigrations --check`, must
notice. On SQLite one copy per core checks mutants side by side (--jobs);
the main checkout is never edited, and the unmutated runs happen there.
"""

from __future__ import annotations

import argparse
import os
import queue
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
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
    # Only this database can tell ("postgresql": make test-postgres must
    # catch it; "mysql": make test-mariadb).
    on: str | None = None
    # Only the demo server under real requests can tell (make test-live):
    # `tests` are then run with the live marker, one process.
    live: bool = False


XOR_MODEL = (
    "EXACTLY_ONE_ITEM = Q(movie__isnull=False) ^ Q(anime__isnull=False)"
    " ^ Q(manga__isnull=False)\n"
)

MOVE_TESTS = ["tests/test_moving_off_gfk.py"]

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
        on="postgresql",
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
                    "    return bool(user and user.is_active and user.is_superuser)",
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
        on="postgresql",
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
                    "    row = _item_row(item)\n"
                    "    try:\n"
                    "        with transaction.atomic():\n",
                    "    try:\n"
                    "        with transaction.atomic():\n"
                    "            row = _item_row(item)\n",
                ),
            ),
        ],
        ["tests/test_concurrency.py"],
        live=True,
    ),
    # Issue 19: the site and its verdicts (tests/test_site.py, test_choosing.py).
    Mutant(
        "a verdict picks gfk_baseline where the database must refuse a bad link"
        " (docs re-rendered to match)",
        [
            (
                "project/choosing.py",
                replace(
                    '            "m2m_fields",\n        ),\n        avoid=(\n'
                    '            "gfk_baseline",\n            "nullable_fks",\n',
                    '            "m2m_fields",\n            "gfk_baseline",\n        ),\n'
                    '        avoid=(\n            "nullable_fks",\n',
                ),
            ),
            (
                "README.md",
                replace(
                    "`typed_models`, `m2m_fields` | `gfk_baseline`, `nullable_fks`, `owner_o2o`,",
                    "`typed_models`, `m2m_fields`, `gfk_baseline` | `nullable_fks`, `owner_o2o`,",
                ),
            ),
            (
                "docs/choosing.md",
                replace(
                    "`typed_models`, `m2m_fields`; avoid `gfk_baseline`, `nullable_fks`, `owner_o2o`,",
                    "`typed_models`, `m2m_fields`, `gfk_baseline`; avoid `nullable_fks`, `owner_o2o`,",
                ),
            ),
        ],
        ["tests/test_choosing.py"],
    ),
    Mutant(
        "the feed verdict no longer avoids m2m_fields (docs re-rendered to match)",
        [
            (
                "project/choosing.py",
                replace('        avoid=("m2m_fields",),\n', "        avoid=(),\n"),
            ),
            (
                "README.md",
                replace(
                    "`inheritance_manager`, `typed_models` | `m2m_fields` |",
                    "`inheritance_manager`, `typed_models` | - |",
                ),
            ),
            (
                "docs/choosing.md",
                replace("; avoid `m2m_fields`.\n", "; avoid -.\n"),
            ),
            (
                "docs/choosing.md",
                replace(
                    " | `typed_models` | `m2m_fields` |\n"
                    "|---|---|---|---|---|---|---|---|---|---|---|---|\n"
                    "| feed newest first | yes | yes | yes | yes | yes | yes | yes | yes | yes | yes | **no** |\n"
                    "| `saved_feed()` page queries | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 |\n",
                    " | `typed_models` |\n"
                    "|---|---|---|---|---|---|---|---|---|---|---|\n"
                    "| feed newest first | yes | yes | yes | yes | yes | yes | yes | yes | yes | yes |\n"
                    "| `saved_feed()` page queries | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 | 1 |\n",
                ),
            ),
        ],
        ["tests/test_choosing.py"],
    ),
    Mutant(
        "the ORM-delete verdict loses its MariaDB caveat: owner_table picked there"
        " (docs re-rendered to match)",
        [
            (
                "project/choosing.py",
                replace('        not_on={"mysql": ("owner_table",)},\n', ""),
            ),
            (
                "README.md",
                replace(
                    "`owner_o2o`; on MariaDB, `owner_table` too |", "`owner_o2o` |"
                ),
            ),
            (
                "docs/choosing.md",
                replace(" On MariaDB, avoid `owner_table` too.\n", "\n"),
            ),
        ],
        ["tests/test_choosing.py"],
    ),
    Mutant(
        "the README's verdict table drops the per-database caveats (README"
        " re-rendered to match)",
        [
            (
                "project/choosing.py",
                replace(
                    "        for vendor, apps in verdict.not_on.items():\n"
                    '            text += f"; on {DATABASES[vendor]}, {names(apps)} too"\n',
                    "",
                ),
            ),
            # The import it no longer needs, as its author would drop it.
            (
                "project/choosing.py",
                replace("from project.patterns import DATABASES\n\n", ""),
            ),
            (
                "README.md",
                replace(
                    "`owner_o2o`; on MariaDB, `owner_table` too |", "`owner_o2o` |"
                ),
            ),
        ],
        ["tests/test_choosing.py"],
    ),
    Mutant(
        "docs/choosing.md's verdicts drop the per-database caveats (the guide"
        " re-rendered to match)",
        [
            (
                "project/management/commands/render_docs.py",
                replace(
                    'f"If {verdict.answer}: pick {pick}; avoid {avoid}.{exceptions}",',
                    'f"If {verdict.answer}: pick {pick}; avoid {avoid}.",',
                ),
            ),
            (
                "docs/choosing.md",
                replace(" On MariaDB, avoid `owner_table` too.\n", "\n"),
            ),
        ],
        ["tests/test_choosing.py"],
    ),
    Mutant(
        "the site's verdict table ignores the per-database caveats (template)",
        [
            (
                "project/templates/index.html",
                replace(
                    "{% for database, apps in choice.not_on %}; on {{ database }}, {% for app in apps %}<code>{{ app }}</code>{% if not forloop.last %}, {% endif %}{% endfor %} too{% endfor %}",
                    "",
                ),
            ),
        ],
        ["tests/test_site.py"],
    ),
    Mutant(
        "the site's verdicts carry no per-database caveats (site.choices())",
        [
            (
                "project/site.py",
                replace(
                    "for vendor, apps in verdict.not_on.items()\n",
                    "for vendor, apps in {}.items()\n",
                ),
            ),
        ],
        ["tests/test_site.py"],
    ),
    Mutant(
        "inline() stops escaping the text after its last mark",
        [
            (
                "project/site.py",
                replace(
                    "    out.append(escape(text[end:]))\n",
                    "    out.append(text[end:])\n",
                ),
            ),
        ],
        ["tests/test_site.py"],
    ),
    Mutant(
        "inline() builds its <code> by hand, unescaped",
        [
            (
                "project/site.py",
                replace(
                    'out.append(format_html("<code>{}</code>", code))',
                    'out.append(mark_safe(f"<code>{code}</code>"))',
                ),
            ),
        ],
        ["tests/test_site.py"],
    ),
    Mutant(
        "the landing page marks a verdict's reasons safe",
        [
            (
                "project/templates/index.html",
                replace(
                    "<p>{{ choice.because }}</p>", "<p>{{ choice.because|safe }}</p>"
                ),
            ),
        ],
        ["tests/test_site.py"],
    ),
    Mutant(
        "grouped_sql's numbers matched inside names (person2 and person3 grouped)",
        [("project/site.py", replace(r"""|\b\d+\b")""", r"""|\d+")"""))],
        ["tests/test_site.py"],
    ),
    Mutant(
        "grouped_sql's strings end at a doubled quote",
        [("project/site.py", replace(r"""r"'(?:[^']|'')*'""", r"""r"'[^']*'"""))],
        ["tests/test_site.py"],
    ),
    Mutant(
        "grouped_sql groups by the statement itself, values included",
        [
            (
                "project/site.py",
                replace(
                    'groups.setdefault(LITERAL.sub("?", statement), [])',
                    "groups.setdefault(statement, [])",
                ),
            ),
        ],
        ["tests/test_site.py"],
    ),
    Mutant(
        "a run's charts are whatever PNG lies in its folder again (the glob)",
        [
            (
                "project/site.py",
                cut(
                    "    # The charts its results file lists",
                    "    return Run(name, results, charts)",
                    '    charts = sorted(p.name for p in (path.parent / "charts").glob("*.png"))\n',
                ),
            ),
        ],
        ["tests/test_site.py"],
    ),
    # Issue 19: every write of several statements atomic; shared-link rules both ways.
    Mutant(
        "owner_table's create_task() no longer atomic: a failed task INSERT leaves its new Owner row",
        [
            (
                "owner_table/queries.py",
                replace(
                    "    with transaction.atomic():\n"
                    "        return Task.objects.create(description=description, owner=_owner_row(owner))",
                    "    return Task.objects.create(description=description, owner=_owner_row(owner))",
                ),
            )
        ],
        ["tests/test_atomicity.py"],
    ),
    Mutant(
        "owner_table's delete_owner() no longer atomic: a failed owner delete leaves its Owner rows and tasks gone",
        [
            (
                "owner_table/queries.py",
                replace(
                    "    with transaction.atomic():\n"
                    "        Owner.objects.filter(links).delete()\n"
                    "        owner.delete()",
                    "    Owner.objects.filter(links).delete()\n    owner.delete()",
                ),
            )
        ],
        ["tests/test_atomicity.py"],
    ),
    Mutant(
        "owner_o2o's create_person() no longer atomic: a failed person INSERT leaves an Owner row nobody links",
        [
            (
                "owner_o2o/queries.py",
                replace(
                    "    with transaction.atomic():\n"
                    "        return Person.objects.create(name=name, owner=Owner.objects.create())",
                    "    return Person.objects.create(name=name, owner=Owner.objects.create())",
                ),
            )
        ],
        ["tests/test_atomicity.py"],
    ),
    Mutant(
        "owner_table's delete_media() no longer atomic: a failed media delete leaves its Item row and saves gone",
        [
            (
                "owner_table/queries.py",
                replace(
                    "    with transaction.atomic():\n"
                    "        Item.objects.filter(**{_kind_of(item): item}).delete()\n"
                    "        item.delete()",
                    "    Item.objects.filter(**{_kind_of(item): item}).delete()\n    item.delete()",
                ),
            )
        ],
        ["tests/test_atomicity.py"],
    ),
    Mutant(
        "owner_o2o's create_media() no longer atomic: a failed media INSERT leaves a Media row nobody links",
        [
            (
                "owner_o2o/queries.py",
                cut(
                    "    with transaction.atomic():\n        return KINDS[kind].objects.create(",
                    "\n\n\ndef get_media(",
                    "    return KINDS[kind].objects.create(\n"
                    "        title=title, media=Media.objects.create(), **fields\n"
                    "    )",
                ),
            )
        ],
        ["tests/test_atomicity.py"],
    ),
    Mutant(
        "owner_o2o's admin bulk delete no longer atomic: a failure on the second person keeps the first one's delete",
        [
            (
                "owner_o2o/admin.py",
                replace(
                    "        with transaction.atomic():\n"
                    "            for obj in queryset:\n"
                    "                queries.delete_owner(obj)",
                    "        for obj in queryset:\n            queries.delete_owner(obj)",
                ),
            )
        ],
        ["tests/test_atomicity.py"],
    ),
    Mutant(
        "polymorphic_models reads a bare Owner row by trying each child table in turn, not by its stored type",
        [
            (
                "polymorphic_models/models.py",
                cut(
                    "        if self.polymorphic_ctype_id is None:\n            return None\n"
                    "        if Owner.polymorphic_ctype.is_cached(self):",
                    "\n\n\ndef refuse_shared_link(",
                    '        return first_of(self, ("person", "group"))',
                ),
            )
        ],
        ["polymorphic_models"],
    ),
    Mutant(
        "mti's Person.clean() no longer asks the group table: a person on a group's Owner row passes",
        [
            (
                "mti/models.py",
                replace('        refuse_shared_link(self, "owner_ptr", [Group])\n', ""),
            )
        ],
        ["tests/test_shared_links.py"],
    ),
    Mutant(
        "owner_o2o's Movie.clean() no longer asks the manga table: a movie on a manga's Media row passes",
        [
            (
                "owner_o2o/models.py",
                replace(
                    'refuse_shared_link(self, "media", [Anime, Manga])',
                    'refuse_shared_link(self, "media", [Anime])',
                ),
            )
        ],
        ["tests/test_shared_links.py"],
    ),
    # Issue 19's defects 5 and 9: the toolbar superusers' only; deploy settings, CSP.
    Mutant(
        "the toolbar shown to any staff again: a staff user without permissions reads the superuser's stored panels",
        [
            (
                "project/toolbar.py",
                replace(
                    "user.is_active and user.is_superuser)",
                    "user.is_active and user.is_staff)",
                ),
            )
        ],
        ["tests/test_toolbar.py"],
    ),
    Mutant(
        "the toolbar shown to an inactive superuser (is_active dropped)",
        [
            (
                "project/toolbar.py",
                replace("user.is_active and user.is_superuser)", "user.is_superuser)"),
            )
        ],
        ["tests/test_toolbar.py"],
    ),
    Mutant(
        "the toolbar's middleware before AuthenticationMiddleware: show_toolbar sees no user, so the superuser gets no toolbar either",
        [
            (
                "project/settings.py",
                replace(
                    'MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware") + 1,',
                    'MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware"),',
                ),
            )
        ],
        ["tests/test_toolbar.py"],
        live=True,
    ),
    Mutant(
        "the CSP middleware dropped: no page sends a Content-Security-Policy",
        [
            (
                "project/settings.py",
                replace(
                    '    "django.middleware.csp.ContentSecurityPolicyMiddleware",\n', ""
                ),
            )
        ],
        ["tests/test_csp.py"],
    ),
    Mutant(
        "style-src loosened to 'unsafe-inline' instead of the nonce",
        [
            (
                "project/settings.py",
                replace(
                    '"style-src": [CSP.SELF, CSP.NONCE],',
                    '"style-src": [CSP.SELF, CSP.UNSAFE_INLINE],',
                ),
            )
        ],
        ["tests/test_csp.py"],
    ),
    Mutant(
        "script-src takes the nonce too: an inline script with it would run",
        [
            (
                "project/settings.py",
                replace(
                    '"script-src": [CSP.SELF],', '"script-src": [CSP.SELF, CSP.NONCE],'
                ),
            )
        ],
        ["tests/test_csp.py"],
    ),
    Mutant(
        "the csp context processor dropped: base.html's <style> renders with an empty nonce",
        [
            (
                "project/settings.py",
                replace(
                    '                "django.template.context_processors.csp",\n', ""
                ),
            )
        ],
        ["tests/test_csp.py"],
    ),
    Mutant(
        "base.html's <style> without its nonce: every site page unstyled under the policy",
        [
            (
                "project/templates/base.html",
                replace('  <style nonce="{{ csp_nonce }}">\n', "  <style>\n"),
            )
        ],
        ["tests/test_csp.py"],
    ),
    Mutant(
        "the performance chart's inline style back (style-src-attr refuses it)",
        [
            (
                "project/templates/site/performance.html",
                replace('class="chart">', 'style="max-width:100%">'),
            )
        ],
        ["tests/test_csp.py"],
    ),
    Mutant(
        "README tables' alignment left as style attributes (the style-to-class rewrite skipped)",
        [
            (
                "project/site.py",
                replace(
                    '        style = token.attrs.pop("style", None) if token.type in CELLS else None\n',
                    "        style = None\n",
                ),
            )
        ],
        ["tests/test_csp.py"],
    ),
    Mutant(
        "the changelist note's stylesheet misnamed: a 404 in every pattern app's changelist (only a browser fetches it)",
        [
            (
                "project/templates/admin/changelist_note.html",
                replace("project/changelist-note.css", "project/changelist_note.css"),
            )
        ],
        # Only Chromium fetches the file (a 404 fails the walk). Verified by
        # hand with `pytest -m browser tests/browser`: the runner's live
        # mode runs `-m live`, which tests/browser/conftest.py deselects, so
        # it reports this one "no test ran" until it passes -m "live or browser".
        ["tests/browser/test_walkthrough.py"],
        live=True,
    ),
    Mutant(
        "https off by default with DEBUG off: check --deploy warns four times",
        [
            (
                "project/settings.py",
                replace(
                    'HTTPS = flag("DJANGO_HTTPS", not (DEBUG or TESTING))',
                    'HTTPS = flag("DJANGO_HTTPS", False)',
                ),
            )
        ],
        ["tests/test_settings.py"],
    ),
    Mutant(
        "https forced on under the tests too: every test-client page a 301 to https",
        [
            (
                "project/settings.py",
                replace(
                    'HTTPS = flag("DJANGO_HTTPS", not (DEBUG or TESTING))',
                    'HTTPS = flag("DJANGO_HTTPS", not DEBUG)',
                ),
            )
        ],
        ["tests/test_settings.py"],
    ),
    Mutant(
        "the session cookie sent over http again",
        [
            (
                "project/settings.py",
                replace(
                    "SESSION_COOKIE_SECURE = HTTPS", "SESSION_COOKIE_SECURE = False"
                ),
            )
        ],
        ["tests/test_settings.py"],
    ),
    Mutant(
        "HSTS preload left off (check --deploy's W021)",
        [
            (
                "project/settings.py",
                replace(
                    "SECURE_HSTS_PRELOAD = SECURE_HSTS_SECONDS > 0",
                    "SECURE_HSTS_PRELOAD = False",
                ),
            )
        ],
        ["tests/test_settings.py"],
    ),
    Mutant(
        "DJANGO_HTTPS=0 ignored: production settings over local http redirect and drop their cookies",
        [
            (
                "project/settings.py",
                replace(
                    'return default if value == "" else value == "1"', "return default"
                ),
            )
        ],
        ["tests/test_settings.py"],
    ),
    # Issue 19's defects 2 and 7.
    Mutant(
        "a demonstration on SQLite back on the real database: every pattern"
        " page holds the write lock while it builds its worlds",
        [
            (
                "project/demos.py",
                replace(
                    'with private_copy() if connection.vendor == "sqlite" else nullcontext():',
                    "with nullcontext():",
                ),
            )
        ],
        ["tests/test_demo.py"],
    ),
    Mutant(
        "the private copy's sequences as the copied rows left them",
        [
            (
                "project/demos.py",
                replace(
                    '            into.execute("DELETE FROM main.sqlite_sequence")\n', ""
                ),
            )
        ],
        ["tests/test_demo.py"],
    ),
    Mutant(
        "an admin change page for an id past 64 bits a 500 again on SQLite",
        [
            (
                "project/admin.py",
                replace("admin.ModelAdmin.get_object = get_object\n", ""),
            )
        ],
        ["tests/test_admin.py"],
    ),
    Mutant(
        "an admin changelist filtered on a foreign key past 64 bits a 500 again",
        [
            (
                "project/admin.py",
                replace(
                    "admin.ModelAdmin.get_changelist_instance = get_changelist_instance\n",
                    "",
                ),
            )
        ],
        ["tests/test_admin.py"],
    ),
    Mutant(
        "the admin's view-on-site for an id past 64 bits a 500 again",
        [
            (
                "project/urls.py",
                replace(
                    '        "admin/r/<int:content_type_id>/<path:object_id>/",\n',
                    '        "admin/r-unused/<int:content_type_id>/<path:object_id>/",\n',
                ),
            )
        ],
        ["tests/test_admin.py"],
    ),
    # Issue 19: the move off a GFK (defects 1, 3, 4, 6, 8 and the kinds it missed).
    # 1. The defects 2b1b4b1 fixed, each put back by one line. -----------------
    Mutant(
        "move_off_gfk --rollback deletes the target's rows, not the ledger's (a dual write's row, the target's own rows go too)",
        [
            (
                "off_gfk/moving.py",
                replace(
                    '        while rows := keyset.next(ledger.values("row_id"), size):',
                    '        while rows := keyset.next(model._default_manager.values(row_id=models.F("id")), size):',
                ),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "the move's walk starts after id 0 again (rows with id 0 or below skipped)",
        [
            (
                "off_gfk/moving.py",
                replace("    last: int | None = None\n", "    last: int | None = 0\n"),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "a batch's source rows no longer locked (an unsave mid-batch leaves a phantom save)",
        [
            (
                "off_gfk/moving.py",
                replace("    rows = rows.select_for_update(no_key=no_key)\n", ""),
            )
        ],
        MOVE_TESTS,
        # SQLite takes no row locks; the batch's IMMEDIATE BEGIN covers it there.
        on="postgresql",
    ),
    Mutant(
        "a row naming a content type that doesn't exist stops the move (DoesNotExist let through)",
        [
            (
                "off_gfk/moving.py",
                replace(
                    "        except ContentType.DoesNotExist:",
                    "        except ContentType.MultipleObjectsReturned:",
                ),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "--batch-size has no upper bound again (an absurd one is a traceback)",
        [
            (
                "off_gfk/management/commands/move_off_gfk.py",
                replace(
                    "        if not 1 <= batch_size <= moving.MAX_BATCH_SIZE:",
                    "        if not 1 <= batch_size:",
                ),
            )
        ],
        MOVE_TESTS,
    ),
    # 2. The regressions the tests above the fix didn't reach. -----------------
    Mutant(
        "check_constraint fills a NULL progress with save_item()'s default (the GFK row's NULL lost)",
        [
            (
                "off_gfk/to_check_constraint.py",
                replace(
                    '                "episode_progress": row["episode_progress"],',
                    '                "episode_progress": row["episode_progress"] or (0 if kind == "anime" else None),',
                ),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "linked_models writes a NULL extra as it is (NOT NULL: the batch never commits)",
        [
            (
                "off_gfk/to_linked_models.py",
                replace(
                    "                values[extra] = EXTRAS[extra] if value is None else value",
                    "                values[extra] = value",
                ),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "check_constraint forgets a batch's own saves when it looks for duplicates",
        [
            (
                "off_gfk/to_check_constraint.py",
                replace('            taken[key] = row["id"]\n', ""),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "linked_models forgets a batch's own saves when it looks for duplicates",
        [
            (
                "off_gfk/to_linked_models.py",
                replace('            taken[key] = row["id"]\n', ""),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "a batch read without ORDER BY (the walk goes on after the largest id of rows read in disk order)",
        [
            (
                "off_gfk/moving.py",
                replace(
                    "        self.read = list(queryset.order_by(self.key)[:size])",
                    "        self.read = list(queryset[:size])",
                ),
            )
        ],
        MOVE_TESTS,
        # SQLite reads a rowid table in id order with or without the ORDER BY.
        on="postgresql",
    ),
    Mutant(
        "a move skips the rows another target's move set aside",
        [
            (
                "off_gfk/moving.py",
                replace(
                    "            target=target, source_table=source._meta.db_table, source_id__in=ids",
                    "            source_table=source._meta.db_table, source_id__in=ids",
                ),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "--rollback deletes every target's report of rows set aside",
        [
            (
                "off_gfk/moving.py",
                replace(
                    "SetAside.objects.filter(target=target).delete()",
                    "SetAside.objects.all().delete()",
                ),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "--rollback counts the ledger's entries, not the rows it deleted",
        [
            (
                "off_gfk/moving.py",
                replace(
                    "            deleted[table] += by_model.get(model._meta.label, 0)",
                    "            deleted[table] += len(gone)",
                ),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "--batch-size 0 let through (the move reads nothing and says it moved nothing)",
        [
            (
                "off_gfk/management/commands/move_off_gfk.py",
                replace(
                    "        if not 1 <= batch_size <= moving.MAX_BATCH_SIZE:",
                    "        if not 0 <= batch_size <= moving.MAX_BATCH_SIZE:",
                ),
            )
        ],
        MOVE_TESTS,
    ),
    Mutant(
        "the move writes id 0 without NO_AUTO_VALUE_ON_ZERO (refused on MariaDB)",
        [
            (
                "off_gfk/moving.py",
                replace(
                    "with zero_ids_written_as_zero(names_id_zero(model, objs)):",
                    "with zero_ids_written_as_zero(False):",
                ),
            )
        ],
        MOVE_TESTS,
        on="mysql",
    ),
    Mutant(
        "the move's zero-id mode checks only the row's own id, not its keys",
        [
            (
                "off_gfk/moving.py",
                replace(
                    " if f.primary_key or f.is_relation",
                    " if f.primary_key",
                ),
            )
        ],
        MOVE_TESTS,
        on="mysql",
    ),
    # Issue 20: what the benchmarks time is the apps' own code, and checked.
    Mutant(
        "the timed task count answered by the benchmark, not the app's task_counts()",
        [
            (
                "benchmarks/operations.py",
                replace(
                    "call=lambda _: s.queries.task_counts(),",
                    "call=lambda _: s.ds.task_counts(),",
                ),
            )
        ],
        ["tests/test_benchmarks.py"],
    ),
    Mutant(
        "a timed person delete no longer checks what it left",
        [
            (
                "benchmarks/operations.py",
                replace(
                    '        verify=rows_as_loaded(s, "the person, their group and their 1,000 tasks"),\n',
                    "",
                ),
            )
        ],
        ["tests/test_benchmarks.py"],
    ),
    Mutant(
        "the twins' check compares the tables only, not their foreign keys",
        [
            (
                "benchmarks/loading.py",
                replace("            if migrated != twinned:", "            if False:"),
            )
        ],
        ["tests/test_benchmarks.py"],
    ),
    Mutant(
        "mti's create_persons() outside one transaction: a failure keeps the first person",
        [
            (
                "mti/queries.py",
                replace(
                    "    with transaction.atomic():\n        return [Person.objects.create(name=name) for name in names]",
                    "    return [Person.objects.create(name=name) for name in names]",
                ),
            )
        ],
        ["tests/test_atomicity.py"],
    ),
    Mutant(
        "polymorphic_models: a bare Media row read by trying each child table in turn",
        [
            (
                "polymorphic_models/models.py",
                cut(
                    "        # A bare Media row: the child its stored type names",
                    "\n\n\nclass Movie",
                    '        return first_of(self, ("movie", "anime", "manga"))',
                ),
            )
        ],
        ["polymorphic_models/tests/test_polymorphic.py"],
    ),
]


class NothingRan(Exception):
    """pytest collected no test: a mutant's test list that names nothing."""


def run(command: list[str], root: Path = ROOT, timeout: int = 1800) -> bool:
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    result = subprocess.run(
        command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout
    )
    # pytest's 5: nothing collected. That catches no mutant.
    if result.returncode == 5 and Path(command[0]).name == "pytest":
        raise NothingRan(" ".join(command[1:]))
    return result.returncode == 0


def lint_passes(root: Path = ROOT) -> bool:
    return run([str(BIN / "ruff"), "check", "-q", "."], root)


def migrations_match_models() -> bool:
    return run(
        [*LOCAL, str(BIN / "python"), "manage.py", "makemigrations", "--check"]
        + ["--dry-run"]
    )


def migration_files(root: Path) -> set[Path]:
    return set(root.glob("*/migrations/0*.py"))


def tests_pass(
    paths: list[str], root: Path = ROOT, live: bool = False, spread: bool = False
) -> bool:
    # The tests a mutant names: one process, which starts faster than
    # xdist's workers would. The whole suite ([]): spread over the cores.
    if live:
        how = ["-m", "live or browser", "-n", "0"]
    elif paths and not spread:
        how = ["-n", "0"]
    else:
        how = ["-n", "auto", "--dist", "loadgroup"]
    return run(
        [str(BIN / "pytest"), "-q", "-x", "-p", "no:cacheprovider", *how, *paths],
        root,
    )


class Baseline:
    """What must pass unmutated for a failure to count as a catch: the tests
    the chosen mutants name, checked up front, and the whole suite, checked
    the first time a mutant gets that far, both in an unmutated copy."""

    def __init__(self) -> None:
        self.whole_suite: bool | None = None
        self.lock = threading.Lock()
        # A copy no mutant touches, made as the mutated ones are: a test that
        # fails in any copy for want of an ignored file fails here too.
        self.root = ROOT

    def suite_passes(self) -> bool:
        with self.lock:
            if self.whole_suite is None:
                self.whole_suite = tests_pass([], self.root)
            return self.whole_suite


BASELINE = Baseline()


def copy_of_checkout(dest: Path) -> Path:
    """The working tree as git sees it (tracked and new files, not ignored),
    for a mutant to be applied to while another runs in another copy."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
    ).stdout.split(b"\0")
    for name in filter(None, listed):
        source = ROOT / os.fsdecode(name)
        if source.is_file():
            target = dest / os.fsdecode(name)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
    return dest


def check(mutant: Mutant, root: Path) -> str:
    originals = {}
    migrations_before = migration_files(root)
    try:
        for path, edit in mutant.edits:
            file = root / path
            originals.setdefault(file, file.read_text())
            file.write_text(edit(file.read_text()))
        # As its careful author would: the import or variable the edit left
        # unused removed, the lines re-wrapped. A mutant is caught by lint
        # only for what the linter says about the change itself.
        edited = [str(root / path) for path, _ in mutant.edits]
        fixes = ["check", "-q", "--fix", "--unsafe-fixes", "--select", "F401,F841"]
        run([str(BIN / "ruff"), *fixes, *edited], root)
        run([str(BIN / "ruff"), "format", "-q", *edited], root)
        if not lint_passes(root):
            return "caught by lint"
        # The test database must have the mutated schema: a migration for
        # the edit, as its author would have made.
        models_edited = any(path.endswith("models.py") for path, _ in mutant.edits)
        if models_edited and not run(
            [*LOCAL, str(BIN / "python"), "manage.py", "makemigrations"], root
        ):
            return "caught by makemigrations"
        if not tests_pass(mutant.tests, root, live=mutant.live):
            return f"caught by {' '.join(mutant.tests)}"
        # The whole suite next, whose failure counts only if it passes
        # unmutated.
        if not BASELINE.suite_passes():
            return "SURVIVED (the unmutated suite fails: fix that first)"
        if not tests_pass([], root):
            return "caught by the whole suite"
        return "SURVIVED"
    except NothingRan as error:
        return f"SURVIVED (no test ran: {error})"
    except AssertionError as error:
        # The code it quotes has changed: the mutant must be rewritten.
        return f"SURVIVED (the edit no longer applies: {error})"
    finally:
        for file, text in originals.items():
            file.write_text(text)
        for made in migration_files(root) - migrations_before:
            made.unlink()


# DATABASE_URL's scheme -> Django's vendor name.
VENDORS = {"postgres": "postgresql", "mysql": "mysql"}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("numbers", nargs="*", type=int, help="mutants to run (1-based)")
    parser.add_argument(
        "--only-on",
        choices=sorted(VENDORS.values()),
        help="only the mutants only this database can catch"
        " (run under scripts/with-postgres or scripts/with-mariadb)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=None,
        help="mutants checked at once, each in its own copy of the checkout"
        " (default: one per core on SQLite; one on a server, whose test"
        " database the copies would share)",
    )
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    vendor = next((v for s, v in VENDORS.items() if url.startswith(s)), "sqlite")
    jobs = args.jobs or ((os.cpu_count() or 1) if vendor == "sqlite" else 1)
    chosen = {}
    for number, mutant in enumerate(MUTANTS, 1):
        if args.numbers and number not in args.numbers:
            continue
        if args.only_on and mutant.on != args.only_on:
            continue
        if mutant.on and mutant.on != vendor:
            print(f"{number:2}. {mutant.why}: skipped, needs {mutant.on}", flush=True)
            continue
        chosen[number] = mutant
    verdicts: dict[int, str] = {}
    with tempfile.TemporaryDirectory(prefix="mutants-") as tmp:
        BASELINE.root = copy_of_checkout(Path(tmp) / "unmutated")
        # A mutant is caught only if something fails that passed before it.
        named = {path for m in chosen.values() if not m.live for path in m.tests}
        named_live = {path for m in chosen.values() if m.live for path in m.tests}
        if not (
            lint_passes()
            and migrations_match_models()
            and (not named or tests_pass(sorted(named), BASELINE.root, spread=True))
            and (
                not named_live
                or tests_pass(sorted(named_live), BASELINE.root, live=True)
            )
        ):
            print("the unmutated checkout fails its own checks: fix that first")
            return 2
        copies: queue.Queue[Path] = queue.Queue()
        for n in range(jobs):
            copies.put(copy_of_checkout(Path(tmp) / f"copy{n}"))

        def one(number: int, mutant: Mutant) -> None:
            root = copies.get()
            try:
                start = time.monotonic()
                verdicts[number] = check(mutant, root)
                took = time.monotonic() - start
            finally:
                copies.put(root)
            print(
                f"{number:2}. {mutant.why}: {verdicts[number]} ({took:.0f} s)",
                flush=True,
            )

        # The live ones after, alone: they time real requests to a server.
        pooled = {n: m for n, m in chosen.items() if not m.live}
        with ThreadPoolExecutor(jobs) as pool:
            for future in [pool.submit(one, n, m) for n, m in pooled.items()]:
                future.result()
        for number, mutant in chosen.items():
            if mutant.live:
                one(number, mutant)
    survivors = sum(v.startswith("SURVIVED") for v in verdicts.values())
    print(f"{len(verdicts)} mutants, {survivors} survived")
    return 1 if survivors else 0


if __name__ == "__main__":
    sys.exit(main())
