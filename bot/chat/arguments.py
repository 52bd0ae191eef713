"""Reading a command's arguments: cleaning what was typed, a sub-command word, and numbers
that name a record."""

from __future__ import annotations

import re

from bot.chat.requests import UsageError
from bot.normalize.text import storable
from bot.translation import _

MAX_ID_DIGITS = 12
_CONTROL = re.compile(r"[\x01-\x08\x0b-\x1f\x7f]")


def clean_arguments(text: str) -> str:
    """What was typed after a command, as the database and Telegram take it: without NUL,
    lone surrogates (invalid UTF-8 from a terminal) and control characters but tab and
    newline; stripped."""
    return _CONTROL.sub("", storable(text)).strip()


def split_first(args: str) -> tuple[str, str]:
    """The first word, case-folded, and the rest: ``("add", "Gaza: 3,000 ...")``."""
    parts = args.split(maxsplit=1)
    first = parts[0].casefold() if parts else ""
    return first, parts[1].strip() if len(parts) > 1 else ""


def parse_id(text: str, what: str) -> int:
    """A record's number, as ``42`` or ``#42``; ``what`` (translated) tells where numbers are
    shown."""
    digits = text.strip().removeprefix("#")
    if not digits.isascii() or not digits.isdigit() or len(digits) > MAX_ID_DIGITS:
        raise UsageError(_("Give %(what)s.", what=what))
    return int(digits)
