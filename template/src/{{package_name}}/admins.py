"""The bot's admins: the users of ``ADMIN_IDS``, who get the owner's commands (``/stats``).

The dispatcher hands the ids to handlers and filters as ``admins`` (``bot.create_dispatcher``);
a router of admin commands filters its messages with :class:`IsAdmin`, so the command of a user
who is not an admin falls through to the bot's other handlers, as any unknown command does.
"""

from collections.abc import Collection

from aiogram.filters import Filter
from aiogram.types import TelegramObject, User


def is_admin(user: User | None, admins: Collection[int]) -> bool:
    """Whether ``user`` is one of ``admins`` (the ids of ``ADMIN_IDS``)."""
    return user is not None and user.id in admins


class IsAdmin(Filter):
    """Passes the updates of the bot's admins, and no other."""

    async def __call__(
        self,
        event: TelegramObject,
        event_from_user: User | None = None,
        admins: frozenset[int] = frozenset(),
    ) -> bool:
        """Whether the update comes from one of ``admins`` (``ADMIN_IDS``)."""
        return is_admin(event_from_user, admins)
