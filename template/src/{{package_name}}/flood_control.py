"""Telegram's flood control: wait as long as a 429 answer asks, then send the request again.

aiogram raises :class:`~aiogram.exceptions.TelegramRetryAfter` for a 429 and leaves the
waiting to the bot; without it, a reply hit by flood control is lost with an error.
"""

import asyncio
import logging

from aiogram import Bot
from aiogram.client.session.middlewares.base import (
    BaseRequestMiddleware,
    NextRequestMiddlewareType,
)
from aiogram.exceptions import TelegramRetryAfter
from aiogram.methods import Response, TelegramMethod
from aiogram.methods.base import TelegramType

from .metrics import API_RETRIES

logger = logging.getLogger(__name__)


class RetryAfterMiddleware(BaseRequestMiddleware):
    """Sends a request again after the ``retry_after`` seconds Telegram asked to wait.

    Telegram sends nothing when it answers 429, so the retried message goes out once.
    ``retries`` bounds the attempts, and a wait longer than ``max_wait`` seconds is not
    waited for: the error reaches the caller, as it does without this middleware.
    """

    def __init__(self, *, retries: int = 3, max_wait: float = 60.0) -> None:
        self.retries = retries
        self.max_wait = max_wait

    async def __call__(
        self,
        make_request: NextRequestMiddlewareType[TelegramType],
        bot: Bot,
        method: TelegramMethod[TelegramType],
    ) -> Response[TelegramType]:
        """Make the request; on a 429, wait and make it again, up to ``retries`` times."""
        retries = 0
        while True:
            try:
                return await make_request(bot, method)
            except TelegramRetryAfter as error:
                if retries >= self.retries or error.retry_after > self.max_wait:
                    raise
                retries += 1
                API_RETRIES.labels(method.__api_method__).inc()
                logger.warning(
                    "Flood control on %s: retrying in %s s as Telegram asked (retry %d of %d)",
                    method.__api_method__,
                    error.retry_after,
                    retries,
                    self.retries,
                )
                await asyncio.sleep(error.retry_after)
