"""Features the template owns: what every bot of it does, kept up to date by ``copier update``.

Their routers come before the project's own handlers (``bot.create_dispatcher``), and like
those they see the backends only through the middlewares' interfaces. Each module makes a new
router per dispatcher (``create_router``), so tests can build several dispatchers.

- ``language``: ``/language``, a user's choice among the bot's languages, kept with the user;
- ``membership``: who blocked the bot in their private chat, and who unblocked it.
"""

from aiogram import Router

from . import language, membership


def create_routers() -> list[Router]:
    """New routers of every feature, in the order they must match."""
    return [language.create_router(), membership.create_router()]


__all__ = ["create_routers"]
