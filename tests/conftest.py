"""Rendering the template with Copier's API, from this working tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import copier
import pytest

ROOT = Path(__file__).resolve().parents[1]


def render(destination: Path, **data: Any) -> Path:
    """Render the template (uncommitted changes included) with defaults for what ``data`` omits."""
    copier.run_copy(
        str(ROOT),
        destination,
        data=data,
        defaults=True,
        unsafe=False,  # the template must work without --trust
        vcs_ref="HEAD",
        quiet=True,
    )
    return destination


@pytest.fixture
def rendered(tmp_path: Path):  # noqa: ANN201
    """Render with the given answers into a fresh directory."""
    counter = iter(range(1000))

    def _render(**data: Any) -> Path:
        return render(tmp_path / f"bot{next(counter)}", **data)

    return _render
