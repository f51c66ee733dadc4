"""Schema migrations: ``python -m <package> migrate`` applies them, the bot checks them.

Each database layer keeps its own, applied in order and recorded in that database:

- ``alembic/``: Alembic revisions of the SQLAlchemy tables (``run_alembic.py``);
- ``sql/``: numbered SQL files for the asyncpg user data (``run_sql.py``);
- ``mongo/``: numbered Python modules for the MongoDB user data (``run_mongo.py``).

The bot refuses to start while a database lacks one of them, so new code never runs on an
old schema.
"""

from collections.abc import Sequence

from ..services import StartupError

COMMAND = f"python -m {__name__.partition('.')[0]} migrate"


class PendingMigrationsError(StartupError):
    """A database lacks migrations this version of the bot needs."""


class MigrationFileError(StartupError):
    """A file among the migrations that the runner cannot use: misnamed, or incomplete."""


def require_applied(database: str, pending: Sequence[str]) -> None:
    """Raise :class:`PendingMigrationsError` naming the ``pending`` migrations, if any."""
    if pending:
        missing = ", ".join(pending)
        message = f"{database} lacks {len(pending)} migration(s) ({missing}): run `{COMMAND}`"
        raise PendingMigrationsError(message)
