"""``copier update`` brings a project forward and loses nothing of the user's.

Each test scaffolds a project from a release of a throwaway git repository of this template
(``template_repo.py``), changes it the way a user would (``edit_as_user``), commits, updates,
and checks what README.md's "Updating" section promises:

- the user's files (``_skip_if_exists`` in copier.yml, ``.env``, files they added) are
  byte-identical; their edits to the template's files are kept;
- conflict markers appear where both sides changed a line, and nowhere else;
- apart from that, the project is what a fresh render of the new release with its answers is:
  files of an old choice are gone, the new ones are there;
- the updated project passes its own checks and tests (the commands of its README; after
  changing answers, all but the tests, which the e2e session of the new answers runs).

The combination comes from ``UPDATE_ANSWERS`` (JSON; nox's ``update`` sessions set it), else
the default one. The scenarios marked ``any_answers`` go alike from every combination (Copier's
migrations of renamed questions and moved files, the README's copy command): one session runs
them.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from matrix import ROOT, ask
from rendered import as_user, readme_lines
from services import delete_redis_keys, project_environment
from template_repo import (
    PREVIOUS_RELEASE,
    V0_3_RELEASE,
    TemplateRepository,
    commit_all,
    export_commit,
    export_working_tree,
    git,
    rename_in_tree,
    replace_in,
    this_release,
)

ANSWERS: dict[str, Any] = json.loads(os.environ.get("UPDATE_ANSWERS", "{}"))
# Databases of this combination's projects: sessions running side by side must not share one.
DATABASE = "update_" + hashlib.sha1(json.dumps(ANSWERS, sort_keys=True).encode()).hexdigest()[:10]
PACKAGE = "my_bot"
PREVIOUS, PREVIOUS_COMMIT = PREVIOUS_RELEASE
# The working tree, tagged as the next release in the throwaway repository.
CURRENT = this_release()
# The older layout made from the working tree, and the working tree as the release after it.
OLD_LAYOUT, NEW_LAYOUT = "v1.0.0", "v1.1.0"
CONFLICT = "<<<<<<< before updating"
# Answers changed with `copier update --data`, in this order, each where the project (as the
# step before left it) has the old value: (question, old value, new value).
ANSWER_CHANGES: list[tuple[str, Any, Any]] = [
    ("fsm_storage", "memory", "redis"),
    ("fsm_storage", "redis", "sqlalchemy"),
    ("user_data", "none", "sqlalchemy"),  # adding a user-data layer
    ("migrations", False, True),
    ("updates", "polling", "webhook"),
]
# The user's .env: a byte-order mark, CRLF line ends and a token that must never leave it.
DOT_ENV = "BOT_TOKEN=123456789:CANARY-token-that-must-stay-here_0123456\r\nX=1\r\n".encode(
    "utf-8-sig"
)
PING_HANDLER = '''"""``/ping``: answer "pong" (the user's own handler)."""

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import Message

router = Router(name=__name__)


@router.message(Command("ping"))
async def ping(message: Message) -> None:
    """Answer "pong"."""
    await message.answer("pong")
'''
SETTING_LINE = '    greeting: str = Field(default="Hello", description="what /start says first")\n'
# The user's own migration, one per kind of migrations the project may have.
OWN_MIGRATIONS = {
    # Named as `alembic revision` names them: beside the template's own 0002 (v0.6.0), both
    # after 0001, as two heads, which `migrate` upgrades both.
    "alembic/versions": (
        "rev_c0ffee012345_user_note.py",
        '''"""The user's own revision, with nothing to change yet.

Revision ID: c0ffee012345
Revises: 0001
"""

from collections.abc import Sequence

revision: str = "c0ffee012345"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    """Nothing to apply yet."""


def downgrade() -> None:
    """Nothing to revert."""
''',
    ),
    "sql": (
        "0002_users_email_index.sql",
        "-- The user's own migration.\nCREATE INDEX IF NOT EXISTS users_email ON users (email);\n",
    ),
    "mongo": (
        "0002_users_email_index.py",
        '''"""The user's own migration: an index on e-mail."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase


async def upgrade(database: AsyncDatabase[dict[str, Any]]) -> None:
    """Index users by e-mail."""
    await database["users"].create_index("email", name="email")
''',
    ),
}


# Users a v0.3 bot saved through its own code (run in the project), and what the updated bot
# must then find and do with them (also run in the project: its own code and settings).
SEED_USERS = """
import asyncio

from my_bot.settings import Settings
from my_bot.users import Profile
from my_bot.wiring import open_backends

PROFILES = [Profile(2**40 + n, f"User {n}", f"user{n}@example.com") for n in range(5)]
PROFILES.append(Profile(2**63 - 1, "Max", "max@example.com"))


async def main():
    async with open_backends(Settings()) as backends:
        for profile in PROFILES:
            await backends.users.record_visit(profile.user_id, None, profile.name)
            await backends.users.save_profile(profile)


asyncio.run(main())
"""
CHECK_USERS = SEED_USERS.split("async def main")[0] + """
async def main():
    async with open_backends(Settings()) as backends:
        users = backends.users
        for profile in PROFILES:
            assert await users.get_profile(profile.user_id) == profile, profile
        first = PROFILES[0].user_id
        await users.record_seen(first, None, "User 0", "from_v0_3")
        await users.set_language(first, "en")
        await users.set_blocked(first, blocked=True)
        record = await users.get_user(first)
        assert (record.language, record.start_payload) == ("en", "from_v0_3"), record
        assert record.blocked_at is not None and record.last_seen_at is not None, record
    print(f"users of the v0.3 bot kept: {len(PROFILES)} of {len(PROFILES)}")


asyncio.run(main())
"""
# Not a real bot's token; its bot id (the part before the colon) is drawn per test.
TEST_SECRET = "TESTtokenTESTtokenTESTtokenTESTtoken1"
# The v0.3 bots whose users an update must keep: this session's answers, with migrations and
# without (each user-data layer keeps its users its own way); without user data, with a
# persistent FSM storage, where the profiles then live.
V0_3_STARTS = (
    [{"fsm_storage": "redis"}]
    if ANSWERS.get("user_data") == "none"
    else [{"migrations": False}, {"migrations": True}]
)


# --- the template's releases ---------------------------------------------------------------


@pytest.fixture(scope="module")
def releases(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepository:
    """This repository's previous release and the working tree as the next one."""
    repository = TemplateRepository(tmp_path_factory.mktemp("releases") / "template")
    repository.release(PREVIOUS, lambda tree: export_commit(PREVIOUS_COMMIT, tree))
    repository.release(CURRENT, export_working_tree)
    return repository


@pytest.fixture(scope="module")
def v0_3_releases(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepository:
    """v0.3.1, the release before the user record grew, and the working tree after it."""
    repository = TemplateRepository(tmp_path_factory.mktemp("v0_3") / "template")
    repository.release(V0_3_RELEASE[0], lambda tree: export_commit(V0_3_RELEASE[1], tree))
    repository.release(CURRENT, export_working_tree)
    return repository


def older_layout(tree: Path) -> None:
    """The working tree as an earlier release had it, differing the way real releases do."""
    export_working_tree(tree)
    src = tree / "template" / "src" / "{{package_name}}"
    # A question renamed since: `ci` was `github_actions`.
    replace_in(tree / "copier.yml", "\nci:\n", "\ngithub_actions:\n")
    rename_in_tree(tree, "{% if ci %}", "{% if github_actions %}")
    # A choice renamed since: `updates: polling` was `long_polling`.
    replace_in(tree / "copier.yml", "needed): polling\n", "needed): long_polling\n")
    replace_in(tree / "copier.yml", "  default: polling\n", "  default: long_polling\n")
    # The templates read the derived `webhook`, so only those two lines name the choice.
    # A file moved since: middlewares.py was middleware.py.
    (src / "middlewares.py").rename(src / "middleware.py")
    replace_in(src / "bot.py", "from .middlewares import", "from .middleware import")
    # A line changed since.
    replace_in(
        src / "bot.py", "the bot, talking to ``TELEGRAM_API_URL`` when one is set", "the bot"
    )
    # A file added since, and two removed since.
    (src / "__main__.py").unlink()
    (src / "keyboards.py").write_text('"""Keyboards (removed in the next release)."""\n')
    (src / "legacy.py").write_text('"""Helpers (removed in the next release)."""\n')


def newer_layout(tree: Path) -> None:
    """The working tree, with the migrations that carry projects over from ``older_layout``."""
    export_working_tree(tree)
    hook = ["{{ _copier_python }}", "{{ _copier_conf.src_path }}/hooks/update.py"]
    before = "{{ _stage == 'before' }}"
    migrations = [
        {"when": before, "command": [*hook, "rename-answer", "github_actions", "ci"]},
        {
            "when": before,
            "command": [*hook, "rename-choice", "updates", "long_polling", "polling"],
        },
        {
            "command": [
                *hook,
                "move-file",
                f"src/{PACKAGE}/middleware.py",
                f"src/{PACKAGE}/middlewares.py",
            ]
        },
        {"command": [*hook, "remove-file", f"src/{PACKAGE}/keyboards.py"]},
        {"command": [*hook, "remove-file", f"src/{PACKAGE}/legacy.py"]},
    ]
    listed = yaml.safe_dump([{"version": NEW_LAYOUT, **m} for m in migrations], width=200)
    # Listed first, before the template's own migrations, if there are any (their releases are
    # older than both layouts: they do not run).
    empty = "\n_migrations: []\n" in (tree / "copier.yml").read_text(encoding="utf-8")
    at = "\n_migrations: []\n" if empty else "\n_migrations:\n"
    replace_in(tree / "copier.yml", at, f"\n_migrations:\n{listed}")


@pytest.fixture(scope="module")
def layouts(tmp_path_factory: pytest.TempPathFactory) -> TemplateRepository:
    """An older layout of the template and the working tree as the release after it."""
    repository = TemplateRepository(tmp_path_factory.mktemp("layouts") / "template")
    repository.release(OLD_LAYOUT, older_layout)
    repository.release(NEW_LAYOUT, newer_layout)
    return repository


# --- Copier, as a user runs it ---------------------------------------------------------------


def copier(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    """Run Copier's command line; the caller checks the outcome."""
    command = [sys.executable, "-m", "copier", *args]
    return subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)


def succeeded(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 0, f"{done.args} failed:\n{done.stdout}\n{done.stderr}"
    return done.stderr


def as_data(answers: dict[str, Any]) -> list[str]:
    return [f"--data={name}={value}" for name, value in answers.items()]


def render_release(
    template: TemplateRepository, tag: str, destination: Path, answers: dict[str, Any]
) -> None:
    """Render the release ``tag`` with ``answers`` (defaults for the rest) into ``destination``."""
    copy = ["copy", "--defaults", f"--vcs-ref={tag}", *as_data(answers)]
    succeeded(copier(*copy, str(template.path), str(destination)))


def scaffold(
    template: TemplateRepository, tag: str, project: Path, answers: dict[str, Any]
) -> None:
    """Render ``tag`` with ``answers`` into a new git repository, committed."""
    render_release(template, tag, project, answers)
    commit_all(project, f"scaffold from {tag}")


def recorded_answers(project: Path) -> dict[str, Any]:
    return yaml.safe_load((project / ".copier-answers.yml").read_text(encoding="utf-8"))


# --- the user's work, and the promises ---------------------------------------------------


@dataclass
class UserWork:
    """What the user did: their files, which must stay byte-identical (``created`` ones, and the
    template's that the user owns while the answers still render them), and lines they added to
    the template's files, which must survive."""

    owned: dict[str, bytes] = field(default_factory=dict)
    created: set[str] = field(default_factory=set)
    added_lines: dict[str, str] = field(default_factory=dict)

    def add_line(self, project: Path, path: str, line: str, before: str) -> None:
        """Add ``line`` to the template's ``path``, before the first line starting ``before``."""
        text = (project / path).read_text(encoding="utf-8")
        at = text.index(f"\n{before}") + 1
        (project / path).write_text(text[:at] + line + text[at:], encoding="utf-8")
        self.added_lines[path] = line


def edit_as_user(project: Path) -> UserWork:
    """Change the project the way its user would, and commit."""
    work = UserWork()
    pkg = project / "src" / PACKAGE
    (project / ".env").write_bytes(DOT_ENV)
    (pkg / "handlers" / "ping.py").write_text(PING_HANDLER, encoding="utf-8")
    work.created = {".env", f"src/{PACKAGE}/handlers/ping.py"}
    handlers = pkg / "handlers" / "__init__.py"
    replace_in(handlers, "fallback, profile,", "fallback, ping, profile,")
    replace_in(handlers, "    fallback.router,", "    ping.router,\n    fallback.router,")
    replace_in(
        pkg / "handlers" / "start.py", "remember them.", "remember them (the user's words)."
    )
    work.add_line(
        project, f"src/{PACKAGE}/settings.py", SETTING_LINE, before="    telegram_api_url"
    )
    for directory, (name, content) in OWN_MIGRATIONS.items():
        if (pkg / "migrations" / directory).is_dir():
            (pkg / "migrations" / directory / name).write_text(content, encoding="utf-8")
            work.created.add(f"src/{PACKAGE}/migrations/{directory}/{name}")
    # The user's files: what they created, the handlers and their tests.
    owned = [*pkg.glob("handlers/*.py"), project / "tests" / "test_dialog.py"]
    owned += [project / name for name in work.created]
    work.owned = {str(path.relative_to(project)): path.read_bytes() for path in owned}
    commit_all(project, "the user's changes")
    return work


def project_files(project: Path) -> set[str]:
    return {
        str(path.relative_to(project))
        for path in project.rglob("*")
        if path.is_file() and ".git" not in path.relative_to(project).parts
    }


def conflicted(project: Path) -> set[str]:
    """Files with a line that is Copier's conflict marker (as Copier itself finds them)."""
    return {
        name
        for name in project_files(project)
        if CONFLICT in (project / name).read_text(encoding="utf-8", errors="replace").splitlines()
    }


def assert_promises_kept(
    project: Path,
    template: TemplateRepository,
    tag: str,
    work: UserWork,
    tmp_path: Path,
    conflicts: frozenset[str] = frozenset(),
) -> None:
    """The user's work is all there, and the rest is what ``tag`` renders with the answers."""
    answers = recorded_answers(project)
    assert answers["_commit"] == tag
    assert b"CANARY" not in (project / ".copier-answers.yml").read_bytes()
    assert conflicted(project) == set(conflicts)
    assert not [name for name in project_files(project) if name.endswith(".rej")]
    fresh = tmp_path / f"fresh-{tag}"
    data = {name: value for name, value in answers.items() if not name.startswith("_")}
    render_release(template, tag, fresh, data)
    for name, content in work.owned.items():
        if name in work.created or (fresh / name).exists():
            assert (project / name).read_bytes() == content, (
                f"the update changed the user's {name}"
            )
        else:  # the template's file of an old choice, as rendered: removed like the others
            assert not (project / name).exists(), f"{name} of the old answers was left"
    for name in sorted(project_files(fresh) - set(work.owned) - conflicts):
        text = (project / name).read_text(encoding="utf-8")
        if name in work.added_lines:
            assert work.added_lines[name] in text, f"the update lost the user's line in {name}"
            text = text.replace(work.added_lines[name], "", 1)
        assert text == (fresh / name).read_text(encoding="utf-8"), f"{name} is not the release's"
    leftovers = project_files(project) - project_files(fresh) - work.created
    assert not leftovers, f"files of the old release or answers were left: {sorted(leftovers)}"


def run_project_checks(project: Path, database: str, *, suite: bool = True) -> None:
    """The commands of the project's README ("Develop"), against real services; with
    ``suite=False``, all but its test suite."""
    # Staged, as the user stages an update before committing it: pre-commit checks the files
    # git tracks, and an update's new files are not yet.
    git(project, "add", "--all")
    with project_environment(project, database) as overrides:
        env = {k: v for k, v in (os.environ | overrides).items() if v is not None}
        for line in readme_lines(project / "README.md"):
            if not suite and line.endswith(" pytest"):
                continue
            done = subprocess.run(
                as_user(line), cwd=project, env=env, capture_output=True, text=True
            )
            assert done.returncode == 0, (
                f"{line} failed:\n{done.stdout[-4000:]}\n{done.stderr[-2000:]}"
            )


# --- the scenarios -------------------------------------------------------------------------


def test_update_from_the_previous_release(releases: TemplateRepository, tmp_path: Path) -> None:
    project = tmp_path / "bot"
    scaffold(releases, PREVIOUS, project, ANSWERS)
    work = edit_as_user(project)
    # v0.5.0 moved isolation.py into fsm/ (a migration of copier.yml): the user's line moves too.
    pkg = f"src/{PACKAGE}"
    work.add_line(project, f"{pkg}/isolation.py", "# The user's note.\n", before="import ")
    commit_all(project, "the user's note")
    update = ("update", "--defaults", f"--vcs-ref={CURRENT}")
    refused = copier(*update, cwd=project)
    assert refused.returncode != 0 and "--trust" in refused.stderr
    said = succeeded(copier(*update, "--trust", cwd=project))
    assert f"{pkg}/isolation.py moved to {pkg}/fsm/isolation.py with your changes" in said
    work.added_lines[f"{pkg}/fsm/isolation.py"] = work.added_lines.pop(f"{pkg}/isolation.py")
    assert_promises_kept(project, releases, CURRENT, work, tmp_path)
    run_project_checks(project, f"{DATABASE}_release")


@pytest.mark.any_answers
def test_update_across_renamed_answers_and_moved_files(
    layouts: TemplateRepository, tmp_path: Path
) -> None:
    project = tmp_path / "bot"
    old_answers = {**ANSWERS}
    if old_answers.get("updates", "polling") == "polling":
        old_answers["updates"] = "long_polling"
    scaffold(layouts, OLD_LAYOUT, project, old_answers)
    assert recorded_answers(project)["github_actions"] is True
    work = edit_as_user(project)
    pkg = f"src/{PACKAGE}"
    # The user changed the moved file, one removed file, and a line the release changed too.
    work.add_line(project, f"{pkg}/middleware.py", "# The user's note.\n", before="from ")
    replace_in(project / pkg / "keyboards.py", "(removed", "(the user's; removed")
    replace_in(project / pkg / "bot.py", '"""Create the bot."""', '"""Create the user\'s bot."""')
    commit_all(project, "more of the user's changes")
    head = git(project, "rev-parse", "HEAD")

    refused = copier("update", "--defaults", cwd=project)
    assert refused.returncode != 0
    assert "migrations" in refused.stderr and "--trust" in refused.stderr
    assert (
        git(project, "status", "--porcelain") == "" and git(project, "rev-parse", "HEAD") == head
    )

    said = succeeded(copier("update", "--defaults", "--trust", cwd=project))
    answers = recorded_answers(project)
    assert answers["ci"] is True and "github_actions" not in answers
    assert answers["updates"] == ANSWERS.get("updates", "polling")
    assert f"{pkg}/middleware.py moved to {pkg}/middlewares.py with your changes" in said
    assert "kept " + f"{pkg}/keyboards.py" in said
    # The moved file carries the user's line; the rest is checked against a fresh render.
    work.added_lines[f"{pkg}/middlewares.py"] = work.added_lines.pop(f"{pkg}/middleware.py")
    assert "the user's" in (project / pkg / "keyboards.py").read_text(encoding="utf-8")
    assert not (project / pkg / "legacy.py").exists()
    work.created.add(f"{pkg}/keyboards.py")  # kept: the user's file now
    assert_promises_kept(
        project, layouts, NEW_LAYOUT, work, tmp_path, conflicts=frozenset({f"{pkg}/bot.py"})
    )
    bot = (project / pkg / "bot.py").read_text(encoding="utf-8")
    assert "Create the user's bot." in bot and "when one is set" in bot
    assert "from .middlewares import" in bot


def test_changing_answers(releases: TemplateRepository, tmp_path: Path) -> None:
    project = tmp_path / "bot"
    scaffold(releases, CURRENT, project, ANSWERS)
    work = edit_as_user(project)
    applied = []
    for question, old, new in ANSWER_CHANGES:
        answers = {**recorded_answers(project), question: new}
        if ask(recorded_answers(project)).data.get(question) != old or ask(answers).refusal:
            continue
        change = {question: new}
        succeeded(copier("update", "--defaults", *as_data(change), cwd=project))
        assert_promises_kept(project, releases, CURRENT, work, tmp_path / str(len(applied)))
        commit_all(project, f"change {change}")
        applied.append(change)
    assert applied, f"no answer change applies to {ANSWERS}: pick another start in noxfile.py"
    # Not the test suite: assert_promises_kept held the project to a fresh render of its answers
    # with the user's changes, the fresh render's suite runs in the e2e session of these
    # answers, and the user's changes ran with a suite in the update from the previous release.
    run_project_checks(project, f"{DATABASE}_answers", suite=False)


@pytest.mark.parametrize("start", V0_3_STARTS, ids=lambda start: json.dumps(start))
def test_update_keeps_the_users_of_a_v0_3_bot(
    v0_3_releases: TemplateRepository, tmp_path: Path, start: dict[str, Any]
) -> None:
    """A v0.3 bot with users in its database: updated, (migrated,) its users are all there, and
    the new user record works for them."""
    answers = {**ANSWERS, **start}
    project = tmp_path / "bot"
    scaffold(v0_3_releases, V0_3_RELEASE[0], project, answers)
    migrations = bool(recorded_answers(project).get("migrations"))
    database = f"{DATABASE}_v0_3_{int(migrations)}"
    bot_id = secrets.randbelow(10**9) + 10**9
    with project_environment(project, database) as overrides:
        env = {k: v for k, v in (os.environ | overrides).items() if v is not None}
        env["BOT_TOKEN"] = f"{bot_id}:{TEST_SECRET}"
        # v0.3 had no REDIS_KEY_PREFIX: its keys start with aiogram's "fsm", as the updated
        # bot's do by default. This bot's own id keeps them apart from any other's.
        env.pop("REDIS_KEY_PREFIX", None)

        def run(line: str, script: str | None = None) -> str:
            done = subprocess.run(
                as_user(line), cwd=project, env=env, input=script, capture_output=True, text=True
            )
            assert done.returncode == 0, f"{line} failed:\n{done.stdout}\n{done.stderr[-3000:]}"
            return done.stdout

        run("uv sync --quiet")
        if migrations:
            run(f"uv run python -m {PACKAGE} migrate")
        run("uv run python -", SEED_USERS)
        commit_all(project, "uv.lock, as the README says")
        succeeded(copier("update", "--defaults", "--trust", f"--vcs-ref={CURRENT}", cwd=project))
        assert not conflicted(project)
        run("uv sync --quiet")
        if migrations:  # the deploy step, before the bot starts
            run(f"uv run python -m {PACKAGE} migrate")
        try:
            said = run("uv run python -", CHECK_USERS)
        finally:
            if redis := env.get("REDIS_URL"):
                delete_redis_keys(redis, f"fsm:{bot_id}:*")
    assert "users of the v0.3 bot kept: 6 of 6" in said


@pytest.mark.any_answers
def test_documented_copy_command_yields_an_updatable_project(
    releases: TemplateRepository, tmp_path: Path
) -> None:
    """README's command from a clone with uncommitted changes: the project still updates."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = re.search(r'copier copy (.*?)"\$PWD" ', readme)
    assert documented, "README.md's scaffold command changed: update this test"
    options = documented.group(1).split()
    scratch = releases.path / "template" / "README.md.jinja"
    original = scratch.read_text(encoding="utf-8")
    scratch.write_text(original + "An uncommitted change.\n", encoding="utf-8")
    try:
        project = tmp_path / "bot"
        succeeded(copier("copy", *options, str(releases.path), str(project)))
    finally:
        scratch.write_text(original, encoding="utf-8")
    answers = recorded_answers(project)
    assert answers["_commit"] == CURRENT and answers["_src_path"] == str(releases.path)
    assert "An uncommitted change." not in (project / "README.md").read_text(encoding="utf-8")
    commit_all(project, "scaffold")
    succeeded(copier("update", "--defaults", cwd=project))
    assert git(project, "status", "--porcelain") == ""
