"""The services rendered projects are tested against, for nox and this repository's tests.

PostgreSQL and Redis are expected to be running (their URLs can be overridden with
``DATABASE_URL_POSTGRES`` and ``REDIS_URL``); each nox session gets a PostgreSQL database of
its own, so the migrations of one combination never meet the tables of another. For MongoDB,
``MONGO_URL`` names a server; without it, a MongoDB wire-protocol server from the PyPI
package ``nx-27017`` (on SQLite) is started on a free port and stopped when the process exits,
because CI machines here have no MongoDB.
"""

from __future__ import annotations

import atexit
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from urllib.parse import urlsplit

from rendered import needed_services, settings_example

POSTGRES_URL = os.environ.get(
    "DATABASE_URL_POSTGRES", "postgresql://postgres:postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_port(port: int, timeout: float, process: subprocess.Popen[bytes]) -> None:
    """Wait until something accepts connections on the port, or fail saying why."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the MongoDB test server exited with {process.returncode}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the MongoDB test server did not listen on port {port} in {timeout}s")


@cache
def mongo_url() -> str:
    """``MONGO_URL``, or the URL of an nx-27017 server started for this process."""
    if url := os.environ.get("MONGO_URL"):
        return url
    uv = shutil.which("uv")
    if uv is None:
        raise RuntimeError("set MONGO_URL, or install uv to start a MongoDB test server")
    port, workdir = free_port(), tempfile.mkdtemp(prefix="nx27017-")
    # Its own pid and log files: nx-27017 refuses to start while another instance's pid file
    # exists at the default path.
    command = [uv, "tool", "run", "--from", "nx-27017>=0.8", "nx-27017", "--db", "memory"]
    command += [
        "-p",
        str(port),
        "--pid-file",
        f"{workdir}/nx.pid",
        "--log-file",
        f"{workdir}/nx.log",
    ]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(process.terminate)
    wait_for_port(port, timeout=120, process=process)
    return f"mongodb://127.0.0.1:{port}/bot"


def with_database(url: str, name: str) -> str:
    """``url`` with its database (the path) replaced by ``name``."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def _psql(statement: str) -> None:
    # psql, PostgreSQL's own client, comes with the server: no driver needed in nox's venv.
    psql = shutil.which("psql")
    if psql is None:
        raise RuntimeError("psql (PostgreSQL's client) is not on PATH: install postgresql-client")
    command = [psql, "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", POSTGRES_URL]
    subprocess.run([*command, "--command", statement], check=True)


def create_postgres_database(name: str) -> str:
    """Create the PostgreSQL database ``name`` afresh (dropping an old one); return its URL."""
    drop_postgres_database(name)
    _psql(f'CREATE DATABASE "{name}"')
    return with_database(POSTGRES_URL, name)


def drop_postgres_database(name: str) -> None:
    """Drop the PostgreSQL database ``name`` if it exists, whoever is connected to it."""
    _psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# What nox sets to point uv at the session's own virtualenv: unset for a rendered project, which
# gets its own .venv and the Python its .python-version names, as a user's would.
VENV_VARIABLES = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "CONDA_PREFIX")
# Shared between projects: mypy checks every cached module against its source's hash.
MYPY_CACHE_DIR = Path(__file__).resolve().parents[1] / ".nox" / ".mypy_cache"


def service_env(project: Path, database: str) -> dict[str, str | None]:
    """Point the rendered project's settings at this machine's services, in a new ``database``.

    Which services it needs is read from its own ``.env.example``, not derived again here.
    Variables set to ``None`` are to be removed from the environment.
    """
    settings, needed = settings_example(project), needed_services(project)
    env: dict[str, str | None] = dict.fromkeys(VENV_VARIABLES)
    env["MYPY_CACHE_DIR"] = str(MYPY_CACHE_DIR)
    if "postgresql" in needed:
        env["DATABASE_URL"] = create_postgres_database(database)
    elif "DATABASE_URL" in settings:
        env["DATABASE_URL"] = f"sqlite:///{project / 'bot.db'}"
    if "redis" in needed:
        env["REDIS_URL"] = REDIS_URL
    if "mongo" in needed:
        env["MONGO_URL"] = with_database(mongo_url(), database)
    return env


@contextmanager
def project_environment(project: Path, database: str) -> Iterator[dict[str, str | None]]:
    """``service_env`` for the duration of the block; its PostgreSQL database is dropped after."""
    env = service_env(project, database)
    try:
        yield env
    finally:
        if str(env.get("DATABASE_URL", "")).startswith("postgres"):
            drop_postgres_database(database)
