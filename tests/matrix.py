"""The combinations of answers the template is tested with, read from copier.yml itself.

Walking the questions that change code, in copier.yml's order, with copier.yml's own
``choices``, ``when`` and ``validator``: a new choice is tested without editing this file or
the noxfile. A combination a validator refuses is kept too, with the refusal, so the tests can
check that Copier refuses it with that message.
"""

from __future__ import annotations

import itertools
import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from jinja2 import FileSystemLoader, StrictUndefined
from jinja2.sandbox import SandboxedEnvironment

ROOT = Path(__file__).resolve().parents[1]

# The questions whose answers change the rendered code; the matrix is their product.
CODE_QUESTIONS = ("fsm_storage", "user_data", "database", "migrations", "updates")

# Copier's own environment has Ansible's filters (package_name's default uses regex_replace).
# Its templates' includes are found from the repository's root, as Copier finds them.
_jinja = SandboxedEnvironment(
    loader=FileSystemLoader(ROOT),
    undefined=StrictUndefined,
    extensions=["jinja2_ansible_filters.AnsibleCoreFiltersExtension"],
)


@cache
def load_questions() -> dict[str, dict[str, Any]]:
    """Return copier.yml's questions (not its `_settings`), in file order; read once."""
    config = yaml.safe_load((ROOT / "copier.yml").read_text(encoding="utf-8"))
    return {name: spec for name, spec in config.items() if not name.startswith("_")}


@cache
def _compiled(source: str) -> Any:
    # Compiled once per text: every nox session loads the noxfile, which derives the values of
    # all 82 combinations (compiling each default anew took 3 of the load's 3.3 s).
    return _jinja.from_string(source)


def _render(template: Any, answers: dict[str, Any]) -> str:
    return str(_compiled(str(template)).render(answers)).strip()


def _truthy(template: Any, answers: dict[str, Any]) -> bool:
    if isinstance(template, bool):
        return template
    return _render(template, answers).lower() not in ("", "false", "0", "no", "none")


def _choices(spec: dict[str, Any]) -> list[Any]:
    if spec.get("type") == "bool":
        return [False, True]
    choices = spec["choices"]
    return list(choices.values()) if isinstance(choices, dict) else list(choices)


@dataclass(frozen=True)
class Combination:
    """Answers to the code questions; ``refusal`` is a validator's message, if any, and
    ``refused_question`` the question whose validator refused."""

    answers: tuple[tuple[str, Any], ...]
    refusal: str = ""
    refused_question: str = ""

    @property
    def data(self) -> dict[str, Any]:
        """The answers as Copier's ``data``."""
        return dict(self.answers)

    @property
    def id(self) -> str:
        """A readable name, e.g. ``fsm_storage='redis', user_data='none', updates='polling'``."""
        return ", ".join(f"{name}={value!r}" for name, value in self.answers)


def ask(answers: dict[str, Any]) -> Combination:
    """The code questions asked the way Copier would, with ``answers`` given (defaults for the
    rest): the answers recorded, and the first validator's refusal, if any."""
    questions = load_questions()
    known: dict[str, Any] = {}
    asked: list[tuple[str, Any]] = []
    refusal = refused_question = ""
    for name in CODE_QUESTIONS:
        spec = questions[name]
        default = _render(spec.get("default", ""), known)
        if not _truthy(spec.get("when", True), known):
            # Not asked: Copier uses the default, and the answer is not recorded.
            known[name] = default
            continue
        known[name] = answers.get(name, default)
        asked.append((name, known[name]))
        if not refusal and (message := _render(spec.get("validator", ""), known)):
            refusal, refused_question = message, name
    return Combination(tuple(asked), refusal, refused_question)


def derived(answers: dict[str, Any]) -> dict[str, Any]:
    """Every question's value for ``answers``, defaults and copier.yml's derived values
    (``when: false``) included, typed as Copier types them."""
    known: dict[str, Any] = {}
    for name, spec in load_questions().items():
        if name in answers:
            known[name] = answers[name]
            continue
        default = spec.get("default", "")
        # A multiselect's default is a list (languages), not a template.
        value: Any = _render(default, known) if isinstance(default, str) else default
        if spec.get("type") == "bool":
            value = _truthy(value, {})
        elif spec.get("type") == "yaml":
            value = yaml.safe_load(value)
        known[name] = value
    return known


def holds(condition: str, values: dict[str, Any]) -> bool:
    """Whether ``condition``, a Jinja expression such as ``migrations and webhook``, is true of
    ``values`` (those :func:`derived` returns)."""
    return bool(_jinja.compile_expression(condition, undefined_to_none=False)(**values))


def service_facts(package_name: str = "my_bot") -> dict[str, dict[str, Any]]:
    """The servers' facts (includes/services.jinja), as the templates read them."""
    template = _jinja.from_string(
        '{% from "includes/services.jinja" import SERVICES with context %}{{ SERVICES | tojson }}'
    )
    return json.loads(template.render(package_name=package_name))


def combinations() -> list[Combination]:
    """Every combination of the code questions' answers, asked the way Copier would ask."""
    questions = load_questions()
    found: dict[tuple[tuple[str, Any], ...], Combination] = {}
    for values in itertools.product(*(_choices(questions[name]) for name in CODE_QUESTIONS)):
        combination = ask(dict(zip(CODE_QUESTIONS, values, strict=True)))
        found.setdefault(combination.answers, combination)
    return list(found.values())


def all_languages(index: int) -> dict[str, Any]:
    """Answers that render every language copier.yml offers, with the ``index``-th (wrapping
    around) as the fallback: every session tests every catalogue, and the sessions of the
    matrix take turns at each fallback. Languages add catalogues, not code (no combination)."""
    codes = _choices(load_questions()["languages"])
    return {"languages": codes, "fallback_language": codes[index % len(codes)]}


def valid_combinations() -> list[Combination]:
    """The combinations Copier accepts: each is rendered and tested end to end."""
    return [combination for combination in combinations() if not combination.refusal]


def refused_combinations() -> list[Combination]:
    """The combinations a validator refuses."""
    return [combination for combination in combinations() if combination.refusal]


if __name__ == "__main__":
    for combination in combinations():
        print(combination.id, "->", combination.refusal or "ok")
