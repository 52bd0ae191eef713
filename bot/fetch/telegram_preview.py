"""Telegram channels through their public web preview, ``https://t.me/s/<channel>``.

A channel reference from a chat or sources.toml (``https://t.me/name``, ``t.me/s/name``,
``@name``, ``https://telegram.me/name``) is reduced to the channel name; preview pages are then
fetched with the same ``fetch`` as feeds, paging back with ``?before=<post id>``.
"""

from __future__ import annotations

import re
from datetime import datetime
from urllib.parse import urlsplit

import httpx

from bot.errors import ClaimwatchError
from bot.fetch.http import fetch
from bot.fetch.policy import FetchPolicy
from bot.fetch.results import FailureKind, FetchFailure, FetchResult, FetchStatus

DEFAULT_PREVIEW_BASE = "https://t.me"
TELEGRAM_HOSTS = frozenset({"t.me", "telegram.me", "www.t.me", "www.telegram.me"})

_CHANNEL_NAME = re.compile(r"[A-Za-z][A-Za-z0-9_]{4,31}")
_PRIVATE_PATHS = frozenset({"joinchat", "c", "addlist"})


class ChannelReferenceError(ClaimwatchError, ValueError):
    """Not a public Telegram channel we can read; the message says why."""


def is_channel_reference(reference: str) -> bool:
    """Whether ``reference`` claims to be a Telegram channel (it may still be malformed)."""
    text = reference.strip()
    return text.startswith("@") or _telegram_path(text) is not None


def parse_channel_reference(reference: str) -> str:
    """The channel name of a reference, as written (Telegram names ignore case).

    Raises ``ChannelReferenceError`` with a readable reason when it is not a public channel.
    """
    text = reference.strip()
    if text.startswith("@"):
        return _checked_name(text[1:], reference)
    path = _telegram_path(text)
    if path is None:
        raise ChannelReferenceError(f"{reference!r} is not a Telegram channel link or @name")
    segments = [segment for segment in path.split("/") if segment]
    if segments[:1] == ["s"]:  # the preview page itself
        segments = segments[1:]
    if not segments:
        raise ChannelReferenceError(f"{reference!r} names no channel")
    if segments[0].startswith("+") or segments[0] in _PRIVATE_PATHS:
        raise ChannelReferenceError(
            f"{reference!r} is a private link: only public channels have a web preview"
        )
    return _checked_name(segments[0], reference)


def preview_url(
    channel: str, *, before: int | None = None, preview_base: str = DEFAULT_PREVIEW_BASE
) -> str:
    """``<base>/s/<channel>``, or the page of posts older than ``before``."""
    url = f"{preview_base.rstrip('/')}/s/{channel}"
    return url if before is None else f"{url}?before={before}"


def channel_url(channel: str) -> str:
    """The canonical address to store a channel source under."""
    return f"{DEFAULT_PREVIEW_BASE}/{channel}"


async def fetch_preview(
    client: httpx.AsyncClient,
    channel: str,
    *,
    before: int | None = None,
    preview_base: str = DEFAULT_PREVIEW_BASE,
    policy: FetchPolicy,
    now: datetime,
) -> FetchResult:
    """Fetch one preview page. Telegram redirects ``/s/<name>`` of a channel without a preview
    (or of no channel at all) to ``/<name>``: that becomes a NO_PREVIEW failure, not an empty page.
    """
    url = preview_url(channel, before=before, preview_base=preview_base)
    result = await fetch(client, url, policy=policy, now=now)
    if result.status is FetchStatus.OK and "/s/" not in urlsplit(result.final_url).path:
        reason = f"@{channel} has no public web preview (is it a public channel?)"
        failure = FetchFailure(FailureKind.NO_PREVIEW, reason)
        return FetchResult(FetchStatus.FAILED, url=url, final_url=result.final_url, failure=failure)
    return result


def _telegram_path(text: str) -> str | None:
    """The path of a t.me / telegram.me link, with or without a scheme; None for other text."""
    try:
        split = urlsplit(text if "://" in text else f"https://{text}")
    except ValueError:  # "[" opens an IPv6 host that never closes
        return None
    if split.scheme not in ("http", "https") or (split.hostname or "") not in TELEGRAM_HOSTS:
        return None
    return split.path


def _checked_name(name: str, reference: str) -> str:
    if _CHANNEL_NAME.fullmatch(name):
        return name
    raise ChannelReferenceError(
        f"{reference!r}: a channel name is 5-32 letters, digits or underscores,"
        " starting with a letter"
    )
