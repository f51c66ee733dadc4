"""What each valid combination renders: the right files, and nothing left of the template."""

from __future__ import annotations

import ast
import itertools
import re
import shlex
from pathlib import Path

import pytest
import yaml
from conftest import render
from matrix import Combination, valid_combinations
from rendered import SERVICE_SETTINGS, needed_services, readme_commands

# A Jinja expression, statement or comment tag; Python's "{{" in f-strings or "}}" after nested
# dicts do not match.
JINJA_LEFTOVER = re.compile(
    r"\{\{-?\s*[A-Za-z_][\w.]*\s*(\|[^}]*)?-?\}\}"
    r"|\{%-?\s*(if|elif|else|endif|for|endfor|set|raw|endraw|macro|include|import)\b"
    r"|\{#-?\s"
)

# Files that exist only for some answers: path -> the answers that render it.
CONDITIONAL_FILES = {
    "src/my_bot/fsm/memory.py": lambda a: a["fsm_storage"] == "memory",
    "src/my_bot/fsm/redis.py": lambda a: a["fsm_storage"] == "redis",
    "src/my_bot/fsm/mongo.py": lambda a: a["fsm_storage"] == "mongo",
    "src/my_bot/fsm/sql.py": lambda a: a["fsm_storage"] == "sqlalchemy",
    "tests/test_sql_storage.py": lambda a: a["fsm_storage"] == "sqlalchemy",
    "src/my_bot/db.py": lambda a: "sqlalchemy" in (a["fsm_storage"], a["user_data"]),
    "src/my_bot/databases.py": lambda a: (
        a["fsm_storage"] in ("sqlalchemy", "mongo") or a["user_data"] != "none"
    ),
    "src/my_bot/users/orm.py": lambda a: a["user_data"] == "sqlalchemy",
    "src/my_bot/users/fsm.py": lambda a: a["user_data"] == "none",
    "src/my_bot/users/postgres.py": lambda a: a["user_data"] == "asyncpg",
    "src/my_bot/users/mongo.py": lambda a: a["user_data"] == "mongo",
    "src/my_bot/migrations/__init__.py": lambda a: a["migrations"],
    "tests/test_migrate.py": lambda a: a["migrations"],
    **dict.fromkeys(
        [
            "src/my_bot/migrations/run_alembic.py",
            "src/my_bot/migrations/alembic/env.py",
            "src/my_bot/migrations/alembic/script.py.mako",
            "src/my_bot/migrations/alembic/versions/rev_0001_initial_schema.py",
            "tests/test_migrations_alembic.py",
        ],
        lambda a: a["migrations"] and "sqlalchemy" in (a["fsm_storage"], a["user_data"]),
    ),
    **dict.fromkeys(
        [
            "src/my_bot/migrations/run_sql.py",
            "src/my_bot/migrations/sql/0001_create_users.sql",
            "tests/test_migrations_sql.py",
        ],
        lambda a: a["migrations"] and a["user_data"] == "asyncpg",
    ),
    **dict.fromkeys(
        [
            "src/my_bot/migrations/run_mongo.py",
            "src/my_bot/migrations/mongo/0001_users_user_id_index.py",
            "tests/test_migrations_mongo.py",
        ],
        lambda a: a["migrations"] and a["user_data"] == "mongo",
    ),
    "src/my_bot/polling.py": lambda a: a["updates"] == "polling",
    "src/my_bot/webhook.py": lambda a: a["updates"] == "webhook",
    "tests/test_webhook.py": lambda a: a["updates"] == "webhook",
    "tests/test_polling.py": lambda a: a["updates"] == "polling",
    # Webhook bots whose processes can share the dialogs: all but memory and SQLite.
    "tests/test_scale.py": lambda a: (
        a["updates"] == "webhook"
        and a["fsm_storage"] != "memory"
        and (a["fsm_storage"] != "sqlalchemy" or a.get("database") == "postgresql")
    ),
    **dict.fromkeys(
        ["tests/tcp_proxy.py", "tests/test_outages.py"],
        lambda a: (
            a["fsm_storage"] in ("redis", "mongo")
            or a["user_data"] in ("asyncpg", "mongo")
            or (
                a.get("database") == "postgresql"
                and "sqlalchemy" in (a["fsm_storage"], a["user_data"])
            )
        ),
    ),
    "Dockerfile": lambda a: a["docker"],
    "compose.yaml": lambda a: a["docker"],
    "Caddyfile": lambda a: a["docker"] and a["updates"] == "webhook",
    ".dockerignore": lambda a: a["docker"],
    ".github/workflows/tests.yml": lambda a: a["ci"],
}
ALWAYS = [
    "pyproject.toml",
    "README.md",
    ".env.example",
    ".gitignore",
    ".python-version",
    ".copier-answers.yml",
    "src/my_bot/__main__.py",
    "src/my_bot/cli.py",
    "src/my_bot/settings.py",
    "src/my_bot/wiring.py",
    "tests/conftest.py",
    "tests/test_dialog.py",
    "tests/test_isolation.py",
    "tests/test_users.py",
    "tests/test_e2e.py",
    "tests/fake_telegram.py",
    "src/my_bot/fsm/__init__.py",
    "src/my_bot/fsm/isolation.py",
    "src/my_bot/handling.py",
    "src/my_bot/errors.py",
    "src/my_bot/flood_control.py",
    "src/my_bot/handlers/buttons.py",
    "tests/test_concurrency.py",
    "tests/test_bad_input.py",
    "tests/test_flood_control.py",
]


# docker x ci, every pair of answers, taken in turn by the combinations below.
EXTRAS = list(itertools.product([True, False], repeat=2))


def params() -> list:
    """Every valid combination, with docker and ci cycling through all their pairs."""
    return [
        pytest.param(c, *EXTRAS[index % len(EXTRAS)], id=c.id)
        for index, c in enumerate(valid_combinations())
    ]


def check_workflow(project: Path) -> None:
    """The project's CI runs its README's commands, with the services its settings name: the
    checks as they are, the sync as the README's once uv.lock is committed. (The README's
    `pip install uv` is setup-uv's job there, and `uv lock` the committed file's.)"""
    workflow = yaml.safe_load((project / ".github/workflows/tests.yml").read_text())
    job = workflow["jobs"]["test"]
    readme = readme_commands(project)
    sync = next(command for command in readme if command[:2] == ["uv", "sync"])
    checks = [command for command in readme if command[:2] == ["uv", "run"]]
    runs = [(step.get("if"), shlex.split(step["run"])) for step in job["steps"] if "run" in step]
    assert runs == [
        ("hashFiles('uv.lock') != ''", sync),
        ("hashFiles('uv.lock') == ''", ["uv", "sync"]),
        *((None, check) for check in checks),
    ]
    assert set(job.get("services", {})) == needed_services(project)
    for service in needed_services(project):
        assert SERVICE_SETTINGS[service] in job["env"]


@pytest.mark.parametrize(("combination", "docker", "ci"), params())
def test_render(tmp_path: Path, combination: Combination, docker: bool, ci: bool) -> None:
    answers = {"docker": docker, "ci": ci, **combination.data}
    project = render(tmp_path / "bot", **answers)
    files = {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}
    answers.setdefault("database", "sqlite")
    answers.setdefault("migrations", False)

    for path in ALWAYS:
        assert path in files
    for path, wanted in CONDITIONAL_FILES.items():
        assert (path in files) == wanted(answers), path

    for path in files:
        text = (project / path).read_text(encoding="utf-8")
        assert text.strip(), f"{path} is empty"
        assert not JINJA_LEFTOVER.search(text), f"{path} has Jinja left in it"
        if path.endswith(".py"):
            ast.parse(text, filename=path)

    if answers["ci"]:
        check_workflow(project)
    if answers["docker"]:
        services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
        if answers["migrations"]:
            assert services["migrate"]["command"] == ["python", "-m", "my_bot", "migrate"]
            wait = {"condition": "service_completed_successfully"}
            assert services["bot"]["depends_on"]["migrate"] == wait
        else:
            assert "migrate" not in services
        # A webhook is reached through the balancer: a published bot port could not scale.
        assert "ports" not in services["bot"]
        if answers["updates"] == "webhook":
            assert services["balancer"]["ports"] == ["8080:8080"]
            assert services["balancer"]["volumes"] == ["./Caddyfile:/etc/caddy/Caddyfile:ro"]
        else:
            assert "balancer" not in services

    # Every module of the package is imported by another one: no unused files. Migrations
    # are loaded by path, by their runner (Alembic's env.py and revisions too).
    package = project / "src" / "my_bot"
    sources = "\n".join(p.read_text() for p in package.rglob("*.py"))
    by_path = [*package.glob("migrations/alembic/**/*.py"), *package.glob("migrations/mongo/*")]
    for module in package.rglob("*.py"):
        if module.stem not in ("__init__", "__main__") and module not in by_path:
            assert re.search(
                rf"from \.+(\w+\.)*{module.stem} import|import .*\b{module.stem}\b", sources
            ), module
