"""The layering contract every rendered bot checks (``uv run lint-imports``) holds and bites.

The e2e sessions run it in every combination, as the rendered README's checks; here it must
also break on each kind of import it exists to stop, planted in a rendered bot: a linter that
passes everything checks nothing. The bot with SQLAlchemy and migrations is the one whose
``migrations`` and ``databases`` once imported each other.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import render
from shipped import tool

# An import planted in a module of the package, and the contract it must break.
DEFECTS = {
    "a handler opens the backends": (
        "handlers/start.py",
        "from ..wiring import open_backends",
        "Handlers never import a backend",
    ),
    "a handler uses a driver": (
        "handlers/profile.py",
        "import sqlalchemy",
        "Handlers never import a backend",
    ),
    "a backend imports a handler": (
        "users/orm.py",
        "from ..handlers import start",
        "Only the dispatcher imports the handlers",
    ),
    "migrations import the databases back": (
        "migrations/run_alembic.py",
        "from ..databases import METADATA",
        "No import cycles",
    ),
}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return render(tmp_path_factory.mktemp("layering") / "bot", migrations=True)


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` in ``project``, its package importable from ``src`` (as after uv sync)."""
    return subprocess.run(
        [tool("lint-imports"), "--no-cache"],
        cwd=project,
        env={**os.environ, "PYTHONPATH": str(project / "src")},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_rendered_bot_keeps_its_contracts(project: Path) -> None:
    result = lint_imports(project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


@pytest.mark.parametrize("defect", sorted(DEFECTS))
def test_a_planted_import_breaks_its_contract(project: Path, tmp_path: Path, defect: str) -> None:
    module, line, contract = DEFECTS[defect]
    broken = shutil.copytree(project, tmp_path / "bot")
    path = broken / "src" / "my_bot" / module
    path.write_text(f"{line}\n{path.read_text(encoding='utf-8')}", encoding="utf-8")
    result = lint_imports(broken)
    assert result.returncode != 0, f"lint-imports kept every contract with `{line}` in {module}"
    assert f"{contract} BROKEN" in result.stdout, result.stdout
