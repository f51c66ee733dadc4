"""The bot's log: text or JSON lines (``LOG_FORMAT``) from ``LOG_LEVEL`` up, secrets redacted.

Each line logged while an update is handled says which: its update id, its user's id and the
handler it reached (``<package>.handlers.start.start``), as ``[update 5, user 7, handler]`` at
the end of a text line, or as the fields ``update_id``, ``user_id`` and ``handler`` of a JSON
line. ``handling.handle_update`` opens :func:`update_context` around each update and
``middlewares.HandlerNameMiddleware`` names the handler; a context variable carries both to
every record, whichever library logs it. (Not an outer middleware alone: aiogram calls the
error handler once those have returned, and its lines matter most.)
"""

import contextlib
import dataclasses
import logging
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from typing import Any

from pythonjsonlogger.json import JsonFormatter

from .settings import LogSettings

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
JSON_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
REDACTED = "***"


@dataclasses.dataclass(frozen=True)
class UpdateInfo:
    """What log lines and error reports say about the update being handled."""

    update_id: int
    update_type: str
    user_id: int | None
    handler: str | None = None


_current_update: ContextVar[UpdateInfo | None] = ContextVar("current_update", default=None)


@contextlib.contextmanager
def update_context(update_id: int, update_type: str, user_id: int | None) -> Iterator[None]:
    """Tag what is logged inside the block with the update ``update_id`` and its user."""
    token = _current_update.set(UpdateInfo(update_id, update_type, user_id))
    try:
        yield
    finally:
        _current_update.reset(token)


def current_update() -> UpdateInfo | None:
    """The update being handled in this task, if any."""
    return _current_update.get()


def name_handler(handler: str) -> None:
    """Say which handler the current update reached (until its :func:`update_context` ends)."""
    info = _current_update.get()
    if info is not None:
        _current_update.set(dataclasses.replace(info, handler=handler))


class RedactSecrets(logging.Filter):
    """Replaces secrets in log records, tracebacks included, with ``***``.

    The bot's own code never logs a secret, but aiohttp and aiogram errors may quote the URL
    of a request, and Bot API URLs hold the token (``/bot<token>/getMe``). A handler filter
    catches them all, whichever library logs; Python's logging has no such filter built in.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        # Longest first, so a secret that contains another is replaced whole.
        self.secrets = sorted(set(secrets), key=len, reverse=True)

    def redact(self, text: str) -> str:
        """Return ``text`` with every secret replaced."""
        for secret in self.secrets:
            text = text.replace(secret, REDACTED)
        return text

    def redact_all(self, value: Any) -> Any:
        """Return ``value`` with every string in it redacted, in dicts, lists and tuples too."""
        if isinstance(value, str):
            return self.redact(value)
        if isinstance(value, dict):
            return {self.redact_all(key): self.redact_all(item) for key, item in value.items()}
        if isinstance(value, list | tuple):
            return type(value)(self.redact_all(item) for item in value)
        return value

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the message, the traceback and the stack of ``record``; keep every record."""
        # A record whose arguments do not fit its message is left for logging to report.
        with contextlib.suppress(Exception):
            record.msg, record.args = self.redact(record.getMessage()), None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = self.redact(record.exc_text)
        if record.stack_info:
            record.stack_info = self.redact(record.stack_info)
        return True


class AddUpdateContext(logging.Filter):
    """Adds ``update_id``, ``user_id`` and ``handler`` to records of an update's handling."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Add the current update's fields to ``record``, if an update is being handled."""
        info = _current_update.get()
        if info is not None:
            record.update_id = info.update_id
            record.user_id = info.user_id
            record.handler = info.handler
        return True


class TextLines(logging.Formatter):
    """:data:`TEXT_FORMAT`, and the update's context at the end of its lines."""

    def __init__(self) -> None:
        super().__init__(TEXT_FORMAT)

    def formatMessage(self, record: logging.LogRecord) -> str:
        """The line without its traceback; the update's fields after the message."""
        line = super().formatMessage(record)
        update_id, user_id, handler = (
            getattr(record, name, None) for name in ("update_id", "user_id", "handler")
        )
        if update_id is None:
            return line
        known = [f"update {update_id}", user_id and f"user {user_id}", handler]
        return f"{line} [{', '.join(part for part in known if part)}]"


class JsonLines(JsonFormatter):
    """One JSON object a line, each of its strings redacted (extra fields, traceback and all).

    python-json-logger formats the traceback itself, from the exception, and adds whatever
    ``extra`` a library passed: so the redaction comes last, on the whole object.
    """

    def __init__(self, redactor: RedactSecrets) -> None:
        super().__init__(JSON_FORMAT)
        self.redactor = redactor

    def process_log_record(self, log_data: dict[str, Any]) -> dict[str, Any]:
        """Redact every string of the line."""
        redacted: dict[str, Any] = self.redactor.redact_all(log_data)
        return redacted


def configure_logging(settings: LogSettings) -> RedactSecrets:
    """Log to stderr from ``LOG_LEVEL`` up, in ``LOG_FORMAT``, with no secret of ``settings``.

    Returns the redactor, for whatever else must not show them. If the root logger has
    handlers already (under pytest), they are kept, and only get the filters; called again, the
    filters are replaced.
    """
    redactor = RedactSecrets(settings.secrets())
    handler = logging.StreamHandler()
    as_json = settings.log_format == "json"
    handler.setFormatter(JsonLines(redactor) if as_json else TextLines())
    logging.basicConfig(level=settings.log_level, handlers=[handler])
    logging.captureWarnings(True)  # warnings, too, go through the redacting handler
    for each in logging.getLogger().handlers:
        for old in [f for f in each.filters if isinstance(f, RedactSecrets | AddUpdateContext)]:
            each.removeFilter(old)
        # The context first, so that the redaction sees everything the line will hold.
        each.addFilter(AddUpdateContext())
        each.addFilter(redactor)
    return redactor
