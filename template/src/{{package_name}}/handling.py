"""What receiving updates by polling and by webhook share: handling one, and stopping.

Both run each update's handler in a task of their own and tell Telegram it was delivered only
once the handler finished. An update that failed because a backend was unreachable or out of
connections (``Backends.unavailable``) is tried again, up to ``errors.TRIES`` times in all; its
user hears of the failure only after the last. On SIGINT or SIGTERM they stop taking updates,
give the running handlers :data:`DRAIN_SECONDS` to finish, and cancel the rest, whose updates
Telegram then sends again after the restart.
"""

import asyncio
import logging
import signal
from collections.abc import Collection
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.dispatcher.event.bases import UNHANDLED
from aiogram.dispatcher.middlewares.user_context import UserContextMiddleware
from aiogram.methods import TelegramMethod
from aiogram.types import Update
from aiogram.types.update import UpdateTypeLookupError
from aiohttp import web

from .errors import TRIES, describe
from .logs import update_context
from .metrics import Tally
from .services import StartupError

logger = logging.getLogger(__name__)

# After SIGTERM, running handlers get this long to finish: docker stop kills after 10 s, and
# confirming or answering, and closing, take the rest.
DRAIN_SECONDS = 7.0


async def handle_update(
    bot: Bot, dispatcher: Dispatcher, update: Update, /, attempt: int = 1, **workflow_data: Any
) -> bool:
    """Feed ``update`` to the dispatcher, then make the Bot API call a handler returned.

    Returns whether the update is done with: ``False`` when a backend was unavailable and this
    was not the last of ``TRIES`` (``attempt`` counts from 1), so it is to be tried again.
    Any other failure is logged, and the update counts as handled: sent again, it would most
    likely fail again. (``errors.py`` answers the user before that.) What is logged meanwhile
    carries the update's id, user and handler (``logs.update_context``); each try is counted
    and timed with its outcome (``metrics.Tally``).
    """
    kind = event_type(update)
    tally = Tally(kind)
    with update_context(update.update_id, kind, event_user_id(update)):
        try:
            result = await dispatcher.feed_update(
                bot, update, attempt=attempt, tally=tally, **workflow_data
            )
            if isinstance(result, TelegramMethod):  # a handler may return the method to call
                await dispatcher.silent_call_request(bot, result)
        except Exception as error:
            unavailable: tuple[type[Exception], ...] = dispatcher.get("unavailable") or ()
            if attempt < TRIES and isinstance(error, unavailable):
                tally.done("retried")
                logger.warning(
                    "Update id=%s: a backend is unavailable (%s); trying again (try %d of %d)",
                    update.update_id,
                    describe(error),
                    attempt + 1,
                    TRIES,
                )
                return False
            tally.done("failed")
            logger.exception("Update id=%s failed in its handler", update.update_id)
        else:
            tally.done("unhandled" if result is UNHANDLED else "handled")
        return True


def event_type(update: Update) -> str:
    """What ``update`` holds: ``"message"``, ``"callback_query"``... as aiogram names it."""
    try:
        return update.event_type
    except UpdateTypeLookupError:  # a kind of update newer than this aiogram
        return "unknown"


def event_user_id(update: Update) -> int | None:
    """The id of the user ``update`` came from, as aiogram finds it; ``None`` if none."""
    user = UserContextMiddleware.resolve_event_context(update).user
    return user.id if user is not None else None


async def drain(running: Collection["asyncio.Task[Any]"], seconds: float = DRAIN_SECONDS) -> None:
    """Give the ``running`` handlers ``seconds`` to finish, then cancel the rest."""
    if not running:
        return
    logger.info("Stopping: waiting for %d running handler(s)", len(running))
    _, late = await asyncio.wait(running, timeout=seconds)
    if late:
        logger.warning(
            "Cancelled %d handler(s) still running after %s s; Telegram sends their updates "
            "again after the restart",
            len(late),
            seconds,
        )
        for task in late:
            task.cancel()
        await asyncio.wait(late, timeout=1)


async def listen(runner: web.AppRunner, host: str, port: int) -> None:
    """Serve ``runner``'s application on ``host:port`` (``WEB_SERVER_HOST``, ``WEB_SERVER_PORT``).

    Raises:
        StartupError: the address is taken or not this machine's; the message says which.
    """
    try:
        await web.TCPSite(runner, host, port).start()
    except OSError as error:
        message = (
            f"cannot listen on WEB_SERVER_HOST={host} WEB_SERVER_PORT={port}: "
            f"{error.strerror or error}; set a free port or an address of this machine"
        )
        raise StartupError(message) from error


def stop_on_signal() -> asyncio.Event:
    """An event set at the first SIGINT or SIGTERM; a second one gets the default handling.

    So the first Ctrl+C or ``docker stop`` stops gracefully, and a second stops at once.
    """
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()

    def on_signal() -> None:
        stop.set()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(signum)

    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, on_signal)
    return stop
