"""Factories for the bot and its dispatcher."""

from collections.abc import Sequence

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

from . import features, handlers
from .errors import final_failure, handle_error
from .flood_control import RetryAfterMiddleware
from .i18n import Catalogue, create_i18n
from .menu import update_menu
from .middlewares import SeenMiddleware, UserRepositoryMiddleware
from .services import ServiceUnavailableError
from .settings import Settings
from .wiring import Backends


def create_bot(settings: Settings, session: BaseSession | None = None) -> Bot:
    """Create the bot, talking to ``TELEGRAM_API_URL`` when one is set."""
    if session is None and settings.telegram_api_url is not None:
        api = TelegramAPIServer.from_base(str(settings.telegram_api_url).rstrip("/"))
        session = AiohttpSession(api=api)
    bot = Bot(
        token=settings.bot_token.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML),
    )
    # Telegram's flood control answers 429: wait as it asks and send again, instead of failing.
    bot.session.middleware(RetryAfterMiddleware())
    return bot


def create_dispatcher(
    backends: Backends, routers: Sequence[Router] = handlers.routers
) -> Dispatcher:
    """Create the dispatcher on the bot's backends, with its middlewares and ``routers``.

    Handlers get the user data as ``users`` and the user's texts as ``i18n``; the template's
    own features (``features/``) come before ``routers``. At start-up the dispatcher brings
    Telegram's command menu up to date (``menu.py``).
    A router belongs to one dispatcher: pass new ones to build a second (tests do).
    """
    catalogue = Catalogue()
    # ``unavailable`` reaches handlers and filters as workflow data (errors.final_failure),
    # ``catalogue`` the start-up hooks and the error handler.
    dispatcher = Dispatcher(
        storage=backends.storage,
        events_isolation=backends.isolation,
        unavailable=backends.unavailable,
        catalogue=catalogue,
    )
    dispatcher.update.outer_middleware(UserRepositoryMiddleware(backends.users))
    dispatcher.update.outer_middleware(SeenMiddleware(backends.users))
    # Registered as a middleware only (not with its ``setup``), so its start-up and shutdown
    # hooks, which load and unload the catalogue, stay out: the catalogue is loaded above.
    dispatcher.update.outer_middleware(create_i18n(catalogue))
    dispatcher.include_routers(*features.create_routers(), *routers)
    dispatcher.errors.register(handle_error, final_failure)
    dispatcher.startup.register(update_menu)
    return dispatcher


async def check_telegram(bot: Bot, settings: Settings) -> None:
    """Ask Telegram who the bot is, so a bad token or an unreachable API fails at start-up."""
    api = str(settings.telegram_api_url or "https://api.telegram.org")
    try:
        await bot.get_me()
    except TelegramUnauthorizedError as error:
        message = "Telegram rejected BOT_TOKEN: check it with @BotFather"
        raise ServiceUnavailableError(message) from error
    except TelegramNetworkError as error:
        message = f"cannot reach the Telegram Bot API at TELEGRAM_API_URL={api}: {error.message}"
        raise ServiceUnavailableError(message) from error
