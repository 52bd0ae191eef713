"""JSON Feed 1.0 and 1.1 (https://jsonfeed.org/version/1.1), which feedparser does not read.

Lenient like the rest of the stage: an item that is not an object is skipped with a warning,
a missing ``version`` is accepted when there is an ``items`` list, ``id`` may be a number.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from typing import Any

from bot.normalize.dates import parse_iso_datetime
from bot.normalize.errors import InvalidJsonFeedError
from bot.normalize.items import build_item, collect_items, fill_languages
from bot.normalize.records import ParsedFeed
from bot.normalize.text import single_line
from bot.normalize.urls import canonicalize_url
from storage.records import NewItem, SourceKind

VERSION_PREFIXES = ("https://jsonfeed.org/version/", "http://jsonfeed.org/version/")


def parse_json_feed(body: bytes, *, url: str, fetched_at: datetime) -> ParsedFeed:
    """A JSON Feed document as a ``ParsedFeed``; raises InvalidJsonFeedError if it is not one."""
    try:
        document = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise InvalidJsonFeedError(f"not valid JSON: {exc}", url) from exc
    if not isinstance(document, dict):
        raise InvalidJsonFeedError("JSON, but not a JSON Feed (not an object)", url)
    version = document.get("version")
    raw_items = document.get("items")
    versioned = isinstance(version, str) and version.strip().startswith(VERSION_PREFIXES)
    if not versioned and not isinstance(raw_items, list):
        raise InvalidJsonFeedError("JSON, but not a JSON Feed (no version, no items)", url)
    warnings: list[str] = []
    if not isinstance(raw_items, list):
        warnings.append("no items list: read as an empty feed")
        raw_items = []
    language = _string(document.get("language"))
    feed_author = _author(document)
    items, dropped = collect_items(
        (
            _item(raw, url=url, fetched_at=fetched_at, language=language)
            if isinstance(raw, dict)
            else (None, False)
            for raw in raw_items
        ),
        singular="item",
        plural="items",
        skipped_reason="items skipped (not an object, or empty)",
    )
    warnings.extend(dropped)
    if feed_author:
        items = [i if i.author is not None else replace(i, author=feed_author) for i in items]
    title = _string(document.get("title"))
    home = _string(document.get("home_page_url"))
    return ParsedFeed(
        kind=SourceKind.JSON_FEED,
        title=single_line(title) or None if title else None,
        link=canonicalize_url(home, base=url) if home else None,
        items=tuple(fill_languages(items)),
        warnings=tuple(warnings),
    )


def _item(
    raw: dict[str, Any], *, url: str, fetched_at: datetime, language: str | None
) -> tuple[NewItem | None, bool]:
    guid = raw.get("id")
    if isinstance(guid, int | float) and not isinstance(guid, bool):
        guid = str(guid)
    html = _string(raw.get("content_html"))
    text = _string(raw.get("content_text"))
    summary = _string(raw.get("summary"))
    date_raw = _string(raw.get("date_published")) or _string(raw.get("date_modified"))
    published_at = parse_iso_datetime(date_raw)
    item = build_item(
        guid=_string(guid),
        link=_string(raw.get("url")) or _string(raw.get("external_url")),
        title=_string(raw.get("title")),
        body=html or text or summary,
        body_is_html=bool(html) or (not text and bool(summary)),
        published_at=published_at,
        date_raw=date_raw,
        fetched_at=fetched_at,
        base_url=url,
        author=_author(raw),
        declared_language=_string(raw.get("language")) or language,
    )
    return item, published_at is not None


def _author(obj: dict[str, Any]) -> str | None:
    authors = obj.get("authors")
    candidates = authors if isinstance(authors, list) else []
    candidates = [*candidates, obj.get("author")]
    names = [
        single_line(name)
        for author in candidates
        if isinstance(author, dict) and (name := _string(author.get("name")))
    ]
    names = [name for name in names if name]
    return ", ".join(dict.fromkeys(names)) or None


def _string(value: object) -> str | None:
    return value if isinstance(value, str) else None
