"""This repository's GitHub Actions matrix: one job per nox session, with every service."""

from __future__ import annotations

import yaml
from conftest import ROOT
from services import POSTGRES_URL

WORKFLOW = yaml.safe_load((ROOT / ".github/workflows/matrix.yml").read_text(encoding="utf-8"))


def test_matrix_is_the_list_of_nox_sessions() -> None:
    listing = WORKFLOW["jobs"]["sessions"]
    (step,) = [step for step in listing["steps"] if step.get("id") == "list"]
    assert "nox --list --json" in step["run"]
    job = WORKFLOW["jobs"]["nox"]
    assert job["needs"] == "sessions"
    assert job["strategy"]["matrix"]["session"] == (
        "${{ fromJSON(needs.sessions.outputs.sessions) }}"
    )
    # The session's name reaches the shell as a variable, never as text of the script.
    assert job["steps"][-1]["env"] == {"SESSION": "${{ matrix.session }}"}
    assert job["steps"][-1]["run"] == 'uvx nox --session "$SESSION"'


def test_jobs_have_every_service_the_sessions_use() -> None:
    job = WORKFLOW["jobs"]["nox"]
    assert set(job["services"]) == {"postgresql", "redis", "mongo"}
    # The same database the sessions default to on a developer's machine.
    assert job["env"]["DATABASE_URL_POSTGRES"].rsplit("/", 1)[1] == POSTGRES_URL.rsplit("/", 1)[1]
    assert job["services"]["postgresql"]["env"]["POSTGRES_DB"] == "test"
    assert job["env"]["MONGO_URL"].startswith("mongodb://")
