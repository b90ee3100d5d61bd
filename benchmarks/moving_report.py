"""docs/moving-off-a-gfk.md, rendered from a recorded benchmarks/moving.py run.

Every number on the page comes from the run's results.json; the prose around
them says how they were measured, never what they are.
"""

from __future__ import annotations

from benchmarks.adding import LOCK_ORDER
from benchmarks.adding_report import BLOCKS, DATABASE_NAMES, LOCK_NAMES, ms, run_line

REASONS = {
    "dangling": "points at a row that no longer exists",
    "not_a_target_kind": "points at a model the target has no place for",
    "extra_on_wrong_kind": "holds an extra of another kind",
    "duplicate": "a second save of one item by one user",
    "id_taken": "the target holds a different row under its id",
}


def duration(seconds: float) -> str:
    return f"{seconds:,.1f} s" if seconds >= 1 else ms(seconds)


def strongest(locks: dict) -> tuple[str, str, float] | None:
    """(table, mode, held) of the strongest lock seen; ties: the longest held."""
    seen = [
        (mode, held, table)
        for table, modes in locks.items()
        for mode, held in modes.items()
    ]
    if not seen:
        return None
    mode, held, table = max(seen, key=lambda s: (LOCK_ORDER.index(s[0]), s[1]))
    return table, mode, held


def at_strongest(locks: dict) -> tuple[str, list[str], float] | None:
    """(mode, every table held in it, the longest held) of the strongest lock."""
    found = strongest(locks)
    if found is None:
        return None
    mode = found[1]
    names = [table for table, modes in sorted(locks.items()) if mode in modes]
    return mode, names, max(locks[table][mode] for table in names)


def tables(names: list[str]) -> str:
    return ", ".join(f"`{name}`" for name in names)


def lock_cell(locks: dict) -> str:
    found = at_strongest(locks)
    if found is None:
        return "none seen"
    mode, names, held = found
    return f"{LOCK_NAMES[mode]} on {tables(names)}, {ms(held)}"


def backfill_locks(locks: dict, target: str) -> str:
    # The strongest lock the backfill took on the target's tables, and on
    # the GFK's.
    sides: dict[str, str] = {}
    for table, held in locks.items():
        if table.startswith(f"{target}_"):
            side = "the new tables"
        elif table.startswith("gfk_baseline_"):
            side = "the GFK's"
        else:
            continue
        for mode in held:
            sides[side] = max(mode, sides.get(side, mode), key=LOCK_ORDER.index)
    return (
        ", ".join(
            f"{LOCK_NAMES[mode]} on {side}" for side, mode in sorted(sides.items())
        )
        or "none seen"
    )


STEP_NAMES = {
    "create": "creating the new tables",
    "backfill": "the backfill",
    "check": "the check",
    "drop": "the drop",
}


def blocking_sentences(moves: dict, tasks: int) -> list[str]:
    """Per target, the steps whose locks stop someone, from the run itself."""
    lines = []
    for target, by_size in moves.items():
        pg = by_size[str(tasks)].get("postgresql")
        if not pg:
            continue
        stops = []
        for step, name in STEP_NAMES.items():
            found = at_strongest(pg["steps"][step]["locks"])
            if found and found[0] in BLOCKS:
                mode, names, held = found
                stops.append(
                    f"{name} stops {BLOCKS[mode]} on {tables(names)}"
                    f" ({LOCK_NAMES[mode]}, {ms(held)})"
                )
        lines.append(
            f"To `{target}`: "
            + ("; ".join(stops) if stops else "no step stops a read or a write")
            + ". Every other lock seen lets reads and writes through."
        )
    return lines


def in_place_section(in_place: dict) -> list[str]:
    """The GFK's own table turned into check_constraint's, step by step."""
    if not in_place:
        return []
    sizes = sorted(in_place, key=int)
    by_size = {n: {step["key"]: step for step in in_place[n]["steps"]} for n in sizes}
    first = in_place[sizes[0]]["steps"]
    keys = [step["key"] for step in first]
    out = [
        "",
        "## The in-place route to `check_constraint`, on PostgreSQL",
        "",
        "A project that keeps its task table changes it instead: new columns",
        "beside `owner_type`/`owner_id`, filled, checked, and the old ones",
        "dropped. `benchmarks/moving_in_place.py` runs that order as SQL on",
        "`gfk_baseline_task`, loaded and broken as above; its backfill sets",
        "rows aside into the same report and deletes them from the table, so",
        "that the constraints can be validated. The lock is the strongest the",
        "step's own connection held before it committed; a lock taken inside",
        "a transaction is held until its end, so the step's time bounds it.",
        "",
        "| step | runs in | strongest lock | "
        + " | ".join(f"at {int(n):,} tasks" for n in sizes)
        + " |",
        "|---|---|---|" + "---|" * len(sizes),
    ]
    for number, step in enumerate(first, 1):
        found = at_strongest(step["locks"])
        lock = "none seen"
        if found:
            mode, names, _ = found
            lock = f"{LOCK_NAMES[mode]} on {tables(names)}"
            if mode in BLOCKS:
                lock += f", stops {BLOCKS[mode]}"
        if step.get("proved_without_scan"):
            lock += "; PostgreSQL: existing constraints prove it, no scan"
        times = " | ".join(duration(by_size[n][step["key"]]["seconds"]) for n in sizes)
        out.append(
            f"| {number}. {step['what']} | {step['runs_in']} | {lock} | {times} |"
        )
    backfills = [by_size[n]["backfill"] for n in sizes]
    out += [
        "",
        "The backfill's batches: "
        + "; ".join(
            f"{b['batches']:,} at {int(n):,} tasks, {ms(b['batch_median'])} median,"
            f" {ms(b['batch_max'])} at most"
            for n, b in zip(sizes, backfills, strict=True)
        )
        + f". From step {keys.index('check_not_valid') + 1} until step"
        f" {keys.index('drop') + 1} the old code's writes must fill the new",
        "columns too (dual writes), or the CHECK refuses them.",
    ]
    return out


def render(results: dict) -> str:
    moves = results["moves"]
    runs = results["runs"]
    sizes = sorted({int(n) for by_size in moves.values() for n in by_size})
    small, large = sizes[0], sizes[-1]
    batch = next(iter(runs.values()))["batch"]
    out = [
        "# Moving off a GFK",
        "",
        "<!-- Generated by `python -m benchmarks.moving --render"
        " benchmarks/results/<run>-moving/results.json`; edit"
        " benchmarks/moving_report.py, not this file. -->",
        "",
        "A `gfk_baseline` full of rows, some of them broken the ways a GFK",
        "lets rows break, moved to `check_constraint` and to `linked_models` by",
        "`python manage.py move_off_gfk --to <target>` (the `off_gfk` app).",
        "The move reads the GFK's tables and never writes them; it writes the",
        f"target's tables in batches of {batch:,}, each its own transaction, under",
        "the source rows' ids. A row it can't move goes to `off_gfk_setaside`",
        "with its reason and the row itself. Rerun it and it writes nothing",
        "twice; cut it off and the next run goes on after the last whole",
        "batch; `--rollback` deletes the rows its ledger (`off_gfk_movedrow`)",
        "says it wrote, and no other: not a dual write's row, not the target's",
        "own, not a moved row that one of those points at.",
        "tests/test_moving_off_gfk.py proves each of those on SQLite and",
        "PostgreSQL, and runs the targets' own integrity probes on the moved",
        "rows.",
        "",
        "In this repo every pattern has its own `Person`, `Movie`, ... tables,",
        "so the move copies those too; in a project of one app they stay where",
        "they are, and only the task and save tables move.",
        "",
        "## The order, on a live site",
        "",
        f"Each step measured by `benchmarks/moving.py` at {small:,} tasks and as",
        "many saves, on PostgreSQL: the strongest table lock a second",
        "connection saw the step's connection hold, and for how long.",
        "",
        "| step | what you deploy or run | in this repo"
        " | PostgreSQL's strongest lock, held | time |",
        "|---|---|---|---|---|",
    ]
    for target in moves:
        pg = moves[target][str(small)].get("postgresql")
        steps = pg["steps"] if pg else None
        create = lock_cell(steps["create"]["locks"]) if steps else "-"
        backfill = steps["backfill"] if steps else None
        out += [
            f"| **to `{target}`** | | | | |",
            "| 1. create the new tables | a migration that only adds: new"
            " tables, or new nullable columns | "
            f"`manage.py migrate {target}` | {create} | "
            + (duration(steps["create"]["seconds"]) if steps else "-")
            + " |",
            "| 2. dual-write | every write goes to the GFK and to the new tables,"
            " under one id, in one transaction; a delete deletes the GFK's row"
            " first | (your code) | no schema change | - |",
            "| 3. backfill | the move, in batches | "
            f"`manage.py move_off_gfk --to {target}` | "
            + (
                f"{backfill_locks(backfill['locks'], target)}; each batch holds them"
                f" for its own time, {ms(backfill['batch_median'])} median,"
                f" {ms(backfill['batch_max'])} at most"
                if backfill
                else "-"
            )
            + " | "
            + (duration(backfill["seconds"]) if backfill else "-")
            + " |",
            "| 4. check | every source row is in the target or set aside; the"
            " target's constraints held every row as it went in | "
            "(the benchmark's check) | "
            + (lock_cell(steps["check"]["locks"]) if steps else "-")
            + " | "
            + (duration(steps["check"]["seconds"]) if steps else "-")
            + " |",
            "| 5. switch reads | the code that reads the new tables | (your code)"
            " | no schema change | - |",
            "| 6. drop the GFK | a migration that removes the old tables (no way"
            " back after this) | `DROP TABLE` of the task and save tables | "
            + (lock_cell(steps["drop"]["locks"]) if steps else "-")
            + " | "
            + (duration(steps["drop"]["seconds"]) if steps else "-")
            + " |",
        ]
    out += ["", *blocking_sentences(moves, small)]
    out += [
        "",
        "The build-beside route never validates a constraint over old rows:",
        "the new tables enforce theirs from the first row.",
        "",
        "Why a dual-written delete takes the GFK's row first: on PostgreSQL",
        "each batch reads its source rows FOR NO KEY UPDATE, inside the",
        "transaction that writes them. A delete of the GFK's row waits for",
        "that batch to commit, and its DELETE from the new table then finds",
        "the row the batch wrote. In the other order the new table's DELETE",
        "runs before the batch's INSERT, finds nothing and waits for nothing,",
        "and the batch then writes the save the user has just undone; no",
        "rerun removes it, since the move only writes. Both orders are tests",
        "in tests/test_moving_off_gfk.py. On SQLite a batch holds the write",
        "lock from its BEGIN, so a delete lands only between two batches.",
    ]
    out += in_place_section(results.get("in_place", {}))
    out += [
        "",
        "## How long the backfill takes",
        "",
        "Load excluded: the time of `move()`, which copies the people, groups",
        "and items as well as moving the tasks and saves. Rows per second count",
        "every row it wrote.",
        "",
        "| to | database | tasks | saves | rows written | set aside | backfill"
        " | rows/s | batches, median / max | check | drop |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for target, by_size in moves.items():
        for n in sizes:
            for vendor, run in sorted(by_size.get(str(n), {}).items(), reverse=True):
                backfill = run["steps"]["backfill"]
                written = sum(run["moved"].values())
                rows = run["source_rows"]
                out.append(
                    f"| `{target}` | {DATABASE_NAMES[vendor]} | {rows['tasks']:,}"
                    f" | {rows['saves']:,} | {written:,}"
                    f" | {sum(run['set_aside'].values()):,}"
                    f" | {duration(backfill['seconds'])}"
                    f" | {written / backfill['seconds']:,.0f}"
                    f" | {backfill['batches']:,}: {ms(backfill['batch_median'])} /"
                    f" {ms(backfill['batch_max'])}"
                    f" | {duration(run['steps']['check']['seconds'])}"
                    f" | {duration(run['steps']['drop']['seconds'])} |"
                )
    reports = [
        run["set_aside"]
        for by_size in moves.values()
        for run in by_size[str(large)].values()
    ]
    if any(report != reports[0] for report in reports):
        raise ValueError(f"the runs at {large:,} tasks set aside different rows")
    out += [
        "",
        "## What is set aside",
        "",
        "The benchmark breaks the loaded GFK tables before the move: one person",
        "in a hundred (none who created a group) and one movie in a hundred",
        "deleted with raw SQL, one task in a thousand pointed at a movie, one",
        "movie save in a thousand given an episode progress. At"
        f" {large:,} tasks the report held, on every run:",
        "",
        "| reason | rows |",
        "|---|---|",
    ]
    for reason, count in sorted(reports[0].items()):
        out.append(f"| {REASONS[reason]} (`{reason}`) | {count:,} |")
    out += [
        "",
        "Each run checks its report against counts SQL takes of the source",
        "alone, and stops if a row is lost or misfiled. Two more reasons only",
        "the tests meet: a duplicate save (gfk_baseline's unique constraint",
        "refuses them; `--saves-from unguarded` reads `off_gfk`'s table without",
        "one), and a target row that differs under the same id (a dual write",
        "gone wrong). Every set-aside row keeps the source row in",
        "`off_gfk_setaside.row`: fix it there, or write it by hand.",
        "",
        "## The runs",
        "",
    ]
    for vendor, run in sorted(runs.items(), reverse=True):
        out.append(run_line(DATABASE_NAMES[vendor], run))
    if "in_place_run" in results:
        out.append(run_line("PostgreSQL, in place", results["in_place_run"]))
    return "\n".join(out) + "\n"
