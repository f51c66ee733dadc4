"""Button presses no other handler took: stop the button's spinner and say it no longer works.

Telegram shows a spinner on a pressed inline button until the bot answers the callback
query. Buttons outlive the code that sent them (an old message, a renamed callback data
prefix, data that no longer parses), so an unanswered press is the usual case, not an error.
"""

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram_i18n import I18nContext

router = Router(name=__name__)


@router.callback_query()
async def expired_button(callback: CallbackQuery, i18n: I18nContext) -> None:
    """Answer the press with a short alert."""
    await callback.answer(i18n.get("button-expired"), show_alert=True)
