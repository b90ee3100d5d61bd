"""The one dataset builder: demo data and the shared suite's data come from here.

It writes only through a pattern's `queries` module, so every app gets the same
rows by its own idiomatic path, and `expected_*` says what reading them back
must give, whatever the pattern.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import ModuleType

# One owner of each kind per step; each owner gets two tasks, so a listing
# of n owners per kind has 4n rows (half of them with a group creator).
TASKS_PER_OWNER = 2


def person_name(i: int) -> str:
    return f"Person {i:03d}"


def group_name(i: int) -> str:
    return f"Group {i:03d}"


def build_ownership(q: ModuleType, owners_per_kind: int, first: int = 1) -> None:
    """Persons and groups first..n (group i created by person i), two tasks each.

    `first` grows an existing dataset: build 3, then build 30 with first=4.
    """
    for i in range(first, owners_per_kind + 1):
        person = q.create_person(person_name(i))
        group = q.create_group(group_name(i), creator=person)
        for owner in (person, group):
            for t in range(1, TASKS_PER_OWNER + 1):
                q.create_task(f"{owner.name} task {t}", owner)


def expected_task_rows(owners_per_kind: int) -> list[tuple]:
    rows = []
    for i in range(1, owners_per_kind + 1):
        for t in range(1, TASKS_PER_OWNER + 1):
            rows.append((f"{person_name(i)} task {t}", "person", person_name(i), None))
            rows.append(
                (f"{group_name(i)} task {t}", "group", group_name(i), person_name(i))
            )
    return sorted(rows)


# Each kind's one field besides its title: what create_media() needs and the
# item page shows. Every kind of every app is here, demo data or not.
OWN_FIELD = {"movie": "year", "anime": "episodes", "manga": "volumes"}

# The demo's items, per kind: that field, and (title, its value) pairs.
MEDIA = {
    "movie": (
        OWN_FIELD["movie"],
        [("Alien", 1979), ("Heat", 1995), ("Paprika", 2006), ("Arrival", 2016)],
    ),
    "anime": (
        OWN_FIELD["anime"],
        [("Mushishi", 26), ("Planetes", 26), ("Ping Pong", 11), ("Dororo", 24)],
    ),
    "manga": (
        OWN_FIELD["manga"],
        [("Monster", 18), ("Pluto", 8), ("Vagabond", 37), ("Blame!", 10)],
    ),
}


def build_media(q: ModuleType, per_kind: int) -> list:
    """per_kind items of each kind, interleaved movie, anime, manga, movie...

    Interleaving puts every kind on every page of a feed saved in this order.
    Titles past the named ones are numbered.
    """
    items = []
    for i in range(per_kind):
        for kind, (field, named) in MEDIA.items():
            title, number = named[i] if i < len(named) else (f"{kind} {i:03d}", 1)
            items.append(q.create_media(kind, title, **{field: number}))
    return items


def build_saves(q: ModuleType, user, items: list, start: datetime) -> list[tuple]:
    """Save every item, one minute apart in list order; return the expected feed.

    Anime progress and movie watched flags are set on every other item, so the
    extras differ from their defaults somewhere in every page.
    """
    expected = []
    for n, item in enumerate(items):
        at = start + timedelta(minutes=n)
        q.save_item(user, item, at=at)
        kind = next(k for k, model in q.KINDS.items() if isinstance(item, model))
        if kind == "anime":
            progress = n % 5 if n % 2 else 0
            if progress:
                q.set_progress(user, item, progress)
            extras = {"episode_progress": progress}
        elif kind == "movie":
            watched = bool(n % 2)
            if watched:
                q.set_watched(user, item, True)
            extras = {"watched": watched}
        else:
            extras = {}
        expected.append((kind, item.title, at, extras))
    expected.reverse()  # newest first
    return expected
