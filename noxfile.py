# /// script
# dependencies = [
#   "nox>=2025.2.9",
#   "pyyaml>=6",
#   "jinja2>=3.1",
#   "jinja2-ansible-filters>=1.3",
#   # The sessions render with Copier's API, in their own nox process: the range of pyproject's
#   # "test" group, which tests/test_ci.py holds this to.
#   "copier>=9.4,<10",
# ]
# ///
"""What is tested, as nox sessions. Run them all with ``uvx nox``; list them with ``uvx nox -l``.

- ``tests``: this repository's own tests (questions, rendering, the SQL storage contract).
- ``readme(...)``: README.md's first command, typed as it is on this machine's pyenv Python and
  on a plain one: it renders the default bot and runs the bot's tests.
- ``e2e(...)``: one session per valid combination of the questions that change code, read from
  copier.yml: render the bot, install it with uv, run its lint, format check, strict type check
  and tests against real services: the commands its README gives its users.
- ``e2e_python(...)``: the default combination on every other Python the questions offer.
- ``update(...)``: ``copier update`` scenarios (tests/test_update.py) from several combinations.
- ``benchmark`` (run on its own, after the others): render time, and the median e2e session
  as a multiple of this machine's floor; the default and the largest bot's own test suite, now
  and at v0.3.1; FSM storage operations per second against the drivers'
  floor and aiogram-sqlalchemy-storage; the bot's dispatcher and memory per backend; the bot's
  start-up, with and without compiled bytecode, beside aiogram's import; 6 webhook processes of
  a bot behind a balancer, 300 users at once, within 100 PostgreSQL connections.
"""

from __future__ import annotations

import hashlib
import json
import os
import shlex
import shutil
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
sys.path.insert(0, str(ROOT / "tests"))

from matrix import all_languages, derived, load_questions, valid_combinations  # noqa: E402
from rendered import as_user, pythons_locked, readme_lines  # noqa: E402
from services import (  # noqa: E402
    REDIS_URL,
    VENV_VARIABLES,
    check_canaries,
    create_postgres_database,
    drop_postgres_database,
    mongo_url,
    project_environment,
    seed_canaries,
    with_database,
)
from template_repo import TemplateRepository, export_working_tree, this_release  # noqa: E402
from timings import PHASES  # noqa: E402

TEST_REQUIREMENTS = nox.project.dependency_groups(PYPROJECT, "test")
# What the benchmark's scripts render with (Copier's CLI); the sessions render with the API.
COPIER_REQUIREMENTS = [req for req in TEST_REQUIREMENTS if req.startswith("copier")]
# The Pythons a project may choose, but the default, which every e2e session uses.
_PYTHON = load_questions()["python_version"]
OTHER_PYTHONS = [version for version in _PYTHON["choices"] if version != _PYTHON["default"]]

nox.options.default_venv_backend = "uv"
# The readme sessions first: one takes uv out of the default Python of pyenv for a while.
nox.options.sessions = ["readme", "tests", "update", "e2e", "e2e_python"]
# Sessions run one more at a time than there are cores: a session spends a good part of its
# time waiting (for its services, the package index, its tests' timers), which the third fills
# (measured on 2 cores: 27% idle with two; nine sessions took 208 s two at a time, 158 s three).
# A fourth gains little for more load on the tests that time a recovery: at v0.5.4 a whole run
# took 1,174 s against 1,193 s; at v0.7.1, 67 sessions were done after 22 minutes against about
# 64 at three, though three left the CPU 15 % idle (docs/benchmarks.md).
# Each has its own project, virtualenv and databases; nox prints each one's output at its end.
nox.options.parallel = (os.cpu_count() or 1) + 1
# Each session's result and duration; `python tests/timings.py` summarises them.
nox.options.report = str(ROOT / ".nox" / "report.json")
nox.needs_version = ">=2026.10.20"

# Added to the README's `uv run pytest`: no cache in the project, a report to find skips in.
PYTEST_REPORT = " -p no:cacheprovider --junitxml=.nox-report.xml"


def render(session: nox.Session, data: dict[str, object], destination: Path) -> None:
    """Render the template from this working tree, as a user would from its git URL.

    With Copier's API, in this session's nox process: a session of its own and Copier's CLI
    cost each of the 90 sessions 2 s more (the readme sessions type the CLI as users do).
    """
    import copier  # only the sessions that render pay for importing it

    session.log(f"copier copy --defaults --vcs-ref=HEAD {data} -> {destination}")
    shutil.rmtree(destination, ignore_errors=True)
    copier.run_copy(
        str(ROOT), destination, data=data, defaults=True, vcs_ref="HEAD", quiet=True, unsafe=False
    )


def assert_nothing_skipped(report: Path) -> None:
    """Fail if the rendered project's test run skipped anything: in nox nothing may skip."""
    suite = ET.parse(report).getroot()
    skipped = [
        case.get("name") for case in suite.iter("testcase") if case.find("skipped") is not None
    ]
    if skipped:
        raise nox.command.CommandFailed(f"tests were skipped: {', '.join(map(str, skipped))}")


@nox.session(allow_parallel=True)
def tests(session: nox.Session) -> None:
    """This repository's tests: question validation, rendering, the SQL storage contract."""
    session.install(*TEST_REQUIREMENTS)
    # The update scenarios run in the `update` sessions, once per starting combination.
    session.run("pytest", "--ignore=tests/test_update.py", *session.posargs)


@contextmanager
def phase(session: nox.Session, name: str) -> Iterator[None]:
    """Time the block as one phase of the session, for `python tests/timings.py`."""
    start = time.perf_counter()
    yield
    record = {"session": session.name, "phase": name, "seconds": time.perf_counter() - start}
    with PHASES.open("a", encoding="utf-8") as phases:  # one short line: appended whole
        phases.write(json.dumps(record) + "\n")


def check_rendered(session: nox.Session, answers: dict[str, object]) -> None:
    """Render ``answers`` and run the project's README commands against real services."""
    # Outside .nox, which ruff leaves out wherever it is in a path: under session.create_tmp()
    # the project's `ruff check .` found no file. Removed once its checks pass; kept to look
    # into when they fail.
    project = Path(tempfile.mkdtemp(prefix="aiogram-bot-e2e-")).resolve() / "bot"
    with phase(session, "render"):
        render(session, answers, project)
    # In git, as users keep their projects (the README's `pre-commit run` checks the files git
    # tracks); the API renders into a plain folder. Staged before anything else is written.
    with phase(session, "git init"):
        session.run("git", "init", "--quiet", str(project), external=True)
        session.run("git", "-C", str(project), "add", "--all", external=True)
    # The project gets its own .venv and the Python its .python-version names, as a user's
    # would: nothing of this session's virtualenv leaks into its uv commands.
    database = f"e2e_{hashlib.sha1(session.name.encode()).hexdigest()[:12]}"
    with project_environment(project, database) as env, session.chdir(project):
        # The databases the project's settings name: its tests work in throwaway ones beside
        # them, and must leave these as they were. pymongo reads MongoDB for the comparison.
        if env.get("MONGO_URL"):
            session.install("pymongo>=4.13")
        python = str(Path(session.bin) / "python")
        with phase(session, "seed the canaries"):
            seeded = seed_canaries(env, python)
        for line in readme_lines(project / "README.md"):
            extra = PYTEST_REPORT if line.endswith(" pytest") else ""
            with phase(session, line):
                session.run(*as_user(line + extra), env=env, external=True)
        with phase(session, "check the canaries"):
            check_canaries(env, python, seeded)
    assert_nothing_skipped(project / ".nox-report.xml")
    shutil.rmtree(project.parent)


@nox.session(allow_parallel=True)
# Plain dicts of answers (nox's parallel runner reports each session's arguments as JSON).
@nox.parametrize(
    "answers",
    [nox.param(c.data | all_languages(i), id=c.id) for i, c in enumerate(valid_combinations())],
)
def e2e(session: nox.Session, answers: dict[str, object]) -> None:
    """Render one combination and run its README's checks and tests against real services."""
    check_rendered(session, answers)


@nox.session(allow_parallel=True)
@nox.parametrize("python_version", OTHER_PYTHONS)
def e2e_python(session: nox.Session, python_version: str) -> None:
    """The default combination on another supported Python (e2e runs on the default one)."""
    check_rendered(session, {"python_version": python_version})


# Who types the README's first command: a user whose Python comes from pyenv (its shims pick a
# Python by .python-version), as on this project's machines, and one with a plain Python on
# PATH. Where there is no pyenv (GitHub's runners), only the second.
README_USERS = ["pyenv", "plain"] if shutil.which("pyenv") else ["plain"]


def python_prefix(version: str) -> Path:
    """Where Python ``version`` (e.g. "3.12") is installed: pyenv's newest 3.12.x, or else the
    one on PATH."""
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv")) / "versions"
    if prefixes := list(pyenv.glob(f"{version}.*")):
        return max(prefixes, key=lambda path: [int(part) for part in path.name.split(".")])
    found = shutil.which(f"python{version}")
    if found is None:
        raise RuntimeError(f"Python {version} is not installed: the README's bot needs it")
    return Path(found).resolve().parents[1]


def plain_python_path(session: nox.Session, tmp: Path) -> str:
    """PATH of a machine with a plain Python of the default version (no pyenv): a copy of it, in
    a prefix of its own (uv would not take a virtualenv's for the project)."""
    shutil.copytree(
        python_prefix(_PYTHON["default"]), tmp / "python", ignore=_pip_and_uv, symlinks=True
    )
    # pip anew, whose scripts name this copy (the original's name the original's Python).
    session.run(str(tmp / "python" / "bin" / "python3"), "-m", "ensurepip", "--default-pip")
    return os.pathsep.join([str(tmp / "python" / "bin"), "/usr/local/bin", "/usr/bin", "/bin"])


def _pip_and_uv(directory: str, names: list[str]) -> list[str]:
    # Left out of the copy: uv, which the pyenv session may be taking out or putting back
    # meanwhile (the README's own `pip install uv` brings it), and pip, reinstalled for the copy.
    if Path(directory).name not in ("bin", "site-packages"):
        return []
    return [name for name in names if name in ("uv", "uvx") or name.startswith(("uv-", "pip"))]


@nox.session(allow_parallel=True)
@nox.parametrize("user", README_USERS)
def readme(session: nox.Session, user: str) -> None:
    """README.md's first command as a user types it, in a clone of this repository with the
    working tree as its newest release: it renders a bot and runs the bot's tests."""
    tmp = Path(tempfile.mkdtemp(prefix="aiogram-bot-readme-")).resolve()
    clone = TemplateRepository(tmp / "template")
    clone.release(this_release(), export_working_tree)
    env: dict[str, str | None] = dict.fromkeys(VENV_VARIABLES)
    if user == "plain":
        env["PATH"] = plain_python_path(session, tmp)
    else:
        # As on a machine where the bot's Python never had uv: the README's own `pip install uv`
        # must put it there (these sessions run first; other sessions' `pip` lines wait while
        # it is taken out).
        bot_python = python_prefix(_PYTHON["default"]) / "bin" / "python"
        uninstall = [str(bot_python), "-m", "pip", "uninstall", "--yes", "--quiet", "uv"]
        with pythons_locked():
            session.run(*as_user(shlex.join(uninstall)), external=True)
    with session.chdir(clone.path):
        for line in readme_lines(ROOT / "README.md", "Scaffold a bot"):
            session.run(*as_user(line, env.get("PATH")), env=env, external=True)
    shutil.rmtree(tmp)


# The combinations the update scenarios start from (the rest of the answers are defaults): each
# answer change of the scenarios applies from at least one, and the user's own migrations are
# carried for each kind (Alembic, SQL files, MongoDB modules).
UPDATE_STARTS = [
    {},
    {"fsm_storage": "memory", "user_data": "none"},
    {"fsm_storage": "redis", "user_data": "asyncpg", "migrations": True},
    {
        "fsm_storage": "sqlalchemy",
        "user_data": "mongo",
        "database": "postgresql",
        "migrations": True,
    },
]


@nox.session(allow_parallel=True)
@nox.parametrize(
    "answers",
    [
        nox.param(start, id=", ".join(f"{k}={v!r}" for k, v in start.items()) or "defaults")
        for start in UPDATE_STARTS
    ],
)
def update(session: nox.Session, answers: dict[str, object]) -> None:
    """`copier update` from one combination: from the previous release, across renamed answers
    and moved files, and changing answers; the project then passes its checks and tests."""
    session.install(*TEST_REQUIREMENTS)
    # The scenarios that go alike from every combination run from the first start only.
    once = [] if answers == UPDATE_STARTS[0] else ["-m", "not any_answers"]
    session.run(
        "pytest",
        "tests/test_update.py",
        *once,
        *session.posargs,
        env={"UPDATE_ANSWERS": json.dumps(answers)},
    )


# What the storage benchmark measures beside the rendered storages (bench_storages.py).
BENCH_REQUIREMENTS = [
    "aiogram[redis]>=3.31,<4",
    # The rendered SQL storage's module imports the bot's settings.
    "pydantic-settings>=2.6,<3",
    "pymongo>=4.13",
    "sqlalchemy[asyncio]>=2.0.36",
    "aiosqlite>=0.20",
    "asyncpg>=0.30",
    "aiogram-sqlalchemy-storage>=0.2",
    "matplotlib>=3.9",
]
# The bots whose dispatcher is measured: each FSM storage without user data, and each user-data
# layer with the memory storage (bench_bot.py). The first is the ceiling.
BENCH_BOTS = {
    "memory__none": {"fsm_storage": "memory", "user_data": "none"},
    "redis__none": {"fsm_storage": "redis", "user_data": "none"},
    "mongo__none": {"fsm_storage": "mongo", "user_data": "none"},
    "sql-sqlite__none": {"fsm_storage": "sqlalchemy", "user_data": "none", "database": "sqlite"},
    "sql-postgresql__none": {
        "fsm_storage": "sqlalchemy",
        "user_data": "none",
        "database": "postgresql",
    },
    "memory__orm-sqlite": {
        "fsm_storage": "memory",
        "user_data": "sqlalchemy",
        "database": "sqlite",
    },
    "memory__orm-postgresql": {
        "fsm_storage": "memory",
        "user_data": "sqlalchemy",
        "database": "postgresql",
    },
    "memory__asyncpg": {"fsm_storage": "memory", "user_data": "asyncpg"},
    "memory__mongo": {"fsm_storage": "memory", "user_data": "mongo"},
}


# The bots whose start-up is measured (bench_startup.py): the default, the least a bot imports
# (memory, no user data), and the most (Redis with asyncpg users and SQL migrations).
STARTUP_BOTS = {
    "default": {},
    "memory__none": BENCH_BOTS["memory__none"],
    "redis__asyncpg": {"fsm_storage": "redis", "user_data": "asyncpg", "migrations": True},
}


# The user-data layers whose `/stats` is timed on a million users (bench_stats.py).
STATS_BOTS = {
    name: BENCH_BOTS[name]
    for name in (
        "memory__orm-postgresql",
        "memory__orm-sqlite",
        "memory__asyncpg",
        "memory__mongo",
    )
}


def bot_name(answers: dict[str, object]) -> str:
    """A combination's short name, its FSM storage then its user data: ``redis__orm-sqlite``."""
    database = answers.get("database")
    fsm, users = answers["fsm_storage"], answers["user_data"]
    fsm = f"sql-{database}" if fsm == "sqlalchemy" else fsm
    users = f"orm-{database}" if users == "sqlalchemy" else users
    return f"{fsm}__{users}"


# Every webhook bot whose processes share the dialogs, whose scale-out the benchmark runs (the
# rendered tests/test_scale.py) at the figures of issue 15: 6 processes, 300 users at once, and
# pools of 16, so 96 PostgreSQL connections in all, within PostgreSQL's default 100 (3 kept for
# superusers). Migrations change no pool, so the bots have none.
SCALE_BOTS = {
    bot_name(combination.data): combination.data
    for combination in valid_combinations()
    if (values := derived(combination.data))["updates"] == "webhook"
    and values["shared_isolation"]
    and not values["migrations"]
}
SCALE = {"SCALE_PROCESSES": "6", "SCALE_USERS": "300", "SCALE_POOL_SIZE": "16"}


@nox.session
def benchmark(session: nox.Session) -> None:
    """Render time and the e2e median against the floor; two bots' test suites against
    v0.3.1's; the FSM storages against their drivers and aiogram-sqlalchemy-storage; the bot's
    dispatcher and memory per backend; its start-up; several webhook processes on one set of
    databases; `/stats` on a million users per user-data layer; a broadcast to a million."""
    session.install(*COPIER_REQUIREMENTS, *BENCH_REQUIREMENTS)
    # `uvx nox -s benchmark -- storages` measures only that part; the report uses the rest's
    # last results.
    parts = set(session.posargs) or {
        *("matrix", "suites", "storages", "bots", "startup", "scale", "stats", "broadcast")
    }
    if "matrix" in parts:
        session.run("python", "tests/bench_matrix.py")
    results = ROOT / ".nox" / "benchmark-results"
    results.mkdir(parents=True, exist_ok=True)
    tmp = Path(session.create_tmp()).resolve()
    if "suites" in parts:
        suites = [str(tmp / "suites"), str(results / "suites.json")]
        session.run("python", "tests/bench_suites.py", *suites)
    if "storages" in parts:
        bench_storages(session, tmp, results)
    if "bots" in parts:
        for name, answers in BENCH_BOTS.items():
            bench_bot(session, name, answers, tmp / name, results)
    if "startup" in parts:
        for name, answers in STARTUP_BOTS.items():
            bench_startup(session, name, answers, tmp / f"startup-{name}", results)
    if "scale" in parts:
        for name, answers in SCALE_BOTS.items():
            bench_scale(session, name, answers, tmp / name)
    if "stats" in parts:
        for name, answers in STATS_BOTS.items():
            bench_stats(session, name, answers, tmp / f"stats-{name}", results)
    if "broadcast" in parts:
        bench_broadcast(session, tmp / "broadcast")
    session.run("python", "tests/bench_report.py", str(results))


def bench_storages(session: nox.Session, tmp: Path, results: Path) -> None:
    """The FSM storages, on this machine's services (bench_storages.py)."""
    # The template's SQL storage comes from a rendered project.
    render(session, {"fsm_storage": "sqlalchemy"}, tmp / "storages")
    env = {
        "DATABASE_URL": create_postgres_database("bench_storages"),
        "REDIS_URL": with_database(REDIS_URL, "1"),
        "MONGO_URL": with_database(mongo_url(), "bench_storages"),
    }
    storages = [str(tmp / "storages" / "src"), str(results / "storages.json")]
    session.run("python", "tests/bench_storages.py", *storages, env=env)
    drop_postgres_database("bench_storages")


def bench_bot(
    session: nox.Session, name: str, answers: dict[str, str], project: Path, results: Path
) -> None:
    """One bot's dispatcher and memory, in its own project and virtualenv (bench_bot.py)."""
    result = str(results / f"bot-{name}.json")
    bench_script(session, answers, project, f"bench_{name}", "bench_bot.py", result)


def bench_stats(
    session: nox.Session, name: str, answers: dict[str, str], project: Path, results: Path
) -> None:
    """One user-data layer's statistics on a million users (bench_stats.py); it prints them."""
    result = str(results / f"stats-{name}.json")
    bench_script(session, answers, project, f"bench_stats_{name}", "bench_stats.py", result)


def bench_broadcast(session: nox.Session, project: Path) -> None:
    """A broadcast to a million users, its memory as it goes (bench_broadcast.py)."""
    answers = BENCH_BOTS["memory__asyncpg"]
    bench_script(session, answers, project, "bench_broadcast", "bench_broadcast.py")


def bench_script(
    session: nox.Session,
    answers: dict[str, str],
    project: Path,
    database: str,
    script: str,
    *args: str,
) -> None:
    """Render ``answers`` into ``project`` and run tests/``script`` there, in its virtualenv, on
    a PostgreSQL database of its own (``database``), with a bot token's shape (nothing is sent)."""
    render(session, answers, project)
    with project_environment(project, database.replace("-", "_")) as env, session.chdir(project):
        env["BOT_TOKEN"] = "123456789:" + "A" * 35
        session.run("uv", "sync", "--quiet", env=env, external=True)
        bench = ["uv", "run", "python", str(ROOT / "tests" / script), *args]
        session.run(*bench, env=env, external=True)


def bench_startup(
    session: nox.Session, name: str, answers: dict[str, object], project: Path, results: Path
) -> None:
    """One bot's start-up, with and without compiled bytecode (bench_startup.py)."""
    render(session, answers, project)
    database = f"bench_startup_{name.replace('-', '_')}"
    with project_environment(project, database) as env, session.chdir(project):
        session.run(*as_user("uv sync --quiet"), env=env, external=True)
        if answers.get("migrations"):  # the bot refuses to start on an unmigrated database
            session.run(*as_user("uv run python -m my_bot migrate"), env=env, external=True)
        bench = ["uv", "run", "python", str(ROOT / "tests" / "bench_startup.py"), "my_bot"]
        command = shlex.join([*bench, str(results / f"startup-{name}.json")])
        session.run(*as_user(command), env=env, external=True)


def bench_scale(session: nox.Session, name: str, answers: dict[str, str], project: Path) -> None:
    """One bot's scale-out test at the benchmark's figures (:data:`SCALE`); it prints them."""
    render(session, answers, project)
    database = f"bench_{name.replace('-', '_')}"
    # As a user types them (as_user): uv finds the project's Python on the user's PATH.
    with project_environment(project, database) as env, session.chdir(project):
        session.run(*as_user("uv sync --quiet"), env=env, external=True)
        test = "uv run pytest -q -s -p no:cacheprovider tests/test_scale.py"
        session.run(*as_user(test), env=env | SCALE, external=True)
