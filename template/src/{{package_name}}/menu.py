"""The command menu Telegram shows beside the message box, in each of the bot's languages.

The menu is read from the catalogue: every message ``command-<name>`` is the command
``/<name>``, described by its text, in file order. Add a command to the menu by adding its
message to each language (in a file of your own, e.g. ``locales/en/my_texts.ftl``). The admins
(``ADMIN_IDS``) also see each ``admin-command-<name>``: their chats get menus of their own.

At start-up the bot reads the menu Telegram has and writes only what differs: with several
processes, or during a rolling restart, each one finds the menu already right. It never deletes
the menu on shutdown, so the users of the processes still running keep it.
"""

import logging

from aiogram import Bot
from aiogram.exceptions import AiogramError, TelegramBadRequest
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from .i18n import Catalogue

logger = logging.getLogger(__name__)

PREFIX = "command-"
ADMIN_PREFIX = "admin-command-"


def command_keys(catalogue: Catalogue, prefix: str = PREFIX) -> list[str]:
    """The keys of the menu's commands: the fallback language's, in its order."""
    return [key for key in catalogue.keys(catalogue.fallback) if key.startswith(prefix)]


def commands(catalogue: Catalogue, keys: list[str], locale: str) -> list[BotCommand]:
    """The menu of ``keys`` in ``locale``, each command described in that language."""
    return [
        BotCommand(command=key.split(PREFIX, 1)[1], description=catalogue.get(key, locale))
        for key in keys
    ]


async def update_menu(
    bot: Bot, catalogue: Catalogue, admins: frozenset[int] = frozenset()
) -> None:
    """Make Telegram's menus the catalogue's: everyone's, then each admin's, per language.

    The default menu, in the fallback language, is for users whose language the bot does not
    speak. A menu Telegram cannot be asked for or told is logged: the bot runs without it. An
    admin who never wrote to the bot has no chat with it yet, so no menu (until a restart).
    """
    keys = command_keys(catalogue)  # read from the files once, for every language
    admin_keys = command_keys(catalogue, ADMIN_PREFIX)
    menus: list[tuple[BotCommandScopeDefault | BotCommandScopeChat, list[str]]] = [
        (BotCommandScopeDefault(), keys)
    ]
    if admin_keys:  # else the admins' menu is everyone's
        menus += [(BotCommandScopeChat(chat_id=admin), keys + admin_keys) for admin in admins]
    languages: list[str | None] = [None, *sorted(catalogue.available_locales)]
    for scope, menu in menus:
        for language in languages:
            try:
                wanted = commands(catalogue, menu, language or catalogue.fallback)
                await _update(bot, scope, language, wanted)
            except TelegramBadRequest as error:  # e.g. an admin's chat Telegram does not know
                logger.warning("Could not set the command menu of %s: %s", scope, error)
                break
            except AiogramError as error:  # Telegram refused, or did not answer as it should
                logger.warning("Could not set the command menu (%s): %s", language, error)
                return


async def _update(
    bot: Bot,
    scope: BotCommandScopeDefault | BotCommandScopeChat,
    language: str | None,
    wanted: list[BotCommand],
) -> None:
    """Write the menu of ``scope`` and ``language`` unless Telegram has it already."""
    current = await bot.get_my_commands(scope=scope, language_code=language)
    # Compared as data: the models Telegram's answer makes are bound to the bot.
    if [c.model_dump() for c in current] != [c.model_dump() for c in wanted]:
        await bot.set_my_commands(wanted, scope=scope, language_code=language)
        whose = f"admin {scope.chat_id}" if isinstance(scope, BotCommandScopeChat) else "everyone"
        logger.info("Set the command menu of %s for %s", whose, language or "other languages")
