"""Health and metrics endpoints, for Docker, orchestrators and Prometheus.

- ``/healthz``: the bot is alive: its event loop answers, and it still fetches updates (polling)
  or serves requests (webhook). A failing one is to be restarted.
- ``/readyz``: the bot takes updates: it finished starting (polling began, or Telegram has its
  webhook), it is not stopping, and each backend answers within :data:`PROBE_SECONDS`. A failing
  one is to get no traffic, and is not to be restarted: it recovers with its backends.
- ``/metrics``: ``metrics.py``'s figures, in Prometheus's text format.

A webhook bot serves them on the web server Telegram posts to; a polling bot runs a web server
for them alone, on the same settings (``WEB_SERVER_HOST``, ``WEB_SERVER_PORT``).
"""

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import StorageKey
from aiohttp import web
from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

from .handling import listen
from .wiring import Backends

# Seconds each backend has to answer a readiness probe; Docker's check waits longer (Dockerfile).
PROBE_SECONDS = 2.0
# The user id the probes read: none of Telegram's (ids start at 1), so no user's data.
PROBE_USER = 0


class Health:
    """What the endpoints report; the transport (``polling.py``, ``webhook.py``) keeps it.

    ``probe_seconds`` is how long each backend has to answer a readiness probe.
    """

    def __init__(
        self, backends: Backends, bot_id: int, probe_seconds: float = PROBE_SECONDS
    ) -> None:
        self.backends = backends
        self.bot_id = bot_id
        self.probe_seconds = probe_seconds
        self.started = False
        """Whether updates reach the bot: polling began, or Telegram has the webhook."""
        self.alive: Callable[[], bool] = lambda: True
        """Whether the bot still fetches or serves updates."""
        self._stop = asyncio.Event()

    def watch(self, stop: asyncio.Event) -> None:
        """Report not ready as soon as ``stop`` is set: the bot is draining."""
        self._stop = stop

    def add_routes(self, app: web.Application) -> None:
        """Serve the endpoints on ``app``."""
        app.router.add_get("/healthz", self.healthz)
        app.router.add_get("/readyz", self.readyz)
        app.router.add_get("/metrics", self.metrics)

    @asynccontextmanager
    async def serving(self, host: str, port: int) -> AsyncIterator[None]:
        """Serve the endpoints on a web server of their own (polling) during the block."""
        app = web.Application()
        self.add_routes(app)
        runner = web.AppRunner(app, access_log=None)  # a check every few seconds: no log line
        await runner.setup()
        try:
            await listen(runner, host, port)
            yield
        finally:
            await runner.cleanup()

    async def healthz(self, request: web.Request) -> web.Response:
        """200 while the bot fetches or serves updates, else 503."""
        if not self.alive():
            return web.json_response({"status": "dead"}, status=503)
        return web.json_response({"status": "alive"})

    async def readyz(self, request: web.Request) -> web.Response:
        """200 when the bot takes updates and its backends answer; else 503 and the problems."""
        problems = await self.problems()
        if problems:
            return web.json_response({"status": "not ready", "problems": problems}, status=503)
        return web.json_response({"status": "ready"})

    async def problems(self) -> list[str]:
        """Why the bot is not ready, if it is not: one short line each, never a secret."""
        if self._stop.is_set():
            return ["stopping"]
        found = [] if self.started else ["starting"]
        key = StorageKey(bot_id=self.bot_id, chat_id=PROBE_USER, user_id=PROBE_USER)
        probes = {
            "fsm storage": self.backends.storage.get_state(key),
            "user data": self.backends.users.get_user(PROBE_USER),
        }
        results = await asyncio.gather(
            *(_within_time(probe, self.probe_seconds) for probe in probes.values())
        )
        # The error's type only: a driver's message may name hosts, which the endpoint,
        # unauthenticated, should not show.
        found += [f"{name}: {error}" for name, error in zip(probes, results, strict=True) if error]
        return found

    async def metrics(self, request: web.Request) -> web.Response:
        """The metrics, in Prometheus's text format."""
        return web.Response(body=generate_latest(), headers={"Content-Type": CONTENT_TYPE_LATEST})


async def _within_time(probe: Awaitable[object], seconds: float) -> str | None:
    """Await ``probe``; the type of what it raised, "timeout", or ``None`` if it answered."""
    try:
        await asyncio.wait_for(probe, seconds)
    except Exception as error:  # whatever the driver raises: the backend does not answer
        # asyncio's TimeoutError is the builtin one from Python 3.11 on.
        timed_out = isinstance(error, TimeoutError | asyncio.TimeoutError)
        return "timeout" if timed_out else type(error).__name__
    return None
