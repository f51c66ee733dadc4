"""The services rendered projects are tested against, for nox and this repository's tests.

PostgreSQL and Redis are expected to be running (their URLs can be overridden with
``DATABASE_URL_POSTGRES`` and ``REDIS_URL``); each nox session configures its project with
databases of its own (a PostgreSQL and a MongoDB database, a Redis key prefix), so the
migrations of one combination never meet the tables of another. For MongoDB, ``MONGO_URL``
names a server; without it, a MongoDB wire-protocol server from the PyPI package ``nx-27017``
(on SQLite) is started on a free port and stopped when the process exits, because CI machines
here have no MongoDB.

The project's tests must leave those configured databases alone (they work in throwaway ones
on the same servers): :func:`seed_canaries` puts a record in each, and :func:`check_canaries`
fails if anything in them changed. Run as a script (``python services.py mongo-seed URL``,
``mongo-snapshot URL``) in a Python that has pymongo, this module seeds and reads MongoDB.
"""

from __future__ import annotations

import atexit
import fcntl
import hashlib
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
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


# nx-27017 with the updates that set a date sent down its storage engine's (NeoSQLite's) Python
# path: its SQL path stores a date that `$set` adds to an existing document as text, which reads
# back as a string and matches no date query (0.8.1); the Python path keeps it a date, as MongoDB
# does. Only those: the Python path also serves finds, which it answers by a scan.
NX_27017 = """
import datetime
import sys
from neosqlite.collection.query_helper._sql_updates import SqlUpdatesMixin
from nx_27017.nx_27017 import main

sql_path = SqlUpdatesMixin._can_use_sql_updates


def dates_in_python(self, update, doc_id, original=None):
    values = [v for op in update.values() if isinstance(op, dict) for v in op.values()]
    dated = any(isinstance(value, datetime.datetime) for value in values)
    return not dated and sql_path(self, update, doc_id, original)


SqlUpdatesMixin._can_use_sql_updates = dates_in_python
sys.argv[0] = "nx-27017"
main()
"""


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
    arguments = ["--db", "memory", "-p", str(port)]
    arguments += ["--pid-file", f"{workdir}/nx.pid", "--log-file", f"{workdir}/nx.log"]
    command = [uv, "tool", "run", "--from", "nx-27017>=0.8", "python", "-c", NX_27017, *arguments]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    atexit.register(process.terminate)
    wait_for_port(port, timeout=120, process=process)
    return f"mongodb://127.0.0.1:{port}/bot"


def with_database(url: str, name: str) -> str:
    """``url`` with its database (the path) replaced by ``name``."""
    return urlsplit(url)._replace(path=f"/{name}").geturl()


def _psql(statement: str, url: str = POSTGRES_URL) -> None:
    # psql, PostgreSQL's own client, comes with the server: no driver needed in nox's venv.
    command = [_tool("psql"), "--no-psqlrc", "--quiet", "--set=ON_ERROR_STOP=1", url]
    subprocess.run([*command, "--command", statement], check=True)


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        package = "redis-tools" if name.startswith("redis") else "postgresql-client"
        raise RuntimeError(f"{name} is not on PATH: install {package}")
    return found


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
# Shared between projects, which saves each one's mypy from checking aiogram and the rest anew.
# mypy takes a cached module as unchanged when its path, size and mtime match: safe only while
# no two projects' files agree on all three (stamp_mtimes).
MYPY_CACHE_DIR = Path(__file__).resolve().parents[1] / ".nox" / ".mypy_cache"
# The last mtime stamp_mtimes gave, in the cache it guards: the two are deleted together.
STAMPS = MYPY_CACHE_DIR / "project-mtimes"


def stamp_mtimes(project: Path) -> None:
    """Give the project's Python files an mtime that no other project sharing the mypy cache has.

    mypy keeps the paths of a project's own modules as they are given, relative
    (``src/my_bot/wiring.py`` in every project), and their mtimes in whole seconds: the wiring of
    a polling and of a webhook bot rendered in the same second have the same size too (seen:
    the webhook bot was checked as the polling one). With another mtime, mypy compares hashes.
    """
    MYPY_CACHE_DIR.mkdir(parents=True, exist_ok=True)
    with STAMPS.open("a+") as stamps:
        fcntl.flock(stamps, fcntl.LOCK_EX)
        stamps.seek(0)
        # Seconds from 2000-01-01: before any file this machine writes now.
        stamp = int(stamps.read().strip() or 946_684_800) + 1
        stamps.seek(0)
        stamps.truncate()
        stamps.write(str(stamp))
    for path in project.rglob("*.py"):
        if ".venv" not in path.relative_to(project).parts:
            os.utime(path, (stamp, stamp))


def service_env(project: Path, database: str) -> dict[str, str | None]:
    """Point the rendered project's settings at this machine's services, in a new ``database``.

    Which services it needs is read from its own ``.env.example``, not derived again here.
    Variables set to ``None`` are to be removed from the environment.
    """
    settings, needed = settings_example(project), needed_services(project)
    env: dict[str, str | None] = dict.fromkeys(VENV_VARIABLES)
    env["MYPY_CACHE_DIR"] = str(MYPY_CACHE_DIR)
    # pre-commit's store (which configurations ran, in a SQLite file) beside the project, not in
    # the user's ~/.cache/pre-commit: sessions side by side write no shared file, and leave
    # nothing behind with their project. Its hooks are local: nothing is installed there.
    env["PRE_COMMIT_HOME"] = str(project.parent / ".pre-commit")
    if "postgresql" in needed:
        env["DATABASE_URL"] = create_postgres_database(database)
    elif "DATABASE_URL" in settings:
        env["DATABASE_URL"] = f"sqlite:///{project / 'bot.db'}"
    if "redis" in needed:
        env["REDIS_URL"] = REDIS_URL
        # Sessions share a Redis database: each project's keys start with its own prefix.
        env["REDIS_KEY_PREFIX"] = database
    if "mongo" in needed:
        env["MONGO_URL"] = with_database(mongo_url(), database)
    return env


@contextmanager
def project_environment(project: Path, database: str) -> Iterator[dict[str, str | None]]:
    """``service_env`` for the duration of the block, the project's files stamped for the shared
    mypy cache; its PostgreSQL database is dropped after, and the Redis keys under its prefix
    deleted."""
    env = service_env(project, database)
    stamp_mtimes(project)
    try:
        yield env
    finally:
        if str(env.get("DATABASE_URL", "")).startswith("postgres"):
            drop_postgres_database(database)
        if prefix := env.get("REDIS_KEY_PREFIX"):
            delete_redis_keys(str(env["REDIS_URL"]), f"{prefix}:*")


def delete_redis_keys(url: str, pattern: str) -> None:
    """Delete the keys matching ``pattern`` (found with SCAN: other sessions' keys stay)."""
    cli = [_tool("redis-cli"), "-u", url]
    keys = _run(*cli, "--scan", "--pattern", pattern).decode().split()
    for start in range(0, len(keys), 1000):
        _run(*cli, "DEL", *keys[start : start + 1000])


# --- the canaries: the configured databases, seeded, then compared ----------------------------

CANARY = "the configured database: tests must not change it"


def _run(*command: str) -> bytes:
    return subprocess.run(command, check=True, capture_output=True).stdout


def _sqlite_path(url: str) -> Path:
    return Path(url.partition(":///")[2])


def seed_canaries(env: Mapping[str, str | None], python: str) -> dict[str, list[str]]:
    """Put a record in each database ``env`` configures; return what each holds then.

    ``python`` has pymongo, for MongoDB. The result is :func:`snapshot`'s, for
    :func:`check_canaries`.
    """
    database_url = env.get("DATABASE_URL") or ""
    if database_url.startswith("postgres"):
        create = "CREATE TABLE canary (id integer PRIMARY KEY, note text NOT NULL)"
        _psql(f"{create}; INSERT INTO canary VALUES (1, '{CANARY}')", database_url)
    elif database_url:
        with sqlite3.connect(_sqlite_path(database_url)) as connection:
            connection.execute("CREATE TABLE canary (id INTEGER PRIMARY KEY, note TEXT NOT NULL)")
            connection.execute("INSERT INTO canary VALUES (1, ?)", (CANARY,))
        connection.close()
    if redis_url := env.get("REDIS_URL"):
        key = f"{env['REDIS_KEY_PREFIX']}:canary"
        _run(_tool("redis-cli"), "-u", redis_url, "SET", key, CANARY)
    if mongo := env.get("MONGO_URL"):
        subprocess.run([python, __file__, "mongo-seed", mongo], check=True)
    return snapshot(env, python)


def check_canaries(
    env: Mapping[str, str | None], python: str, seeded: dict[str, list[str]]
) -> None:
    """Fail, naming each database and what changed in it, unless all are as ``seeded``."""
    now = snapshot(env, python)
    changes = []
    for database, lines in seeded.items():
        if now[database] != lines:
            added = [line for line in now[database] if line not in lines]
            removed = [line for line in lines if line not in now[database]]
            changes.append(
                f"{database}: {len(added)} lines added, e.g. {added[:3]}; "
                f"{len(removed)} removed, e.g. {removed[:3]}"
            )
    if changes:
        raise AssertionError("the tests changed the configured databases: " + "; ".join(changes))
    print(f"configured databases untouched: {', '.join(seeded) or 'none configured'}")


def snapshot(env: Mapping[str, str | None], python: str) -> dict[str, list[str]]:
    """What each database ``env`` configures holds, as lines to compare, by its name."""
    found: dict[str, list[str]] = {}
    database_url = env.get("DATABASE_URL") or ""
    if database_url.startswith("postgres"):
        dump = _run(_tool("pg_dump"), "--no-owner", "--no-privileges", database_url).decode()
        # \restrict and \unrestrict carry a key pg_dump draws at random for each dump.
        random = ("\\restrict", "\\unrestrict")
        lines = [line for line in dump.splitlines() if not line.startswith(random)]
        found[f"PostgreSQL database {urlsplit(database_url).path[1:]}"] = lines
    elif database_url:
        path = _sqlite_path(database_url)
        # The database and its journals, byte for byte.
        files = sorted(path.parent.glob(f"{path.name}*"))
        found[f"SQLite file {path}"] = [
            f"{file.name} {hashlib.sha256(file.read_bytes()).hexdigest()}" for file in files
        ]
    if redis_url := env.get("REDIS_URL"):
        prefix = env["REDIS_KEY_PREFIX"]
        cli = [_tool("redis-cli"), "-u", redis_url]
        keys = sorted(_run(*cli, "--scan", "--pattern", f"{prefix}:*").decode().split())
        # DUMP: the value whatever its type, serialised as Redis stores it.
        values = [f"{key} {_run(*cli, 'DUMP', key).hex()}" for key in keys]
        found[f"Redis keys {prefix}:*"] = values
    if mongo := env.get("MONGO_URL"):
        read = [python, __file__, "mongo-snapshot", mongo]
        snapshot_json = subprocess.run(read, check=True, capture_output=True, text=True).stdout
        found[f"MongoDB database {urlsplit(mongo).path[1:]}"] = json.loads(snapshot_json)
    return found


def _mongo_main(command: str, url: str) -> None:
    # Run in a Python with pymongo (the nox session's), not in nox's own.
    from bson import json_util
    from pymongo import MongoClient

    with MongoClient(url, serverSelectionTimeoutMS=10000) as client:
        database = client.get_default_database()
        if command == "mongo-seed":
            database["canary"].insert_one({"_id": 1, "note": CANARY})
            return
        lines = []
        for name in sorted(database.list_collection_names()):
            collection = database[name]
            lines += [f"{name} index {json_util.dumps(i)}" for i in collection.list_indexes()]
            for document in collection.find().sort("_id"):
                lines.append(f"{name} {json_util.dumps(document, sort_keys=True)}")
        print(json.dumps(lines))


if __name__ == "__main__":
    _mongo_main(*sys.argv[1:])
