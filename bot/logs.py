"""Logging: one format, the level from settings, and secrets scrubbed from everything printed.

Bot API URLs contain the token and httpx logs request URLs at INFO, so the httpx and httpcore
loggers stay at WARNING. The token still reaches text in other ways: python-telegram-bot's
``InvalidToken`` names it, and an error page that echoes the request path (``/bot<token>/getMe``)
ends up in the exception message. So a filter on the root handler scrubs every record (message,
arguments, traceback, stack) and the exception hooks scrub what would otherwise be printed raw.
"""

from __future__ import annotations

import logging
import sys
import threading
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import TextIO

from bot.printable import escape_controls

LOG_FORMAT = "%(asctime)s %(levelname)-7s %(name)s: %(message)s"
QUIET_LOGGERS = ("httpx", "httpcore", "apscheduler", "aiosqlite", "asyncio")
# python-telegram-bot logs an answer that is not JSON (a proxy's error page) with a traceback,
# then raises an error that carries it, which the caller reports: one report is enough.
REPEATING_LOGGERS = ("telegram.request.BaseRequest",)
REDACTED = "[redacted]"
_SHORTEST_SECRET_PART = 8  # a bot token's secret half is 35 characters; never mask "1" or ":"


class Scrubber:
    """Masks secrets in text. A bot token is masked whole, and its part after the colon on its
    own too: a page that percent-encodes the path (``123%3AABC``) still shows that part."""

    def __init__(self, secrets: Iterable[str]) -> None:
        variants = set()
        for secret in filter(None, secrets):
            variants.add(secret)
            _bot_id, colon, rest = secret.partition(":")
            if colon and len(rest) >= _SHORTEST_SECRET_PART:
                variants.add(rest)
        self._variants = sorted(variants, key=len, reverse=True)  # whole tokens before parts

    def __bool__(self) -> bool:
        return bool(self._variants)

    def scrub(self, text: str) -> str:
        for variant in self._variants:
            text = text.replace(variant, REDACTED)
        return text


class PrintableFormatter(logging.Formatter):
    """The usual format with terminal control characters escaped: log lines quote feed titles
    and URLs, which must not move the cursor or retitle the window of whoever reads the log."""

    def format(self, record: logging.LogRecord) -> str:
        return escape_controls(super().format(record))


class SecretFilter(logging.Filter):
    """Replace each secret by ``[redacted]`` in the fully formatted record."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self._scrubber = Scrubber(secrets)

    def filter(self, record: logging.LogRecord) -> bool:
        if not self._scrubber:
            return True
        scrub = self._scrubber.scrub
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the format: logging would print them raw
            message = f"{record.msg!s} (arguments that do not fit: {record.args!r})"
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        record.msg, record.args = scrub(message), None
        if record.exc_text:
            record.exc_text = scrub(record.exc_text)
        if record.stack_info:
            record.stack_info = scrub(record.stack_info)
        return True


def configure_logging(
    level: str,
    secrets: Iterable[str] = (),
    stream: TextIO | None = None,
    *,
    one_shot: bool = False,
) -> None:
    """Set up the root logger once for the process (called by the CLI, never at import), and
    the hooks that print uncaught exceptions, scrubbed.

    ``one_shot`` commands print their own results, so below DEBUG they log warnings only.
    """
    secrets = list(secrets)
    threshold = logging.getLevelNamesMapping()[level]
    if one_shot and threshold > logging.DEBUG:
        threshold = max(threshold, logging.WARNING)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(PrintableFormatter(LOG_FORMAT))
    handler.addFilter(SecretFilter(secrets))
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(threshold)
    for name in QUIET_LOGGERS:
        logging.getLogger(name).setLevel(max(logging.WARNING, threshold))
    for name in REPEATING_LOGGERS:
        logging.getLogger(name).setLevel(logging.DEBUG if threshold <= logging.DEBUG else
                                         logging.CRITICAL)  # fmt: skip
    install_exception_hooks(Scrubber(secrets), stream)


def install_exception_hooks(scrubber: Scrubber, stream: TextIO | None = None) -> None:
    """Uncaught exceptions (main thread and others) are printed as usual, with secrets masked."""

    def print_scrubbed(
        kind: type[BaseException], error: BaseException, tb: TracebackType | None
    ) -> None:
        text = "".join(traceback.format_exception(kind, error, tb))
        out = stream or sys.stderr
        out.write(scrubber.scrub(text))
        out.flush()

    def print_thread_scrubbed(args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        name = args.thread.name if args.thread is not None else "?"
        (stream or sys.stderr).write(f"Exception in thread {scrubber.scrub(name)}:\n")
        print_scrubbed(args.exc_type, args.exc_value, args.exc_traceback)

    sys.excepthook = print_scrubbed if scrubber else sys.__excepthook__
    threading.excepthook = print_thread_scrubbed if scrubber else threading.__excepthook__
