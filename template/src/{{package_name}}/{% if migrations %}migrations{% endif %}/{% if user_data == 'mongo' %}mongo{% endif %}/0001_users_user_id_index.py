"""A unique index on ``users.user_id``: one document per Telegram user, found by id."""

from typing import Any

from pymongo.asynchronous.database import AsyncDatabase


async def upgrade(database: AsyncDatabase[dict[str, Any]]) -> None:
    """Create the index (a no-op if it exists)."""
    await database["users"].create_index("user_id", unique=True, name="user_id_unique")
