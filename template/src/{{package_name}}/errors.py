"""What happens when a handler raises: the update is logged and answered, the bot keeps serving.

Without an error handler aiogram logs the exception and the user hears nothing (a pressed
button keeps spinning). :func:`handle_error` tells the user, and marks the update handled, so a
webhook answers Telegram 2xx and Telegram does not send the update again and again. It takes
only final failures (:func:`final_failure`): an update that failed because a backend was
unavailable is first tried again (``handling.py``), and its user hears nothing of those tries.

One failure gets a treatment of its own: a dialog (FSM) record this bot cannot read, e.g. a
value written into Redis, the SQL table or MongoDB by hand or by another program. Every update
of that user would fail the same way, so the record is reset, the user is told, and the log
says so in one line.

And one is no failure of the bot's: a user who blocked it cannot be answered in their private
chat (Telegram says 403 Forbidden). The user is marked as blocked, which the bot also learns
from Telegram's ``my_chat_member`` update (``features/membership.py``), and nothing is logged
beyond one line.
"""

import logging
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.enums import ChatType
from aiogram.exceptions import AiogramError, TelegramForbiddenError
from aiogram.types import Chat, ErrorEvent, Update, User
from aiogram_i18n import I18nContext

from .i18n import Catalogue
from .users import UserRepository

logger = logging.getLogger(__name__)

# What the user is told, as catalogue keys (locales/*/bot.ftl).
FAILED = "error-failed"
RESET = "error-reset"
# How many times an update is handled when a backend is unavailable; the last failure is final.
TRIES = 3

# What reading a damaged record raises: JSONDecodeError and UnicodeDecodeError are ValueErrors,
# a list or a number where a dict belongs gives TypeError or AttributeError, aiogram's checks
# DataNotDictLikeError. Connection failures are none of these: a storage that is down is no
# reason to reset anyone's dialog.
UNREADABLE = (ValueError, TypeError, AttributeError, KeyError, AiogramError)


def final_failure(
    event: ErrorEvent, attempt: int = 1, unavailable: tuple[type[Exception], ...] = ()
) -> bool:
    """The errors filter of :func:`handle_error`: a handler's bug, or a backend's last try.

    ``attempt`` (from 1) comes with the update (``handling.handle_update``), ``unavailable``
    from the dispatcher (``Backends.unavailable``).
    """
    return attempt >= TRIES or not isinstance(event.exception, unavailable)


async def handle_error(event: ErrorEvent, bot: Bot, **data: Any) -> bool:
    """Log the failed update and answer its user; ``True`` marks the update as handled.

    Register it with ``dispatcher.errors.register(handle_error, final_failure)``.
    """
    update = event.update
    if await _blocked_by_user(event, data):
        return True
    if await _reset_unreadable_record(event, bot, data):
        await _tell_user(update, _text(RESET, data))
        return True
    logger.error("Update %s failed", update.update_id, exc_info=event.exception)
    await _tell_user(update, _text(FAILED, data))
    return True


def _text(key: str, data: dict[str, Any]) -> str:
    """The text ``key`` in the user's language (the fallback before that is known).

    The dispatcher holds the catalogue (``bot.create_dispatcher``).
    """
    i18n = data.get("i18n")
    if isinstance(i18n, I18nContext):
        return i18n.get(key)
    catalogue: Catalogue = data["catalogue"]
    return catalogue.get(key, catalogue.fallback)


async def _blocked_by_user(event: ErrorEvent, data: dict[str, Any]) -> bool:
    """Mark the user as blocked if the update failed because they blocked the bot."""
    user: User | None = data.get("event_from_user")
    chat: Chat | None = data.get("event_chat")
    users: UserRepository | None = data.get("users")
    if not isinstance(event.exception, TelegramForbiddenError) or user is None or users is None:
        return False
    if chat is None or chat.type != ChatType.PRIVATE or chat.id != user.id:
        return False  # a group or channel that removed the bot: not the user's block
    logger.info("Update %s: user %s has blocked the bot", event.update.update_id, user.id)
    try:
        await users.set_blocked(user.id, blocked=True)
    except Exception as error:  # the backend is down: the next send finds out again
        logger.warning("Could not mark user %s as blocked (%s)", user.id, describe(error))
    return True


async def _reset_unreadable_record(event: ErrorEvent, bot: Bot, data: dict[str, Any]) -> bool:
    """Reset the user's dialog record if it cannot be read; whether it was reset."""
    dispatcher = data.get("dispatcher")
    if not isinstance(dispatcher, Dispatcher) or "event_context" not in data:
        return False
    context = dispatcher.fsm.resolve_event_context(bot, data)
    if context is None:
        return False
    # Read the record again, as the handlers would: if that fails, the record is the cause.
    try:
        state, stored = await context.get_state(), await context.get_data()
    except UNREADABLE as error:
        problem = describe(error)
    except Exception:  # e.g. the storage is down: an ordinary failed update
        return False
    else:
        if (state is None or isinstance(state, str)) and isinstance(stored, dict):
            return False
        problem = (
            f"its data is a {type(stored).__name__}, not a dict"
            if not isinstance(stored, dict)
            else f"its state is a {type(state).__name__}, not a str"
        )
    try:
        async with dispatcher.fsm.events_isolation.lock(context.key):
            await context.clear()
    except Exception:  # reported with the update's own failure
        return False
    logger.warning(
        "Update %s: reset the unreadable dialog record of user %s in chat %s (%s)",
        event.update.update_id,
        context.key.user_id,
        context.key.chat_id,
        problem,
    )
    return True


def describe(error: BaseException) -> str:
    """The error's type and the first line of its message, short enough for one log line."""
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0][:200]}" if lines else type(error).__name__


async def _tell_user(update: Update, text: str) -> None:
    """Answer the message or the button press behind ``update``, if it has one."""
    try:
        if update.message is not None:
            await update.message.answer(text)
        elif update.callback_query is not None:
            await update.callback_query.answer(text, show_alert=True)
    except Exception as error:  # the update failed already; log and go on
        logger.warning(
            "Update %s: could not tell the user it failed (%s)", update.update_id, describe(error)
        )
