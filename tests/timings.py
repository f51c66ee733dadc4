"""Print how long the sessions of the last nox run took, from nox's JSON report.

``python tests/timings.py [.nox/report.json]``: the number of sessions, the session time summed,
the median session and the slowest ones. ``.ci/run`` prints it after the matrix.
"""

from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

REPORT = Path(__file__).resolve().parents[1] / ".nox" / "report.json"


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


if __name__ == "__main__":
    main(*(Path(arg) for arg in sys.argv[1:2]))
