"""Releases: git tags ``vX.Y.Z`` that PEP 440 reads, each with its changelog entry, and the
migrations Copier runs across them."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest
import yaml
from packaging.version import Version
from template_repo import PREVIOUS_RELEASE, ROOT, git, this_release

sys.path.insert(0, str(ROOT / "hooks"))
import update as hooks

CHANGELOG = (ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
RELEASES = re.findall(r"^## (v\S+)$", CHANGELOG, re.MULTILINE)


def test_changelog_lists_releases_newest_first_up_to_this_version() -> None:
    versions = [Version(tag) for tag in RELEASES]
    assert all(re.fullmatch(r"v\d+\.\d+\.\d+", tag) for tag in RELEASES), RELEASES
    assert versions == sorted(versions, reverse=True)
    assert versions[0] == Version(this_release())
    assert PREVIOUS_RELEASE[0] in RELEASES[1:]


def test_tags_are_releases() -> None:
    """Every tag this clone has is a release in the changelog; the previous one is its commit."""
    tags = git(ROOT, "tag", "--list").split()
    assert set(tags) <= set(RELEASES), (
        f"tags without a changelog entry: {set(tags) - set(RELEASES)}"
    )
    tag, commit = PREVIOUS_RELEASE
    if tag in tags:
        assert git(ROOT, "rev-parse", f"{tag}^{{commit}}").strip() == commit


def test_migrations_name_their_release_and_this_hook() -> None:
    config = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    for migration in config["_migrations"]:
        assert migration["version"] in RELEASES, migration
        assert "hooks/update.py" in " ".join(migration["command"]), migration


@pytest.fixture
def answers_file(tmp_path: Path) -> Path:
    path = tmp_path / ".copier-answers.yml"
    path.write_text("# header\n_commit: v1.0.0\nold: 1\nupdates: long_polling\n")
    return path


def test_rename_answer_keeps_the_value(answers_file: Path) -> None:
    hooks.rename_answer(answers_file, "old", "new")
    assert yaml.safe_load(answers_file.read_text()) == {
        "_commit": "v1.0.0",
        "new": 1,
        "updates": "long_polling",
    }
    hooks.rename_answer(answers_file, "old", "new")  # again: nothing to rename
    assert yaml.safe_load(answers_file.read_text())["new"] == 1


def test_rename_choice_only_changes_that_value(answers_file: Path) -> None:
    hooks.rename_choice(answers_file, "updates", "webhooks", "webhook")
    assert yaml.safe_load(answers_file.read_text())["updates"] == "long_polling"
    hooks.rename_choice(answers_file, "updates", "long_polling", "polling")
    assert yaml.safe_load(answers_file.read_text())["updates"] == "polling"


def test_a_broken_answers_file_is_a_one_line_error(answers_file: Path) -> None:
    answers_file.write_text("- not\n- a mapping\n")
    with pytest.raises(SystemExit, match="is not a mapping of answers: restore it from git"):
        hooks.rename_answer(answers_file, "old", "new")
