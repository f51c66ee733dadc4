"""Who blocked the bot: Telegram tells a bot when a user blocks it, or unblocks it.

It sends a ``my_chat_member`` update for the private chat: the bot's status there becomes
"kicked" when the user blocks it and "member" when they unblock it (or start it again).
A message that fails because the user blocked the bot marks them too (``errors.py``).
"""

from aiogram import F, Router
from aiogram.enums import ChatType
from aiogram.filters import KICKED, MEMBER, ChatMemberUpdatedFilter
from aiogram.types import ChatMemberUpdated

from ..users import UserRepository


def create_router() -> Router:
    """A new router for the private chats' ``my_chat_member`` (a router joins one dispatcher)."""
    router = Router(name=__name__)
    router.my_chat_member.filter(F.chat.type == ChatType.PRIVATE)
    router.my_chat_member.register(blocked, ChatMemberUpdatedFilter(member_status_changed=KICKED))
    router.my_chat_member.register(
        unblocked, ChatMemberUpdatedFilter(member_status_changed=MEMBER)
    )
    return router


async def blocked(event: ChatMemberUpdated, users: UserRepository) -> None:
    """Record when the user blocked the bot."""
    await users.set_blocked(event.from_user.id, blocked=True)


async def unblocked(event: ChatMemberUpdated, users: UserRepository) -> None:
    """Clear the record: the user unblocked the bot."""
    await users.set_blocked(event.from_user.id, blocked=False)
