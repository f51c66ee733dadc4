"""Reaching the services the bot depends on, with errors a person can act on."""

import asyncio
import sqlite3
from collections.abc import Awaitable, Callable
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

T = TypeVar("T")

# How long start-up waits for a service before it says the service is unreachable.
CONNECT_TIMEOUT = 10.0
# How long work waits for a free connection when the whole pool is busy, then fails (and its
# update is tried again): under load it waits, it is not refused.
POOL_TIMEOUT = 10.0
# What any driver raises when its server is unreachable or a wait for a connection timed out
# (asyncio's TimeoutError is the builtin one from Python 3.11). Each backend module adds its
# driver's own errors (``UNAVAILABLE``): an update failing with one of them is tried again.
UNREACHABLE: tuple[type[Exception], ...] = (OSError, TimeoutError, asyncio.TimeoutError)
# SQLSTATEs of a create that lost a race with another process's: a duplicate table, column or
# object, or a duplicate in the unique index on row types.
ALREADY_CREATED = frozenset({"42P07", "42701", "42710", "23505"})
# How SQLite says the same.
SQLITE_ALREADY_CREATED = ("already exists", "duplicate column name")


class StartupError(Exception):
    """The bot cannot start; the message says what to fix, in one line."""


class ServiceUnavailableError(StartupError):
    """A service the bot needs did not answer; the message names the setting to check."""


def redact(url: str) -> str:
    """Return ``url`` with its password replaced by ``***``, fit for logs and errors."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    user = userinfo.partition(":")[0]
    return urlunsplit(parts._replace(netloc=f"{user}:***@{host}"))


async def ensure_reachable(service: str, setting: str, url: str, connect: Awaitable[T]) -> T:
    """Await ``connect`` and turn any failure into one :class:`ServiceUnavailableError`.

    Drivers raise a dozen different exceptions for "not there" (refused, DNS, auth,
    timeout); the person starting the bot needs one line that names the setting. A
    :class:`StartupError` from ``connect`` already is such a line, and is raised as it is.
    """
    try:
        return await asyncio.wait_for(connect, timeout=CONNECT_TIMEOUT)
    except StartupError:
        raise
    except Exception as error:
        # First line only: some drivers (pymongo) describe their whole topology.
        reason = (str(error).strip() or type(error).__name__).splitlines()[0][:200]
        message = f"cannot reach {service} at {setting}={redact(url)}: {reason}"
        raise ServiceUnavailableError(message) from error


async def create_if_missing(create: Callable[[], Awaitable[object]]) -> None:
    """Run ``create`` (a create-unless-exists); once more if another process won a race.

    PostgreSQL's ``IF NOT EXISTS`` and SQLAlchemy's ``create_all`` check before they create, so
    processes starting at once on an empty database may both create, and all but one fail. The
    second try finds what the other created.
    """
    try:
        await create()
    except Exception as error:
        if not _already_created(error):
            raise
        await create()


def _already_created(error: BaseException | None) -> bool:
    # asyncpg's errors carry the SQLSTATE, SQLAlchemy's wrap the driver's (``orig``); SQLite
    # only says it.
    while error is not None:
        if getattr(error, "sqlstate", None) in ALREADY_CREATED:
            return True
        if isinstance(error, sqlite3.OperationalError) and any(
            text in str(error) for text in SQLITE_ALREADY_CREATED
        ):
            return True
        error = getattr(error, "orig", None) or error.__cause__
    return False
