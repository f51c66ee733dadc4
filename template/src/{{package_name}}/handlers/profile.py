"""``/profile``: show what ``/register`` saved."""

from aiogram import Router, html
from aiogram.filters import Command
from aiogram.types import Message

from ..users import UserRepository

router = Router(name=__name__)


@router.message(Command("profile"))
async def profile(message: Message, users: UserRepository) -> None:
    """Show the user's saved name and e-mail, or tell them how to register."""
    if message.from_user is None:
        return
    saved = await users.get_profile(message.from_user.id)
    if saved is None:
        await message.answer("You are not registered yet. Send /register.")
        return
    await message.answer(
        f"Your profile\nName: {html.quote(saved.name)}\nE-mail: {html.quote(saved.email)}"
    )
