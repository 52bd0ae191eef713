"""Logging: one format, the level from settings, and secrets scrubbed from every record.

Bot API URLs contain the token and httpx logs request URLs at INFO, so the httpx and httpcore
loggers stay at WARNING; a filter on the root handler masks the token anywhere it might still
appear (messages, arguments, tracebacks).
"""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterable
from typing import TextIO

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "aiosqlite", "asyncio")
REDACTED = "[redacted]"


class SecretFilter(logging.Filter):
    """Replace each secret by ``[redacted]`` in the fully formatted record."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._secrets = [s for s in secrets if s]

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._secrets:
            return True
        message = record.getMessage()
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        for secret in self._secrets:
            message = message.replace(secret, REDACTED)
            if record.exc_text:
                record.exc_text = record.exc_text.replace(secret, REDACTED)
        record.msg, record.args = message, None
        return True


def configure_logging(
    level: str,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    *,
    one_shot: bool = False,
) -> None:
    """Set up the root logger once for the process (called by the CLI, never at import).

    ``one_shot`` commands print their own results, so below DEBUG they log warnings only.
    """
    threshold = logging.getLevelNamesMapping()[level]
    if one_shot and threshold > logging.DEBUG:
        threshold = max(threshold, logging.WARNING)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter(LOG_FORMAT))
    handler.addFilter(SecretFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(threshold)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, threshold))
