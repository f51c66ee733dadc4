"""The bot's records of its users, behind one small interface.

Handlers only see :class:`UserRepository`; the middleware hands them the adapter the project
was generated with. Telegram ids are 64-bit integers and every adapter stores them as such.
"""

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol


@dataclass(frozen=True, slots=True)
class Profile:
    """What ``/register`` collects about a user."""

    user_id: int
    name: str
    email: str


@dataclass(frozen=True, slots=True)
class UserRecord:
    """What the bot knows of a user beside the profile; ``None`` where it knows nothing.

    ``blocked_at`` is when the user blocked the bot (``None`` while they have not, or since
    they unblocked it); ``start_payload`` the deep-link payload of their first ``/start``;
    ``last_seen_at`` is written at most once per ``middlewares.SEEN_EVERY``.
    """

    user_id: int
    language: str | None = None
    blocked_at: datetime | None = None
    start_payload: str | None = None
    last_seen_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Statistics:
    """How many users the bot has, as ``/stats`` shows them (``features/stats.py``).

    ``active`` counts the users who wrote within each of :data:`ACTIVE_DAYS`, by days;
    ``languages`` the users by the language they chose (``None``: they chose none).
    """

    total: int
    active: dict[int, int]
    blocked: int
    registered: int
    languages: dict[str | None, int]


# The periods ``/stats`` counts active users over, in days.
ACTIVE_DAYS = (1, 7, 30)


def active_since(now: datetime) -> dict[int, datetime]:
    """The start of each period of :data:`ACTIVE_DAYS` that ends ``now``."""
    return {days: now - timedelta(days=days) for days in ACTIVE_DAYS}


# What Telegram accepts as a deep-link payload (``t.me/<bot>?start=<payload>``).
START_PAYLOAD = re.compile(r"[A-Za-z0-9_-]{1,64}")


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

    async def record_seen(
        self, user_id: int, username: str | None, full_name: str, start_payload: str | None
    ) -> None:
        """Note that the user wrote now; keep ``start_payload`` if they have none yet.

        Creates the user on first contact, so the payload of a first ``/start`` is stored.
        """

    async def get_user(self, user_id: int) -> UserRecord | None:
        """Return what the bot knows of the user, or ``None`` if it has never seen them."""

    async def set_language(self, user_id: int, language: str) -> None:
        """Store the language the user chose (``/language``)."""

    async def set_blocked(self, user_id: int, blocked: bool) -> None:
        """Record that the user blocked the bot (now), or that they unblocked it."""


class CountedUsers(UserRepository, Protocol):
    """A :class:`UserRepository` that can count and list its users.

    Every layer but the FSM storage's, which has no list of users. Counting is the database's
    work: no user record is read into the bot.
    """

    async def statistics(self, now: datetime) -> Statistics:
        """Count the users: in total, active until ``now``, blocked, registered, by language."""

    async def recipients(self, after: int, limit: int) -> list[int]:
        """The ids of up to ``limit`` users above ``after`` who have not blocked the bot.

        The lowest first: a page of a broadcast's recipients, read by the primary key.
        """
