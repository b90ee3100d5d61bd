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
from functools import partial
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
    """Function name -> its leading comment block as one line."""
    lines = (Path(settings.BASE_DIR) / app / "queries.py").read_text().splitlines()
    found = {}
    for node in ast.parse("\n".join(lines)).body:
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_"):
            between = lines[node.lineno : node.body[0].lineno - 1]
            comments = [line.strip() for line in between if line.strip()[:1] == "#"]
            if comments:
                # The opening sentence may wrap: join the block into one line.
                found[node.name] = " ".join(
                    [comments[0]] + [c.lstrip("# ") for c in comments[1:]]
                )
    return found


def fresh(task):
    # A task loaded on its own, its owner not cached.
    return type(task).objects.get(pk=task.pk)


# Verdicts that state a count per situation: the regex's groups are the
# stated counts, one per situation. A situation prepares its data (not
# measured) and returns the call to measure.
CONDITIONAL = {
    "owner_of": [
        (
            re.compile(r"^# (\d+) quer(?:y|ies)(?: unless|:)"),
            [
                lambda w: partial(w.queries.owner_of, fresh(w.bob_task)),
                lambda w: partial(w.queries.owner_of, fresh(w.group_task)),
            ],
        ),
        (
            re.compile(
                r"^# (\d+) quer(?:y|ies) for a person's task, (\d+) for a group's"
            ),
            [
                lambda w: partial(w.queries.owner_of, fresh(w.bob_task)),
                lambda w: partial(w.queries.owner_of, fresh(w.group_task)),
            ],
        ),
    ],
    "saved_feed": [
        (
            re.compile(r"^# (\d+) queries for a page holding all three kinds"),
            [
                lambda s: (
                    s.queries.save_item(s.user, s.manga),
                    partial(s.queries.saved_feed, s.user, 1, 10),
                )[1]
            ],
        ),
    ],
    "delete_owner": [
        (
            re.compile(
                r"^# (\d+) quer(?:y|ies) for a group\b.*?, (\d+) for a person,"
                r" (\d+) for a person who created groups"
            ),
            [
                lambda w: partial(w.queries.delete_owner, w.group),
                lambda w: partial(w.queries.delete_owner, w.bob),
                # Alice's group is gone by now: a world of her own.
                lambda w: partial(w.queries.delete_owner, make_world(w.app).alice),
            ],
        ),
    ],
    "save_item": [
        (
            re.compile(
                r"^# (\d+) quer(?:y|ies) when already saved\b.*?, (\d+) for a new"
            ),
            [
                lambda s: partial(s.queries.save_item, s.user, s.movie),
                lambda s: partial(s.queries.save_item, s.user, s.manga),
            ],
        ),
    ],
    "delete_media": [
        (
            re.compile(r"^# (\d+) quer(?:y|ies) once saved"),
            [lambda s: partial(s.queries.delete_media, s.movie)],
        ),
    ],
}


def conditional_counts(name: str, comment: str):
    """(stated counts, situations) for a conditional verdict, or None."""
    for regex, situations in CONDITIONAL.get(name, []):
        match = regex.match(comment)
        if match:
            counts = [int(n) for n in match.groups()]
            if len(counts) == 1:  # one count stated for every situation
                counts *= len(situations)
            return counts, situations
    return None


def plain_count(comment: str) -> int | None:
    match = PLAIN.match(comment)
    if match is None:
        return None
    return 0 if match["n"] == "No" else int(match["n"])


def world_for(name, app, django_user_model):
    if name in OWNERSHIP_CALLS or name in ("owner_of", "delete_owner"):
        return make_world(app)
    return make_saves_world(app, django_user_model)


def cases():
    for app in SAVES_APPS:
        stated = verdicts(app)
        calls = {**SAVES_CALLS, **(OWNERSHIP_CALLS if app in OWNERSHIP_APPS else {})}
        for name in calls:
            count = plain_count(stated.get(name, ""))
            if count is not None:
                yield pytest.param(app, name, id=f"{app}-{name}")
        for name in CONDITIONAL:
            if name in stated and conditional_counts(name, stated[name]):
                yield pytest.param(app, name, id=f"{app}-{name}")


@pytest.mark.parametrize("app, name", list(cases()))
def test_the_count_in_a_functions_comment_is_what_it_costs(
    app, name, django_user_model, warm_content_types
):
    comment = verdicts(app)[name]
    world = world_for(name, app, django_user_model)
    calls = {**OWNERSHIP_CALLS, **SAVES_CALLS}
    plain = plain_count(comment)
    if name in calls and plain is not None:
        stated, prepared = [plain], [partial(calls[name], world)]
    else:
        stated, situations = conditional_counts(name, comment)
        prepared = [situation(world) for situation in situations]
    measured = []
    for call in prepared:
        with count_queries() as ctx:
            call()
        measured.append(len(real_queries(ctx)))
    assert measured == stated, comment


UNMEASURED = {
    # Measured by tests/test_ownership.py against the declared table instead.
    "task_rows_naive",
    # Extras outside the contract; tested in their own apps.
    "task_union",
    "task_page",
    "tasks_matching",
    "owner_rows_of",
}


def test_every_scenario_function_states_a_count_that_is_measured():
    measured = {(p.values[0], p.values[1]) for p in cases()}
    for app in SAVES_APPS:
        for name in verdicts(app):
            if name not in UNMEASURED:
                assert (app, name) in measured, (app, name, verdicts(app)[name])


def test_most_verdicts_are_plain_enough_to_measure():
    # Guards the parser: if a rewording made PLAIN match nothing, the test
    # above would quietly shrink to no cases at all.
    assert len(list(cases())) >= 100
