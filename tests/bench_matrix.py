"""Benchmark of the matrix itself: ``uvx nox -s benchmark`` (after a ``uvx nox`` run).

Prints, each the median of several runs on this machine:

- render: ``copier copy`` of the default combination;
- floor: what any e2e session must at least spend here: rendering the default bot, its
  ``uv sync`` from uv's warm cache and one ``import aiogram`` in it (which builds its pydantic
  models, and compiles the bytecode of a new virtualenv, as a session's first process does);
- the median e2e session of the last nox run (``.nox/report.json``) as a ratio to that floor.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rendered import as_user
from services import VENV_VARIABLES
from timings import REPORT, session_durations

ROOT = Path(__file__).resolve().parents[1]
RUNS = 3


def timed(*commands: list[str], cwd: Path) -> float:
    """Seconds the commands take, run one after another; any failure stops the benchmark."""
    start = time.perf_counter()
    for command in commands:
        subprocess.run(command, cwd=cwd, check=True, capture_output=True)
    return time.perf_counter() - start


def median_of(measure: Callable[[Path], float]) -> float:
    """The median of ``RUNS`` measurements, each in a fresh temporary directory."""
    results = []
    for _ in range(RUNS):
        with tempfile.TemporaryDirectory() as directory:
            results.append(measure(Path(directory)))
    return statistics.median(results)


def render(directory: Path) -> float:
    copier = shutil.which("copier") or "copier"
    command = [copier, "copy", "--defaults", "--vcs-ref=HEAD", "--quiet", str(ROOT), "bot"]
    return timed(command, cwd=directory)


def floor(directory: Path) -> float:
    rendered = render(directory)
    # As the sessions run the project's commands (rendered.as_user), with this uv: the README's
    # `pip install uv` would put one where the user's shell finds it.
    uv = shutil.which("uv") or "uv"
    sync = as_user(f"{uv} sync --quiet")
    first_import = as_user(f"{uv} run python -c 'import aiogram'")
    return rendered + timed(sync, first_import, cwd=directory / "bot")


def e2e_median() -> tuple[int, float] | None:
    """The number of e2e sessions in the last report and their median duration."""
    if not REPORT.exists():
        return None
    durations = [s for name, s in session_durations(REPORT).items() if name.startswith("e2e")]
    return (len(durations), statistics.median(durations)) if durations else None


def main() -> None:
    """Measure and print."""
    for name in VENV_VARIABLES:  # the session's, which the project's uv must not take
        os.environ.pop(name, None)
    rendered, base = median_of(render), median_of(floor)
    print(f"render, default combination:       {rendered:6.1f} s")
    print(f"floor (render, uv sync, aiogram):  {base:6.1f} s")
    if (last := e2e_median()) is None:
        print("e2e: no session durations in .nox/report.json; run `uvx nox` first")
        return
    count, median = last
    ratio = median / base
    print(f"e2e session, median of {count}:{median:11.1f} s  = {ratio:.1f} x the floor")


if __name__ == "__main__":
    main()
