"""Small pieces of Telegram HTML shared by the replies: escaping, links, dates, fitting.

Everything a user or a feed wrote goes through ``escape`` (or ``link``) before it enters a
reply; the handlers' own wording is plain text without markup characters.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from bot.chat.limits import MESSAGE_CHARS
from bot.translation import _, format_iso_day, format_iso_minute

ELLIPSIS = "…"


def escape(text: str, limit: int | None = None) -> str:
    """``text`` made safe for Telegram HTML, first shortened to ``limit`` characters."""
    if limit is not None and len(text) > limit:
        text = text[: limit - 1].rstrip() + ELLIPSIS
    return html.escape(text, quote=False)


def bold(text: str, limit: int | None = None) -> str:
    return f"<b>{escape(text, limit)}</b>"


def code(text: str, limit: int | None = None) -> str:
    return f"<code>{escape(text, limit)}</code>"


def link(url: str | None, label: str, limit: int | None = None) -> str:
    """A link when ``url`` is http(s), else just the escaped label."""
    if url and urlsplit(url).scheme in ("http", "https"):
        return f'<a href="{html.escape(url, quote=True)}">{escape(label, limit)}</a>'
    return escape(label, limit)


def day(at: datetime | None) -> str:
    return format_iso_day(at) if at else _("never")


def local_minute(at: datetime | None, timezone: str = "UTC") -> str:
    """``at`` in the chat's time zone, to the minute."""
    if at is None:
        return _("never")
    return format_iso_minute(at, ZoneInfo(timezone))


def fit(lines: Iterable[str], limit: int = MESSAGE_CHARS) -> str:
    """Join lines into one message, dropping whole lines (each well-formed HTML) past ``limit``."""
    kept: list[str] = []
    size = 0
    for line in lines:
        if size + len(line) + 1 > limit - len(ELLIPSIS) - 1:
            kept.append(ELLIPSIS)
            break
        kept.append(line)
        size += len(line) + 1
    return "\n".join(kept)
