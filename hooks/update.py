"""What ``copier update`` runs when a release renames a question or a choice, or moves a file.

``copier.yml`` lists them under ``_migrations``, each with the release that made the change, so
Copier runs only those between the project's release and the one it updates to. Copier runs them
in the project's directory with its own Python (``_copier_python``: Copier and PyYAML are
importable), and asks for ``--trust`` before it runs any.

Usage (the commands ``copier.yml`` gives)::

    python hooks/update.py rename-answer OLD NEW          # stage "before"
    python hooks/update.py rename-choice QUESTION OLD NEW  # stage "before"
    python hooks/update.py move-file OLD NEW               # stage "after"
    python hooks/update.py remove-file PATH                # stage "after"

Answers are renamed before Copier re-reads them (stage "before"), so the update asks nothing and
the new name keeps the old value. A moved file is carried after Copier has written the new one
(stage "after"): the user's changes to the old path, measured against the old release's render
of it, are merged into the new path the way Copier merges any other file (conflicts become
inline markers there).

A file a release removes is kept when the user changed it (stage "after"), with a line that says
so; Copier itself removes it whatever the user did.

Written here because Copier has no declarative rename or move: its documentation's answer is a
migration command, and this is that command, once, for every release.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ANSWERS_FILE = ".copier-answers.yml"
# The labels Copier gives the sides of a conflict, so that every conflict reads the same.
MERGE_LABELS = ("before updating", "last update", "after updating")


def say(message: str) -> None:
    """One line on stderr, where Copier prints its own progress."""
    print(f"template migration: {message}", file=sys.stderr)


def read_answers(path: Path) -> dict[str, Any]:
    answers = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    if not isinstance(answers, dict):
        raise SystemExit(f"error: {path} is not a mapping of answers: restore it from git")
    return answers


def write_answers(path: Path, answers: dict[str, Any]) -> None:
    # Copier rewrites the whole file, header included, at the end of the update.
    path.write_text(yaml.safe_dump(answers, sort_keys=False), encoding="utf-8")


def rename_answer(answers_file: Path, old: str, new: str) -> None:
    """Store the answer to question ``old`` under its new name ``new``."""
    answers = read_answers(answers_file)
    if old not in answers:
        return
    value = answers.pop(old)
    answers.setdefault(new, value)
    write_answers(answers_file, answers)
    say(f"question '{old}' is now '{new}'; kept your answer {value!r}")


def rename_choice(answers_file: Path, question: str, old: str, new: str) -> None:
    """Replace the answer ``old`` to ``question`` with the choice's new value ``new``."""
    answers = read_answers(answers_file)
    if answers.get(question) != old:
        return
    answers[question] = new
    write_answers(answers_file, answers)
    say(f"choice '{old}' of '{question}' is now '{new}'")


def git_show(revision: str, path: str) -> bytes | None:
    """The file at ``path`` (relative to the current directory) in ``revision``, if it is there."""
    shown = subprocess.run(
        ["git", "show", f"{revision}:./{path}"], capture_output=True, check=False
    )
    return shown.stdout if shown.returncode == 0 else None


def render_previous_release(answers: dict[str, Any], destination: Path) -> None:
    """Render the release the project was on, with its answers then, as Copier did for its diff."""
    import copier  # the migration runs with Copier's own Python

    copier.run_copy(
        answers["_src_path"],
        destination,
        data={name: value for name, value in answers.items() if not name.startswith("_")},
        vcs_ref=answers["_commit"],
        defaults=True,
        quiet=True,
        skip_tasks=True,
    )


def previous_render(answers_file: Path, path: str, scratch: Path) -> bytes:
    """``path`` as the release the project was on rendered it (empty if it did not)."""
    previous_answers = yaml.safe_load(git_show("HEAD", str(answers_file)) or b"{}")
    render_previous_release(previous_answers, scratch / "previous")
    rendered = scratch / "previous" / path
    return rendered.read_bytes() if rendered.exists() else b""


def remove_file(answers_file: Path, path: str) -> None:
    """Keep ``path``, which this release removed, if the user changed it.

    Runs after the update: Copier has removed the file whatever the user did to it.
    """
    mine = git_show("HEAD", path)
    if mine is None or Path(path).exists():
        return
    with tempfile.TemporaryDirectory(prefix="template-migration.") as scratch:
        if mine == previous_render(answers_file, path, Path(scratch)):
            return
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_bytes(mine)
    say(f"kept {path}: this release removed it, but you had changed it; delete it when unused")


def move_file(answers_file: Path, old: str, new: str) -> None:
    """Carry the user's changes to ``old`` (which this release moved) into ``new``.

    Runs after the update: Copier has removed ``old`` and written ``new`` from the new release.
    The project's last commit still holds ``old`` as the user left it.
    """
    mine = git_show("HEAD", old)
    if mine is None:  # the user had deleted it: nothing to carry
        return
    with tempfile.TemporaryDirectory(prefix="template-migration.") as scratch:
        base = previous_render(answers_file, old, Path(scratch))
        if mine == base:  # unchanged by the user: the new release's file stands as written
            say(f"{old} moved to {new}")
            return
        target = Path(new)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(mine)
            say(f"{old} moved to {new} with your changes")
            return
        # git merge-file writes the merge into its first file: the user's side.
        ours, base_file = Path(scratch, "ours"), Path(scratch, "base")
        ours.write_bytes(mine)
        base_file.write_bytes(base)
        labels = [arg for label in MERGE_LABELS for arg in ("-L", label)]
        merged = subprocess.run(
            ["git", "merge-file", *labels, str(ours), str(base_file), str(target)],
            check=False,
        )
        target.write_bytes(ours.read_bytes())
    if merged.returncode == 0:
        say(f"{old} moved to {new} with your changes")
    else:
        say(f"{old} moved to {new}: your changes conflict with the release's; resolve {new}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--answers-file", type=Path, default=Path(ANSWERS_FILE))
    commands = parser.add_subparsers(dest="command", required=True)
    answer = commands.add_parser("rename-answer", help="a question was renamed")
    answer.add_argument("old")
    answer.add_argument("new")
    choice = commands.add_parser("rename-choice", help="a choice's value was renamed")
    choice.add_argument("question")
    choice.add_argument("old")
    choice.add_argument("new")
    moved = commands.add_parser("move-file", help="a file was moved")
    moved.add_argument("old")
    moved.add_argument("new")
    removed = commands.add_parser("remove-file", help="a file was removed")
    removed.add_argument("path")
    args = parser.parse_args(argv)
    if args.command == "rename-answer":
        rename_answer(args.answers_file, args.old, args.new)
    elif args.command == "rename-choice":
        rename_choice(args.answers_file, args.question, args.old, args.new)
    elif args.command == "move-file":
        move_file(args.answers_file, args.old, args.new)
    else:
        remove_file(args.answers_file, args.path)


if __name__ == "__main__":
    main()
