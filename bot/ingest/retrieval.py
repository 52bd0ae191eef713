"""Retrieve one source: fetch its bytes and normalize them into items, whatever it is.

A feed is fetched with its validators (a 304 costs nothing); a web page is searched for the feed
it links to, and that feed is fetched instead (the source then moves to the feed's address); a
Telegram channel is read from its public web preview, paging back with ``?before=`` on the first
fetch up to a bound. Every outcome is data: ``Retrieved``, ``NotModified`` or ``Failed``.

Parsing is CPU work: it runs in the parser pool (``bot.ingest.parsers``: other processes, one per
core, or a worker thread), so the event loop keeps serving timers and sockets (fetch deadlines
stay accurate) while a large feed is read. What goes to the pool is a pure function of bytes
(``parse_response``, ``read_channel_page``) that returns records, failures included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TypeVar

import httpx

from bot.errors import ParseError
from bot.fetch import (
    ChannelReferenceError,
    FailureKind,
    FetchPolicy,
    FetchResult,
    FetchStatus,
    channel_url,
    fetch,
    fetch_preview,
    is_channel_reference,
    parse_channel_reference,
)
from bot.ingest.parsers import ParserCrashedError, ParserPool
from bot.normalize import (
    ChannelPage,
    ChannelPost,
    FeedLinks,
    ParsedFeed,
    parse_channel_page,
    parse_feed,
)
from storage.records import NewItem, SourceKind

DEFAULT_BACKFILL_POSTS = 100
PARSE_JOBS = (__name__,)  # what a parser process imports: parse_response, read_channel_page
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Retrieved:
    kind: SourceKind
    title: str | None
    items: tuple[NewItem, ...]
    etag: str | None = None
    last_modified: str | None = None
    moved_to: str | None = None  # store the source under this address from now on
    hints: tuple[timedelta | None, ...] = ()  # max-age, <ttl>: how long the content stays fresh
    note: str | None = None  # what a person should know: "chose the RSS feed ... of 2"


@dataclass(frozen=True, slots=True)
class NotModified:
    etag: str | None
    last_modified: str | None
    hints: tuple[timedelta | None, ...] = ()


@dataclass(frozen=True, slots=True)
class Failed:
    reason: str
    connection_level: bool = False  # no connection could be made at all
    gone: bool = False  # 410: pause the source
    retry_after: timedelta | None = None


Outcome = Retrieved | NotModified | Failed


def source_address(reference: str) -> str:
    """The address a source is stored under: channels as https://t.me/<name>, others as given."""
    reference = reference.strip()
    if is_channel_reference(reference):
        try:
            return channel_url(parse_channel_reference(reference).lower())
        except ChannelReferenceError:
            return reference
    return reference


@dataclass(frozen=True, slots=True)
class Retriever:
    client: httpx.AsyncClient
    policy: FetchPolicy
    preview_base: str
    backfill_posts: int = DEFAULT_BACKFILL_POSTS
    parsers: ParserPool = field(default_factory=lambda: ParserPool(0))

    async def retrieve(
        self,
        url: str,
        *,
        now: datetime,
        etag: str | None = None,
        last_modified: str | None = None,
        first_time: bool = False,
    ) -> Outcome:
        if is_channel_reference(url):
            return await self._channel(url, now=now, backfill=first_time)
        return await self._feed(url, now=now, etag=etag, last_modified=last_modified)

    async def _feed(
        self, url: str, *, now: datetime, etag: str | None, last_modified: str | None
    ) -> Outcome:
        result = await self._get(url, now, etag=etag, last_modified=last_modified)
        if not isinstance(result, FetchResult):
            return result
        if result.status is FetchStatus.NOT_MODIFIED:
            return NotModified(result.etag, result.last_modified, (result.max_age,))
        parsed = await self._parse(result, now)
        if isinstance(parsed, FeedLinks):
            return await self._discovered(parsed, now)
        if isinstance(parsed, Failed):
            return parsed
        return _retrieved(parsed, result, moved_to=result.moved_to)

    async def _discovered(self, page: FeedLinks, now: datetime) -> Outcome:
        """Fetch the best feed a web page links to; the source moves there."""
        chosen = page.best
        result = await self._get(chosen.url, now)
        if not isinstance(result, FetchResult):
            return Failed(f"the page links to {chosen.url}, which failed: {result.reason}")
        parsed = await self._parse(result, now)
        if not isinstance(parsed, ParsedFeed):
            reason = parsed.reason if isinstance(parsed, Failed) else "another web page"
            return Failed(f"the page links to {chosen.url}, which is not a feed: {reason}")
        others = len(page.links) - 1
        note = f"found {chosen.kind} feed {chosen.url} on the page" + (
            f" (chose it over {others} other{'s' * (others > 1)})" if others else ""
        )
        moved_to = result.moved_to or chosen.url
        return _retrieved(parsed, result, moved_to=moved_to, note=note)

    async def _channel(self, reference: str, *, now: datetime, backfill: bool) -> Outcome:
        try:
            channel = parse_channel_reference(reference).lower()
        except ChannelReferenceError as exc:
            return Failed(str(exc))
        posts: dict[int, ChannelPost] = {}
        title: str | None = None
        before: int | None = None
        while True:
            result = await fetch_preview(
                self.client, channel, before=before, preview_base=self.preview_base,
                policy=self.policy, now=now,
            )  # fmt: skip
            if result.status is not FetchStatus.OK or result.body is None:
                if posts:  # an older page failed: keep what the newer pages gave
                    break
                return _failed(result)
            page = await self._parsed(
                read_channel_page, result.body, channel, result.final_url, now
            )
            if isinstance(page, Failed):
                if posts:
                    break
                return page
            title = title or page.title
            fresh = [post for post in page.posts if post.id not in posts]
            posts.update((post.id, post) for post in fresh)
            if (
                not backfill
                or not fresh
                or page.min_id is None
                or len(posts) >= self.backfill_posts
            ):
                break
            before = page.min_id
        newest = sorted(posts.values(), key=lambda post: post.id)[-self.backfill_posts :]
        moved_to = channel_url(channel) if channel_url(channel) != reference else None
        return Retrieved(
            kind=SourceKind.TELEGRAM,
            title=title,
            items=tuple(post.item for post in newest),
            moved_to=moved_to,
        )

    async def _parse(self, result: FetchResult, now: datetime) -> ParsedFeed | FeedLinks | Failed:
        return await self._parsed(
            parse_response, result.body or b"", result.final_url, result.content_type, now
        )

    async def _parsed(self, job: Callable[..., T], *args: object) -> T | Failed:
        """``job(*args)`` in the parser pool; a job that kills its process fails alone."""
        try:
            return await self.parsers.run(job, *args)
        except ParserCrashedError as exc:
            return Failed(exc.reason)

    async def _get(
        self, url: str, now: datetime, *, etag: str | None = None, last_modified: str | None = None
    ) -> FetchResult | Failed:
        result = await fetch(
            self.client, url, etag=etag, last_modified=last_modified, policy=self.policy,
            now=now,
        )  # fmt: skip
        return _failed(result) if result.status is FetchStatus.FAILED else result


def parse_response(
    body: bytes, url: str, content_type: str | None, fetched_at: datetime
) -> ParsedFeed | FeedLinks | Failed:
    """``parse_feed`` with its failure as a value (a job of the parser pool)."""
    headers = {"content-type": content_type} if content_type else {}
    try:
        return parse_feed(body, url=url, headers=headers, fetched_at=fetched_at)
    except ParseError as exc:
        return Failed(exc.reason)


def read_channel_page(
    body: bytes, channel: str, url: str, fetched_at: datetime
) -> ChannelPage | Failed:
    """``parse_channel_page`` with its failure as a value (a job of the parser pool)."""
    try:
        return parse_channel_page(body, channel=channel, base_url=url, fetched_at=fetched_at)
    except ParseError as exc:
        return Failed(exc.reason)


def _retrieved(
    parsed: ParsedFeed, result: FetchResult, *, moved_to: str | None, note: str | None = None
) -> Retrieved:
    return Retrieved(
        kind=parsed.kind,
        title=parsed.title,
        items=parsed.items,
        etag=result.etag,
        last_modified=result.last_modified,
        moved_to=moved_to,
        hints=(result.max_age, parsed.ttl),
        note=note,
    )


def _failed(result: FetchResult) -> Failed:
    failure = result.failure
    if failure is None:  # an OK result without a body cannot happen; say so plainly
        return Failed(f"empty response from {result.final_url}")
    return Failed(
        reason=failure.reason,
        connection_level=failure.connection_level,
        gone=failure.kind is FailureKind.GONE,
        retry_after=result.retry_after,
    )
