"""The docs state only what the declared tables say (and the suite measures)."""

import re
from pathlib import Path

import pytest
from django.conf import settings

from project.management.commands.render_docs import BLOCK, stale_files
from tests import patterns


def test_rendered_docs_match_the_declared_tables():
    # Fails when a declared number changes without `python manage.py render_docs`.
    assert stale_files() == []


WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5}
CLAIM = re.compile(
    r"(?:`(?P<fn>\w+)\(\)`|(?P<feed>feed)) is (?P<n>one|two|three|four|five|\d+)"
    r"\s+quer(?:y|ies)",
    re.IGNORECASE,
)
# README wording -> the declared field that holds the measured number.
FIELDS = {
    "task_rows": ("OWNERSHIP", "task_rows"),
    "tasks_of_groups_created_by": ("OWNERSHIP", "tasks_of_groups_created_by"),
    "is_saved": ("SAVES", "is_saved"),
    "saved_feed": ("SAVES", "feed_page"),
    "feed": ("SAVES", "feed_page"),
}


@pytest.mark.parametrize("app", patterns.saves_apps())
def test_query_counts_in_readme_prose_match_the_declared_table(app):
    # Prose outside the rendered block may say "`task_rows()` is one query";
    # each such sentence is read back and compared with the declaration.
    text = BLOCK.sub("", (Path(settings.BASE_DIR) / app / "README.md").read_text())
    module = patterns.module(app)
    for claim in CLAIM.finditer(" ".join(text.split())):
        name = claim["fn"] or "feed"
        if name not in FIELDS:
            continue
        table, attr = FIELDS[name]
        number = WORDS.get(claim["n"].lower()) or int(claim["n"])
        assert getattr(getattr(module, table), attr) == number, claim.group(0)
