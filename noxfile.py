# /// script
# dependencies = ["nox>=2025.2.9", "pyyaml>=6", "jinja2>=3.1"]
# ///
"""What is tested, as nox sessions. Run them all with ``uvx nox``; list them with ``uvx nox -l``.

- ``tests``: this repository's own tests (questions, rendering, the SQL storage contract).
- ``e2e(...)``: one session per valid combination of the questions that change code, read from
  copier.yml: render the bot, install it with uv, run its lint, format check, strict type check
  and tests against real services, exactly as its README tells its users.
"""

from __future__ import annotations

import hashlib
import os
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import nox

ROOT = Path(__file__).resolve().parent
PYPROJECT = nox.project.load_toml(ROOT / "pyproject.toml")
sys.path.insert(0, str(ROOT / "tests"))

from matrix import valid_combinations  # noqa: E402
from services import (  # noqa: E402
    REDIS_URL,
    create_postgres_database,
    drop_postgres_database,
    mongo_url,
    with_database,
)

TEST_REQUIREMENTS = nox.project.dependency_groups(PYPROJECT, "test")

nox.options.default_venv_backend = "uv"
nox.options.sessions = ["tests", "e2e"]
# Sessions run two at a time (this machine has two cores); each has its own project, virtualenv
# and databases, and nox prints each session's output when it finishes.
nox.options.parallel = 2
nox.needs_version = ">=2026.10.20"

# The rendered project's README commands, in order: install, then every check it documents.
PROJECT_COMMANDS = (
    ("uv", "sync"),
    ("uv", "run", "ruff", "format", "--check", "."),
    ("uv", "run", "ruff", "check", "."),
    ("uv", "run", "mypy"),
    ("uv", "run", "pytest", "-p", "no:cacheprovider", "--junitxml=.nox-report.xml"),
)


# What nox sets to point uv at the session's own virtualenv.
NOX_VENV_VARIABLES = ("VIRTUAL_ENV", "UV_PROJECT_ENVIRONMENT", "UV_PYTHON", "CONDA_PREFIX")


def _find_pyenv_pythons() -> None:
    # pyenv's shims run only the versions PYENV_VERSION or a .python-version file names, so uv
    # would miss the others (and try to download them): put every pyenv 3.x on PATH instead.
    pyenv_root = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    bins = sorted(pyenv_root.glob("versions/3.*/bin"), reverse=True)
    missing = [str(path) for path in bins if str(path) not in os.environ["PATH"]]
    os.environ["PATH"] = os.pathsep.join([os.environ["PATH"], *missing])


_find_pyenv_pythons()


def render(session: nox.Session, data: dict[str, object], destination: Path) -> None:
    """Render the template from this working tree, as a user would from its git URL."""
    answers = [f"--data={name}={value}" for name, value in data.items()]
    shutil.rmtree(destination, ignore_errors=True)
    session.run(
        "copier",
        "copy",
        "--defaults",
        "--vcs-ref=HEAD",
        "--quiet",
        *answers,
        str(ROOT),
        str(destination),
    )


def service_env(project: Path, database: str) -> dict[str, str | None]:
    """Point the rendered project's settings at this machine's services, in a new ``database``.

    Which services it needs is read from its own ``.env.example``, not derived again here.
    """
    example = (project / ".env.example").read_text(encoding="utf-8")
    settings = dict(
        line.split("=", 1)
        for line in example.splitlines()
        if "=" in line and not line.startswith("#")
    )
    env: dict[str, str | None] = {}
    if settings.get("DATABASE_URL", "").startswith("postgres"):
        env["DATABASE_URL"] = create_postgres_database(database)
    elif "DATABASE_URL" in settings:
        env["DATABASE_URL"] = f"sqlite:///{project / 'bot.db'}"
    if "REDIS_URL" in settings:
        env["REDIS_URL"] = REDIS_URL
    if "MONGO_URL" in settings:
        env["MONGO_URL"] = with_database(mongo_url(), database)
    return env


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
    session.run("pytest", *session.posargs)


@nox.session(allow_parallel=True)
# Plain dicts of answers (nox's parallel runner reports each session's arguments as JSON).
@nox.parametrize("answers", [nox.param(c.data, id=c.id) for c in valid_combinations()])
def e2e(session: nox.Session, answers: dict[str, object]) -> None:
    """Render one combination and run its README's checks and tests against real services."""
    session.install(*(req for req in TEST_REQUIREMENTS if req.startswith("copier")))
    project = Path(session.create_tmp()).resolve() / "bot"  # absolute: tests change directory
    render(session, answers, project)
    # The project gets its own .venv and the Python its .python-version names, as a user's
    # would: nothing of this session's virtualenv leaks into its uv commands.
    database = f"e2e_{hashlib.sha1(session.name.encode()).hexdigest()[:12]}"
    env = service_env(project, database) | dict.fromkeys(NOX_VENV_VARIABLES)
    # Shared between sessions: mypy checks every cached module against its source's hash.
    env["MYPY_CACHE_DIR"] = str(ROOT / ".nox" / ".mypy_cache")
    with session.chdir(project):
        for command in PROJECT_COMMANDS:
            session.run(*command, env=env, external=True)
    assert_nothing_skipped(project / ".nox-report.xml")
    if str(env.get("DATABASE_URL", "")).startswith("postgres"):
        drop_postgres_database(database)
