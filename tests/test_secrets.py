"""Secrets stay out of what a generated bot shares: its answers file, its git history, its image.

A canary token is put where a developer keeps the real one (the environment while rendering,
``.env`` files afterwards); it must show up in nothing Copier writes, nothing ``git add -A``
stages, and nothing the Dockerfile copies into the image.
"""

from __future__ import annotations

import fnmatch
import json
import re
import shlex
import subprocess
from pathlib import Path

import pytest
import yaml
from conftest import ROOT, render

CANARY = "123456789:CANARYcanaryCANARYcanaryCANARYcanary1"
# Where a developer may keep the token in a bot's directory, and a database it may end up in.
SECRET_FILES = [".env", ".env.local", ".env.production.local", "src/my_bot/.env", "my_bot.db"]
SECRET_NAME = re.compile(r"token|secret|password|passwd|credential|api_?key", re.IGNORECASE)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A bot with every secret-bearing setting (webhook, PostgreSQL, Redis), Docker and CI."""
    with pytest.MonkeyPatch.context() as monkeypatch:
        # As in a shell that sourced the bot's .env: Copier must not pick any of it up.
        for name in ("BOT_TOKEN", "WEBHOOK_SECRET", "DATABASE_URL", "REDIS_URL", "SENTRY_DSN"):
            monkeypatch.setenv(name, CANARY)
        return render(
            tmp_path_factory.mktemp("secrets") / "bot",
            fsm_storage="redis",
            user_data="asyncpg",
            database="postgresql",
            updates="webhook",
            docker=True,
            ci=True,
        )


def test_answers_file_holds_no_secret(project: Path) -> None:
    answers = yaml.safe_load((project / ".copier-answers.yml").read_text())
    questions = yaml.safe_load((ROOT / "copier.yml").read_text())
    secret_like = [name for name in answers if SECRET_NAME.search(name)]
    assert not secret_like
    assert {name for name in answers if not name.startswith("_")} <= set(questions)
    rendered = [p for p in project.rglob("*") if p.is_file() and ".git" not in p.parts]
    holding = [p for p in rendered if CANARY in p.read_text(errors="replace")]
    print(f"rendered files holding the canary token: {len(holding)} of {len(rendered)}")
    assert not holding


def test_git_add_stages_no_secret(project: Path, tmp_path: Path) -> None:
    for name in SECRET_FILES:
        (project / name).write_text(f"BOT_TOKEN={CANARY}\n")
    try:
        git = ["git", "-C", str(project)]
        subprocess.run([*git, "init", "-q"], check=True)
        subprocess.run([*git, "add", "-A"], check=True)
        staged = subprocess.run(
            [*git, "diff", "--cached", "--name-only"], check=True, capture_output=True, text=True
        ).stdout.split()
        leaks = subprocess.run(
            [*git, "grep", "--cached", "-l", CANARY], check=False, capture_output=True, text=True
        ).stdout.split()
    finally:
        for name in SECRET_FILES:
            (project / name).unlink()
    print(f"staged files holding the canary token: {len(leaks)} of {len(staged)}")
    assert staged
    assert ".env.example" in staged
    assert not leaks


def dockerfile_instructions(dockerfile: Path) -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (INSTRUCTION, arguments), continuation lines joined."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text())
    lines = [line.strip() for line in text.splitlines()]
    return [
        (line.split(maxsplit=1)[0].upper(), line.split(maxsplit=1)[1])
        for line in lines
        if line and not line.startswith("#")
    ]


def dockerignored(path: str, patterns: list[str]) -> bool:
    """Whether Docker leaves ``path`` out of the build context (``!`` re-includes).

    Written here because no Docker engine runs the tests: ``**/`` matches any depth, the
    rest is a shell pattern matched against the path from the context's root, as Docker does.
    """
    parts = path.split("/")
    # A pattern that matches a directory leaves out everything in it.
    prefixes = ["/".join(parts[: index + 1]) for index in range(len(parts))]
    ignored = False
    for pattern in patterns:
        negated, pattern = pattern.startswith("!"), pattern.lstrip("!")
        candidates = {pattern}
        if pattern.startswith("**/"):
            candidates |= {pattern[3:], "*/" + pattern[3:], "*/*/" + pattern[3:]}
        if any(fnmatch.fnmatchcase(p, c) for p in prefixes for c in candidates):
            ignored = not negated
    return ignored


def test_docker_image_runs_as_a_user_and_holds_no_secret(project: Path) -> None:
    instructions = dockerfile_instructions(project / "Dockerfile")
    patterns = [
        line.strip()
        for line in (project / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    users = [arguments for instruction, arguments in instructions if instruction == "USER"]
    assert users
    assert users[-1].split(":")[0] not in {"root", "0"}
    # Exec form, as JSON: the bot itself is PID 1 and gets SIGTERM, not a shell that drops it.
    [command] = [arguments for instruction, arguments in instructions if instruction == "CMD"]
    assert json.loads(command)[0] == "python"
    assert not [i for i, _ in instructions if i == "ENTRYPOINT"]

    for name in SECRET_FILES:
        (project / name).write_text(f"BOT_TOKEN={CANARY}\n")
    try:
        context = [
            str(p.relative_to(project))
            for p in project.rglob("*")
            if p.is_file() and not dockerignored(str(p.relative_to(project)), patterns)
        ]
        copied: list[str] = []
        for instruction, arguments in instructions:
            words = shlex.split(arguments)
            if instruction in {"COPY", "ADD"} and not words[0].startswith("--from"):
                sources = [w for w in words[:-1] if not w.startswith("--")]
                assert "." not in sources  # the whole context: whatever lies around
                copied += [
                    path
                    for path in context
                    for source in sources
                    if fnmatch.fnmatchcase(path, source) or path.startswith(source + "/")
                ]
        leaks = [path for path in copied if CANARY in (project / path).read_text(errors="replace")]
    finally:
        for name in SECRET_FILES:
            (project / name).unlink()
    print(f"files the image would hold with the canary token: {len(leaks)} of {len(copied)}")
    assert any(path.startswith("src/") for path in copied)
    assert not leaks
