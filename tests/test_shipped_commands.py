"""Every health check the shipped compose files and workflows give a service runs and passes.

Each command is read from the files (the rendered ``compose.yaml`` and ``tests.yml`` of several
combinations, and this repository's ``matrix.yml``) and run with the real client against this
machine's server: PostgreSQL and Redis as the README's "Test this template" has them, MongoDB
from ``services.mongo_url()``. A command names the container's own address, 127.0.0.1, as this
machine's servers do; only the port is the local server's, added after the program's name. The
same command against a closed port must fail: a check that passes either way checks nothing.

PostgreSQL's first start in its image answers on the unix socket before it listens on TCP, so a
check over the socket passes too early. Here the socket directory given to the clients is empty:
a command passes only if it goes over TCP itself.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from services import POSTGRES_URL, REDIS_URL, free_port, mongo_url
from shipped import (
    MATRIX_WORKFLOW,
    RENDERED_WORKFLOW,
    HealthCheck,
    compose_health_checks,
    mongosh,
    render_shipped,
    system_tool,
    workflow_health_checks,
)

# Each client: the service it checks, and its option for the server's port.
CLIENTS = {
    "pg_isready": ("postgresql", "--port"),
    "redis-cli": ("redis", "-p"),
    "mongosh": ("mongo", "--port"),
}
# How to get the clients the machine provides (Debian's packages).
INSTALL = {
    "pg_isready": "apt-get install postgresql-client",
    "redis-cli": "apt-get install redis-tools",
}
SOURCES = ("compose", "workflow", "matrix")
# What the shipped files held before they were fixed: each must fail here. mongosh rejects a
# number for adminCommand; pg_isready without -h asks the unix socket.
OLD_FORMS = {
    "mongo": ("mongosh", "--quiet", "--eval", "db.adminCommand(1)"),
    "postgresql": ("pg_isready", "-U", "postgres"),
}


def local_port(service: str) -> int:
    """The port of this machine's server for ``service`` (on 127.0.0.1, as the files assume)."""
    url = {"postgresql": POSTGRES_URL, "redis": REDIS_URL}.get(service) or mongo_url()
    parts = urlsplit(url)
    if parts.hostname not in ("127.0.0.1", "localhost"):
        pytest.fail(f"the {service} server must run on 127.0.0.1 for these tests, not {url}")
    return parts.port or {"postgresql": 5432, "redis": 6379, "mongo": 27017}[service]


def executable(program: str) -> str:
    """The client ``program``: the machine's, or mongosh from npm."""
    if program == "mongosh":
        return mongosh()
    return system_tool(program, INSTALL[program])


def run_check(
    command: tuple[str, ...], port: int, sockets: Path
) -> subprocess.CompletedProcess[str]:
    """Run a health check's ``command`` against ``port`` on this machine."""
    program, *arguments = command
    assert program in CLIENTS, f"no client known for {command}"
    _, port_option = CLIENTS[program]
    env = {name: value for name, value in os.environ.items() if not name.startswith("PG")}
    env |= {"PGHOST": str(sockets), "PGCONNECT_TIMEOUT": "5"}
    return subprocess.run(
        [executable(program), port_option, str(port), *arguments],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


@pytest.fixture(scope="module")
def health_checks(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[HealthCheck]]:
    """Every health check of the shipped files, by the kind of file that holds it."""
    projects = render_shipped(tmp_path_factory)
    checks: dict[str, list[HealthCheck]] = {source: [] for source in SOURCES}
    for name, project in projects.items():
        checks["compose"] += compose_health_checks(project / "compose.yaml", name)
        checks["workflow"] += workflow_health_checks(project / RENDERED_WORKFLOW, name)
    checks["matrix"] = workflow_health_checks(MATRIX_WORKFLOW, "matrix.yml")
    return checks


@pytest.fixture(scope="module")
def sockets(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A unix socket directory with no server's socket in it."""
    return tmp_path_factory.mktemp("no-sockets")


@pytest.mark.parametrize("service", ["postgresql", "redis", "mongo"])
@pytest.mark.parametrize("source", SOURCES)
def test_health_check_passes_against_the_server_and_fails_without_it(
    health_checks: dict[str, list[HealthCheck]], sockets: Path, source: str, service: str
) -> None:
    checks = [check for check in health_checks[source] if check.service == service]
    assert checks, f"no {source} file ships a health check for {service}"
    closed = free_port()
    for command in sorted({check.command for check in checks}):
        origins = ", ".join(sorted({c.origin for c in checks if c.command == command}))
        assert CLIENTS[command[0]][0] == service, f"{service} is checked with {command[0]}"
        passed = run_check(command, local_port(service), sockets)
        assert passed.returncode == 0, f"{command} ({origins}): {passed.stdout}{passed.stderr}"
        failed = run_check(command, closed, sockets)
        assert failed.returncode != 0, f"{command} ({origins}) passed with no server on its port"
        print(f"{source} {service}: {' '.join(command)} ({origins}): passes, fails when closed")


@pytest.mark.parametrize("service", sorted(OLD_FORMS))
def test_old_forms_fail_against_the_live_server(sockets: Path, service: str) -> None:
    # What makes the old defects detectable above: the same live server, the old command.
    result = run_check(OLD_FORMS[service], local_port(service), sockets)
    assert result.returncode != 0, f"{OLD_FORMS[service]} now passes: {result.stdout}"
    print(f"{' '.join(OLD_FORMS[service])}: exits {result.returncode}, {result.stderr.strip()}")
