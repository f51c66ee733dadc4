"""What a rendered project tells its users, read from its own files.

nox runs the commands of the project's README and checks its CI workflow against them, so the
README, the workflow and what is tested cannot drift apart.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

# Each setting in .env.example, by the service it points at when set.
SERVICE_SETTINGS = {"postgresql": "DATABASE_URL", "redis": "REDIS_URL", "mongo": "MONGO_URL"}


def readme_commands(project: Path, section: str = "Develop") -> list[list[str]]:
    """The commands of the first shell block in the README's ``## <section>``, comments cut."""
    readme = (project / "README.md").read_text(encoding="utf-8")
    match = re.search(rf"^## {section}\n.*?^```sh\n(.*?)^```", readme, re.MULTILINE | re.DOTALL)
    if match is None:
        raise LookupError(f"{project / 'README.md'} has no shell block under '## {section}'")
    lines = (line.split(" #", 1)[0].strip() for line in match.group(1).splitlines())
    return [shlex.split(line) for line in lines if line]


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
