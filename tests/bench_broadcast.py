"""Broadcast benchmark, run inside a rendered project (``uvx nox -s benchmark -- broadcast``).

Seeds the user data with ``BENCH_BROADCAST_USERS`` users (1,000,000 by default), then runs the
bot's broadcast job (``broadcasting.Broadcaster``) to every one of them through a Bot API
session that answers at once without a network, with the rate limit lifted, so the figures are
the bot's own. Prints the process's resident memory at 0 %, 50 % and 100 % of the users, the
messages a second, and how many copies each user got.

Usage: ``uv run python .../bench_broadcast.py`` in the project, with its settings in the
environment, on empty databases.
"""

from __future__ import annotations

import asyncio
import os
import resource
import time
from collections.abc import Iterator
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import CopyMessage
from aiogram.types import MessageId
from my_bot import broadcasting  # the rendered project's
from my_bot.bot import create_bot
from my_bot.settings import Settings
from my_bot.wiring import open_backends

USERS = int(os.environ.get("BENCH_BROADCAST_USERS", "1000000"))
BATCH = 20_000
LIFTED = 1_000_000.0  # messages a second: no limit


def resident_mib() -> float:
    """This process's resident memory now, in MiB (Linux: /proc/self/statm)."""
    with open("/proc/self/statm") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 2**20


class NoNetworkSession(BaseSession):
    """Answers every Bot API call at once; counts the copies each user got, in a byte per user
    allocated before the start, so the count does not grow the memory measured."""

    def __init__(self) -> None:
        super().__init__()
        self.copies = bytearray(USERS + 1)  # user ids are 1..USERS
        self.sent = 0
        self.at_half: float | None = None

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        if isinstance(method, CopyMessage):
            chat = int(method.chat_id)
            self.copies[chat] = min(self.copies[chat] + 1, 255)
            self.sent += 1
            if self.sent == USERS // 2:
                self.at_half = resident_mib()
            return MessageId(message_id=1)
        return True

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        pass


def batches() -> Iterator[list[int]]:
    for start in range(1, USERS + 1, BATCH):
        yield list(range(start, min(start + BATCH, USERS + 1)))


async def seed(users: Any) -> None:
    """Insert the users with the layer's own driver, in batches."""
    kind = type(users).__name__
    if kind == "AsyncpgUserRepository":
        async with users.pool.acquire() as connection:
            for batch in batches():
                records = [(n, f"User {n}") for n in batch]
                await connection.copy_records_to_table(
                    "users", records=records, columns=["id", "full_name"]
                )
    else:
        raise SystemExit(f"seeding {kind} is not written: use the asyncpg bot")


async def report(bot: Bot, broadcast: broadcasting.Broadcast, finished: bool) -> None:
    """No progress message: the figures are printed."""


async def main() -> None:
    settings = Settings()
    session = NoNetworkSession()
    bot = create_bot(settings, session=session)
    async with open_backends(settings) as backends:
        await seed(backends.users)
        at_start = resident_mib()
        broadcast = broadcasting.Broadcast(
            id="bench",
            admin=0,
            language="en",
            from_chat=1,
            message_id=1,
            at=time.time(),
            total=USERS,
        )
        await broadcasting.save(backends.storage, bot.id, broadcast)
        started = time.perf_counter()
        done = await broadcasting.Broadcaster(
            bot, backends.users, backends.storage, LIFTED, report
        ).run()
        seconds = time.perf_counter() - started
        at_end = resident_mib()
    assert done is not None
    print(
        f"broadcast to {USERS:,} users in {seconds:.0f} s ({USERS / seconds:,.0f} a second, "
        f"the limit lifted): resident memory {at_start:.0f} MiB at 0 %, "
        f"{session.at_half or 0:.0f} MiB at 50 %, {at_end:.0f} MiB at 100 %; sent {done.sent}, "
        f"duplicates {sum(1 for n in session.copies[1:] if n > 1)}, "
        f"missed {session.copies[1:].count(0)}"
    )


if __name__ == "__main__":
    asyncio.run(main())
