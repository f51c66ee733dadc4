"""The servers' facts (includes/services.jinja) against everything else that names a server.

The rendered compose file and CI workflow read the facts; this repository's own workflow and
the test harness cannot (GitHub reads matrix.yml as it is), so they are checked against them
here. A backend added to copier.yml without its server's facts fails here too.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import yaml
from matrix import derived, load_questions, service_facts, valid_combinations
from rendered import SERVICE_SETTINGS

ROOT = Path(__file__).resolve().parents[1]
FACTS = service_facts()


def test_every_server_a_combination_needs_has_facts_and_no_other() -> None:
    needed = {name for c in valid_combinations() for name in derived(c.data)["services"]}
    assert needed == set(FACTS)


def test_the_harness_names_each_server_by_its_setting() -> None:
    assert {name: facts["setting"] for name, facts in FACTS.items()} == SERVICE_SETTINGS


def test_this_repositorys_workflow_runs_the_same_servers() -> None:
    workflow = yaml.safe_load((ROOT / ".github/workflows/matrix.yml").read_text())
    services = workflow["jobs"]["nox"]["services"]
    assert set(services) == set(FACTS)
    for name, facts in FACTS.items():
        service = services[name]
        # The same image, perhaps another version (PostgreSQL: not newer than the runner's
        # pg_dump), the same port and the same health check.
        assert service["image"].partition(":")[0] == facts["image"].partition(":")[0], name
        assert service["ports"] == [f"{facts['port']}:{facts['port']}"], name
        options = shlex.split(service["options"])
        assert options[options.index("--health-cmd") + 1] == facts["health"], name


def test_each_server_has_its_files() -> None:
    """What a server needs beside its facts (docs/adding-a-backend.md lists them)."""
    for name, facts in FACTS.items():
        setting = facts["setting"]
        fields = (ROOT / f"includes/settings/database_fields/{name}.py").read_text()
        assert f"    {setting.lower()}: " in fields, f"settings.py has no {setting}"
        validators = (ROOT / f"includes/settings/database_validators/{name}.py").read_text()
        assert f'@field_validator("{setting.lower()}")' in validators, name
        assert f'"{name}": ' in (ROOT / "includes/pyproject/dependencies.jinja").read_text()
        assert setting in (ROOT / f"includes/env/{name}.env").read_text(), name
        assert setting in (ROOT / f"includes/readme/configure/{name}.md").read_text(), name
        assert list((ROOT / "template/tests/servers").glob(f"*%}}{name}.py{{% endif %}}*")), name


def test_every_choice_of_a_backend_is_tested() -> None:
    """Each storage and user-data backend is in some combination that the matrix runs."""
    questions = load_questions()
    for question in ("fsm_storage", "user_data", "database"):
        chosen = {c.data.get(question) for c in valid_combinations()}
        assert set(questions[question]["choices"].values()) <= chosen, question
