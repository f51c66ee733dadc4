"""v0.6.0: indexes for the queries of who is active and who blocked the bot.

Documents need no change: a field a document lacks (``language``, ``blocked_at``,
``start_payload``, ``last_seen_at``) reads as empty.
"""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase


async def upgrade(database: AsyncDatabase[dict[str, Any]]) -> None:
    """Create the indexes (a no-op for one that exists)."""
    await database["users"].create_index("blocked_at", name="blocked_at")
    await database["users"].create_index("last_seen_at", name="last_seen_at")
