"""Command line: ``python -m <package>`` or the console script of the same name."""

import argparse
import asyncio
import logging
import sys
from collections.abc import Sequence

from pydantic import ValidationError

from .services import ServiceUnavailableError
from .settings import Settings, describe_errors

logger = logging.getLogger(__name__)

LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"


async def run(settings: Settings) -> None:
    """Connect to the backends and Telegram, then serve updates until stopped."""
    # Imported here, after the settings are known to be good: importing aiogram builds
    # hundreds of pydantic models and takes seconds, which a typo in .env should not cost.
    from .bot import check_telegram, create_bot, create_dispatcher
    from .wiring import open_backends, serve

    bot = create_bot(settings)
    try:
        async with open_backends(settings) as backends:
            await check_telegram(bot, settings)
            dispatcher = create_dispatcher(backends.storage, backends.users)
            await serve(bot, dispatcher, settings)
    finally:
        await bot.session.close()


def main(argv: Sequence[str] | None = None) -> None:
    """Run the bot; bad settings or an unreachable service end it with a one-line error."""
    parser = argparse.ArgumentParser(prog=__package__, description=__doc__)
    parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format=LOG_FORMAT)
    try:
        settings = Settings()
    except ValidationError as error:
        sys.exit(f"error: {describe_errors(error)}")
    try:
        asyncio.run(run(settings))
    except ServiceUnavailableError as error:
        sys.exit(f"error: {error}")
    except KeyboardInterrupt:  # Ctrl+C before the dispatcher took over the signals.
        logger.info("Stopped")
