"""gfk_baseline -> linked_models: each (type, id) pair picks a table of its own.

A person's task goes to PersonTask and a group's to GroupTask, each with a
plain foreign key; a save goes to SavedMovie, SavedAnime or SavedManga, which
keep only their kind's extra. A value the GFK table held on the wrong kind
(episode progress on a movie save) has no column to go to: the row is set
aside with it rather than moved without it. A NULL extra on the right kind
becomes the target's default (watched False, progress 0), which is what
every save written through gfk_baseline's save_item() holds anyway.
"""

from __future__ import annotations

from django.db import models

from gfk_baseline import models as gfk
from linked_models import models as to
from off_gfk import moving
from off_gfk.models import Reason

TARGET = "linked_models"

# The tables the GFK points at, copied as they are (see moving.copy_table).
COPIED = [
    (gfk.Person, to.Person, ["name"]),
    (gfk.Group, to.Group, ["name", "creator_id"]),
    (gfk.Movie, to.Movie, ["title", "year"]),
    (gfk.Anime, to.Anime, ["title", "episodes"]),
    (gfk.Manga, to.Manga, ["title", "volumes"]),
]
# Source model -> (the owner's target table, its tasks' target table).
OWNERS = {
    gfk.Person: (to.Person, to.PersonTask),
    gfk.Group: (to.Group, to.GroupTask),
}
# Source model -> (the item's target table, its saves' table, that table's extra).
ITEMS = {
    gfk.Movie: (to.Movie, to.SavedMovie, "watched"),
    gfk.Anime: (to.Anime, to.SavedAnime, "episode_progress"),
    gfk.Manga: (to.Manga, to.SavedManga, None),
}
EXTRAS = {"watched": False, "episode_progress": 0}
OWNER_PAIR, ITEM_PAIR = ("owner_type_id", "owner_id"), ("item_type_id", "item_id")


def move(
    size: int = moving.BATCH_SIZE, saves_from: type[models.Model] = gfk.SavedItem
) -> moving.Report:
    report = moving.Report(TARGET)
    for source, target, fields in COPIED:
        moving.copy_table(report, source, target, fields, size)
    move_tasks(report, size)
    move_saves(report, size, saves_from)
    written = [target for _, target, _ in COPIED]
    written += [tasks for _, tasks in OWNERS.values()]
    written += [saves for _, saves, _ in ITEMS.values()]
    moving.reset_sequences(written)
    return report


def move_tasks(report: moving.Report, size: int) -> None:
    owner_kinds = moving.by_content_type(OWNERS)

    def decide(rows: list[dict]) -> moving.Batch:
        batch = moving.Batch(TARGET)
        ids = [row["id"] for row in rows]
        done = moving.already_set_aside(TARGET, gfk.Task, ids)
        # 2 queries per kind: which owners of this batch exist, and which of
        # its rows that kind's task table holds already.
        owners, there = {}, {}
        for type_id, (model, tasks) in owner_kinds.items():
            mine = [row for row in rows if row["owner_type_id"] == type_id]
            owners[type_id] = moving.existing(model, (row["owner_id"] for row in mine))
            fields = ["description", "owner_id"]
            there[type_id] = moving.present(tasks, (row["id"] for row in mine), fields)
        for row in rows:
            if row["id"] in done:
                continue
            named = batch.pointed_at(row, owner_kinds, owners, OWNER_PAIR)
            if named is None:
                continue
            tasks = named[1]
            values = {"description": row["description"], "owner_id": row["owner_id"]}
            batch.place(tasks, there[row["owner_type_id"]], row, values)
        return batch

    fields = ["description", "owner_type_id", "owner_id"]
    moving.walk(report, gfk.Task, fields, size, decide)


def move_saves(report: moving.Report, size: int, source: type[models.Model]) -> None:
    item_kinds = moving.by_content_type(ITEMS)

    def decide(rows: list[dict]) -> moving.Batch:
        batch = moving.Batch(TARGET)
        ids = [row["id"] for row in rows]
        done = moving.already_set_aside(TARGET, source, ids)
        items, there, taken = {}, {}, {}
        for type_id, (model, saves, extra) in item_kinds.items():
            mine = [row for row in rows if row["item_type_id"] == type_id]
            items[type_id] = moving.existing(model, (row["item_id"] for row in mine))
            fields = ["user_id", "item_id", "created", *([extra] if extra else [])]
            there[type_id] = moving.present(saves, (row["id"] for row in mine), fields)
            # The saves this table holds already, of this batch's users and
            # items: a second save of one of them is a duplicate.
            held = saves.objects.filter(
                user_id__in={row["user_id"] for row in mine},
                item_id__in={row["item_id"] for row in mine},
            ).values_list("user_id", "item_id", "id")
            taken.update({(type_id, user, item): pk for user, item, pk in held})
        for row in rows:
            if row["id"] in done:
                continue
            named = batch.pointed_at(row, item_kinds, items, ITEM_PAIR)
            if named is None:
                continue
            model, saves, extra = named
            kind = model._meta.model_name
            wrong = [x for x in EXTRAS if row[x] is not None and x != extra]
            if wrong:
                table = saves._meta.db_table
                detail = f"{wrong[0]} on a {kind} save: {table} has no column for it"
                batch.set_aside(source, row, Reason.EXTRA_ON_WRONG_KIND, detail)
                continue
            key = (row["item_type_id"], row["user_id"], row["item_id"])
            if taken.get(key, row["id"]) != row["id"]:
                detail = f"user #{key[1]} saves {kind} #{key[2]} in save #{taken[key]}"
                batch.set_aside(source, row, Reason.DUPLICATE, detail)
                continue
            taken[key] = row["id"]
            values = {
                "user_id": row["user_id"],
                "item_id": row["item_id"],
                "created": row["created"],
            }
            if extra:
                value = row[extra]
                values[extra] = EXTRAS[extra] if value is None else value
            batch.place(saves, there[row["item_type_id"]], row, values)
        return batch

    fields = ["user_id", "item_type_id", "item_id", "created", *EXTRAS]
    moving.walk(report, source, fields, size, decide)


def rollback(size: int = moving.BATCH_SIZE) -> tuple:
    # Dependants first: a task or save before the owner or item it names.
    written = [tasks for _, tasks in OWNERS.values()]
    written += [saves for _, saves, _ in ITEMS.values()]
    written += [target for _, target, _ in reversed(COPIED)]
    return moving.rollback(TARGET, written, size)
