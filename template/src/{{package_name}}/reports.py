"""Error reports to Sentry, when ``SENTRY_DSN`` is set; nothing leaves the process without it.

The log is the one way in: every line at ERROR or above becomes an event (a failed update is
logged by ``errors.handle_error``, with its exception), the lines below it the event's
breadcrumbs. Nothing calls ``capture_exception`` besides, so no error is reported twice. An
event of an update's handling is tagged with the update's type and user id, and carries the
breadcrumbs of that update and of the process, not those of the other users' updates handled
meanwhile (Sentry keeps one list for the process).

Every string of an event and of a breadcrumb goes through the log's redaction first (messages,
exception values, the local variables of each stack frame): the token, the webhook secret, the
passwords in database URLs and the DSN itself never leave the process.
"""

import logging
from typing import Any

import sentry_sdk
from sentry_sdk.integrations.logging import LoggingIntegration
from sentry_sdk.types import Breadcrumb, BreadcrumbHint, Event, Hint

from .logs import RedactSecrets, current_update
from .settings import LogSettings

# Where a breadcrumb keeps the id of the update it was left in.
UPDATE_ID = "update_id"


def init_error_reports(settings: LogSettings, **options: Any) -> bool:
    """Send errors to ``SENTRY_DSN``, if it is set; whether it is.

    ``options`` go to ``sentry_sdk.init`` as they are (the tests pass a ``transport``).
    """
    if settings.sentry_dsn is None:
        return False
    redactor = RedactSecrets(settings.secrets())

    def before_send(event: Event, hint: Hint) -> Event:
        redacted: dict[str, Any] = redactor.redact_all(event)
        update = current_update()
        if update is not None:
            tags = redacted.setdefault("tags", {})
            tags["update_type"] = update.update_type
            if update.user_id is not None:
                tags["user_id"] = str(update.user_id)
        own = update.update_id if update is not None else None
        crumbs = redacted.get("breadcrumbs", {}).get("values", [])
        kept = [crumb for crumb in crumbs if crumb.get("data", {}).get(UPDATE_ID) in (None, own)]
        redacted["breadcrumbs"] = {"values": kept}
        return redacted  # type: ignore[return-value]  # the Event it was, redacted

    def before_breadcrumb(crumb: Breadcrumb, hint: BreadcrumbHint) -> Breadcrumb:
        redacted: dict[str, Any] = redactor.redact_all(crumb)
        redacted["data"] = dict(redacted.get("data") or {})
        if (update := current_update()) is not None:
            redacted["data"][UPDATE_ID] = update.update_id
        return redacted

    sentry_sdk.init(
        dsn=settings.sentry_dsn.get_secret_value(),
        environment=settings.sentry_environment,
        # No user's identity (a web request's address, cookies): the tags name the user.
        data_collection={"user_info": False},
        before_send=before_send,
        before_breadcrumb=before_breadcrumb,
        # Events from ERROR up, breadcrumbs from INFO; not Sentry's separate product for logs.
        integrations=[LoggingIntegration(level=None, event_level=logging.ERROR)],
        # Only what the bot logs: the integrations sentry_sdk would enable for aiohttp and the
        # database drivers add events and breadcrumbs (every query) of their own.
        auto_enabling_integrations=False,
        **options,
    )
    return True
