"""copier.yml: every question's validation, what is asked when, and what is kept."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import copier
import jinja2
import pytest
import yaml
from conftest import ROOT, render
from matrix import Combination, refused_combinations, valid_combinations
from rendered import readme_lines

# Bad answers, and a part of the message each must be refused with.
BAD_ANSWERS = [
    ({"project_name": "   "}, "Give the project a name"),
    ({"package_name": "My Bot"}, "is not a lower-case Python identifier"),
    ({"package_name": "1bot"}, "is not a lower-case Python identifier"),
    ({"package_name": "bot-name"}, "is not a lower-case Python identifier"),
    ({"package_name": "class"}, "is a Python keyword"),
    ({"package_name": "json"}, 'would shadow the module "json"'),
    ({"package_name": "aiogram"}, 'would shadow the module "aiogram"'),
    ({"package_name": "tests"}, 'would shadow the module "tests"'),
    ({"author_email": "not-an-email"}, "is not an e-mail address"),
    ({"python_version": "3.9"}, "python_version"),
    ({"fsm_storage": "sqlite"}, "fsm_storage"),
    ({"updates": "push"}, "updates"),
]


@pytest.mark.parametrize(("data", "message"), BAD_ANSWERS, ids=lambda v: str(v))
def test_bad_answer_is_refused(tmp_path: Path, data: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=r"Validation error|Invalid") as refused:
        render(tmp_path / "bot", **data)
    assert message in str(refused.value)
    assert not (tmp_path / "bot" / "pyproject.toml").exists()


@pytest.mark.parametrize("combination", refused_combinations(), ids=lambda c: c.id)
def test_impossible_combination_is_refused(tmp_path: Path, combination: Combination) -> None:
    with pytest.raises(ValueError, match="Validation error") as refused:
        render(tmp_path / "bot", **combination.data)
    assert combination.refusal in str(refused.value)
    assert " choose " in combination.refusal  # the message says what to change


@pytest.mark.parametrize("combination", refused_combinations(), ids=lambda c: c.id)
def test_a_refused_answer_has_an_alternative(combination: Combination) -> None:
    # No dead ends: when a validator refuses an answer, another answer to the same question,
    # after the same earlier answers, leads to a project Copier renders.
    names = [name for name, _ in combination.answers]
    earlier = combination.answers[: names.index(combination.refused_question)]
    assert any(valid.answers[: len(earlier)] == earlier for valid in valid_combinations())


def test_asyncpg_with_sqlite_says_what_to_change(tmp_path: Path) -> None:
    questions = yaml.safe_load((ROOT / "copier.yml").read_text())
    validator = jinja2.Template(questions["database"]["validator"])
    message = validator.render(user_data="asyncpg", database="sqlite").strip()
    assert 'choose database "postgresql"' in message


def test_package_name_is_derived_from_the_project_name(tmp_path: Path) -> None:
    project = render(tmp_path / "bot", project_name="9 Lives: Weather-Bot!")
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    assert answers["package_name"] == "bot_9_lives_weather_bot"
    assert (project / "src" / "bot_9_lives_weather_bot" / "__main__.py").is_file()


@pytest.mark.parametrize(
    ("data", "not_asked"),
    [
        ({"fsm_storage": "redis", "user_data": "none"}, {"database", "migrations"}),
        ({"fsm_storage": "memory", "user_data": "none"}, {"database", "migrations"}),
        ({"fsm_storage": "mongo", "user_data": "sqlalchemy"}, set()),
    ],
)
def test_questions_that_do_not_apply_are_not_asked(
    tmp_path: Path, data: dict[str, str], not_asked: set[str]
) -> None:
    answers = yaml.safe_load(
        (render(tmp_path / "bot", **data) / ".copier-answers.yml").read_text()
    )
    assert not_asked.isdisjoint(answers)
    assert {"fsm_storage", "user_data", "updates", "docker", "ci"} <= answers.keys()


def test_defaults_need_no_server_and_persist(tmp_path: Path) -> None:
    answers = yaml.safe_load((render(tmp_path / "bot") / ".copier-answers.yml").read_text())
    assert (answers["fsm_storage"], answers["user_data"], answers["database"]) == (
        "sqlalchemy",
        "sqlalchemy",
        "sqlite",
    )


def test_answers_file_has_no_secrets_or_derived_values(tmp_path: Path) -> None:
    text = (render(tmp_path / "bot", updates="webhook") / ".copier-answers.yml").read_text()
    answers = yaml.safe_load(text)
    assert answers["_src_path"]  # what `copier update` needs
    for absent in ("token", "secret", "password", "uses_", "services", "default_database_url"):
        assert absent not in text.lower()


def test_no_migrations_means_no_migration_tooling(tmp_path: Path) -> None:
    # Without migrations the bot creates its schema at start-up: nothing of the migration
    # tools is rendered, not even a dependency or a command.
    project = render(tmp_path / "bot", migrations=False, user_data="sqlalchemy")
    files = [p for p in project.rglob("*") if p.is_file() and p.name != ".copier-answers.yml"]
    assert not [p for p in files if "migrat" in str(p.relative_to(project))]
    assert "alembic" not in (project / "pyproject.toml").read_text(encoding="utf-8")
    for path in ("README.md", "src/my_bot/cli.py", "compose.yaml"):
        assert "migrate" not in (project / path).read_text(encoding="utf-8"), path


def test_the_message_after_copy_gives_the_readmes_first_steps(tmp_path: Path) -> None:
    # Through Copier's CLI, as users copy: it prints the message (to stderr), the API does not.
    project = tmp_path / "weather"
    copy = ["copy", "--defaults", "--vcs-ref=HEAD", "--data", "project_name=Weather Bot"]
    done = subprocess.run(
        [sys.executable, "-m", "copier", *copy, str(ROOT), str(project)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line.strip() for line in done.stderr.splitlines() if line.startswith("    ")]
    commands = [line.split(" #", 1)[0].strip() for line in lines]
    # The two the README takes as done, which the nox sessions do themselves (they run the
    # README's commands in the project, after `git init`): then the README's own lines.
    assert commands[:2] == [f"cd {shlex.quote(str(project))}", "git init"], done.stderr
    assert commands[-2:] == ["uv run pytest", "uv run weather_bot"]
    readme = project / "README.md"
    given = {
        line
        for section in ("Configure", "Run", "Develop")
        for line in readme_lines(readme, section)
    }
    for command in commands[2:]:
        assert command in given, f"the message's `{command}` is not a line of the README"
    assert "cp .env.example .env" in commands and "pip install uv" in commands


def test_runs_without_trust() -> None:
    config = yaml.safe_load((ROOT / "copier.yml").read_text())
    assert "_tasks" not in config
    assert "_jinja_extensions" not in config


# Copier leaves a directory iterator open when a render aborts; that is Copier's, not ours.
@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")
def test_undefined_variable_aborts_the_render(tmp_path: Path) -> None:
    template = tmp_path / "template"
    shutil.copytree(
        ROOT, template, ignore=shutil.ignore_patterns(".git", ".nox", ".venv", ".cache")
    )
    (template / "template" / "typo.txt.jinja").write_text("{{ fsm_storgae }}\n")
    with pytest.raises(jinja2.UndefinedError, match="fsm_storgae"):
        copier.run_copy(str(template), tmp_path / "bot", defaults=True, quiet=True)
