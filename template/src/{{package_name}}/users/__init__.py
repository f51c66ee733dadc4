"""The bot's records of its users, behind one small interface.

Handlers only see :class:`UserRepository`; the middleware hands them the adapter the project
was generated with. Telegram ids are 64-bit integers and every adapter stores them as such.
"""

from dataclasses import dataclass
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Profile:
    """What ``/register`` collects about a user."""

    user_id: int
    name: str
    email: str


def storable(text: str) -> str:
    """Return ``text`` without NUL characters, which PostgreSQL cannot store in text columns.

    For what Telegram sends as it is (a user's name), where a NUL means nothing.
    """
    return text.replace("\x00", "")


class UserRepository(Protocol):
    """Where the bot keeps its users; one adapter per backend implements it."""

    async def record_visit(self, user_id: int, username: str | None, full_name: str) -> None:
        """Create the user on first contact, or refresh their Telegram name (an upsert)."""

    async def save_profile(self, profile: Profile) -> None:
        """Create or replace the user's profile."""

    async def get_profile(self, user_id: int) -> Profile | None:
        """Return the user's profile, or ``None`` if they have not registered."""
