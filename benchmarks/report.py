"""Write docs/performance.md from a results file and the hand-written explanations.

    python -m benchmarks.report benchmarks/results/<run>/results.json [--strict]

Numbers, charts and plans come from the results file; prose comes from
benchmarks/explanations.toml, keyed by "<operation>/<series>" (a series is an
app, or "app (variant)"), optionally "@<database>" for one database only.
Every series more than 3x slower than the fastest on an operation (beyond
the noise: see outliers()) is an outlier and must have an explanation: the
page says so where one is missing, this command prints each, and --strict
makes it exit 1.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

from benchmarks.charts import ratios, record, series_name
from benchmarks.dataset import Dataset
from benchmarks.operations import OPERATIONS

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "performance.md"
EXPLANATIONS = Path(__file__).resolve().parent / "explanations.toml"
OUTLIER = 3.0
NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite", "mariadb": "MariaDB"}


@dataclass(frozen=True)
class Outlier:
    database: str
    tasks: int
    operation: str
    series: str
    ratio: float
    fastest: str


def outliers(results: dict) -> list[Outlier]:
    """Series over 3x the fastest, at the plans' size and at the largest size.

    Over 3x beyond the noise: the median over 3x the fastest's, and the
    series' first quartile over 3x the fastest's third, so that a jitter of
    a few tenths of a millisecond is not an outlier to explain.
    """
    found = []
    checked = sorted({results["plans_at"], max(results["sizes"])})
    for database, part in results["databases"].items():
        for tasks in checked:
            for op, row in ratios(part, tasks).items():
                fastest = min(row, key=row.get)
                quick = measurement(part, tasks, op, fastest)
                for series, ratio in row.items():
                    slow = measurement(part, tasks, op, series)
                    if ratio > OUTLIER and slow["q1"] > OUTLIER * quick["q3"]:
                        found.append(
                            Outlier(database, tasks, op, series, ratio, fastest)
                        )
    return found


def explanation(texts: dict, outlier: Outlier) -> str | None:
    key = f"{outlier.operation}/{outlier.series}"
    return texts.get(f"{key}@{outlier.database}") or texts.get(key)


def ms(seconds: float) -> str:
    value = seconds * 1000
    return (
        f"{value:.2f}"
        if value < 10
        else f"{value:.0f}"
        if value >= 100
        else f"{value:.1f}"
    )


def relative(path: Path, doc: Path) -> str:
    # A link from the page to a file of the run.
    return os.path.relpath(path, doc.parent)


def shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def measurement(part: dict, tasks: int, op: str, series: str) -> dict | None:
    for m in part["measurements"]:
        if m["tasks"] == tasks and m["operation"] == op and series_name(m) == series:
            return m
    return None


def provenance(results: dict, database: str) -> str:
    part = results["databases"][database]
    # A database added to the run later (run.py --into) carries its own.
    run = part.get("run", results)
    machine = run["machine"]
    settings = ", ".join(f"{k} {v}" for k, v in sorted(part["settings"].items()))
    minutes = sum(step["seconds"] for step in part["steps"]) / 60
    return (
        f"`{run['command']}`, {run['started']}, {machine['cpu']} "
        f"({machine['cores']} cores, {machine['memory']}); "
        f"{NAMES[database]} {part['version']} ({settings}); "
        f"this database's share of the grid took {minutes:.0f} minutes"
    )


def operation_table(part: dict, tasks: int) -> list[str]:
    table = ratios(part, tasks)
    series = sorted({s for row in table.values() for s in row})
    lines = [
        "| operation | " + " | ".join(f"`{s}`" for s in series) + " |",
        "|---|" + "---:|" * len(series),
    ]
    for op in OPERATIONS:
        if op not in table:
            continue
        cells = []
        for s in series:
            m = measurement(part, tasks, op, s)
            if m is None:
                cells.append("-")
                continue
            ratio = table[op][s]
            text = (
                f"{ms(m['median'])} ms ±{ms((m['q3'] - m['q1']) / 2)}"
                f" ×{ratio:.1f}<br>{m['queries']} q, {m['instances']} obj"
            )
            cells.append(f"**{text}**" if ratio > OUTLIER else text)
        lines.append(f"| {OPERATIONS[op].title} | " + " | ".join(cells) + " |")
    return lines


def load_table(part: dict) -> list[str]:
    lines = [
        "| pattern | tasks | rows written | seconds | rows/s | ANALYZE s |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for load in sorted(part["loads"], key=lambda x: (x["tasks"], x["pattern"])):
        rows = sum(load["rows"].values())
        lines.append(
            f"| `{load['pattern']}` | {load['tasks']:,} | {rows:,} |"
            f" {load['seconds']:.2f} | {load['rows_per_second']:,.0f} |"
            f" {load['analyze_seconds']:.2f} |"
        )
    return lines


def space_table(part: dict, tasks: int) -> list[str]:
    lines = [
        "| pattern | tables MiB | indexes MiB | total MiB |",
        "|---|---:|---:|---:|",
    ]
    for space in part["spaces"]:
        if space["tasks"] != tasks:
            continue
        table = sum(t["table"] for t in space["tables"].values()) / 2**20
        indexes = sum(t["indexes"] for t in space["tables"].values()) / 2**20
        lines.append(
            f"| `{space['pattern']}` | {table:.1f} | {indexes:.1f} |"
            f" {table + indexes:.1f} |"
        )
    return lines


def plans_block(part: dict, tasks: int, op: str, series: str) -> list[str]:
    m = measurement(part, tasks, op, series)
    if m is None or not m["plans"]:
        return [f"_No plan kept for `{series}` at {tasks:,} tasks._", ""]
    lines = [
        f"<details><summary>Plans: <code>{series}</code>, {tasks:,} tasks</summary>",
        "",
    ]
    for n, plan in enumerate(m["plans"], 1):
        times = plan.get("times", 1)
        lines += [
            f"Query {n}"
            + (f", run {times:,} times with other values:" if times > 1 else ":"),
            "",
            "```sql",
            plan["sql"],
            "```",
            "",
            "```",
            plan["plan"],
            "```",
            "",
        ]
    lines += ["</details>", ""]
    return lines


def outlier_sections(
    found: list[Outlier], part: dict, texts: dict, results: dict
) -> list[str]:
    """Per operation: each outlier's ratios and explanation, then the plans.

    Plans are kept at one size only, so each series' plans appear once, and
    the fastest series' once per operation, for contrast.
    """
    out: list[str] = []
    plans_at = results["plans_at"]
    for op in OPERATIONS:
        here = [o for o in found if o.operation == op]
        if not here:
            continue
        out += [f"#### {OPERATIONS[op].title}", ""]
        series = list(dict.fromkeys(o.series for o in here))
        for name in series:
            mine = [o for o in here if o.series == name]
            ratios_text = ", ".join(
                f"×{o.ratio:.1f} at {o.tasks:,} tasks (fastest: `{o.fastest}`)"
                for o in mine
            )
            text = explanation(texts, mine[0]) or "**No explanation yet.**"
            out += [f"**`{name}`**: {ratios_text}.", "", text.strip(), ""]
        fastest = list(dict.fromkeys(o.fastest for o in here))
        for name in [*series, *(f for f in fastest if f not in series)]:
            out += plans_block(part, plans_at, op, name)
    return out


def render_doc(
    results: dict, results_file: Path, texts: dict, doc: Path
) -> tuple[str, list[Outlier]]:
    charts = results_file.parent / "charts"
    machine = results["machine"]
    found = outliers(results)
    missing = [o for o in found if explanation(texts, o) is None]
    sizes = results["sizes"]
    ds = Dataset(max(sizes))
    out = [
        "# Performance at real scale",
        "",
        "<!-- Generated by `python -m benchmarks.report "
        f"{shown(results_file)}`: edit benchmarks/explanations.toml"
        " or re-run the benchmark, not this file. -->",
        "",
        f"Every figure below comes from one recorded grid: `{results['command']}`,"
        f" started {results['started']} on {machine['cpu']} ({machine['cores']}"
        f" cores, {machine['memory']}, {machine['os']}),"
        f" {results['seconds'] / 60:.0f} minutes; each database's section names"
        " the command that measured it (a database can be added to the run"
        f" later, `run.py --into`). Results file: [`{shown(results_file)}`]"
        f"({relative(results_file, doc)}).",
        "",
        "## What to conclude",
        "",
        texts.get("conclusions", "_Not written yet._").strip(),
        "",
        "## How it was measured",
        "",
        texts.get("method", "").strip(),
        "",
        f"At {ds.tasks:,} tasks: {ds.persons:,} persons, {ds.groups:,} groups,"
        f" {ds.items:,} media items, {ds.saves:,} saves by {ds.users + 2:,} users"
        f" (the heavy one has {ds.heavy_saves:,}). Sizes: "
        + ", ".join(f"{s:,}" for s in sizes)
        + f" tasks. Plans kept at {results['plans_at']:,}.",
        "",
    ]
    if missing:
        out += [
            "## Unexplained outliers",
            "",
            "These are over 3x the fastest and have no explanation in"
            " benchmarks/explanations.toml yet:",
            "",
        ]
        out += [
            f"- {NAMES[o.database]}, {o.tasks:,} tasks,"
            f" {OPERATIONS[o.operation].title}: `{o.series}` ×{o.ratio:.1f}"
            for o in missing
        ]
        out.append("")
    for database, part in results["databases"].items():
        name = NAMES[database]
        largest = max(sizes)
        out += [
            f"## {name}",
            "",
            f"Measured by {provenance(results, database)}.",
            "",
            f"![{name}: time against rows]"
            f"({relative(charts / f'time-{database}.png', doc)})",
            "",
            f"![{name}: ratio to the fastest at {largest:,} tasks]"
            f"({relative(charts / f'ratio-{database}-{largest}.png', doc)})",
            "",
            f"### Every operation at {largest:,} tasks",
            "",
            "Median ± half the interquartile range, ×ratio to the fastest on the"
            " row (bold: over 3x), queries per call (exact; SAVEPOINT and BEGIN"
            " left out) and model instances built per call.",
            "",
            *operation_table(part, largest),
            "",
        ]
        if results["plans_at"] != largest:
            out += [
                f"### Every operation at {results['plans_at']:,} tasks (where plans"
                " were kept)",
                "",
                *operation_table(part, results["plans_at"]),
                "",
            ]
        out += [
            "### Bulk loading",
            "",
            f"Route: {part['loads'][0]['route']}, one statement per table and kind;"
            " rows/s over every table of the app. ANALYZE (PostgreSQL: VACUUM"
            " ANALYZE) runs after, before any timing.",
            "",
            *load_table(part),
            "",
            f"### Space at {largest:,} tasks",
            "",
            *space_table(part, largest),
            "",
            "### Outliers, explained",
            "",
        ]
        out += outlier_sections(
            [o for o in found if o.database == database], part, texts, results
        )
    return "\n".join(out).rstrip() + "\n", missing


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("results", type=Path)
    parser.add_argument("--out", type=Path, default=DOC)
    parser.add_argument("--strict", action="store_true")
    args = parser.parse_args(argv)
    results_file = args.results.resolve()
    results = json.loads(results_file.read_text())
    if not (results_file.parent / "charts").exists():
        record(results, results_file)
    texts = tomllib.loads(EXPLANATIONS.read_text())
    doc, missing = render_doc(results, results_file, texts, args.out.resolve())
    args.out.write_text(doc)
    print(f"wrote {args.out}")
    for o in missing:
        print(
            f"unexplained: {o.database} {o.tasks} {o.operation}/{o.series}"
            f" x{o.ratio:.1f}",
            file=sys.stderr,
        )
    return 1 if missing and args.strict else 0


if __name__ == "__main__":
    sys.exit(main())
