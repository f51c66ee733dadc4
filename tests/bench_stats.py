"""``/stats`` benchmark, run inside a rendered project (``uvx nox -s benchmark -- stats``).

Seeds the user data with ``BENCH_STATS_USERS`` users (1,000,000 by default), spread as a bot's
are: seen over the last 90 days, one in 20 blocked, one in 3 registered, a third without a
chosen language. Then times ``users.statistics``, what ``/stats`` runs: the median of ``RUNS``
runs, after one that warms the database's cache. Prints the figures and the times, and writes
them to RESULT_JSON.

Usage: ``uv run python .../bench_stats.py RESULT_JSON`` in the project, with its settings in the
environment, on empty databases.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from my_bot.settings import Settings  # the rendered project's
from my_bot.wiring import open_backends

USERS = int(os.environ.get("BENCH_STATS_USERS", "1000000"))
RUNS = 5
BATCH = 20_000
LANGUAGES = [None, "en", "ru", "es", "de", "pt"]
COLUMNS = ["id", "full_name", "language", "last_seen_at", "blocked_at", "name", "email"]


def rows(now: datetime) -> Iterator[tuple[Any, ...]]:
    """The users, as rows of COLUMNS."""
    for n in range(1, USERS + 1):
        seen = now - timedelta(days=n % 90, minutes=n % 1440)
        registered = n % 3 == 0
        yield (
            n,
            f"User {n}",
            LANGUAGES[n % len(LANGUAGES)],
            seen,
            seen if n % 20 == 0 else None,
            "Ada" if registered else None,
            "ada@example.com" if registered else None,
        )


def batches(now: datetime) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows(now):
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


async def seed(users: Any, now: datetime) -> None:
    """Insert the users with the layer's own driver, in batches."""
    kind = type(users).__name__
    if kind == "AsyncpgUserRepository":
        async with users.pool.acquire() as connection:
            for batch in batches(now):
                await connection.copy_records_to_table("users", records=batch, columns=COLUMNS)
    elif kind == "SQLAlchemyUserRepository":
        from my_bot.users.orm import users_table

        sqlite = users.engine.dialect.name == "sqlite"
        async with users.engine.begin() as connection:
            for batch in batches(now):
                values = [dict(zip(COLUMNS, row, strict=True)) for row in batch]
                if sqlite:  # SQLite keeps UTC times without their zone, as the bot writes them
                    for value in values:
                        for column in ("last_seen_at", "blocked_at"):
                            if value[column] is not None:
                                value[column] = value[column].replace(tzinfo=None)
                await connection.execute(users_table.insert(), values)
    elif kind == "MongoUserRepository":
        for batch in batches(now):
            documents = [
                {
                    "user_id": row[0],
                    "full_name": row[1],
                    **{
                        field: value
                        for field, value in zip(COLUMNS[2:], row[2:], strict=True)
                        if value is not None
                    },
                }
                for row in batch
            ]
            await users.users.insert_many(documents, ordered=False)
    else:
        raise SystemExit(f"no statistics to benchmark for {kind}")


async def main(result: Path) -> None:
    now = datetime.now(timezone.utc)
    async with open_backends(Settings()) as backends:
        users = backends.users
        started = time.perf_counter()
        await seed(users, now)
        seeded = time.perf_counter() - started
        await users.statistics(now)  # warms the cache
        times = []
        for _ in range(RUNS):
            started = time.perf_counter()
            figures = await users.statistics(now)
            times.append(time.perf_counter() - started)
    assert figures.total == USERS, figures
    assert figures.blocked == USERS // 20, figures
    median = statistics.median(times)
    print(
        f"{type(users).__name__}: {USERS:,} users seeded in {seeded:.0f} s; /stats counted "
        f"them in {median * 1000:.0f} ms (median of {RUNS}; min {min(times) * 1000:.0f} ms): "
        f"total {figures.total}, active {figures.active}, blocked {figures.blocked}, "
        f"registered {figures.registered}, languages {figures.languages}"
    )
    result.write_text(
        json.dumps({"users": USERS, "seconds": median, "min": min(times), "seeded": seeded})
    )


if __name__ == "__main__":
    asyncio.run(main(Path(sys.argv[1])))
