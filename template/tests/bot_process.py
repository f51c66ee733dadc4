"""Bot processes for the tests, forked from a server that imported the bot once.

A bot process that starts from a new interpreter spends seconds importing aiogram, which builds
hundreds of pydantic models; a test that starts three pays it three times. Python's own
``forkserver`` (:mod:`multiprocessing`) does this work once: a server process, started from a
new interpreter, imports the bot's modules, and each bot process is forked from it. Each is a
process of its own, with its own pid, memory, signals and exit code, running the bot's
``__main__`` as ``python -m <package>`` does, and it starts in milliseconds.

What a new interpreter alone checks stays with the tests that run ``python -m <package>``
(``run_package`` in ``conftest.py``).
"""

import multiprocessing
import os
import runpy
import sys
from collections.abc import Iterable, Mapping
from multiprocessing import forkserver
from multiprocessing.context import ForkServerProcess
from pathlib import Path

_CONTEXT = multiprocessing.get_context("forkserver")


def start_server(modules: Iterable[str]) -> None:
    """Start the server, which imports ``modules`` now; it does not wait for the import.

    The bot processes started before the import is over wait for it. Later calls do nothing:
    the server lives until the tests end.
    """
    _CONTEXT.set_forkserver_preload([__name__, *modules])
    forkserver.ensure_running()


def start(package: str, env: Mapping[str, str], cwd: Path, log: Path) -> ForkServerProcess:
    """Fork ``python -m <package>`` with ``env`` in ``cwd``, its output going to ``log``.

    Blocks until the process is forked: at the first call, until the server's import is over.
    """
    process = _CONTEXT.Process(
        target=_run_module,
        args=(package, dict(env), str(cwd), str(log)),
        name=f"{package} ({log.name})",
        daemon=True,  # killed when the tests end, should a test leave one running
    )
    process.start()
    return process


def _run_module(package: str, env: dict[str, str], cwd: str, log: str) -> None:
    """In the forked process: what ``python -m <package>`` does, with these environment,
    working directory and output."""
    output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for stream in (sys.stdout, sys.stderr):
        stream.flush()
        os.dup2(output, stream.fileno())
    os.close(output)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.argv = [package]
    runpy.run_module(package, run_name="__main__", alter_sys=True)
