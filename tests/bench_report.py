"""The benchmark's tables, goals and plot, from the JSON that bench_storages.py and bench_bot.py
wrote: ``python tests/bench_report.py RESULTS_DIR`` (``uvx nox -s benchmark`` runs it).

Ratios are taken within each run of the storage benchmark, then their median is reported: the
machine is noisy, so a ratio measured in one run is what counts.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from bench_storages import CONCURRENCY, OPERATIONS

ROOT = Path(__file__).resolve().parents[1]
PLOT = ROOT / "tests" / "bench_storages.png"
# The goals of the benchmark's issue: (what, the ratio it is about, the least it may be).
STORAGE_ORDER = [
    ("memory", "memory"),
    ("aiogram RedisStorage", "redis"),
    ("aiogram PyMongoStorage", "mongo"),
    ("SQLStorage", "sqlite"),
    ("aiogram-sqlalchemy-storage", "sqlite"),
    ("SQLStorage", "postgresql"),
    ("aiogram-sqlalchemy-storage", "postgresql"),
]
THIRD_PARTY = "aiogram-sqlalchemy-storage"
# How many times slower than its database's floor a storage's worst operation may be: 2x, but
# 2.5x for the SQL storage on SQLite, whose every statement goes through aiosqlite's thread and
# back (issue 16 traded the hand-written batching thread's 0.88 for 110 fewer lines per bot).
FLOOR_GOALS = {("SQLStorage", "sqlite"): 2.5}


def worst_ratio(
    runs: list[dict[str, float]], a: tuple[str, str], b: tuple[str, str], tasks: int
) -> float:
    """The median over runs of the smallest ratio a/b over the operations, in the same run."""
    ratios = [
        min(
            run[f"{a[0]}|{a[1]}|{op}|{tasks}"] / run[f"{b[0]}|{b[1]}|{op}|{tasks}"]
            for op in OPERATIONS
        )
        for run in runs
    ]
    return statistics.median(ratios)


def storage_table(results: dict[str, object]) -> tuple[str, list[tuple[str, float, float]]]:
    """The markdown table, and each goal as (what, measured ratio, least ratio)."""
    runs: list[dict[str, float]] = results["runs"]  # type: ignore[assignment]
    medians: dict[str, float] = results["medians"]  # type: ignore[assignment]
    lines = [
        "| Storage | Database | Tasks | "
        + " | ".join(OPERATIONS)
        + " | vs floor | vs third-party |",
        "| --- | --- | ---: | " + " | ".join("---:" for _ in OPERATIONS) + " | ---: | ---: |",
    ]
    goals = []
    for tasks in CONCURRENCY:
        for name, database in [
            *STORAGE_ORDER,
            *(("floor", db) for db in ("redis", "mongo", "sqlite", "postgresql")),
        ]:
            figures = " | ".join(
                f"{medians[f'{name}|{database}|{op}|{tasks}']:,.0f}" for op in OPERATIONS
            )
            floor = third = "n/a"
            if name == THIRD_PARTY:  # shown against the floor, but not a goal: not ours
                floor = f"{worst_ratio(runs, (name, database), ('floor', database), tasks):.2f}"
            if name not in ("memory", "floor", THIRD_PARTY):
                ratio = worst_ratio(runs, (name, database), ("floor", database), tasks)
                floor = f"{ratio:.2f}"
                times = FLOOR_GOALS.get((name, database), 2)
                what = f"{name} on {database}, {tasks} task(s): within {times:g}x of its floor"
                goals.append((what, ratio, 1 / times))
            if name == "SQLStorage":
                ratio = worst_ratio(runs, (name, database), (THIRD_PARTY, database), tasks)
                third = f"{ratio:.2f}"
                goals.append(
                    (f"SQLStorage on {database}, {tasks} task(s): 2x {THIRD_PARTY}", ratio, 2.0)
                )
            lines.append(f"| {name} | {database} | {tasks} | {figures} | {floor} | {third} |")
    return "\n".join(lines), goals


def bot_table(bots: dict[str, dict[str, float]]) -> tuple[str, list[tuple[str, float, float]]]:
    ceiling = bots["memory + none"]["updates_per_second"]
    lines = [
        "| FSM storage + user data | Updates/s | vs memory | Resident MiB after 10,000 users |",
        "| --- | ---: | ---: | ---: |",
    ]
    goals = []
    for name, bot in bots.items():
        ratio = bot["updates_per_second"] / ceiling
        lines.append(
            f"| {name} | {bot['updates_per_second']:,.0f} | {ratio:.2f} "
            f"| {bot['resident_mib_after_10000_users']:,.0f} |"
        )
        if not name.startswith("memory"):
            goals.append((f"dispatcher on {name}: within 3x of memory", ratio, 1 / 3))
    return "\n".join(lines), goals


def startup_table(bots: dict[str, dict[str, dict[str, float]]]) -> str:
    """The start-up table: each bot's start, and the share of it that is aiogram's import."""
    lines = [
        "| Bot | Bytecode | Start to getUpdates | Python | aiogram's import | The bot's own |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for name, conditions in bots.items():
        for condition, times in conditions.items():
            aiogram = times["import aiogram"] - times["python"]
            ours = times["own"]  # paired per run: the bot's start less aiogram's import
            lines.append(
                f"| {name} | {condition.removesuffix(' bytecode')} | {times['bot']:.2f} s "
                f"| {times['python']:.2f} s | {aiogram:.2f} s | {ours:.2f} s |"
            )
    return "\n".join(lines)


def suites_table(
    suites: dict[str, dict[str, float]],
) -> tuple[str, list[tuple[str, float, float]]]:
    """The test suites' table (bench_suites.py), and the goal: half v0.3.1's time or less."""
    lines = [
        "| Bot | v0.3.1 | Now | v0.3.1 / now |",
        "| --- | ---: | ---: | ---: |",
    ]
    goals = []
    for name, times in suites.items():
        lines.append(
            f"| {name} | {times['v0.3.1']:.1f} s | {times['now']:.1f} s | {times['speedup']:.2f} |"
        )
        goals.append((f"{name} bot's `uv run pytest`: half v0.3.1's time", times["speedup"], 2.0))
    return "\n".join(lines), goals


def plot(results: dict[str, object]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    medians: dict[str, float] = results["medians"]  # type: ignore[assignment]
    contenders = [
        *STORAGE_ORDER,
        *(("floor", db) for db in ("redis", "mongo", "sqlite", "postgresql")),
    ]
    wrapped = {THIRD_PARTY: "aiogram-\nsqlalchemy-\nstorage"}
    labels = [
        f"{wrapped.get(name, name.replace(' ', chr(10)))}\n({database})"
        for name, database in contenders
    ]
    figure, axes = plt.subplots(figsize=(13, 5))
    width = 0.8 / len(OPERATIONS)
    for index, op in enumerate(OPERATIONS):
        values = [medians[f"{name}|{database}|{op}|16"] for name, database in contenders]
        positions = [x + index * width for x in range(len(contenders))]
        axes.bar(positions, values, width, label=op)
    axes.set_yscale("log")
    axes.set_ylabel("operations per second (log), 16 concurrent tasks")
    axes.set_xticks([x + 0.4 - width / 2 for x in range(len(contenders))], labels, fontsize=7)
    axes.legend(fontsize=8)
    axes.set_title(
        "aiogram FSM storages: the template's, aiogram's, a third-party one, and raw drivers"
    )
    figure.tight_layout()
    figure.savefig(PLOT, dpi=100)


def main() -> None:
    """Report the parts that ran (``nox -s benchmark -- bots`` runs one): tables, goals, plot."""
    directory = Path(sys.argv[1])
    results = directory / "storages.json"
    storages = json.loads(results.read_text(encoding="utf-8")) if results.exists() else None
    bots = {
        path.stem.replace("__", " + "): json.loads(path.read_text(encoding="utf-8"))
        for path in sorted(directory.glob("bot-*.json"))
    }
    bots = {name.removeprefix("bot-"): bot for name, bot in bots.items()}
    suites_json = directory / "suites.json"
    suites = json.loads(suites_json.read_text(encoding="utf-8")) if suites_json.exists() else None
    tables = [suites_table(suites)] if suites is not None else []
    tables += [storage_table(storages)] if storages is not None else []
    tables += [bot_table(bots)] if bots else []
    for table, _ in tables:
        print(table, end="\n\n")
    startups = {
        path.stem.removeprefix("startup-").replace("__", " + "): json.loads(path.read_text())
        for path in sorted(directory.glob("startup-*.json"))
    }
    if startups:
        print(startup_table(startups), end="\n\n")
    print("Goals:")
    for what, ratio, least in (goal for _, goals in tables for goal in goals):
        print(
            f"- {'met   ' if ratio >= least else 'MISSED'} {what}: {ratio:.2f} (goal {least:.2f})"
        )
    if storages is not None:
        plot(storages)
        print(f"\nplot: {PLOT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
