"""gfk_baseline -> check_constraint: each (type, id) pair becomes a kind and one FK.

A task's owner_type content type becomes owner_type "person" or "group" and
its owner_id goes to owner_person or owner_group; a save's item_type picks
which of movie, anime and manga gets its item_id. The target's constraints
are in force from the first row, so the move decides before it writes: a row
that would break one is set aside with the rule it breaks, not left for an
IntegrityError to stop the run.
"""

from __future__ import annotations

from django.db import models

from check_constraint import models as to
from gfk_baseline import models as gfk
from off_gfk import moving
from off_gfk.models import Reason

TARGET = "check_constraint"

# The tables the GFK points at, copied as they are (see moving.copy_table).
COPIED = [
    (gfk.Person, to.Person, ["name"]),
    (gfk.Group, to.Group, ["name", "creator_id"]),
    (gfk.Movie, to.Movie, ["title", "year"]),
    (gfk.Anime, to.Anime, ["title", "episodes"]),
    (gfk.Manga, to.Manga, ["title", "volumes"]),
]
OWNERS = {gfk.Person: (to.Person, "person"), gfk.Group: (to.Group, "group")}
ITEMS = {
    gfk.Movie: (to.Movie, "movie"),
    gfk.Anime: (to.Anime, "anime"),
    gfk.Manga: (to.Manga, "manga"),
}
KINDS = [kind for _, kind in ITEMS.values()]
TASK_FIELDS = ["description", "owner_type", "owner_person_id", "owner_group_id"]
SAVE_FIELDS = [
    "user_id",
    "movie_id",
    "anime_id",
    "manga_id",
    "created",
    "episode_progress",
    "watched",
]
OWNER_PAIR, ITEM_PAIR = ("owner_type_id", "owner_id"), ("item_type_id", "item_id")
# The extras the target's constraints keep to one kind each.
EXTRA_KIND = {"episode_progress": "anime", "watched": "movie"}


def move(
    size: int = moving.BATCH_SIZE, saves_from: type[models.Model] = gfk.SavedItem
) -> moving.Report:
    report = moving.Report(TARGET)
    for source, target, fields in COPIED:
        moving.copy_table(report, source, target, fields, size)
    move_tasks(report, size)
    move_saves(report, size, saves_from)
    moving.reset_sequences(
        [target for _, target, _ in COPIED] + [to.Task, to.SavedItem]
    )
    return report


def move_tasks(report: moving.Report, size: int) -> None:
    owner_kinds = moving.by_content_type(OWNERS)

    def decide(rows: list[dict]) -> moving.Batch:
        batch = moving.Batch(TARGET)
        ids = [row["id"] for row in rows]
        done = moving.already_set_aside(TARGET, gfk.Task, ids)
        there = moving.present(to.Task, ids, TASK_FIELDS)
        # 1 query per kind: which owners of this batch exist.
        owners = {
            type_id: moving.existing(
                model,
                (row["owner_id"] for row in rows if row["owner_type_id"] == type_id),
            )
            for type_id, (model, _) in owner_kinds.items()
        }
        for row in rows:
            if row["id"] in done:
                continue
            named = batch.pointed_at(row, owner_kinds, owners, OWNER_PAIR)
            if named is None:
                continue
            kind = named[1]
            values = {
                "description": row["description"],
                "owner_type": kind,
                "owner_person_id": row["owner_id"] if kind == "person" else None,
                "owner_group_id": row["owner_id"] if kind == "group" else None,
            }
            batch.place(to.Task, there, row, values)
        return batch

    fields = ["description", "owner_type_id", "owner_id"]
    moving.walk(report, gfk.Task, fields, size, decide)


def move_saves(report: moving.Report, size: int, source: type[models.Model]) -> None:
    item_kinds = moving.by_content_type(ITEMS)

    def decide(rows: list[dict]) -> moving.Batch:
        batch = moving.Batch(TARGET)
        ids = [row["id"] for row in rows]
        done = moving.already_set_aside(TARGET, source, ids)
        there = moving.present(to.SavedItem, ids, SAVE_FIELDS)
        items, taken = {}, {}
        for type_id, (model, kind) in item_kinds.items():
            mine = [row for row in rows if row["item_type_id"] == type_id]
            items[type_id] = moving.existing(model, (row["item_id"] for row in mine))
            # The saves the target holds already, of this batch's users and
            # items: a second save of one of them is a duplicate.
            held = to.SavedItem.objects.filter(
                user_id__in={row["user_id"] for row in mine},
                **{f"{kind}_id__in": {row["item_id"] for row in mine}},
            ).values_list("user_id", f"{kind}_id", "id")
            taken.update({(user, kind, item): pk for user, item, pk in held})
        for row in rows:
            if row["id"] in done:
                continue
            named = batch.pointed_at(row, item_kinds, items, ITEM_PAIR)
            if named is None:
                continue
            kind = named[1]
            wrong = [
                x for x, k in EXTRA_KIND.items() if row[x] is not None and k != kind
            ]
            if wrong:
                detail = f"{wrong[0]} on a {kind} save"
                batch.set_aside(source, row, Reason.EXTRA_ON_WRONG_KIND, detail)
                continue
            key = (row["user_id"], kind, row["item_id"])
            if taken.get(key, row["id"]) != row["id"]:
                detail = f"user #{key[0]} saves {kind} #{key[2]} in save #{taken[key]}"
                batch.set_aside(source, row, Reason.DUPLICATE, detail)
                continue
            taken[key] = row["id"]
            values = {
                "user_id": row["user_id"],
                **{f"{k}_id": row["item_id"] if k == kind else None for k in KINDS},
                "created": row["created"],
                # As the GFK row holds them, NULL included: these columns are
                # nullable here (linked_models' are not, and take a default).
                "episode_progress": row["episode_progress"],
                "watched": row["watched"],
            }
            batch.place(to.SavedItem, there, row, values)
        return batch

    fields = ["user_id", "item_type_id", "item_id", "created", *EXTRA_KIND]
    moving.walk(report, source, fields, size, decide)


def rollback(size: int = moving.BATCH_SIZE) -> tuple:
    # Dependants first: a task or save before the owner or item it names.
    written = [to.Task, to.SavedItem]
    written += [target for _, target, _ in reversed(COPIED)]
    return moving.rollback(TARGET, written, size)
