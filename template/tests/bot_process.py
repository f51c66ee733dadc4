"""Bot processes for the tests, forked from a server that the test process forked.

A bot process that starts from a new interpreter spends seconds importing aiogram, which builds
hundreds of pydantic models; a test that starts three pays it three times. The test process
imports the bot anyway (``conftest.py``): right after, while it still runs one thread, it forks
a server (:func:`start_server`), and each bot process is forked from that server, with
everything imported. Each is a process of its own, with its own pid, memory, signals and exit
code, running the bot's ``__main__`` as ``python -m <package>`` does, and it starts in
milliseconds.

Not :mod:`multiprocessing`'s own ``forkserver``: its server is a new interpreter, which imports
aiogram a second time, seconds of CPU in every run of the suite. Not a fork of the test process
when a bot starts: by then it runs threads (aiosqlite's, pymongo's, the resolver's), and a fork
copies their locks in whatever state they are in. What a new interpreter alone checks stays
with the tests that run ``python -m <package>`` (``run_package`` in ``conftest.py``).
"""

import gc
import importlib
import logging
import multiprocessing
import os
import runpy
import signal
import sys
import threading
import time
from collections.abc import Iterable, Mapping
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path
from typing import Any, TextIO

_FORK = multiprocessing.get_context("fork")


class _Server:
    """The test process's end of the server's pipe; the tests call it from several threads."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection
        self._lock = threading.Lock()

    def ask(self, *request: object) -> Any:
        with self._lock:
            self._connection.send(request)
            return self._connection.recv()


_server: _Server | None = None


def start_server(modules: Iterable[str]) -> None:
    """Import ``modules`` into this process, then fork the server from it.

    Called while this process runs a single thread (at import, from ``conftest.py``). Later
    calls do nothing: the server lives until the tests end, then kills the bot processes still
    running.
    """
    global _server
    if _server is not None:
        return
    for module in modules:
        importlib.import_module(module)
    if threading.active_count() > 1:
        raise RuntimeError(
            "bot_process.start_server must run before any thread starts: "
            "a fork copies the other threads' locks in whatever state they are in"
        )
    # What this process holds now lives as long as it does: out of the collector's reach, so
    # that neither process's collections write to (and so copy) the pages they share.
    gc.freeze()
    tests_end, server_end = _FORK.Pipe()
    pid = os.fork()
    if pid == 0:  # the server: it never returns into the test process's code
        try:
            tests_end.close()  # so that the server sees the pipe close when the tests end
            _serve(server_end)
        finally:
            os._exit(0)
    server_end.close()
    _server = _Server(tests_end)


class Forked:
    """A bot process the server forked: its pid, signals and exit code."""

    def __init__(self, pid: int) -> None:
        self.pid = pid

    @property
    def exitcode(self) -> int | None:
        """``None`` while it runs; else its exit code, or minus the signal that ended it."""
        assert _server is not None
        code: int | None = _server.ask("exitcode", self.pid)
        return code

    def terminate(self) -> None:
        """Send SIGTERM."""
        self._signal(signal.SIGTERM)

    def kill(self) -> None:
        """Send SIGKILL."""
        self._signal(signal.SIGKILL)

    def join(self) -> None:
        """Wait until it has exited."""
        while self.exitcode is None:
            time.sleep(0.01)

    def _signal(self, signal_number: int) -> None:
        if self.exitcode is None:
            os.kill(self.pid, signal_number)


def start(package: str, env: Mapping[str, str], cwd: Path, log: Path) -> Forked:
    """Fork ``python -m <package>`` with ``env`` in ``cwd``, its output going to ``log``."""
    if _server is None:
        raise RuntimeError("bot_process.start_server was not called (conftest.py calls it)")
    return Forked(_server.ask("start", package, dict(env), str(cwd), str(log)))


def _serve(requests: Connection) -> None:
    """The server's loop: fork bot processes and tell their exit codes, one request at a time
    (so the server itself never runs a second thread). Once the tests end, kill the rest."""
    children: dict[int, BaseProcess] = {}
    try:
        while True:
            try:
                request = requests.recv()
            except EOFError:  # the test process exited
                return
            if request[0] == "start":
                package, env, cwd, log = request[1:]
                child = _FORK.Process(
                    target=_run_module,
                    args=(package, env, cwd, log),
                    name=f"{package} ({Path(log).name})",
                    daemon=True,
                )
                child.start()
                assert child.pid is not None
                children[child.pid] = child
                requests.send(child.pid)
            else:  # ("exitcode", pid)
                requests.send(children[request[1]].exitcode)
    finally:
        for running in children.values():
            if running.exitcode is None:
                running.kill()


def _run_module(package: str, env: dict[str, str], cwd: str, log: str) -> None:
    """In the forked process: what ``python -m <package>`` does, with these environment,
    working directory and output."""
    output = os.open(log, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    for descriptor in (1, 2):
        os.dup2(output, descriptor)
    os.close(output)
    # pytest's capture of the output was in place when the test process was forked: back to
    # streams on descriptors 1 and 2, which now write to the log, as a new interpreter has.
    # And no handler of pytest's on the root logger (it adds one while it collects), so that
    # the bot's `logging.basicConfig` adds its own. The warnings filters stay the tests': a
    # warning is an error in the bot processes too.
    sys.stdout, sys.stderr = _stream(1), _stream(2)
    for handler in logging.root.handlers[:]:
        logging.root.removeHandler(handler)
    os.environ.clear()
    os.environ.update(env)
    os.chdir(cwd)
    sys.argv = [package]
    runpy.run_module(package, run_name="__main__", alter_sys=True)


def _stream(descriptor: int) -> TextIO:
    """A line-buffered text stream on ``descriptor``, which it leaves open."""
    return open(descriptor, "w", buffering=1, errors="backslashreplace", closefd=False)
