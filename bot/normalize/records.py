"""The frozen results of the normalize stage (items themselves are ``storage.records.NewItem``)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from storage.records import NewItem, SourceKind


@dataclass(frozen=True, slots=True)
class ParsedFeed:
    """A feed read from bytes: what it is, its items and how often it asks to be polled.

    ``bozo`` is the feed parser's reason when the document was malformed (what parsed is
    still in ``items``); ``warnings`` lists what the normalize stage itself dropped or fixed.
    """

    kind: SourceKind
    title: str | None
    link: str | None
    items: tuple[NewItem, ...]
    ttl: timedelta | None = None
    bozo: str | None = None
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FeedLink:
    """One feed a web page points to. ``origin`` is "link" (``<link rel=alternate>``) or
    "anchor" (an ``<a href>`` that looks like a feed: a weaker guess)."""

    url: str
    kind: SourceKind
    media_type: str | None
    title: str | None
    origin: str = "link"


@dataclass(frozen=True, slots=True)
class FeedLinks:
    """A web page instead of a feed: the feeds it links to, best first (never empty)."""

    page_url: str
    title: str | None
    links: tuple[FeedLink, ...]

    @property
    def best(self) -> FeedLink:
        return self.links[0]


@dataclass(frozen=True, slots=True)
class ChannelPost:
    """One post of a Telegram channel preview. ``id`` is the numeric message id; an album is one
    post whose ``ids`` lists every message id it groups."""

    id: int
    ids: tuple[int, ...]
    item: NewItem
    edited: bool = False


@dataclass(frozen=True, slots=True)
class ChannelPage:
    """One page of ``t.me/s/<channel>``.

    ``min_id`` is the smallest message id on the page: the next older page is
    ``?before=<min_id>``. ``before`` is the cursor the page itself offers for an older page
    (``<link rel="prev">``), None when the page says there is none.
    """

    channel: str
    username: str | None
    title: str | None
    posts: tuple[ChannelPost, ...]
    min_id: int | None
    before: int | None
    warnings: tuple[str, ...] = ()

    @property
    def items(self) -> tuple[NewItem, ...]:
        return tuple(post.item for post in self.posts)
