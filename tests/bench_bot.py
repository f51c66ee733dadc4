"""Dispatcher benchmark, run inside a rendered project (``uvx nox -s benchmark`` does it).

Feeds the ``/register`` dialog (``/register``, a name, an e-mail: three updates a user) through
the bot's own dispatcher (``create_dispatcher``: its middlewares and routers) on the backends
``wiring.open_backends`` opens, 16 users at a time, with a Bot API session that answers at once
without a network, so the figure is the bot's own cost. Prints updates per second (the median
of ``RUNS`` runs of ``USERS`` users), then registers users up to 10,000 in all and reports the
process's resident memory.

Usage: ``uv run python .../bench_bot.py RESULT_JSON`` in the project, with its settings in the
environment (a fake ``BOT_TOKEN`` will do).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import os
import statistics
import sys
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from aiogram import Bot
from aiogram.client.session.base import BaseSession
from aiogram.methods import SendMessage
from aiogram.types import Chat, Message, Update, User
from my_bot.bot import create_bot, create_dispatcher  # the rendered project's
from my_bot.settings import Settings
from my_bot.wiring import open_backends

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
USERS = 300  # per throughput run
TOTAL_USERS = int(os.environ.get("BENCH_TOTAL_USERS", "10000"))  # before memory is read
CONCURRENT_USERS = 16
_ids = itertools.count(1)


class NoNetworkSession(BaseSession):
    """Answers every Bot API call at once: a sent message comes back as Telegram would echo it."""

    async def make_request(self, bot: Bot, method: Any, timeout: int | None = None) -> Any:
        if isinstance(method, SendMessage):
            chat = Chat(id=int(method.chat_id), type="private")
            return Message(message_id=next(_ids), date=datetime.now(timezone.utc), chat=chat)
        return True

    async def stream_content(self, *args: Any, **kwargs: Any) -> Any:
        raise NotImplementedError

    async def close(self) -> None:
        return None


def update(user: int, text: str) -> Update:
    sender = User(id=user, is_bot=False, first_name="Ada", last_name=f"#{user}")
    message = Message(
        message_id=next(_ids),
        date=datetime.now(timezone.utc),
        chat=Chat(id=user, type="private"),
        from_user=sender,
        text=text,
    )
    return Update(update_id=next(_ids), message=message)


def resident_kib() -> int:
    """This process's resident set size now (VmRSS), in KiB."""
    status = Path("/proc/self/status").read_text(encoding="ascii")
    return int(next(line for line in status.splitlines() if line.startswith("VmRSS")).split()[1])


async def register(dispatcher: Any, bot: Bot, users: range) -> float:
    """Take ``users`` through the dialog, 16 at a time; return updates per second."""
    queue = iter(users)

    async def worker() -> None:
        for user in queue:
            for text in ("/register", "Ada", f"ada{user}@example.com"):
                await dispatcher.feed_update(bot, update(user, text))

    start = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(CONCURRENT_USERS)))
    return 3 * len(users) / (time.perf_counter() - start)


async def main() -> None:
    settings = Settings()  # type: ignore[call-arg]  # from the environment
    base = 10_000_000 + int(time.time()) % 1_000_000 * 100_000  # new users in a reused database
    async with open_backends(settings) as backends:
        bot = create_bot(settings, session=NoNetworkSession())
        dispatcher = create_dispatcher(backends)
        await register(dispatcher, bot, range(base, base + 50))  # warm up
        done, rates = base + 50, []
        for _ in range(RUNS):
            rates.append(await register(dispatcher, bot, range(done, done + USERS)))
            done += USERS
        profile = await backends.users.get_profile(done - 1)
        assert profile is not None and profile.email == f"ada{done - 1}@example.com", profile
        await register(dispatcher, bot, range(done, base + TOTAL_USERS))
        result = {
            "updates_per_second": statistics.median(rates),
            "runs": rates,
            "resident_mib_after_10000_users": resident_kib() / 1024,
        }
    Path(sys.argv[1]).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
