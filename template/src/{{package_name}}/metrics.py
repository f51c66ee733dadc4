"""Prometheus metrics of what the bot does, served at ``/metrics`` (``health.py``).

prometheus-client keeps them in its default registry, with the process's own (memory, CPU,
open files). Each process of the bot has its own figures: Prometheus scrapes every process and
adds them up (README, "Health and metrics").
"""

import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from typing import Any

from aiogram import BaseMiddleware, Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType
from aiogram.types import ErrorEvent, TelegramObject
from prometheus_client import Counter, Gauge, Histogram

UPDATES = Counter(
    "bot_updates",
    "Updates the dispatcher took, by type and outcome: handled, unhandled (no handler "
    "matched), retried (a backend was unavailable; tried again) or failed",
    ["type", "outcome"],
)
HANDLER_SECONDS = Histogram(
    "bot_handler_duration_seconds",
    "Seconds from taking an update to its end: the wait for the user's lock, the middlewares "
    "and the handler (and the error handler's answer), by update type",
    ["type"],
)
API_REQUESTS = Counter(
    "bot_api_requests",
    "Bot API requests, by method and result: ok, or the error aiogram raised "
    "(TelegramRetryAfter is a 429)",
    ["method", "result"],
)
API_RETRIES = Counter(
    "bot_api_retries",
    "Bot API requests sent again after Telegram's flood control (429) asked to wait",
    ["method"],
)
LOCK_WAIT_SECONDS = Histogram(
    "bot_user_lock_wait_seconds",
    "Seconds an update waited for its user's lock (their earlier updates, in any process)",
    buckets=(0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1.0, 5.0, 10.0, 60.0),
)
BACKEND_ERRORS = Counter(
    "bot_backend_errors",
    "Updates that failed because a backend was unavailable, by error type",
    ["error"],
)
BROADCAST_MESSAGES = Counter(
    "bot_broadcast_messages",
    "Messages of broadcasts this process sent, by result: sent, blocked or failed",
    ["result"],
)
BROADCAST_REMAINING = Gauge(
    "bot_broadcast_remaining",
    "Users the broadcast this process is sending has yet to reach (0: none running)",
)


class Tally:
    """Counts and times one update of type ``kind`` from its arrival to its end.

    ``handling.handle_update`` keeps one per try. The errors middleware marks it failed: the
    bot's error handler then answers the update, which the dispatcher returns as handled.
    """

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.failed = False
        self._started = time.perf_counter()

    def done(self, outcome: str) -> None:
        """Count the update with ``outcome``, or as failed if the errors middleware saw it fail."""
        outcome = "failed" if self.failed and outcome == "handled" else outcome
        UPDATES.labels(self.kind, outcome).inc()
        HANDLER_SECONDS.labels(self.kind).observe(time.perf_counter() - self._started)


class ErrorMetricsMiddleware(BaseMiddleware):
    """Counts backend errors, and marks the update's :class:`Tally` failed.

    An outer middleware of the dispatcher's errors: it sees every exception of a handler or a
    middleware, aiogram's lock included, before the error handler's filter does.
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """Count the error, then hand it to the error handlers."""
        unavailable: tuple[type[Exception], ...] = data.get("unavailable") or ()
        if isinstance(event, ErrorEvent) and isinstance(event.exception, unavailable):
            BACKEND_ERRORS.labels(type(event.exception).__name__).inc()
        tally = data.get("tally")
        if isinstance(tally, Tally):
            tally.failed = True
        return await handler(event, data)


class ApiMetricsMiddleware(BaseRequestMiddleware):
    """Counts each Bot API request by method and result (a middleware of the bot's session).

    Registered after the flood control's, so every request sent is counted, retries included.
    """

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        """Make the request and count its result."""
        try:
            response = await make_request(bot, method)
        except Exception as error:
            API_REQUESTS.labels(method.__api_method__, type(error).__name__).inc()
            raise
        API_REQUESTS.labels(method.__api_method__, "ok").inc()
        return response


class MeasuredIsolation(BaseEventIsolation):
    """The dispatcher's isolation, timing how long each update waits for its user's lock."""

    def __init__(self, isolation: BaseEventIsolation) -> None:
        self.isolation = isolation

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        """Hold the key's lock for the block, having timed the wait for it."""
        started = time.perf_counter()
        async with self.isolation.lock(key):
            LOCK_WAIT_SECONDS.observe(time.perf_counter() - started)
            yield

    async def close(self) -> None:
        """Close the isolation it measures."""
        await self.isolation.close()
