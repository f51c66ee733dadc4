"""``/start``: greet the user and record the visit."""

from aiogram import Router
from aiogram.filters import CommandStart
from aiogram.types import Message
from aiogram_i18n import I18nContext

from ..users import UserRepository

router = Router(name=__name__)


@router.message(CommandStart())
async def start(message: Message, users: UserRepository, i18n: I18nContext) -> None:
    """Greet the user and remember them."""
    user = message.from_user
    if user is None:  # Messages on behalf of a channel have no sender.
        return
    await users.record_visit(user.id, user.username, user.full_name)
    await message.answer(i18n.get("start-greeting", name=user.full_name))
