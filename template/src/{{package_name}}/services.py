"""Reaching the services the bot depends on, with errors a person can act on."""

import asyncio
from collections.abc import Awaitable
from typing import TypeVar
from urllib.parse import urlsplit, urlunsplit

T = TypeVar("T")

# How long start-up waits for a service before it says the service is unreachable.
CONNECT_TIMEOUT = 10.0


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
