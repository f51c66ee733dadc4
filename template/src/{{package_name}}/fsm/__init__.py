"""Dialog (FSM) state: one whole module per storage backend, each with its own isolation.

The wiring opens the backend this project was generated with through that module's
``open_storage(settings, databases, create_schema=...)``, which yields a :class:`DialogStorage`.
As aiogram's storages carry their isolation (``RedisStorage.create_isolation``), each backend
hands over its storage together with the per-user isolation that holds wherever the storage is
shared (:mod:`.isolation`) and counters shared as far (:mod:`.counters`), so nobody outside the
backend's module switches on its kind.
"""

from dataclasses import dataclass

from aiogram.fsm.storage.base import BaseEventIsolation, BaseStorage, KeyBuilder

from .counters import Counters
from .isolation import Leases


@dataclass(frozen=True, slots=True)
class DialogStorage:
    """An FSM storage, opened, with what the dispatcher needs to use it safely."""

    storage: BaseStorage
    # Handles one update at a time per user (aiogram's default handles them all at once).
    isolation: BaseEventIsolation
    # What the storage raises when its server is unreachable or out of connections.
    unavailable: tuple[type[Exception], ...]
    # Expiring counters beside the state (throttling), shared as far as the isolation is.
    counters: Counters
    # Leases beside the state (scheduled jobs), as shared; named by ``key_builder``, the
    # storage's, so they keep to its prefix.
    leases: Leases
    key_builder: KeyBuilder
