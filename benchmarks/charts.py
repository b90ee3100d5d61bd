"""Charts from a results file: time against rows, and ratios to the fastest.

    python -m benchmarks.charts benchmarks/results/<run>/results.json

Per database: `time-<database>.png`, one log-log panel per operation (median
and interquartile range against tasks, one line per pattern, variants
dashed), and `ratio-<database>-<tasks>.png` at the largest size, each
pattern's median over the fastest one's for every operation.
"""

from __future__ import annotations

import json
import sys
from collections import defaultdict
from pathlib import Path

from benchmarks.operations import OPERATIONS
from project.patterns import PATTERN_APPS


def series_name(measurement: dict) -> str:
    variant = measurement.get("variant")
    return measurement["pattern"] + (f" ({variant})" if variant else "")


def by_operation(part: dict) -> dict[str, dict[str, list[dict]]]:
    """operation -> series -> measurements in size order."""
    found: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    for m in sorted(part["measurements"], key=lambda m: m["tasks"]):
        found[m["operation"]][series_name(m)].append(m)
    return found


def ratios(part: dict, tasks: int) -> dict[str, dict[str, float]]:
    """operation -> series -> median / fastest median, at one size."""
    table: dict[str, dict[str, float]] = {}
    for op, series in by_operation(part).items():
        medians = {
            name: m["median"]
            for name, ms in series.items()
            for m in ms
            if m["tasks"] == tasks
        }
        if medians:
            fastest = min(medians.values())
            table[op] = {name: median / fastest for name, median in medians.items()}
    return table


def colours() -> dict[str, str]:
    palette = [
        "#1f77b4",
        "#ff7f0e",
        "#2ca02c",
        "#d62728",
        "#9467bd",
        "#8c564b",
        "#e377c2",
        "#7f7f7f",
        "#bcbd22",
        "#17becf",
        "#000000",
    ]
    return {app: palette[i % len(palette)] for i, app in enumerate(PATTERN_APPS)}


def render(results: dict, out: Path) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FuncFormatter, LogLocator

    plain = FuncFormatter(lambda value, _: f"{value:g}")
    rows_label = FuncFormatter(lambda value, _: f"{value:,.0f}")

    out.mkdir(parents=True, exist_ok=True)
    colour = colours()
    written = []
    stamp = f"{results['started']} · {results['machine']['cpu']}"
    for database, part in results["databases"].items():
        ops = [op for op in OPERATIONS if op in by_operation(part)]
        columns = 4
        rows = -(-len(ops) // columns)
        figure, axes = plt.subplots(
            rows, columns, figsize=(4.2 * columns, 3.3 * rows), squeeze=False
        )
        for ax, op in zip(axes.flat, ops, strict=False):
            for name, ms in by_operation(part)[op].items():
                xs = [m["tasks"] for m in ms]
                style = {
                    "color": colour[ms[0]["pattern"]],
                    "linestyle": "--" if ms[0].get("variant") else "-",
                }
                ax.plot(
                    xs,
                    [m["median"] * 1000 for m in ms],
                    label=name,
                    marker="o",
                    markersize=3,
                    **style,
                )
                # The interquartile range as a band: one artist, not one per point.
                ax.fill_between(
                    xs,
                    [m["q1"] * 1000 for m in ms],
                    [m["q3"] * 1000 for m in ms],
                    color=style["color"],
                    alpha=0.15,
                    linewidth=0,
                )
            ax.set_xscale("log")
            ax.set_yscale("log")
            # Plain tick labels, no minor ticks: mathtext labels and minor
            # ticks cost most of the drawing time, and add nothing here.
            ax.minorticks_off()
            ax.set_xticks(results["sizes"])
            ax.xaxis.set_major_formatter(rows_label)
            # 1, 2, 5 per decade: a panel spanning less than a decade still
            # gets labels.
            ax.yaxis.set_major_locator(LogLocator(base=10, subs=(1.0, 2.0, 5.0)))
            ax.yaxis.set_major_formatter(plain)
            ax.set_title(OPERATIONS[op].title, fontsize=9)
            ax.set_xlabel("tasks (and saves)", fontsize=8)
            ax.set_ylabel("ms (median, IQR)", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(True, alpha=0.2)
        for ax in list(axes.flat)[len(ops) :]:
            ax.axis("off")
        handles, labels = {}, {}
        for ax in axes.flat:
            for handle, label in zip(*ax.get_legend_handles_labels(), strict=True):
                handles.setdefault(label, handle)
                labels[label] = label
        figure.legend(
            handles.values(), labels.values(), loc="lower center", ncol=5, fontsize=8
        )
        figure.suptitle(
            f"{database}: time against rows, log-log ({stamp})", fontsize=10
        )
        figure.subplots_adjust(
            left=0.05, right=0.98, top=0.93, bottom=0.12, hspace=0.45, wspace=0.3
        )
        path = out / f"time-{database}.png"
        figure.savefig(path, dpi=90)
        plt.close(figure)
        written.append(path)

        tasks = max(results["sizes"])
        table = ratios(part, tasks)
        names = sorted(
            {name for row in table.values() for name in row},
            key=lambda n: (PATTERN_APPS.index(n.split(" ")[0]), n),
        )
        op_rows = [op for op in ops if op in table]
        figure, ax = plt.subplots(
            figsize=(1.0 * len(names) + 3, 0.42 * len(op_rows) + 2)
        )
        grid = [[table[op].get(name) for name in names] for op in op_rows]
        shown = [
            [min(v, 10) if v is not None else float("nan") for v in row] for row in grid
        ]
        ax.imshow(shown, cmap="RdYlGn_r", vmin=1, vmax=10, aspect="auto")
        for y, row in enumerate(grid):
            for x, value in enumerate(row):
                if value is not None:
                    ax.text(x, y, f"{value:.1f}", ha="center", va="center", fontsize=7)
        ax.set_xticks(range(len(names)), names, rotation=40, ha="right", fontsize=8)
        ax.set_yticks(
            range(len(op_rows)), [OPERATIONS[op].title for op in op_rows], fontsize=8
        )
        ax.set_title(
            f"{database}, {tasks:,} tasks: median / fastest median (1.0 = fastest)\n"
            f"{stamp}",
            fontsize=9,
        )
        figure.tight_layout()
        path = out / f"ratio-{database}-{tasks}.png"
        figure.savefig(path, dpi=90)
        plt.close(figure)
        written.append(path)
    return written


def record(results: dict, results_file: Path) -> list[Path]:
    """Draw a run's charts beside its results file, and list them in it: the
    site serves a run's charts by that list, never by what lies in the folder."""
    written = render(results, results_file.parent / "charts")
    results["charts"] = [path.name for path in written]
    results_file.write_text(json.dumps(results, indent=1, default=str))
    return written


if __name__ == "__main__":
    results_file = Path(sys.argv[1])
    for chart in record(json.loads(results_file.read_text()), results_file):
        print(chart)
