"""The normalize stage: pure functions from response bytes to items.

No network, no clock (``fetched_at`` is passed in), no environment. The orchestrator calls:

- ``parse_feed(body, url=..., headers=..., fetched_at=...)`` -> ``ParsedFeed | FeedLinks``
  for RSS/Atom/RDF (feedparser), JSON Feed, or a web page that links to feeds;
- ``parse_channel_page(html, channel=..., base_url=..., fetched_at=...)`` -> ``ChannelPage``
  for ``t.me/s/<channel>``;
- ``build_channel_post(message_id=..., text=..., posted_at=..., url=...)`` -> ``ChannelPost``
  for a ``channel_post`` update (same guid as the preview page gives the same post).

Both raise only ``bot.errors.ParseError`` subclasses (tree in ``bot.normalize.errors``).
"""

from bot.normalize.discovery import discover_feeds
from bot.normalize.errors import (
    ChannelUnavailableError,
    InvalidJsonFeedError,
    NoFeedFoundError,
    NotAFeedError,
)
from bot.normalize.feeds import parse_feed
from bot.normalize.identity import content_hash, item_guid
from bot.normalize.language import detect_language
from bot.normalize.records import ChannelPage, ChannelPost, FeedLink, FeedLinks, ParsedFeed
from bot.normalize.telegram import build_channel_post, parse_channel_page
from bot.normalize.text import html_to_text
from bot.normalize.urls import canonicalize_url

__all__ = [
    "ChannelPage",
    "ChannelPost",
    "ChannelUnavailableError",
    "FeedLink",
    "FeedLinks",
    "InvalidJsonFeedError",
    "NoFeedFoundError",
    "NotAFeedError",
    "ParsedFeed",
    "build_channel_post",
    "canonicalize_url",
    "content_hash",
    "detect_language",
    "discover_feeds",
    "html_to_text",
    "item_guid",
    "parse_channel_page",
    "parse_feed",
]
