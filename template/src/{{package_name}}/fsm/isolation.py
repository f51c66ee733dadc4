"""Per-user event isolation: one user's updates are handled one at a time.

aiogram's dispatcher isolates nothing by default (``DisabledEventIsolation``): two messages
from one user run their handlers at once, both read the same state and data, and one write
is lost (``FSMContext.update_data`` reads, then writes). Its ``SimpleEventIsolation`` works
within one process and keeps a lock per user forever. The classes here fix both: a local lock
that is forgotten once nobody holds or waits for it, and, where the storage is shared between
processes, the storage's own lock taken after the local one (see :class:`SharedEventIsolation`).

On Redis and MongoDB a shared lock is a lease: a key or document with a random token and an
expiry (:class:`LeaseIsolation`). aiogram's ``RedisEventIsolation`` (redis-py's ``Lock``) leaves
the lock behind when the connection drops while it is taken or freed (the server did it, the
reply was lost), and that user then waits for the expiry, a minute: measured, 30 of 30 users
whose updates were in flight. Here a retry recognises a lease its own lost reply took, and a
release is retried until the server is back.
"""

import asyncio
import logging
import secrets
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from aiogram.fsm.storage.base import BaseEventIsolation, KeyBuilder, StorageKey

logger = logging.getLogger(__name__)

# Retry delays while another process holds a lease: short at first, as most handlers are.
FIRST_RETRY = 0.005
LAST_RETRY = 0.1


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


class Leases(Protocol):
    """Expiring locks on a server every bot process shares, each held under a random token."""

    # What the driver raises when the connection is lost: the operation may or may not have run.
    transient: tuple[type[Exception], ...]

    async def acquire(self, name: str, token: str, ttl: float) -> bool:
        """Take lease ``name`` for ``ttl`` seconds; ``True`` also if ``token`` holds it already.

        Taking a lease ``token`` holds renews it: it then expires ``ttl`` seconds from now.
        """

    async def release(self, name: str, token: str) -> None:
        """Free lease ``name`` if ``token`` holds it."""


class LocalLeases:
    """Leases within this process, for the storages no other process shares (memory, SQLite)."""

    transient: tuple[type[Exception], ...] = ()

    def __init__(self) -> None:
        self._held: dict[str, tuple[str, float]] = {}  # name -> (token, monotonic expiry)

    async def acquire(self, name: str, token: str, ttl: float) -> bool:
        """Take lease ``name`` for ``ttl`` seconds; ``True`` also if ``token`` holds it already."""
        now = time.monotonic()
        holder, expires = self._held.get(name, (token, now))
        if holder != token and expires > now:
            return False
        self._held[name] = (token, now + ttl)
        return True

    async def release(self, name: str, token: str) -> None:
        """Free lease ``name`` if ``token`` holds it."""
        if self._held.get(name, ("", 0.0))[0] == token:
            del self._held[name]


class LeaseIsolation(BaseEventIsolation):
    """Isolation across processes with :class:`Leases`, which survives lost connections.

    A lease outlives a crashed bot by ``ttl`` seconds at most, so ``ttl`` must be longer than any
    handler runs (a minute, as aiogram's Redis locks). While the server is unreachable, taking a
    lease fails after ``outage`` seconds (the update fails, like any operation on a server that
    is down), and freeing one is retried for as long, then left to expire. A lease that a failed
    take may have got (the server granted it, the reply was lost) is freed in the background,
    tried until it expires: else that user's next updates would wait out the ``ttl``.
    """

    def __init__(
        self, leases: Leases, key_builder: KeyBuilder, ttl: float = 60.0, outage: float = 5.0
    ) -> None:
        self.leases = leases
        self.key_builder = key_builder
        self.ttl = ttl
        self.outage = outage
        self._freeing: set[asyncio.Task[None]] = set()

    @asynccontextmanager
    async def lock(self, key: StorageKey) -> AsyncIterator[None]:
        """Hold the key's lease for the duration of the block."""
        name = self.key_builder.build(key, "lock")
        token = secrets.token_hex(16)
        try:
            await self._acquire(name, token)
        except BaseException:
            # Cancelled or failed after the server may have granted it: freed in the background,
            # so a failing update is not held up twice as long.
            freeing = asyncio.create_task(self._release(name, token, self.ttl))
            self._freeing.add(freeing)
            freeing.add_done_callback(self._freeing.discard)
            raise
        try:
            yield
        finally:
            await self._release(name, token, self.outage)

    async def close(self) -> None:
        """Stop freeing leases in the background: they expire.

        The leases use the storage's connections, which the storage closes.
        """
        for freeing in self._freeing:
            freeing.cancel()
        await asyncio.gather(*self._freeing, return_exceptions=True)

    async def _acquire(self, name: str, token: str) -> None:
        delay = FIRST_RETRY
        failing_since: float | None = None
        while True:
            try:
                if await self.leases.acquire(name, token, self.ttl):
                    return
                failing_since = None
            except self.leases.transient:
                now = time.monotonic()
                failing_since = now if failing_since is None else failing_since
                if now - failing_since > self.outage:
                    raise
            await asyncio.sleep(delay)
            delay = min(delay * 2, LAST_RETRY)

    async def _release(self, name: str, token: str, patience: float) -> None:
        """Free the lease, retried for ``patience`` seconds while it fails.

        On any error, not only ``transient`` ones: right after a lost connection a driver can
        fail with others (redis-py, retrying on a dead transport, raises ``AttributeError``),
        and a lease left behind keeps its user waiting for the whole ``ttl``.
        """
        delay = FIRST_RETRY
        deadline = time.monotonic() + patience
        while True:
            try:
                await self.leases.release(name, token)
                return
            except Exception as error:  # any failure: retried, then logged
                if time.monotonic() > deadline:
                    logger.warning(
                        "Could not free lock %s (%s); it expires in %.0f s", name, error, self.ttl
                    )
                    return
            await asyncio.sleep(delay)
            delay = min(delay * 2, LAST_RETRY)
