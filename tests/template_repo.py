"""Throwaway git repositories of this template with tagged releases, for the update tests.

``copier update`` finds a project's template again by its URL and release tag, and renders the
old release to tell the user's changes from the template's. So the tests build a real git
repository of the template with real tags: this repository's previous release and the working
tree, or an older layout made from the working tree the way a real release differs.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import tarfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

# This repository's previous release: the commit its tag names, so the tests find it even in
# a clone that did not fetch tags.
PREVIOUS_RELEASE = ("v0.4.0", "384f76cd9ef8d5df39cc6c44b646077082207dd5")
# The release before the user record grew (v0.6.0), whose bots' databases updates must keep.
V0_3_RELEASE = ("v0.3.1", "aca7c0747422d2dc50a563b4e17234eae881766e")


def this_release() -> str:
    """The release the working tree is: ``v`` and pyproject.toml's version."""
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    version = re.search(r'^version = "(.+)"$', pyproject, re.MULTILINE)
    if version is None:
        raise LookupError("pyproject.toml has no version")
    return f"v{version.group(1)}"


GIT_IDENTITY = ("-c", "user.name=Template Tests", "-c", "user.email=tests@example.com")


def git(cwd: Path, *args: str) -> str:
    """Run git in ``cwd`` and return its output; a failure says what git said."""
    done = subprocess.run(
        ["git", *GIT_IDENTITY, *args], cwd=cwd, capture_output=True, text=True, check=False
    )
    if done.returncode:
        raise RuntimeError(f"git {' '.join(args)} failed in {cwd}: {done.stderr.strip()}")
    return done.stdout


def commit_all(repository: Path, message: str) -> None:
    """Stage everything in ``repository`` (created if needed) and commit it."""
    if not (repository / ".git").exists():
        git(repository, "init", "--quiet", "--initial-branch=main")
    git(repository, "add", "--all")
    git(repository, "commit", "--quiet", "--allow-empty", "-m", message)


def export_working_tree(destination: Path) -> None:
    """This repository's files as they are now: committed or not, but not git-ignored ones."""
    listed = git(ROOT, "ls-files", "--cached", "--others", "--exclude-standard", "-z")
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():  # deleted but not yet committed: listed, absent
            (destination / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, destination / name)


def export_commit(commit: str, destination: Path) -> None:
    """This repository's files at ``commit``."""
    archive = subprocess.run(
        ["git", "archive", "--format=tar", commit], cwd=ROOT, capture_output=True, check=False
    )
    if archive.returncode:
        message = archive.stderr.decode().strip()
        raise RuntimeError(f"commit {commit} is not in this clone ({message}): fetch its history")
    with tarfile.open(fileobj=io.BytesIO(archive.stdout)) as tar:
        tar.extractall(destination, filter="data")


class TemplateRepository:
    """A git repository of the template whose commits are releases, each tagged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True)

    def release(self, tag: str, fill: Callable[[Path], None]) -> None:
        """Replace the files with what ``fill`` puts there, commit and tag them as ``tag``."""
        for child in self.path.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
        fill(self.path)
        commit_all(self.path, f"release {tag}")
        git(self.path, "tag", tag)


def replace_in(path: Path, old: str, new: str) -> None:
    """Replace ``old`` in the file; fail if it is not there (the template changed shape)."""
    text = path.read_text(encoding="utf-8")
    if old not in text:
        raise AssertionError(f"{path} no longer contains {old!r}: update the test's layout")
    path.write_text(text.replace(old, new), encoding="utf-8")


def rename_in_tree(tree: Path, old: str, new: str) -> None:
    """Replace ``old`` in every file and file name under ``template/``; it must occur."""
    found = False
    for path in sorted((tree / "template").rglob("*"), key=lambda p: -len(p.parts)):
        if path.is_file() and old in (text := path.read_text(encoding="utf-8")):
            path.write_text(text.replace(old, new), encoding="utf-8")
            found = True
        if old in path.name:
            path.rename(path.with_name(path.name.replace(old, new)))
            found = True
    if not found:
        raise AssertionError(f"template/ no longer contains {old!r}: update the test's layout")
