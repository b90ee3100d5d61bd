"""Query counts written in queries.py comments are measured, not just read.

STYLE asks every scenario function to open with a verdict such as
"# 1 query: an INSERT." Where that first comment line states one plain count
("# N query:", "# N queries,", "# No query."), this suite runs the function in
a standard situation and compares. Conditional verdicts ("2 for a group, 3 for
a person", "1 query unless prefetched") are measured elsewhere or not at all;
the last test checks that most verdicts are plain enough to be measured here.
"""

import ast
import re
from pathlib import Path

import pytest
from django.conf import settings

from project.patterns import OWNERSHIP_APPS, SAVES_APPS
from tests.conftest import (
    count_queries,
    make_saves_world,
    make_world,
    real_queries,
)

pytestmark = pytest.mark.django_db

PLAIN = re.compile(r"^# (?P<n>\d+|No) quer(?:y|ies)(?:[:,.]| \()")

# The standard situation each function is measured in: worlds from conftest
# (Alice owns a task and created Team; the viewer saved the movie and anime).
OWNERSHIP_CALLS = {
    "create_person": lambda w: w.queries.create_person("Zed"),
    "create_group": lambda w: w.queries.create_group("Zeds", w.alice),
    "create_task": lambda w: w.queries.create_task("Another", w.alice),
    "tasks_owned_by": lambda w: w.queries.tasks_owned_by(w.bob),
    "tasks_of_groups_created_by": lambda w: w.queries.tasks_of_groups_created_by(
        w.alice
    ),
    "task_rows": lambda w: w.queries.task_rows(),
}
SAVES_CALLS = {
    "create_media": lambda s: s.queries.create_media("manga", "Akira", volumes=6),
    "get_media": lambda s: s.queries.get_media("anime", s.anime.pk),
    "list_media": lambda s: s.queries.list_media("movie"),
    "unsave_item": lambda s: s.queries.unsave_item(s.user, s.movie),
    "is_saved": lambda s: s.queries.is_saved(s.user, s.movie),
    "saved_feed": lambda s: s.queries.saved_feed(s.user, 1, 10),
    "saved_count": lambda s: s.queries.saved_count(s.user),
    "set_progress": lambda s: s.queries.set_progress(s.user, s.anime, 3),
    "progress": lambda s: s.queries.progress(s.user, s.anime),
    "set_watched": lambda s: s.queries.set_watched(s.user, s.movie, True),
    "delete_media": lambda s: s.queries.delete_media(s.movie),
}


def verdicts(app: str) -> dict[str, str]:
    """Function name -> first comment line, for each public function."""
    lines = (Path(settings.BASE_DIR) / app / "queries.py").read_text().splitlines()
    found = {}
    for node in ast.parse("\n".join(lines)).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            between = lines[node.lineno : node.body[0].lineno - 1]
            comments = [line.strip() for line in between if line.strip()[:1] == "#"]
            if comments:
                found[node.name] = comments[0]
    return found


def plain_count(comment: str) -> int | None:
    match = PLAIN.match(comment)
    if match is None:
        return None
    return 0 if match["n"] == "No" else int(match["n"])


def cases():
    for app in SAVES_APPS:
        stated = verdicts(app)
        calls = {**SAVES_CALLS, **(OWNERSHIP_CALLS if app in OWNERSHIP_APPS else {})}
        for name in calls:
            count = plain_count(stated.get(name, ""))
            if count is not None:
                kind = "ownership" if name in OWNERSHIP_CALLS else "saves"
                yield pytest.param(app, name, kind, count, id=f"{app}-{name}")


@pytest.mark.parametrize("app, name, kind, stated", list(cases()))
def test_the_count_in_a_functions_comment_is_what_it_costs(
    app, name, kind, stated, django_user_model, warm_content_types
):
    if kind == "ownership":
        world = make_world(app)
        call = OWNERSHIP_CALLS[name]
    else:
        world = make_saves_world(app, django_user_model)
        call = SAVES_CALLS[name]
    with count_queries() as ctx:
        call(world)
    assert len(real_queries(ctx)) == stated, (verdicts(app)[name], real_queries(ctx))


def test_most_verdicts_are_plain_enough_to_measure():
    # Guards the parser: if a rewording made PLAIN match nothing, the test
    # above would quietly shrink to no cases at all.
    assert len(list(cases())) >= 100
