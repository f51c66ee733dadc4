"""Per-user event isolation: one user's updates are handled one at a time.

aiogram's dispatcher isolates nothing by default (``DisabledEventIsolation``): two messages
from one user run their handlers at once, both read the same state and data, and one write
is lost (``FSMContext.update_data`` reads, then writes). Its ``SimpleEventIsolation`` works
within one process and keeps a lock per user forever. The classes here fix both: a local lock
that is forgotten once nobody holds or waits for it, and, where the storage is shared between
processes, the storage's own lock taken after the local one (see :class:`SharedEventIsolation`).
"""

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from aiogram.fsm.storage.base import BaseEventIsolation, StorageKey


class LocalEventIsolation(BaseEventIsolation):
    """Isolation within this process: an :class:`asyncio.Lock` per key, first come first served.

    Holds for the memory storage (whose state lives in this process anyway) and for any storage
    used by a single bot process.
    """

    def __init__(self) -> None:
        # key -> (lock, how many hold or wait for it); dropped at zero, so idle users cost nothing.
        self._locks: dict[StorageKey, tuple[asyncio.Lock, int]] = {}

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        """Hold the key's lock for the duration of the block."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users == 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    @property
    def held(self) -> int:
        """How many keys are locked or waited for right now."""
        return len(self._locks)

    async def close(self) -> None:
        """Nothing to release: locks live only while they are held."""


class SharedEventIsolation(BaseEventIsolation):
    """Isolation across every process that shares ``shared`` (a storage's lock), in two steps.

    The local lock comes first: a process then waits for the shared lock with one update per
    user at most, so many updates from one user do not each hold a database connection or poll
    Redis, and they keep their arrival order (the local lock is fair; shared ones may not be).
    """

    def __init__(self, shared: BaseEventIsolation) -> None:
        self.local = LocalEventIsolation()
        self.shared = shared

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        """Hold the key's lock in this process, then across processes."""
        async with self.local.lock(key), self.shared.lock(key):
            yield

    async def close(self) -> None:
        """Close the shared isolation (the local one holds nothing)."""
        await self.shared.close()
