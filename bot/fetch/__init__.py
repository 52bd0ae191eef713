"""The fetch stage: bytes from the network, politely and within limits.

    make_client(policy) -> httpx.AsyncClient        one shared client, closed by its owner;
                                                    its transport is the private-network guard
    fetch(client, url, ...) -> FetchResult          conditional GET, redirects, caps, guard
    fetch_preview(client, channel, ...)             a Telegram t.me/s/<channel> page
    parse_channel_reference("@name" | link) -> name

Outcomes are data: a ``FetchResult`` is OK, NOT_MODIFIED or FAILED with a ``FetchFailure``.
"""

from bot.fetch.client import default_user_agent, make_client
from bot.fetch.guard import describe_non_public, ensure_public_host
from bot.fetch.http import fetch
from bot.fetch.policy import FetchPolicy
from bot.fetch.results import (
    FailureKind,
    FetchFailedError,
    FetchFailure,
    FetchResult,
    FetchStatus,
)
from bot.fetch.telegram_preview import (
    ChannelReferenceError,
    channel_url,
    fetch_preview,
    is_channel_reference,
    parse_channel_reference,
    preview_url,
)

__all__ = [
    "ChannelReferenceError",
    "FailureKind",
    "FetchFailedError",
    "FetchFailure",
    "FetchPolicy",
    "FetchResult",
    "FetchStatus",
    "channel_url",
    "default_user_agent",
    "describe_non_public",
    "ensure_public_host",
    "fetch",
    "fetch_preview",
    "is_channel_reference",
    "make_client",
    "parse_channel_reference",
    "preview_url",
]
