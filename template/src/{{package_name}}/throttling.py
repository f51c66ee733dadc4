"""Throttling: a user who floods the bot is held to ``THROTTLE_LIMIT`` updates per window.

Each message and button press of a user is counted in the FSM storage's backend
(``fsm/counters.py``), so the limit holds across every bot process sharing it (Redis, MongoDB,
PostgreSQL; per process in memory and on SQLite). Past the limit, updates are dropped until
the window ends: the user is told once per window, and every button press is answered, so
its button stops spinning. Admins (``ADMIN_IDS``) have no limit.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update, User
from aiogram_i18n import I18nContext

from .admins import is_admin
from .fsm.counters import Counters


@dataclass(frozen=True, slots=True)
class Throttle:
    """At most ``limit`` messages and button presses per user in ``window`` seconds."""

    limit: int
    window: float


class ThrottlingMiddleware(BaseMiddleware):
    """Drops the updates of a user past their :class:`Throttle`; needs the ``i18n`` data."""

    def __init__(self, counters: Counters, throttle: Throttle) -> None:
        self.counters = counters
        self.throttle = throttle

    async def __call__(
        self,
        handler: Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]],
        event: TelegramObject,
        data: dict[str, Any],
    ) -> Any:
        """Call the handler if the user is within the limit; else drop the update."""
        user: User | None = data.get("event_from_user")
        if (
            not isinstance(event, Update)
            or (event.message is None and event.callback_query is None)
            or user is None
            or is_admin(user, data.get("admins", ()))
        ):
            return await handler(event, data)
        count = await self.counters.count(f"throttle:{user.id}", self.throttle.window)
        if count <= self.throttle.limit:
            return await handler(event, data)
        i18n: I18nContext = data["i18n"]
        notice = i18n.get("throttled") if count == self.throttle.limit + 1 else None
        if event.callback_query is not None:
            await event.callback_query.answer(notice)
        elif notice is not None and event.message is not None:
            await event.message.answer(notice)
        return None
