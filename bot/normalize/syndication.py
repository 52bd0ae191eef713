"""RSS 0.9x/1.0/2.0, Atom and RDF through feedparser, always on bytes.

feedparser is lenient: a malformed document sets ``bozo`` and still yields what parsed, and we
keep all of it. It never sees a URL or a file name (a bytes body that happens to be a path would
otherwise be opened): the body goes in as a stream, with the response headers it needs for
encoding detection (``content-type``). It gets no base URL: feedparser would resolve an RSS
``<guid>`` that is not a URL (``<guid>123</guid>``) against it, and an item's identity must not
change when its feed moves; relative links are resolved here, against the feed's URL.
"""

from __future__ import annotations

import io
import time
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

import feedparser

from bot.normalize.dates import from_struct_time
from bot.normalize.errors import NotAFeedError
from bot.normalize.items import build_item, collect_items, fill_languages
from bot.normalize.records import ParsedFeed
from bot.normalize.text import html_to_text, single_line
from bot.normalize.urls import canonicalize_url
from storage.records import NewItem, SourceKind

MAX_TTL = timedelta(days=7)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", "html", "xhtml"})
_PERIODS = {
    "hourly": timedelta(hours=1),
    "daily": timedelta(days=1),
    "weekly": timedelta(weeks=1),
    "monthly": timedelta(days=30),
    "yearly": timedelta(days=365),
}


def run_feedparser(body: bytes, headers: Mapping[str, str], *, url: str | None = None) -> Any:
    """feedparser's result for ``body``, with header names lowercased as feedparser expects.

    Raises NotAFeedError if feedparser itself fails (it should not; hostile bytes might)."""
    lowered = {name.lower(): value for name, value in headers.items()}
    lowered.pop("content-location", None)
    try:
        return feedparser.parse(
            io.BytesIO(body),
            response_headers=lowered,
            resolve_relative_uris=False,  # we keep text, not markup
            sanitize_html=False,  # text extraction drops scripts and styles itself
        )
    except Exception as exc:  # a third-party parser crash is a parse failure
        reason = f"the feed parser failed: {type(exc).__name__}: {exc}"
        raise NotAFeedError(reason, url) from exc


def is_empty_result(result: Any) -> bool:
    """feedparser found no feed at all: no version, no entries, no feed title."""
    return not result.get("version") and not result.get("entries") and not result.feed.get("title")


def to_parsed_feed(result: Any, *, url: str, fetched_at: datetime, root: str | None) -> ParsedFeed:
    """Our ``ParsedFeed`` from feedparser's result: every entry with any content is an item,
    once (a feed that repeats an entry's id yields the first; storage keys items by guid)."""
    feed = result.feed
    headers = result.get("headers") or {}
    language = _string(feed.get("language")) or _string(headers.get("content-language"))
    items, warnings = collect_items(
        (
            _entry_item(entry, url=url, fetched_at=fetched_at, language=language)
            for entry in result.get("entries", [])
        ),
        singular="entry",
        plural="entries",
        skipped_reason="empty entries skipped (no id, link, title or text)",
    )
    ttl, ttl_warning = _ttl(feed)
    if ttl_warning:
        warnings.append(ttl_warning)
    title_detail = feed.get("title_detail") or {}
    title = _string(feed.get("title"))
    if title and title_detail.get("type") in _HTML_TYPES:
        title = html_to_text(title)
    link = _string(feed.get("link"))
    return ParsedFeed(
        kind=_kind(_string(result.get("version")), root),
        title=single_line(title) or None if title else None,
        link=canonicalize_url(link, base=url) if link else None,
        items=tuple(fill_languages(items)),
        ttl=ttl,
        bozo=_bozo(result),
        warnings=tuple(warnings),
    )


def _entry_item(
    entry: Any, *, url: str, fetched_at: datetime, language: str | None
) -> tuple[NewItem | None, bool]:
    body, body_type, body_language = _body(entry)
    title_detail = entry.get("title_detail") or {}
    published_at = None
    date_raw = None
    for key in ("published", "updated", "created"):
        parsed = entry.get(f"{key}_parsed")
        if isinstance(parsed, time.struct_time):
            published_at = from_struct_time(parsed)
            date_raw = _string(entry.get(key))
            if published_at is not None:
                break
    item = build_item(
        guid=_string(entry.get("id")),
        link=_string(entry.get("link")),
        title=_string(entry.get("title")),
        title_is_html=title_detail.get("type") in _HTML_TYPES,
        body=body,
        body_is_html=body_type is None or body_type in _HTML_TYPES,
        published_at=published_at,
        date_raw=date_raw,
        fetched_at=fetched_at,
        base_url=url,
        author=_string(entry.get("author")),
        declared_language=_string(title_detail.get("language")) or body_language or language,
    )
    return item, published_at is not None


def _body(entry: Any) -> tuple[str | None, str | None, str | None]:
    """The fullest of the entry's contents, else its summary: (value, media type, language)."""
    best: Mapping[str, Any] | None = None
    for content in entry.get("content") or ():
        value = _string(content.get("value"))
        if value and (best is None or len(value) > len(best.get("value") or "")):
            best = content
    if best is None:
        summary = _string(entry.get("summary"))
        if not summary:
            return None, None, None
        best = entry.get("summary_detail") or {"value": summary}
        if not _string(best.get("value")):
            best = {"value": summary}
    return _string(best.get("value")), _string(best.get("type")), _string(best.get("language"))


def _ttl(feed: Any) -> tuple[timedelta | None, str | None]:
    raw = _string(feed.get("ttl"))
    if raw:
        try:
            minutes = int(raw.strip())
        except ValueError:
            return None, f"ttl {raw!r} is not a number of minutes: ignored"
        if minutes <= 0:
            return None, f"ttl {minutes} is not positive: ignored"
        return min(timedelta(minutes=minutes), MAX_TTL), None
    period = _PERIODS.get((_string(feed.get("sy_updateperiod")) or "").strip().lower())
    if period is None:
        return None, None
    try:
        frequency = max(1, int((_string(feed.get("sy_updatefrequency")) or "1").strip()))
    except ValueError:
        frequency = 1
    return min(period / frequency, MAX_TTL), None


def _kind(version: str | None, root: str | None) -> SourceKind:
    if version in ("rss090", "rss10"):
        return SourceKind.RDF
    if version and version.startswith("atom"):
        return SourceKind.ATOM
    if version and (version.startswith("rss") or version == "cdf"):
        return SourceKind.RSS
    return {"rss": SourceKind.RSS, "feed": SourceKind.ATOM, "rdf": SourceKind.RDF}.get(
        root or "", SourceKind.UNKNOWN
    )


def _bozo(result: Any) -> str | None:
    if not result.get("bozo"):
        return None
    exc = result.get("bozo_exception")
    if exc is None:
        return "malformed feed"
    if type(exc).__name__ == "NonXMLContentType" and "no content-type" in str(exc).lower():
        return None  # the caller gave no headers: nothing wrong with the document
    return f"{type(exc).__name__}: {exc}"[:500]


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None
