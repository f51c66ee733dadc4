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
from matrix import Combination, all_languages, derived, holds, valid_combinations
from rendered import SERVICE_SETTINGS, needed_services, readme_commands

# A Jinja expression, statement or comment tag; Python's "{{" in f-strings or "}}" after nested
# dicts do not match.
JINJA_LEFTOVER = re.compile(
    r"\{\{-?\s*[A-Za-z_][\w.]*\s*(\|[^}]*)?-?\}\}"
    r"|\{%-?\s*(if|elif|else|endif|for|endfor|set|raw|endraw|macro|include|import)\b"
    r"|\{#-?\s"
)

LANGUAGES = ("en", "ru", "uk", "es", "de", "pt")

# Files that exist only for some answers, by the condition that renders them: a derived value
# of copier.yml (or a few, or an answer), evaluated on copier.yml's values for the answers.
CONDITIONAL_FILES = {
    "fsm_module == 'memory'": ["src/my_bot/fsm/memory.py"],
    "fsm_module == 'redis'": ["src/my_bot/fsm/redis.py"],
    "fsm_module == 'mongo'": ["src/my_bot/fsm/mongo.py"],
    "fsm_module == 'sql'": ["src/my_bot/fsm/sql.py", "tests/test_sql_storage.py"],
    "uses_sqlalchemy": ["src/my_bot/db.py"],
    "uses_sqlite": ["tests/servers/sqlite.py"],
    "uses_postgres": ["tests/servers/postgresql.py"],
    "uses_redis": ["tests/servers/redis.py"],
    "uses_mongo": ["src/my_bot/mongodb.py", "tests/servers/mongo.py"],
    "has_databases": ["src/my_bot/databases.py"],
    "user_data == 'sqlalchemy'": ["src/my_bot/users/orm.py"],
    "user_data == 'none'": ["src/my_bot/users/fsm.py"],
    "user_data == 'asyncpg'": ["src/my_bot/users/postgres.py"],
    "user_data == 'mongo'": ["src/my_bot/users/mongo.py"],
    "migrations": ["src/my_bot/migrations/__init__.py", "tests/test_migrate.py"],
    "migrations and uses_sqlalchemy": [
        "src/my_bot/migrations/run_alembic.py",
        "src/my_bot/migrations/alembic/env.py",
        "src/my_bot/migrations/alembic/script.py.mako",
        "src/my_bot/migrations/alembic/versions/rev_0001_initial_schema.py",
        "tests/test_migrations_alembic.py",
    ],
    "migrations and user_data == 'sqlalchemy'": [
        "src/my_bot/migrations/alembic/versions/rev_0002_users_language_membership.py",
    ],
    "migrations and user_data == 'asyncpg'": [
        "src/my_bot/migrations/run_sql.py",
        "src/my_bot/migrations/sql/0001_create_users.sql",
        "src/my_bot/migrations/sql/0002_users_language_membership.sql",
        "tests/test_migrations_sql.py",
    ],
    "migrations and user_data == 'mongo'": [
        "src/my_bot/migrations/run_mongo.py",
        "src/my_bot/migrations/mongo/0001_users_user_id_index.py",
        "src/my_bot/migrations/mongo/0002_users_activity_indexes.py",
        "tests/test_migrations_mongo.py",
    ],
    "webhook": ["src/my_bot/webhook.py", "tests/test_webhook.py"],
    "not webhook": ["src/my_bot/polling.py", "tests/test_polling.py"],
    "webhook and shared_isolation": ["tests/test_scale.py"],
    # One fsm_records.py per persistent storage, each chosen by fsm_module.
    "persistent_fsm": [
        "tests/fsm_records.py",
        "tests/test_damaged_records.py",
        "tests/test_shared_storage.py",
    ],
    "persistent_fsm and user_data == 'none'": ["tests/test_damaged_profile.py"],
    # One users_v0_3.py per user-data layer with a database, each chosen by user_data.
    "user_data != 'none'": ["tests/users_v0_3.py", "tests/test_users_of_v0_3.py"],
    "services": ["tests/tcp_proxy.py", "tests/test_outages.py", "tests/test_url_passwords.py"],
    "docker": ["Dockerfile", "compose.yaml", ".dockerignore"],
    "balancer": ["Caddyfile"],
    "ci": [".github/workflows/tests.yml", ".github/dependabot.yml"],
    # The owner's statistics, with a user-data layer to count.
    "'stats' in features": ["src/my_bot/features/stats.py", "tests/test_stats.py"],
    "'broadcast' in features and persistent_fsm": ["tests/test_broadcast_e2e.py"],
    "'broadcast' in features and not persistent_fsm": ["tests/test_broadcast_in_memory.py"],
    "'broadcast' in features": [
        "src/my_bot/features/broadcast.py",
        "src/my_bot/broadcasting.py",
        "tests/test_broadcast.py",
    ],
    # One catalogue per language the bot speaks, and its admins' texts if they have commands.
    **{f"'{code}' in languages": [f"src/my_bot/locales/{code}/bot.ftl"] for code in LANGUAGES},
    **{
        f"'{code}' in languages and 'stats' in features": [f"src/my_bot/locales/{code}/admin.ftl"]
        for code in LANGUAGES
    },
}
ALWAYS = [
    "pyproject.toml",
    ".pre-commit-config.yaml",
    "README.md",
    ".env.example",
    ".gitignore",
    ".python-version",
    ".copier-answers.yml",
    "src/my_bot/__main__.py",
    "src/my_bot/cli.py",
    "src/my_bot/logs.py",
    "src/my_bot/reports.py",
    "src/my_bot/settings.py",
    "src/my_bot/wiring.py",
    "tests/conftest.py",
    "tests/test_i18n.py",
    "tests/test_membership.py",
    "src/my_bot/i18n.py",
    "src/my_bot/menu.py",
    "src/my_bot/features/__init__.py",
    "src/my_bot/features/language.py",
    "src/my_bot/features/membership.py",
    "tests/servers/__init__.py",
    "tests/test_dialog.py",
    "tests/test_reports.py",
    "tests/test_isolation.py",
    "tests/test_users.py",
    "tests/test_e2e.py",
    "tests/bot_process.py",
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
    "src/my_bot/admins.py",
    "src/my_bot/throttling.py",
    "src/my_bot/fsm/counters.py",
    "src/my_bot/jobs.py",
    "src/my_bot/scheduler.py",
    "tests/test_jobs.py",
    "tests/test_admins.py",
    "tests/test_throttling.py",
    "src/my_bot/health.py",
    "src/my_bot/healthcheck.py",
    "src/my_bot/metrics.py",
    "tests/test_health.py",
]


# What pre-commit's trailing-whitespace hook removes.
TRAILING_WHITESPACE = re.compile(r"[ \t]+$", re.MULTILINE)

# docker x ci, every pair of answers, taken in turn by the combinations below.
EXTRAS = list(itertools.product([True, False], repeat=2))


def params() -> list:
    """Every valid combination, with docker and ci cycling through all their pairs, and every
    other one in all languages (the rest in the default, English)."""
    return [
        pytest.param(c, *EXTRAS[index % len(EXTRAS)], index % 2 == 1, id=c.id)
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


def check_dependabot(project: Path, *, docker: bool) -> None:
    """Dependabot updates the lock, the actions and, with Docker, the Dockerfile's images."""
    config = yaml.safe_load((project / ".github/dependabot.yml").read_text())
    ecosystems = [update["package-ecosystem"] for update in config["updates"]]
    assert ecosystems == ["uv", "github-actions", *(["docker"] if docker else [])]


@pytest.mark.parametrize(("combination", "docker", "ci", "languages"), params())
def test_render(
    tmp_path: Path, combination: Combination, docker: bool, ci: bool, languages: bool
) -> None:
    answers = {"docker": docker, "ci": ci, **combination.data}
    if languages:
        answers |= all_languages(len(combination.answers))
    project = render(tmp_path / "bot", **answers)
    files = {str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()}
    values = derived(answers)  # with copier.yml's defaults and derived values

    for path in ALWAYS:
        assert path in files
    for condition, paths in CONDITIONAL_FILES.items():
        wanted = holds(condition, values)
        for path in paths:
            assert (path in files) == wanted, f"{path}: {condition} is {wanted}"

    for path in files:
        text = (project / path).read_text(encoding="utf-8")
        assert text.strip(), f"{path} is empty"
        assert not JINJA_LEFTOVER.search(text), f"{path} has Jinja left in it"
        if path.endswith(".py"):
            ast.parse(text, filename=path)
        # What the project's pre-commit hooks hold every file to, in every combination (the e2e
        # sessions run them on the default languages, docker and ci).
        assert text.endswith("\n") and not text.endswith("\n\n"), f"{path}: not one final newline"
        assert not TRAILING_WHITESPACE.search(text), f"{path} has trailing whitespace"
        if path.endswith((".yml", ".yaml")):
            yaml.safe_load(text)

    if values["ci"]:
        check_workflow(project)
        check_dependabot(project, docker=values["docker"])
    if values["docker"]:
        services = yaml.safe_load((project / "compose.yaml").read_text())["services"]
        if values["migrations"]:
            assert services["migrate"]["command"] == ["python", "-m", "my_bot", "migrate"]
            wait = {"condition": "service_completed_successfully"}
            assert services["bot"]["depends_on"]["migrate"] == wait
        else:
            assert "migrate" not in services
        # A webhook is reached through the balancer: a published bot port could not scale.
        assert "ports" not in services["bot"]
        if values["balancer"]:
            assert services["balancer"]["ports"] == ["8080:8080"]
            assert services["balancer"]["volumes"] == ["./Caddyfile:/etc/caddy/Caddyfile:ro"]
            # `docker compose up tls`: the same Caddyfile on HTTPS, no secret of .env in it.
            tls = services["tls"]
            assert (tls["profiles"], tls["ports"]) == (["tls"], ["80:80", "443:443"])
            assert tls["volumes"] == ["./Caddyfile:/etc/caddy/Caddyfile:ro", "certificates:/data"]
            assert tls["environment"] == {"WEBHOOK_URL": "${WEBHOOK_URL:-}"}
            assert "env_file" not in tls
        else:
            assert "balancer" not in services
            assert "tls" not in services

    # Every module of the package is imported by another one: no unused files. Migrations
    # are loaded by path, by their runner (Alembic's env.py and revisions too); healthcheck.py
    # is run as `python -m <package>.healthcheck` (the Dockerfile's HEALTHCHECK, any prober).
    package = project / "src" / "my_bot"
    sources = "\n".join(p.read_text() for p in package.rglob("*.py"))
    by_path = [*package.glob("migrations/alembic/**/*.py"), *package.glob("migrations/mongo/*")]
    for module in package.rglob("*.py"):
        if module.stem not in ("__init__", "__main__", "healthcheck") and module not in by_path:
            assert re.search(
                rf"from \.+(\w+\.)*{module.stem} import|import .*\b{module.stem}\b", sources
            ), module


def test_every_conditional_file_is_in_the_table() -> None:
    """A file made conditional in template/ (a backend added, a feature) is checked above."""
    listed = {path for paths in CONDITIONAL_FILES.values() for path in paths}
    template = Path(__file__).resolve().parents[1] / "template"
    for path in template.rglob("*"):
        name = str(path.relative_to(template))
        if path.is_file() and "{% if" in name:
            rendered = re.sub(r"\{% if [^%]*%\}|\{% endif %\}", "", name)
            rendered = rendered.replace("{{package_name}}", "my_bot").removesuffix(".jinja")
            assert rendered in listed, f"{name} is not in CONDITIONAL_FILES"
