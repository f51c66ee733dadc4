"""The scheduler: runs the scheduled jobs (``jobs.py``) once, among all the bot's processes.

Every bot process runs a :class:`Scheduler` (started and stopped with the dispatcher). When a
job falls due, each tries to take the jobs' lease, in the FSM storage's backend beside the
per-user isolation's (``fsm/isolation.py``): shared by every process where the storage is,
this process's own in memory and on SQLite. The one that gets it reads which period each job
last ran in, which the FSM storage keeps, runs the jobs that have not run in this one and
writes their periods; the others try again every :data:`RETRY` seconds until the jobs are
done. The lease is renewed while jobs run, so a job may take long (a broadcast). A process
stopped with SIGTERM frees it; one that crashed holds it for :data:`LEASE` seconds at most,
then the next process runs what it did not finish. So a job runs once per period, or again
after a crash mid-job: make jobs safe to repeat.

Why not a scheduler library: APScheduler 3 runs every job in every process, with no way to
share one among processes; APScheduler 4, which can, keeps its schedule in a data store of its
own and is a pre-release. A loop that sleeps until the next job is due, under a lease of the
storage the bot already has, needs neither.
"""

import asyncio
import logging
import secrets
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from aiogram import Bot
from aiogram.dispatcher.event.handler import CallableObject
from aiogram.fsm.storage.base import BaseStorage, KeyBuilder, StorageKey

from .fsm.isolation import Leases
from .jobs import EPOCH, Job

logger = logging.getLogger(__name__)

# Where the jobs' lease and their last periods live: no Telegram chat or user has id 0.
DESTINY = "jobs"
# Seconds the jobs' lease outlives a process that crashed holding it; renewed every third.
LEASE = 30.0
# Seconds between tries while another process holds the jobs' lease.
RETRY = 5.0
# Seconds a stopping scheduler waits for the job it cancelled.
STOP_WITHIN = 7.0


class Lease:
    """A lease of ``leases``, renewed in the background from :meth:`take` until :meth:`free`.

    A lease that could not be renewed (the server was unreachable until it expired, so another
    process may hold it now) is :attr:`lost`: work under it should stop.
    """

    def __init__(self, leases: Leases, name: str, ttl: float = LEASE) -> None:
        self.leases = leases
        self.name = name
        self.ttl = ttl
        self.token = secrets.token_hex(16)
        self.lost = False
        self._renewing: asyncio.Task[None] | None = None

    async def take(self) -> bool:
        """Take the lease, if no one holds it, and keep it renewed; whether it was taken."""
        if not await self.leases.acquire(self.name, self.token, self.ttl):
            return False
        self._renewing = asyncio.create_task(self._renew(), name=f"renew {self.name}")
        return True

    async def free(self) -> None:
        """Stop renewing the lease and free it if this holds it (if that fails, it expires)."""
        if self._renewing is not None:
            self._renewing.cancel()
            await asyncio.gather(self._renewing, return_exceptions=True)
        try:
            await self.leases.release(self.name, self.token)
        except Exception as error:  # unreachable: it expires in ttl
            logger.warning("Could not free lease %s (%s); it expires", self.name, error)

    async def _renew(self) -> None:
        expires = asyncio.get_running_loop().time() + self.ttl
        while not self.lost:
            await asyncio.sleep(self.ttl / 3)
            try:
                if not await self.leases.acquire(self.name, self.token, self.ttl):
                    self.lost = True  # expired, and another process took it
                expires = asyncio.get_running_loop().time() + self.ttl
            except Exception as error:  # tried again until the lease would have expired
                logger.warning("Could not renew lease %s: %s", self.name, error)
                self.lost = asyncio.get_running_loop().time() >= expires


class Scheduler:
    """Runs ``jobs`` when they fall due, once among the processes sharing ``storage``.

    A job whose period the storage has no record of (a new bot, or a new job) first runs when
    its next period starts, not at once.
    """

    def __init__(
        self,
        jobs: Sequence[Job],
        storage: BaseStorage,
        leases: Leases,
        key_builder: KeyBuilder,
        users: object = None,
    ) -> None:
        self.jobs = list(jobs)
        self.storage = storage
        self.leases = leases
        self.key_builder = key_builder
        self.users = users
        self._task: asyncio.Task[None] | None = None

    async def start(self, bot: Bot, **data: Any) -> None:
        """Start running the jobs in the background (a start-up hook of the dispatcher).

        Jobs may take ``bot``, ``users``, ``storage``, their ``lease`` (:class:`Lease`) and
        what else ``data`` holds: the dispatcher's data.
        """
        if self.jobs and self._task is None:
            data = {**data, "bot": bot, "users": self.users, "storage": self.storage}
            self._task = asyncio.create_task(self._run(data), name="scheduler")

    async def stop(self) -> None:
        """Stop; a job running now is cancelled (the next process to take the lease reruns it).

        A job may finish what it started first (a broadcast its batch), for :data:`STOP_WITHIN`
        seconds at most, so the bot still stops within the 10 s ``docker stop`` gives it.
        """
        if self._task is not None:
            self._task.cancel()
            await asyncio.wait([self._task], timeout=STOP_WITHIN)
            self._task = None

    async def run_due(self, data: dict[str, Any], now: datetime | None = None) -> list[str] | None:
        """Run each job due ``now`` that nobody ran, and return their names.

        ``None`` if another process holds the jobs' lease (it runs them, or it crashed).
        """
        now = now or datetime.now(EPOCH.tzinfo)
        key = StorageKey(bot_id=data["bot"].id, chat_id=0, user_id=0, destiny=DESTINY)
        lease = Lease(self.leases, self.key_builder.build(key, "lock"))
        ran = []
        try:  # freed whatever happens: a stop may come while the server grants it
            if not await lease.take():
                return None
            done = await self.storage.get_data(key)
            for job in self.jobs:
                period = job.period_of(now)
                last = done.get(job.name)
                if isinstance(last, int) and last < period and not lease.lost:
                    logger.info("Running job %s", job.name)
                    await CallableObject(job.run).call(**data, lease=lease)
                    ran.append(job.name)
                if last != period:
                    await self.storage.update_data(key, {job.name: period})
        finally:
            await lease.free()
        return ran

    def next_due(self, now: datetime) -> datetime:
        """When the next of the jobs falls due after ``now``."""
        return min(job.start_of(job.period_of(now) + 1) for job in self.jobs)

    async def _run(self, data: dict[str, Any]) -> None:
        await self._try(data)  # records the periods of new jobs
        while True:
            now = datetime.now(EPOCH.tzinfo)
            await asyncio.sleep((self.next_due(now) - now).total_seconds())
            # Another process runs them, or it crashed: tried until they are done.
            while await self._try(data) is None:  # noqa: ASYNC110  # polls the lease
                await asyncio.sleep(RETRY)

    async def _try(self, data: dict[str, Any]) -> list[str] | None:
        try:
            return await self.run_due(data)
        except Exception:  # a failed job, or a storage that is down: tried when next due
            logger.exception("Scheduled jobs failed")
            return []
