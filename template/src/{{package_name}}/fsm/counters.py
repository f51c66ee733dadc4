"""Counters that expire: how many times something happened in a window of time.

Throttling counts each user's updates with them (``throttling.py``). Like the dialog state,
they live in the FSM storage's backend: a counter on Redis, MongoDB or PostgreSQL is one for
every bot process sharing it, so a limit holds however many processes there are. In memory
and on SQLite (:class:`LocalCounters`) each process counts on its own.

A counter is a fixed window: it starts at 1, counts up, and starts again at 1 the first time
it is counted ``window`` seconds after it started.
"""

import time
from collections import OrderedDict
from typing import Protocol


class Counters(Protocol):
    """Expiring counters, by name, shared by every process that shares the storage."""

    async def count(self, name: str, window: float) -> int:
        """Add one to counter ``name`` and return its new value (1 in a new window)."""


class LocalCounters:
    """Counters in this process's memory, forgotten when their window ends."""

    def __init__(self) -> None:
        # name -> (end of its window, count), in the order the windows started: with one length
        # of window, as throttling's, the first ends first, so ended ones are dropped from the
        # front.
        self._counters: OrderedDict[str, tuple[float, int]] = OrderedDict()

    async def count(self, name: str, window: float) -> int:
        """Add one to counter ``name`` and return its new value (1 in a new window)."""
        now = time.monotonic()
        while self._counters and next(iter(self._counters.values()))[0] <= now:
            self._counters.popitem(last=False)
        ends, count = self._counters.get(name, (now, 0))
        if ends <= now:  # a new window, started now: last in the order
            self._counters.pop(name, None)
            ends, count = now + window, 0
        self._counters[name] = (ends, count + 1)
        return count + 1
