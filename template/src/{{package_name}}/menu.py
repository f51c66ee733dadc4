"""The command menu Telegram shows beside the message box, in each of the bot's languages.

The menu is read from the catalogue: every message ``command-<name>`` is the command
``/<name>``, described by its text, in file order. Add a command to the menu by adding its
message to each language (in a file of your own, e.g. ``locales/en/my_texts.ftl``).

At start-up the bot reads the menu Telegram has and writes only what differs: with several
processes, or during a rolling restart, each one finds the menu already right. It never deletes
the menu on shutdown, so the users of the processes still running keep it.
"""

import logging

from aiogram import Bot
from aiogram.exceptions import AiogramError
from aiogram.types import BotCommand

from .i18n import Catalogue

logger = logging.getLogger(__name__)

PREFIX = "command-"


def command_names(catalogue: Catalogue) -> list[str]:
    """The menu's commands: those of the fallback language's catalogue, in its order."""
    keys = catalogue.keys(catalogue.fallback)
    return [key.removeprefix(PREFIX) for key in keys if key.startswith(PREFIX)]


def commands(catalogue: Catalogue, names: list[str], locale: str) -> list[BotCommand]:
    """The menu of ``names`` in ``locale``, each command described in that language."""
    return [
        BotCommand(command=name, description=catalogue.get(PREFIX + name, locale))
        for name in names
    ]


async def update_menu(bot: Bot, catalogue: Catalogue) -> None:
    """Make Telegram's menu the catalogue's: the default one, then one per language.

    The default menu, in the fallback language, is for users whose language the bot does not
    speak. A menu Telegram cannot be asked for or told is logged: the bot runs without it.
    """
    names = command_names(catalogue)  # read from the files once, for every language
    languages: list[str | None] = [None, *sorted(catalogue.available_locales)]
    for language in languages:
        wanted = commands(catalogue, names, language or catalogue.fallback)
        try:
            current = await bot.get_my_commands(language_code=language)
            # Compared as data: the models Telegram's answer makes are bound to the bot.
            if [c.model_dump() for c in current] != [c.model_dump() for c in wanted]:
                await bot.set_my_commands(wanted, language_code=language)
                logger.info("Set the command menu for %s", language or "every other language")
        except AiogramError as error:  # Telegram refused, or did not answer as it should
            logger.warning("Could not set the command menu (%s): %s", language, error)
            return
