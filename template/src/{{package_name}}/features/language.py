"""``/language``: the user picks one of the bot's languages; it is kept with the user.

Until they pick one, a user reads the language of their Telegram app (``i18n.py``).
"""

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InaccessibleMessage, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder
from aiogram_i18n import I18nContext

# Buttons per row of the language keyboard.
ROW = 3


class LanguageChoice(CallbackData, prefix="language"):
    """The data of a language button: the language's code."""

    code: str


def create_router() -> Router:
    """A new router with ``/language`` and its buttons (a router joins one dispatcher)."""
    router = Router(name=__name__)
    router.message.register(choose_language, Command("language"), F.from_user)
    router.callback_query.register(language_chosen, LanguageChoice.filter())
    return router


async def choose_language(message: Message, i18n: I18nContext) -> None:
    """Offer the bot's languages, each named in itself."""
    keyboard = InlineKeyboardBuilder()
    for code in sorted(i18n.core.available_locales):
        keyboard.button(
            text=i18n.get("language-name", code), callback_data=LanguageChoice(code=code)
        )
    keyboard.adjust(ROW)
    await message.answer(i18n.get("language-choose"), reply_markup=keyboard.as_markup())


async def language_chosen(
    callback: CallbackQuery, callback_data: LanguageChoice, i18n: I18nContext
) -> None:
    """Keep the choice, and say so in the language chosen."""
    if callback_data.code not in i18n.core.available_locales:  # a language since removed
        await callback.answer(i18n.get("button-expired"), show_alert=True)
        return
    await i18n.set_locale(callback_data.code)
    done = i18n.get("language-set")
    await callback.answer(done)
    if callback.message is not None and not isinstance(callback.message, InaccessibleMessage):
        await callback.message.edit_text(done)
