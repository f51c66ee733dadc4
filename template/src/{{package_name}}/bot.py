"""Factories for the bot and its dispatcher."""

from collections.abc import Collection, Sequence

from aiogram import Bot, Dispatcher, Router
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.session.base import BaseSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.dispatcher.event.handler import HandlerObject
from aiogram.enums import ParseMode
from aiogram.exceptions import TelegramNetworkError, TelegramUnauthorizedError

from . import features, handlers
from .errors import final_failure, handle_error
from .flood_control import RetryAfterMiddleware
from .i18n import Catalogue, create_i18n
from .jobs import Job
from .menu import update_menu
from .metrics import ApiMetricsMiddleware, ErrorMetricsMiddleware, MeasuredIsolation
from .middlewares import HandlerNameMiddleware, SeenMiddleware, UserRepositoryMiddleware
from .scheduler import Scheduler
from .services import ServiceUnavailableError
from .settings import Settings
from .throttling import Throttle, ThrottlingMiddleware
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
    # After it, so each request sent is counted: a retried one twice, its 429 and its answer.
    bot.session.middleware(ApiMetricsMiddleware())
    return bot


def create_dispatcher(
    backends: Backends,
    routers: Sequence[Router] = handlers.routers,
    *,
    admins: Collection[int] = (),
    throttle: Throttle | None = None,
    jobs: Sequence[Job] = (),
) -> Dispatcher:
    """Create the dispatcher on the bot's backends, with its middlewares and ``routers``.

    Handlers get the user data as ``users``, the user's texts as ``i18n`` and the ids of the
    bot's admins as ``admins``; the template's own features (``features/``) come before
    ``routers``. Users other than ``admins`` are held to ``throttle``, if given. Backend errors
    and each update's wait for the user's lock are measured (``metrics.py``). At start-up the
    dispatcher brings Telegram's command menus up to date (``menu.py``), then runs ``jobs``
    when they fall due until it stops (``scheduler.py``).
    A router belongs to one dispatcher: pass new ones to build a second (tests do).
    """
    catalogue = Catalogue()
    # ``unavailable`` reaches handlers and filters as workflow data (errors.final_failure),
    # ``catalogue`` the start-up hooks and the error handler.
    dispatcher = Dispatcher(
        storage=backends.storage,
        events_isolation=MeasuredIsolation(backends.isolation),
        unavailable=backends.unavailable,
        catalogue=catalogue,
        admins=frozenset(admins),
    )
    dispatcher.update.outer_middleware(UserRepositoryMiddleware(backends.users))
    dispatcher.update.outer_middleware(SeenMiddleware(backends.users))
    # Registered as a middleware only (not with its ``setup``), so its start-up and shutdown
    # hooks, which load and unload the catalogue, stay out: the catalogue is loaded above.
    dispatcher.update.outer_middleware(create_i18n(catalogue))
    if throttle is not None and throttle.limit > 0:  # after i18n: a throttled user is told
        dispatcher.update.outer_middleware(ThrottlingMiddleware(backends.counters, throttle))
    # On every event type but the update itself and errors, whose handlers are the dispatcher's.
    for name, observer in dispatcher.observers.items():
        if name not in {"update", "error"}:
            observer.middleware(HandlerNameMiddleware())
    dispatcher.include_routers(*features.create_routers(), *routers)
    dispatcher.errors.outer_middleware(ErrorMetricsMiddleware())
    dispatcher.errors.register(handle_error, final_failure)
    dispatcher.startup.register(update_menu)
    scheduler = Scheduler(
        jobs, backends.storage, backends.leases, backends.key_builder, backends.users
    )
    dispatcher.startup.register(scheduler.start)
    # First of the shutdown hooks: the jobs use the FSM storage, which aiogram's own first hook
    # closes (FSMContextMiddleware.close). EventObserver.register can only append.
    dispatcher.shutdown.handlers.insert(0, HandlerObject(scheduler.stop))
    return dispatcher


def create_dispatcher_for(backends: Backends, settings: Settings) -> Dispatcher:
    """The bot's dispatcher (:func:`create_dispatcher`); admins, limit, jobs from ``settings``."""
    throttle = Throttle(settings.throttle_limit, settings.throttle_window)
    jobs = features.create_jobs(settings)
    return create_dispatcher(backends, admins=settings.admin_ids, throttle=throttle, jobs=jobs)


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
