"""Print how long the sessions of the last nox run took, from nox's JSON report.

``python tests/timings.py [.nox/report.json]``: the number of sessions, the session time summed,
the median session and the slowest ones; then the phases of the e2e sessions (render, each README
command...) that the noxfile recorded in ``.nox/phases.jsonl``: each one's median and sum.
``.ci/run`` prints it after the matrix.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

REPORT = Path(__file__).resolve().parents[1] / ".nox" / "report.json"
# One JSON line per phase of a session: {"session": ..., "phase": ..., "seconds": ...}.
PHASES = REPORT.parent / "phases.jsonl"


def session_durations(report: Path = REPORT) -> dict[str, float]:
    """Each session's duration in seconds, by its full name, from nox's JSON ``report``."""
    sessions = json.loads(report.read_text(encoding="utf-8"))["sessions"]
    # A parametrized session's full name, e.g. "e2e(fsm_storage='redis', ...)", is its signature.
    return {
        (s.get("signatures") or [s["name"]])[0]: float(s["duration"])
        for s in sessions
        if s.get("duration")
    }


def main(report: Path = REPORT, slowest: int = 5) -> None:
    """Print the figures of ``report``."""
    sessions = json.loads(report.read_text(encoding="utf-8"))["sessions"]
    durations = session_durations(report)
    if not durations:
        sys.exit(f"error: {report} records no session durations")
    results = [s["result"] for s in sessions]
    print(
        f"{len(durations)} sessions ({results.count('success')} succeeded, "
        f"{len(results) - results.count('success')} did not), "
        f"{sum(durations.values()):.0f} s of session time; "
        f"median {statistics.median(durations.values()):.0f} s"
    )
    print("slowest:")
    for name, seconds in sorted(durations.items(), key=lambda item: -item[1])[:slowest]:
        print(f"  {seconds:5.0f} s  {name}")
    if PHASES.exists():
        print_phases(PHASES)


def print_phases(path: Path) -> None:
    """Each recorded phase's median and sum over the sessions, in the order they run. A session
    run again (the file is appended to, run after run) counts with its latest figures."""
    latest: dict[tuple[str, str], float] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        latest[record["session"], record["phase"]] = float(record["seconds"])
    by_phase: dict[str, list[float]] = {}
    for (_, name), seconds in latest.items():
        by_phase.setdefault(name, []).append(seconds)
    print("phases of the e2e sessions: median, sum, sessions")
    for name, seconds in by_phase.items():
        print(
            f"  {statistics.median(seconds):6.1f} s {sum(seconds):7.0f} s {len(seconds):4}  {name}"
        )


if __name__ == "__main__":
    main(*(Path(arg) for arg in sys.argv[1:2]))
