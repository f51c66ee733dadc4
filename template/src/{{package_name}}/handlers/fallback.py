"""Messages no other handler took: say what the bot understands."""

from aiogram import Router
from aiogram.types import Message
from aiogram_i18n import I18nContext

router = Router(name=__name__)


@router.message()
async def fallback(message: Message, i18n: I18nContext) -> None:
    """Point the user at the commands."""
    await message.answer(i18n.get("fallback"))
