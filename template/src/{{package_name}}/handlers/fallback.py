"""Messages no other handler took: say what the bot understands."""

from aiogram import Router
from aiogram.types import Message

router = Router(name=__name__)


@router.message()
async def fallback(message: Message) -> None:
    """Point the user at the commands."""
    await message.answer("I did not understand that. Try /register, /profile or /cancel.")
