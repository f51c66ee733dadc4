"""FSM storage benchmark: ``uvx nox -s benchmark`` runs it on a rendered project.

Operations per second of aiogram's storage interface (set/get state, set/get data,
update_data), with 1 task and with 16 concurrent tasks (one user each), for the storages the
rendered bots use: memory, Redis and MongoDB (aiogram's own, configured as ``wiring.py`` does)
and the template's SQL storage on SQLite and PostgreSQL, beside the third-party
``aiogram-sqlalchemy-storage`` on the same databases and each database's floor: one raw driver
round trip (redis-py SET/GET, an asyncpg single-row upsert/select, a pymongo upsert/find_one,
an aiosqlite upsert/select). Each figure is the median of ``RUNS`` runs; ratios are computed
within one run, the machine being noisy.

Usage: ``python tests/bench_storages.py PROJECT_SRC RESULTS_JSON`` with ``DATABASE_URL`` (a
PostgreSQL database of its own), ``REDIS_URL`` and ``MONGO_URL`` set.
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from contextlib import AsyncExitStack
from pathlib import Path
from typing import Any

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
SECONDS = 0.3  # per operation, concurrency and run: long enough for timer noise not to count
CONCURRENCY = (1, 16)
OPERATIONS = ("set_state", "get_state", "set_data", "get_data", "update_data")
WRITES = {"set_state", "set_data", "update_data"}
BOT_ID = 4242

Op = Callable[[int], Awaitable[Any]]


async def rate(op: Op, tasks: int) -> float:
    """Operations per second of ``op(user)`` for ``SECONDS``, ``tasks`` users at a time."""
    done = 0
    deadline = time.perf_counter() + SECONDS

    async def worker(user: int) -> None:
        nonlocal done
        while time.perf_counter() < deadline:
            await op(user)
            done += 1

    start = time.perf_counter()
    await asyncio.gather(*(worker(user) for user in range(1, tasks + 1)))
    return done / (time.perf_counter() - start)


def storage_ops(storage: Any) -> dict[str, Op]:
    from aiogram.fsm.storage.base import StorageKey

    def key(user: int) -> StorageKey:
        return StorageKey(bot_id=BOT_ID, chat_id=user, user_id=user)

    return {
        "set_state": lambda u: storage.set_state(key(u), "Registration:name"),
        "get_state": lambda u: storage.get_state(key(u)),
        "set_data": lambda u: storage.set_data(key(u), {"name": "Ada", "step": 1}),
        "get_data": lambda u: storage.get_data(key(u)),
        "update_data": lambda u: storage.update_data(key(u), {"email": "ada@example.com"}),
    }


def floor_ops(write: Op, read: Op) -> dict[str, Op]:
    """A floor's write round trip stands for the writes, its read for the reads."""
    return {op: write if op in WRITES else read for op in OPERATIONS}


# --- the contenders: (name, database) -> an async context giving operations ------------------


async def memory(stack: AsyncExitStack) -> dict[str, Op]:
    from aiogram.fsm.storage.memory import MemoryStorage

    return storage_ops(MemoryStorage())


async def redis_storage(stack: AsyncExitStack) -> dict[str, Op]:
    from aiogram.fsm.storage.base import DefaultKeyBuilder
    from aiogram.fsm.storage.redis import RedisStorage

    storage = RedisStorage.from_url(
        os.environ["REDIS_URL"], key_builder=DefaultKeyBuilder(with_destiny=True)
    )
    stack.push_async_callback(storage.close)
    return storage_ops(storage)


async def redis_floor(stack: AsyncExitStack) -> dict[str, Op]:
    from redis.asyncio import Redis

    client = Redis.from_url(os.environ["REDIS_URL"])
    stack.push_async_callback(client.aclose)
    return floor_ops(
        lambda u: client.set(f"bench:{u}", '{"name": "Ada"}'), lambda u: client.get(f"bench:{u}")
    )


async def mongo_storage(stack: AsyncExitStack) -> dict[str, Op]:
    from aiogram.fsm.storage.base import DefaultKeyBuilder
    from aiogram.fsm.storage.pymongo import PyMongoStorage
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[Any] = AsyncMongoClient(os.environ["MONGO_URL"])
    stack.push_async_callback(client.close)
    storage = PyMongoStorage(
        client, key_builder=DefaultKeyBuilder(with_destiny=True), db_name="bench"
    )
    return storage_ops(storage)


async def mongo_floor(stack: AsyncExitStack) -> dict[str, Op]:
    from pymongo import AsyncMongoClient

    client: AsyncMongoClient[Any] = AsyncMongoClient(os.environ["MONGO_URL"])
    stack.push_async_callback(client.close)
    floor = client["bench"]["floor"]
    return floor_ops(
        lambda u: floor.update_one({"_id": u}, {"$set": {"name": "Ada"}}, upsert=True),
        lambda u: floor.find_one({"_id": u}),
    )


def sqlite_url() -> str:
    return f"sqlite:///{tempfile.mkdtemp(prefix='bench-')}/fsm.db"


async def sql_storage(stack: AsyncExitStack, url: str) -> dict[str, Op]:
    """The template's SQL storage, as the rendered bot opens it (``fsm/sql.py``)."""
    from my_bot.fsm.sql import SQLStorage  # the rendered project's

    storage = SQLStorage(url, table_name="bench_fsm")
    stack.push_async_callback(storage.close)
    await storage.create_table()
    return storage_ops(storage)


async def third_party(stack: AsyncExitStack, url: str) -> dict[str, Op]:
    """``aiogram-sqlalchemy-storage``, as its documentation sets it up."""
    import sqlalchemy as sa
    from my_bot.db import async_url
    from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine
    from sqlalchemy_storage import SQLAlchemyStorage

    engine = create_async_engine(async_url(url))
    stack.push_async_callback(engine.dispose)
    metadata = sa.MetaData()
    storage = SQLAlchemyStorage(
        async_sessionmaker(engine, expire_on_commit=False), metadata, "bench_third_party"
    )
    async with engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    return storage_ops(storage)


async def postgres_floor(stack: AsyncExitStack) -> dict[str, Op]:
    import asyncpg

    async def no_reset(connection: object) -> None:
        """One round trip per statement: asyncpg's default reset query sends a second one."""

    # As SQLStorage's pool.
    pool = await asyncpg.create_pool(
        os.environ["DATABASE_URL"], min_size=1, max_size=10, reset=no_reset
    )
    stack.push_async_callback(pool.close)
    await pool.execute(
        "CREATE TABLE IF NOT EXISTS bench_floor (key text PRIMARY KEY, data jsonb NOT NULL)"
    )
    upsert = (
        "INSERT INTO bench_floor VALUES ($1, $2) "
        "ON CONFLICT (key) DO UPDATE SET data = excluded.data"
    )
    return floor_ops(
        lambda u: pool.execute(upsert, str(u), '{"name": "Ada"}'),
        lambda u: pool.fetchval("SELECT data FROM bench_floor WHERE key = $1", str(u)),
    )


async def sqlite_floor(stack: AsyncExitStack, url: str) -> dict[str, Op]:
    import aiosqlite

    # Autocommit and execute_fetchall: one trip to aiosqlite's thread per statement.
    path = url.removeprefix("sqlite:///")
    connection = await aiosqlite.connect(path, timeout=30, isolation_level=None)
    stack.push_async_callback(connection.close)
    await connection.execute("PRAGMA journal_mode=WAL")
    await connection.execute("CREATE TABLE IF NOT EXISTS floor (key TEXT PRIMARY KEY, data TEXT)")
    upsert = "INSERT INTO floor VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET data = excluded.data"
    return floor_ops(
        lambda u: connection.execute_fetchall(upsert, (str(u), '{"name": "Ada"}')),
        lambda u: connection.execute_fetchall("SELECT data FROM floor WHERE key = ?", (str(u),)),
    )


def contenders() -> dict[tuple[str, str], Callable[[AsyncExitStack], Awaitable[dict[str, Op]]]]:
    sqlite = sqlite_url()
    postgres = os.environ["DATABASE_URL"]
    return {
        ("memory", "memory"): memory,
        ("floor", "redis"): redis_floor,
        ("aiogram RedisStorage", "redis"): redis_storage,
        ("floor", "mongo"): mongo_floor,
        ("aiogram PyMongoStorage", "mongo"): mongo_storage,
        ("floor", "sqlite"): lambda stack: sqlite_floor(stack, sqlite),
        ("SQLStorage", "sqlite"): lambda stack: sql_storage(stack, sqlite),
        ("aiogram-sqlalchemy-storage", "sqlite"): lambda stack: third_party(stack, sqlite),
        ("floor", "postgresql"): postgres_floor,
        ("SQLStorage", "postgresql"): lambda stack: sql_storage(stack, postgres),
        ("aiogram-sqlalchemy-storage", "postgresql"): lambda stack: third_party(stack, postgres),
    }


async def one_run() -> dict[str, float]:
    """Every contender, operation and concurrency once: ``"name|database|op|tasks" -> ops/s``."""
    figures = {}
    only = os.environ.get("BENCH_ONLY", "")  # e.g. "postgresql" while profiling one database
    for (name, database), make in contenders().items():
        if only and only not in (name, database):
            continue
        async with AsyncExitStack() as stack:
            ops = await make(stack)
            for op in OPERATIONS:
                await ops[op](1)  # warm up: connections, prepared statements, the row
                for tasks in CONCURRENCY:
                    figures[f"{name}|{database}|{op}|{tasks}"] = await rate(ops[op], tasks)
    return figures


def main() -> None:
    sys.path.insert(0, sys.argv[1])
    runs = [asyncio.run(one_run()) for _ in range(RUNS)]
    medians = {key: statistics.median(run[key] for run in runs) for key in runs[0]}
    Path(sys.argv[2]).write_text(json.dumps({"runs": runs, "medians": medians}, indent=1))


if __name__ == "__main__":
    main()
