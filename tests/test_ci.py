"""This repository's GitHub Actions matrix: one job per nox session, with every service."""

from __future__ import annotations

import re

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


def test_nox_renders_with_the_copier_the_tests_use() -> None:
    # The noxfile's own dependencies (its inline script metadata, which uvx reads) render the
    # e2e sessions' bots; the tests render with the "test" group's Copier: one range for both.
    noxfile = (ROOT / "noxfile.py").read_text(encoding="utf-8")
    block = re.search(r"(?ms)^# /// script$(.*?)^# ///$", noxfile)
    assert block, "noxfile.py has no inline script metadata"
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    tests = re.search(r"(?ms)^test = \[$(.*?)^\]$", pyproject)
    assert tests, "pyproject.toml has no test dependency group"
    copier = re.compile(r'"(copier[<>=~!,.0-9 ]*)"')
    ours = copier.findall(block.group(1))
    assert len(ours) == 1
    assert ours == copier.findall(tests.group(1))
