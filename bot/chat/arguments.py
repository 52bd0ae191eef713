"""Reading a command's arguments: a sub-command word, and numbers that name a record."""

from __future__ import annotations

from bot.chat.requests import UsageError

MAX_ID_DIGITS = 12


def split_first(args: str) -> tuple[str, str]:
    """The first word, case-folded, and the rest: ``("add", "Gaza: 3,000 ...")``."""
    parts = args.split(maxsplit=1)
    first = parts[0].casefold() if parts else ""
    return first, parts[1].strip() if len(parts) > 1 else ""


def parse_id(text: str, what: str) -> int:
    """A record's number, as ``42`` or ``#42``; ``what`` tells where numbers are shown."""
    digits = text.strip().removeprefix("#")
    if not digits.isascii() or not digits.isdigit() or len(digits) > MAX_ID_DIGITS:
        raise UsageError(f"Give {what}.")
    return int(digits)
