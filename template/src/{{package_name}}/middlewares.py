"""Middlewares that hand handlers what they need, so handlers never import a backend."""

from collections import OrderedDict
from collections.abc import Awaitable, Callable
from time import monotonic
from typing import Any

from aiogram import BaseMiddleware
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.types import TelegramObject, Update, User

from .logs import name_handler
from .users import START_PAYLOAD, UserRepository

# A user's "last seen" is written at most once per this many seconds per bot process, so the
# updates of an active user cost no write beyond their handlers' own.
SEEN_EVERY = 300.0
# How many users a process remembers having written for: the oldest are forgotten first.
SEEN_REMEMBERED = 100_000


class UserRepositoryMiddleware(BaseMiddleware):
    """Passes the user repository to every handler as its ``users`` argument."""

    def __init__(self, users: UserRepository) -> None:
        self.users = users

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """Add ``users`` to the handler's data and call the handler."""
        data["users"] = self.users
        return await handler(event, data)


class SeenMiddleware(BaseMiddleware):
    """Records that a user wrote (``users.record_seen``), and where a new user came from.

    The first ``/start`` of a user who followed a deep link (``t.me/<bot>?start=<payload>``)
    stores its payload, which later ones never replace. Other updates write at most once per
    :data:`SEEN_EVERY` per user and process. Updates about the chat, not from the user writing
    (``my_chat_member``: blocked, unblocked), are not a visit.
    """

    def __init__(self, users: UserRepository, every: float = SEEN_EVERY) -> None:
        self.users = users
        self.every = every
        self._written: OrderedDict[int, float] = OrderedDict()  # user id: monotonic time

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """Write the visit if it is due, then call the handler."""
        user: User | None = data.get("event_from_user")
        if user is not None and isinstance(event, Update) and event.my_chat_member is None:
            payload = start_payload(event)
            now = monotonic()
            last = self._written.get(user.id)
            if payload is not None or last is None or now - last >= self.every:
                await self.users.record_seen(user.id, user.username, user.full_name, payload)
                self._written[user.id] = now
                self._written.move_to_end(user.id)
                if len(self._written) > SEEN_REMEMBERED:
                    self._written.popitem(last=False)
        return await handler(event, data)


class HandlerNameMiddleware(BaseMiddleware):
    """Names the handler an update reached in what is logged of it (``logs.py``).

    An inner middleware, of each event type: aiogram hands those the handler it chose.
    """

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """Name the chosen handler, then call it."""
        chosen = data.get("handler")
        if isinstance(chosen, HandlerObject):
            callback = chosen.callback
            name = getattr(callback, "__qualname__", type(callback).__qualname__)
            name_handler(f"{callback.__module__}.{name}")
        return await handler(event, data)


def start_payload(update: Update) -> str | None:
    """The deep-link payload of a ``/start <payload>`` message, if it is a valid one."""
    text = update.message.text if update.message is not None else None
    if not text or not text.startswith("/start"):
        return None
    command, _, payload = text.partition(" ")
    if command.partition("@")[0] != "/start":
        return None
    return payload if START_PAYLOAD.fullmatch(payload) else None
