"""``/profile``: show what ``/register`` saved, and the user's own link to the bot."""

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.types import Message
from aiogram.utils.deep_linking import create_start_link
from aiogram_i18n import I18nContext

from ..users import UserRepository

router = Router(name=__name__)


@router.message(Command("profile"))
async def profile(message: Message, bot: Bot, users: UserRepository, i18n: I18nContext) -> None:
    """Show the user's saved name and e-mail, or tell them how to register.

    With the profile comes the user's own start link: whoever starts the bot by it is
    recorded as having come from them (their first ``/start`` payload, ``users.UserRecord``).
    """
    if message.from_user is None:
        return
    saved = await users.get_profile(message.from_user.id)
    if saved is None:
        await message.answer(i18n.get("profile-missing"))
        return
    link = await create_start_link(bot, str(message.from_user.id))
    # The catalogue escapes what it inserts: the name and e-mail are shown as they were sent.
    text = i18n.get("profile", name=saved.name, email=saved.email)
    await message.answer(f"{text}\n{i18n.get('profile-link', link=link)}")
