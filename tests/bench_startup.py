"""Start-up benchmark, run inside a rendered project (``uvx nox -s benchmark -- startup``).

Starts the bot as its users do (``python -m <package>``) against the project's own fake Bot API
(``tests/fake_telegram.py``) and times it from the process's start to the first ``getUpdates``
(polling) or, for a webhook bot, to its web server accepting connections. Beside it, in the same
run: a bare interpreter (``python -c pass``) and ``import aiogram``, the floor every bot pays
before any of its own code runs. Each figure is the median of ``RUNS`` starts, first with the
bytecode the earlier starts left, then as a production image starts without it when the install
compiled none (``PYTHONDONTWRITEBYTECODE=1`` and no ``__pycache__``), which is what
``UV_COMPILE_BYTECODE`` would save.

Usage: ``uv run python .../bench_startup.py PACKAGE RESULT_JSON`` in the project, with its
settings in the environment.
"""

from __future__ import annotations

import asyncio
import compileall
import json
import os
import shutil
import socket
import statistics
import sys
import sysconfig
import time
from pathlib import Path

sys.path.insert(0, str(Path.cwd() / "tests"))
from fake_telegram import FakeTelegram  # the rendered project's

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
TOKEN = "123456789:" + "B" * 35  # a token's shape, for the fake only
TIMEOUT = 120.0
EXIT = (sys.executable, "-c", "import os; os._exit(0)")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def listening(port: int) -> bool:
    try:
        _, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        return False
    writer.close()
    await writer.wait_closed()
    return True


async def timed_command(*args: str, env: dict[str, str]) -> float:
    """Seconds a short command takes, start to exit."""
    start = time.perf_counter()
    process = await asyncio.create_subprocess_exec(*args, env=env)
    if await process.wait() != 0:
        raise RuntimeError(f"{args} failed")
    return time.perf_counter() - start


async def bot_start(package: str, env: dict[str, str]) -> float:
    """Seconds from starting the bot to its first ``getUpdates`` (or listening webhook)."""
    async with FakeTelegram(TOKEN) as fake:
        env = env | {"BOT_TOKEN": TOKEN, "TELEGRAM_API_URL": fake.url}
        port = free_port()
        webhook = "WEBHOOK_URL" in env
        if webhook:
            env |= {"WEB_SERVER_HOST": "127.0.0.1", "WEB_SERVER_PORT": str(port)}
        start = time.perf_counter()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", package, env=env, stdout=asyncio.subprocess.DEVNULL
        )
        try:
            while not (await listening(port) if webhook else bool(fake.calls_to("getUpdates"))):
                if process.returncode is not None or time.perf_counter() - start > TIMEOUT:
                    raise RuntimeError(f"the bot did not start (exit code {process.returncode})")
                await asyncio.sleep(0.01)
            return time.perf_counter() - start
        finally:
            process.kill()
            await process.wait()


def drop_bytecode() -> None:
    """Remove the environment's and the project's ``__pycache__`` directories."""
    for root in {sysconfig.get_paths()["purelib"], "src"}:
        for cache in Path(root).rglob("__pycache__"):
            shutil.rmtree(cache, ignore_errors=True)


async def measure(package: str, env: dict[str, str]) -> dict[str, float]:
    """The medians of ``RUNS`` starts of a bare interpreter, aiogram's import and the bot, and
    of the bot's own share: each run's bot start less that run's import (paired, as the
    machine's pace drifts between runs)."""
    figures: dict[str, list[float]] = {"python": [], "import aiogram": [], "bot": []}
    for _ in range(RUNS):
        # os._exit: timed to the import's end, without the interpreter's tear-down of
        # aiogram's models (tenths of a second), which the bot's figure does not include.
        figures["python"].append(await timed_command(*EXIT, env=env))
        figures["import aiogram"].append(
            await timed_command(sys.executable, "-c", "import aiogram, os; os._exit(0)", env=env)
        )
        figures["bot"].append(await bot_start(package, env))
    pairs = zip(figures["bot"], figures["import aiogram"], strict=True)
    own = statistics.median(bot - imported for bot, imported in pairs)
    return {what: statistics.median(times) for what, times in figures.items()} | {"own": own}


async def main() -> None:
    package, result = sys.argv[1], Path(sys.argv[2])
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    await timed_command(sys.executable, "-c", f"import {package}.cli, aiogram", env=env)
    with_bytecode = await measure(package, env)
    drop_bytecode()
    without = await measure(package, env | {"PYTHONDONTWRITEBYTECODE": "1"})
    # Leave the environment compiled, as uv's compile-bytecode would.
    for root in (sysconfig.get_paths()["purelib"], "src"):
        compileall.compile_dir(root, quiet=2)
    figures = {"with bytecode": with_bytecode, "without bytecode": without}
    result.write_text(json.dumps(figures), encoding="utf-8")
    for condition, times in figures.items():
        ours = times["own"]
        print(
            f"{condition:>16}: bot {times['bot']:5.2f} s = python {times['python']:4.2f} s"
            f" + aiogram's import {times['import aiogram'] - times['python']:4.2f} s"
            f" + the bot's own {ours:4.2f} s"
        )


if __name__ == "__main__":
    asyncio.run(main())
