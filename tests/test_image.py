"""The Docker image starts on its own, as far as a machine without Docker can tell.

The rendered Dockerfile's steps are followed by hand in a scratch directory that stands for the
image's file system: its ENV, WORKDIR and COPY, and its RUN ``uv sync`` steps with the image's
environment, on this machine's system Python (the image's is the system Python of a Debian
image too). Then the image's command starts the bot as the image's user, with only the image's
environment and what ``docker run`` would add: a token, and a Telegram Bot API URL where nothing
listens. With a writable /data the bot creates its SQLite database there and then fails only on
Telegram; with a /data it cannot write, it says so in one line.

Needs root to start the bot as the image's user (``setpriv``); otherwise the bot runs as the
current user, whose uid the messages then name.
"""

from __future__ import annotations

import http.server
import json
import os
import re
import shlex
import shutil
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from conftest import render
from rendered import settings_example
from services import VENV_VARIABLES, free_port
from shipped import system_tool
from test_secrets import dockerfile_instructions, dockerignored

# Python as the image has it: not pyenv's, under /root, which the bot's user could not run.
SYSTEM_PYTHON = "/usr/bin/python3"
# The image's directories, which the scratch directory stands in for.
IMAGE_DIRS = ("/app", "/data")
TOKEN = "123456789:" + "A" * 35  # a token's shape; nothing is sent


@dataclass
class Image:
    """What following a Dockerfile left: the file system's stand-in and the run settings."""

    root: Path
    env: dict[str, str] = field(default_factory=dict)
    workdir: Path | None = None
    user: tuple[int, int] = (0, 0)
    volumes: list[str] = field(default_factory=list)
    command: list[str] = field(default_factory=list)
    health_check: list[str] = field(default_factory=list)

    def path(self, text: str) -> str:
        """``text`` with the image's directories moved into the scratch directory."""
        pattern = r"(?<![\w.-])(" + "|".join(map(re.escape, IMAGE_DIRS)) + r")\b"
        return re.sub(pattern, lambda match: f"{self.root}{match.group(1)}", text)


def system_python_version() -> str:
    """The major.minor version of ``SYSTEM_PYTHON``."""
    if not Path(SYSTEM_PYTHON).is_file():
        pytest.fail(f"{SYSTEM_PYTHON} is missing: install it (Debian: `apt-get install python3`)")
    script = "import sys; print('%d.%d' % sys.version_info[:2])"
    return subprocess.run(
        [SYSTEM_PYTHON, "-c", script], check=True, capture_output=True, text=True
    ).stdout.strip()


def build(project: Path, root: Path) -> Image:
    """Follow the steps of ``project``'s Dockerfile in ``root``; fail on one it cannot follow."""
    uv = system_tool("uv", "pip install uv")
    image = Image(root)
    # The base image's PATH holds /bin, where the Dockerfile puts uv.
    (root / "bin").mkdir(parents=True)
    image.env["PATH"] = f"{root / 'bin'}:{os.environ['PATH']}"
    ignore = [
        line.strip()
        for line in (project / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    for instruction, arguments in dockerfile_instructions(project / "Dockerfile"):
        words = shlex.split(arguments)
        if instruction == "FROM":
            version = re.fullmatch(r"python:(\d+\.\d+)-slim", words[0])
            assert version, f"a base image this test cannot stand in for: {words[0]}"
            assert version.group(1) == system_python_version(), (
                f"the image's Python is {version.group(1)}, {SYSTEM_PYTHON} is not: "
                "render the bot for the system Python"
            )
        elif instruction == "COPY" and words[0].startswith("--from="):
            assert "astral-sh/uv" in words[0] and words[1:] == ["/uv", "/bin/uv"], arguments
            (root / "bin" / "uv").symlink_to(uv)
        elif instruction == "COPY":
            assert image.workdir is not None
            *sources, destination = words
            target = image.workdir / destination
            copy(project, sources, target, ignore)
        elif instruction == "ENV":
            for word in words:
                name, value = word.split("=", 1)
                # Docker substitutes $NAME and ${NAME} from the environment so far.
                value = re.sub(r"\$\{?(\w+)\}?", lambda m: image.env.get(m.group(1), ""), value)
                image.env[name] = image.path(value)
        elif instruction == "WORKDIR":
            image.workdir = Path(image.path(arguments))
            image.workdir.mkdir(parents=True, exist_ok=True)
        elif instruction == "RUN" and "uv sync" in arguments:
            assert image.workdir is not None
            env = {k: v for k, v in os.environ.items() if k not in VENV_VARIABLES}
            # The image's only Python; UV_PYTHON_DOWNLOADS=never (its ENV) forbids others.
            env |= image.env | {"UV_PYTHON": SYSTEM_PYTHON}
            result = subprocess.run(
                ["sh", "-c", arguments],
                cwd=image.workdir,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
                check=False,
            )
            assert result.returncode == 0, f"RUN {arguments}:\n{result.stderr}"
        elif instruction == "RUN":
            # Adding the bot's user would change this machine: /data is made, and each test
            # gives it the owner and mode it needs.
            assert "useradd" in arguments and "mkdir /data" in arguments, arguments
            (root / "data").mkdir()
        elif instruction == "USER":
            uid, gid = arguments.split(":")
            image.user = (int(uid), int(gid))
        elif instruction == "VOLUME":
            image.volumes += words
        elif instruction == "CMD":
            image.command = json.loads(arguments)
        elif instruction == "HEALTHCHECK":
            check = re.fullmatch(r"(?:--[a-z-]+=\S+\s+)*CMD\s+(\[.*\])", arguments.strip())
            assert check, f"a HEALTHCHECK this test cannot follow: {arguments}"
            image.health_check = json.loads(check.group(1))
        else:
            assert instruction == "EXPOSE", f"a step this test cannot follow: {instruction}"
    return image


def copy(project: Path, sources: list[str], target: Path, ignore: list[str]) -> None:
    """COPY ``sources`` (globs allowed) of the build context to ``target``, as Docker would."""
    for source in sources:
        matches = sorted(project.glob(source))
        assert matches or "*" in source, f"COPY {source}: no such file in the build context"
        for match in matches:
            if match.is_dir():
                shutil.copytree(
                    match,
                    target,
                    dirs_exist_ok=True,
                    ignore=lambda folder, names: [
                        name
                        for name in names
                        if dockerignored(str((Path(folder) / name).relative_to(project)), ignore)
                    ],
                )
            else:
                shutil.copy2(match, target / match.name if len(sources) > 1 else target)


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A directory the image's user can read (pytest's own are private to root)."""
    path = Path(tempfile.mkdtemp(prefix="bot-image-"))
    path.chmod(0o755)
    yield path
    shutil.rmtree(path)


@pytest.fixture(scope="module")
def project(scratch: Path) -> Path:
    """A SQLite bot (the default answers) on the system Python's version."""
    return render(scratch / "project", python_version=system_python_version(), docker=True)


@pytest.fixture(scope="module")
def image(project: Path, scratch: Path) -> Image:
    """The image of a freshly rendered bot, without uv.lock."""
    assert not (project / "uv.lock").exists()
    return build(project, scratch / "image")


def run_as(image: Image) -> tuple[list[str], int]:
    """The prefix that starts a command as the image's user, and that user's uid."""
    if os.geteuid() != 0:
        return [], os.getuid()
    uid, gid = image.user
    setpriv = system_tool("setpriv", "apt-get install util-linux")
    return [setpriv, f"--reuid={uid}", f"--regid={gid}", "--clear-groups", "--"], uid


def data_directory(image: Image, *, writable: bool) -> Path:
    """The image's /data, emptied, owned by the image's user, writable by it or not."""
    data = Path(image.path("/data"))
    shutil.rmtree(data)
    data.mkdir(mode=0o755 if writable else 0o555)
    data.chmod(0o755 if writable else 0o555)
    if os.geteuid() == 0:
        os.chown(data, *image.user)
    return data


def start(image: Image, **env: str) -> subprocess.CompletedProcess[str]:
    """Start the image's command as ``docker run`` would: its user, its environment, ``env``."""
    prefix, _ = run_as(image)
    telegram = f"http://127.0.0.1:{free_port()}"
    settings = {"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": telegram} | env
    return subprocess.run(
        [*prefix, *image.command],
        cwd=image.workdir,
        env=image.env | settings,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The bot's one line of error: it exited with 1, without a traceback."""
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1, result.stderr
    return errors[0]


def sqlite_file(url: str) -> Path:
    """The file of a ``sqlite:///`` URL."""
    assert url.startswith("sqlite:///"), url
    return Path(url.removeprefix("sqlite:///"))


def test_image_keeps_the_database_in_a_volume(image: Image) -> None:
    assert "/data" in image.volumes
    database = sqlite_file(image.env["DATABASE_URL"])
    assert database.parent == Path(image.path("/data"))


def test_bot_creates_its_database_in_data_then_stops_on_telegram(image: Image) -> None:
    data = data_directory(image, writable=True)
    line = error_line(start(image))
    assert "TELEGRAM_API_URL=" in line
    database = sqlite_file(image.env["DATABASE_URL"])
    assert database.is_file()
    assert database.stat().st_uid == run_as(image)[1]
    print(f"{line} (and {sorted(p.name for p in data.iterdir())} in /data)")


def test_relative_database_url_of_env_example_lands_in_data(image: Image, project: Path) -> None:
    # `docker run --env-file .env`, with .env copied from .env.example: its relative URL.
    url = settings_example(project)["DATABASE_URL"]
    data = data_directory(image, writable=True)
    error_line(start(image, DATABASE_URL=url))
    assert (data / sqlite_file(url)).is_file()


def test_unwritable_data_is_named_with_what_to_do(image: Image) -> None:
    data = data_directory(image, writable=False)
    line = error_line(start(image))
    database, uid = sqlite_file(image.env["DATABASE_URL"]), run_as(image)[1]
    assert f"cannot create the SQLite database {database}" in line
    assert f"{data} is not writable by uid {uid}" in line
    assert "mount a writable volume" in line
    assert "DATABASE_URL" in line
    assert "cannot reach" not in line
    assert not database.exists()
    print(line)


class ReadyBot(http.server.BaseHTTPRequestHandler):
    """Answers as a ready bot does at ``/readyz`` (the rendered bot's tests ask a real one)."""

    def do_GET(self) -> None:  # noqa: N802  # http.server's name
        ready = self.path == "/readyz"
        self.send_response(200 if ready else 404)
        self.end_headers()
        self.wfile.write(b'{"status": "ready"}' if ready else b"")

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002
        pass


def test_health_check_asks_readyz_on_the_web_server_port(image: Image) -> None:
    """The image's HEALTHCHECK command, run as Docker runs it in the container."""
    assert image.health_check[:2] == ["python", "-m"], image.health_check
    prefix, _ = run_as(image)
    port = free_port()

    def check() -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [*prefix, *image.health_check],
            cwd=image.workdir,
            env=image.env | {"WEB_SERVER_PORT": str(port)},
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )

    nobody = check()
    assert nobody.returncode == 1, nobody.stderr
    assert "Connection refused" in nobody.stdout, nobody.stdout
    with http.server.ThreadingHTTPServer(("127.0.0.1", port), ReadyBot) as server:
        serving = threading.Thread(target=server.serve_forever, daemon=True)
        serving.start()
        ready = check()
        server.shutdown()
    assert ready.returncode == 0, ready.stdout + ready.stderr
    assert json.loads(ready.stdout) == {"status": "ready"}
    print(f"nothing listening: exit 1 ({nobody.stdout.strip()}); ready: exit 0")


def test_build_installs_exactly_a_committed_lock(project: Path, scratch: Path) -> None:
    locked = scratch / "locked"
    shutil.copytree(project, locked)
    uv = system_tool("uv", "pip install uv")
    env = {k: v for k, v in os.environ.items() if k not in VENV_VARIABLES}
    # From outside the project: pyenv's shim of uv would follow its .python-version.
    lock = [uv, "lock", "--quiet", "--python", SYSTEM_PYTHON, "--directory", str(locked)]
    subprocess.run(lock, cwd=scratch, env=env, check=True, timeout=300)
    build(locked, scratch / "image-locked")

    # A lock pyproject.toml has moved away from: the build must refuse it, not re-resolve.
    pyproject = locked / "pyproject.toml"
    text = pyproject.read_text()
    pyproject.write_text(text.replace("dependencies = [", 'dependencies = [\n    "six",', 1))
    assert pyproject.read_text() != text
    with pytest.raises(AssertionError, match="needs to be updated"):
        build(locked, scratch / "image-stale")
