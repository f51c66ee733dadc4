"""Middlewares that hand handlers what they need, so handlers never import a backend."""

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject

from .users import UserRepository


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
