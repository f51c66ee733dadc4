"""The rendered bots' own test suites, now and at v0.3.1 (``uvx nox -s benchmark -- suites``).

Issue 17's goal: a bot's ``uv run pytest`` takes at most half of what it took at v0.3.1, for the
default bot and for the largest (Redis dialogs, asyncpg users with migrations, webhook), each
test still asserting what it did. Each bot is rendered at both releases and installed; each
suite runs once unmeasured (its first run compiles the bytecode, as a user's first run does),
then ``RUNS`` rounds of both, one after the other, each as the README gives the command. Printed
and written to RESULT_JSON: each median, and the median of the rounds' ratios (v0.3.1's time to
now's), taken within a round as the machine's pace drifts.

Usage: ``python tests/bench_suites.py WORK_DIR RESULT_JSON``, in the benchmark's session.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time
from contextlib import ExitStack
from pathlib import Path

from rendered import as_user
from services import project_environment

ROOT = Path(__file__).resolve().parents[1]
# The release the goal is measured against: its tag, and the commit it names (a clone may not
# have fetched tags).
BASELINE = ("v0.3.1", "aca7c0747422d2dc50a563b4e17234eae881766e")
BOTS: dict[str, dict[str, object]] = {
    "default": {},
    "largest": {
        "fsm_storage": "redis",
        "user_data": "asyncpg",
        "migrations": True,
        "updates": "webhook",
    },
}
RUNS = int(os.environ.get("BENCH_RUNS", "3"))
TEST_COMMAND = "uv run pytest"  # the README's


def render(ref: str, answers: dict[str, object], destination: Path) -> None:
    """``copier copy`` of this repository at ``ref`` (``HEAD``: the working tree)."""
    data = [f"--data={name}={value}" for name, value in answers.items()]
    copy = ["copier", "copy", "--defaults", f"--vcs-ref={ref}", "--quiet", *data]
    subprocess.run([*copy, str(ROOT), str(destination)], check=True)


def run(line: str, project: Path, env: dict[str, str]) -> float:
    """Seconds the README ``line`` takes in ``project``; a failure stops the benchmark."""
    start = time.perf_counter()
    done = subprocess.run(as_user(line), cwd=project, env=env, capture_output=True, text=True)
    took = time.perf_counter() - start
    if done.returncode != 0:
        sys.exit(f"`{line}` failed in {project}:\n{done.stdout[-3000:]}\n{done.stderr[-2000:]}")
    return took


def measure(name: str, answers: dict[str, object], work: Path) -> dict[str, float]:
    """Both releases' suite times for one bot, and the median ratio of the rounds."""
    with ExitStack() as stack:
        projects: dict[str, tuple[Path, dict[str, str]]] = {}
        for version, ref in (BASELINE, ("now", "HEAD")):
            project = work / f"{name}-{version}"
            render(ref, answers, project)
            database = f"bench_suite_{name}_{version.replace('.', '_')}"
            overrides = stack.enter_context(project_environment(project, database))
            env = {k: v for k, v in (os.environ | overrides).items() if v is not None}
            run("uv sync --quiet", project, env)
            run(TEST_COMMAND, project, env)
            projects[version] = (project, env)
        times: dict[str, list[float]] = {version: [] for version in projects}
        for _ in range(RUNS):
            for version, (project, env) in projects.items():
                times[version].append(run(TEST_COMMAND, project, env))
    ratios = [old / new for old, new in zip(times[BASELINE[0]], times["now"], strict=True)]
    return {version: statistics.median(t) for version, t in times.items()} | {
        "speedup": statistics.median(ratios)
    }


def main() -> None:
    work, result = Path(sys.argv[1]), Path(sys.argv[2])
    figures = {name: measure(name, answers, work) for name, answers in BOTS.items()}
    result.write_text(json.dumps(figures), encoding="utf-8")
    for name, times in figures.items():
        print(
            f"{name}: {BASELINE[0]} {times[BASELINE[0]]:5.1f} s, now {times['now']:5.1f} s"
            f" ({times['speedup']:.2f}x as fast)"
        )


if __name__ == "__main__":
    main()
