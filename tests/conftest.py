"""Rendering the template with Copier's API, from this working tree."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import copier

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
