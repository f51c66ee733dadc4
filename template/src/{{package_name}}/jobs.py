"""Scheduled jobs: work the bot does by the clock, each run once however many processes run.

A :class:`Job` runs once per ``period``, ``offset`` into it: daily at 06:00 UTC is a period of
a day and an offset of 6 hours. Features declare theirs (``features.create_jobs``); the
scheduler (``scheduler.py``) runs them in one of the bot's processes.
"""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from typing import Protocol

EPOCH = datetime(1970, 1, 1, tzinfo=timezone(timedelta(0)))


class Held(Protocol):
    """The lease a job runs under (``scheduler.Lease``), which jobs may take as ``lease``."""

    @property
    def lost(self) -> bool:
        """Whether the lease could not be renewed: another process may run the jobs now."""


@dataclass(frozen=True, slots=True)
class Job:
    """``run`` once per ``period``, ``offset`` into it (UTC).

    ``run`` is a coroutine function (``async def``) that takes what it names of the
    dispatcher's data, as a handler does: ``bot``, ``users``, ``catalogue``, ``admins``...
    """

    name: str
    run: Callable[..., Awaitable[object]]
    period: timedelta
    offset: timedelta = timedelta(0)

    def period_of(self, moment: datetime) -> int:
        """The number of the period ``moment`` falls in."""
        return (moment - EPOCH - self.offset) // self.period

    def start_of(self, period: int) -> datetime:
        """When period number ``period`` starts."""
        return EPOCH + self.offset + period * self.period
