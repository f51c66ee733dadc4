"""What a rendered project tells its users, read from its own files.

nox runs the commands of the project's README and checks its CI workflow against them, so the
README, the workflow and what is tested cannot drift apart.
"""

from __future__ import annotations

import fcntl
import os
import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

# Each setting in .env.example, by the service it points at when set.
SERVICE_SETTINGS = {"postgresql": "DATABASE_URL", "redis": "REDIS_URL", "mongo": "MONGO_URL"}


def readme_lines(readme: Path, section: str = "Develop") -> list[str]:
    """The lines of the first shell block in the README's ``## <section>``, comments cut."""
    text = readme.read_text(encoding="utf-8")
    match = re.search(rf"^## {section}\n.*?^```sh\n(.*?)^```", text, re.MULTILINE | re.DOTALL)
    if match is None:
        raise LookupError(f"{readme} has no shell block under '## {section}'")
    lines = (line.split(" #", 1)[0].strip() for line in match.group(1).splitlines())
    return [line for line in lines if line]


def readme_commands(project: Path, section: str = "Develop") -> list[list[str]]:
    """The commands of the project's README's ``## <section>``, each split into arguments."""
    return [shlex.split(line) for line in readme_lines(project / "README.md", section)]


def user_path(path: str | None = None) -> str:
    """``PATH`` as the user's shell has it, without what was put in front of it to run nox.

    ``uvx nox`` starts through pyenv's shim, which puts its Python's ``bin`` (holding the uv
    that pip installed there) and its own directories first; uvx adds nox's environment, nox
    the session's. A user's shell has none of them, and in a project whose ``.python-version``
    names another Python, pyenv's shim for ``uv`` fails: the README's commands must work there.
    """
    pyenv = Path(os.environ.get("PYENV_ROOT", Path.home() / ".pyenv"))
    added = [pyenv / "versions", pyenv / "libexec", pyenv / "plugins", Path.home() / ".cache"]
    kept = [pyenv / "plugins" / "pyenv-virtualenv" / "shims"]
    entries = (path if path is not None else os.environ["PATH"]).split(os.pathsep)

    def users(entry: Path) -> bool:
        if entry in kept:
            return True
        return ".nox" not in entry.parts and not any(map(entry.is_relative_to, added))

    return os.pathsep.join(entry for entry in entries if users(Path(entry)))


def settings_example(project: Path) -> dict[str, str]:
    """The settings of the project's ``.env.example``, by name."""
    example = (project / ".env.example").read_text(encoding="utf-8")
    pairs = (line.split("=", 1) for line in example.splitlines() if "=" in line)
    return {name.strip(): value.strip() for name, value in pairs if not name.startswith("#")}


def needed_services(project: Path) -> set[str]:
    """The services the project's settings point at (a SQLite DATABASE_URL needs none)."""
    settings = settings_example(project)
    needed = {service for service, name in SERVICE_SETTINGS.items() if name in settings}
    if not settings.get("DATABASE_URL", "").startswith("postgres"):
        needed.discard("postgresql")
    return needed


# The README's `pip install uv` lines of sessions running side by side take turns: two pips
# installing into one Python at once can leave it broken. So does whatever else changes or
# copies this machine's Pythons (the readme sessions).
PIP_LOCK = Path(__file__).resolve().parents[1] / ".nox" / "pip.lock"


@contextmanager
def pythons_locked() -> Iterator[None]:
    """Hold the lock the `pip` lines of :func:`as_user` take (``flock``, on the same file)."""
    PIP_LOCK.parent.mkdir(exist_ok=True)
    with PIP_LOCK.open("a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield


# What pyenv's `exec` (which runs `uvx nox`) and uvx export to the programs they run; a user's
# shell has none of them (PYENV_VERSION would make every shim ignore .python-version). Nor has
# it PYTHONDONTWRITEBYTECODE, which this project's machines set: with it, each bot process a
# suite starts compiled aiogram's modules afresh (5 of a suite's 45 s here).
RUNNER_VARIABLES = (
    "PYENV_VERSION",
    "PYENV_DIR",
    "PYENV_HOOK_PATH",
    "_PYENV_INSTALL_PREFIX",
    "UV",
    "PYTHONDONTWRITEBYTECODE",
)


def as_user(line: str, path: str | None = None) -> list[str]:
    """The command that runs a README line as the user types it: in bash, with their PATH
    (``path``, or the one this process was started from) and none of nox's runners' variables.
    The user's own Pythons (their PATH unchanged) take turns at ``pip`` lines."""
    unset = [f"--unset={name}" for name in RUNNER_VARIABLES]
    shell = ["env", *unset, f"PATH={path or user_path()}", "bash", "-c", line]
    # A line that goes on past pip (README.md's first command runs a whole test suite) would
    # hold the others for its whole run: the readme sessions run first, before any other.
    if path or not line.startswith("pip ") or "&&" in line:
        return shell
    PIP_LOCK.parent.mkdir(exist_ok=True)
    return ["flock", str(PIP_LOCK), *shell]
