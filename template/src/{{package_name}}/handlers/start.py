"""``/start``: greet the user and record the visit."""

from aiogram import Router, html
from aiogram.filters import CommandStart
from aiogram.types import Message

from ..users import UserRepository

router = Router(name=__name__)


@router.message(CommandStart())
async def start(message: Message, users: UserRepository) -> None:
    """Greet the user and remember them."""
    user = message.from_user
    if user is None:  # Messages on behalf of a channel have no sender.
        return
    await users.record_visit(user.id, user.username, user.full_name)
    await message.answer(
        f"Hello, {html.quote(user.full_name)}!\n"
        "Send /register to create your profile and /profile to see it."
    )
