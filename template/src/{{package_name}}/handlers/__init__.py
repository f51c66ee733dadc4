"""The bot's handlers: one router per module, included in the order they must match."""

from aiogram import Router

from . import buttons, cancel, fallback, profile, register, start

# Commands come before the dialog, so "/cancel" typed at the name prompt cancels rather
# than becoming the name; the fallbacks come last and catch what nothing else did.
routers: tuple[Router, ...] = (
    start.router,
    cancel.router,
    profile.router,
    register.router,
    fallback.router,
    buttons.router,
)

__all__ = ["routers"]
