from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest

from bot.normalize.errors import InvalidJsonFeedError
from bot.normalize.jsonfeed import parse_json_feed
from storage.records import SourceKind

FETCHED_AT = datetime(2024, 10, 25, 12, 0, tzinfo=UTC)
URL = "https://blog.example/feed.json"


def _parse(document: Any) -> Any:
    return parse_json_feed(json.dumps(document).encode(), url=URL, fetched_at=FETCHED_AT)


def test_json_feed_1_1() -> None:
    feed = _parse(
        {
            "version": "https://jsonfeed.org/version/1.1",
            "title": "  My   Blog ",
            "home_page_url": "https://blog.example/?utm_source=feed",
            "language": "en-GB",
            "authors": [{"name": "Feed Author"}],
            "items": [
                {
                    "id": "1",
                    "url": "/posts/1?utm_medium=rss#top",
                    "title": "First",
                    "content_html": "<p>Hello <b>there</b>.</p><p>Second paragraph.</p>",
                    "date_published": "2024-10-24T09:30:00+02:00",
                    "authors": [{"name": "Ann"}, {"name": "Bob"}],
                },
                {
                    "id": 2,
                    "content_text": "Plain\n\ntext body",
                    "date_modified": "2024-10-24T10:00:00Z",
                },
            ],
        }
    )
    assert feed.kind is SourceKind.JSON_FEED
    assert feed.title == "My Blog"
    assert feed.link == "https://blog.example/"
    first, second = feed.items
    assert first.guid == "1"
    assert first.url == "https://blog.example/posts/1"
    assert first.title == "First"
    assert first.text == "Hello there.\n\nSecond paragraph."
    assert first.published_at == datetime(2024, 10, 24, 7, 30, tzinfo=UTC)
    assert first.author == "Ann, Bob"
    assert second.guid == "2"  # numeric ids are read as strings
    assert second.text == "Plain\n\ntext body"
    assert second.published_at == datetime(2024, 10, 24, 10, 0, tzinfo=UTC)
    assert second.author == "Feed Author"
    assert feed.warnings == ()


def test_json_feed_1_0_author_and_summary() -> None:
    feed = _parse(
        {
            "version": "https://jsonfeed.org/version/1",
            "author": {"name": "Old Style"},
            "items": [
                {"id": "a", "summary": "Only a &amp; summary", "external_url": "https://x.example/"}
            ],
        }
    )
    (item,) = feed.items
    assert item.author == "Old Style"
    assert item.text == "Only a & summary"
    assert item.url == "https://x.example/"


def test_lenient_about_bad_items_and_missing_version() -> None:
    feed = _parse({"items": ["not an object", {}, {"url": "https://x.example/only-link"}]})
    assert [item.url for item in feed.items] == ["https://x.example/only-link"]
    assert feed.items[0].guid == "https://x.example/only-link"
    assert feed.warnings == ("2 items skipped (not an object, or empty)",)


def test_versioned_feed_without_items_is_empty() -> None:
    feed = _parse({"version": "https://jsonfeed.org/version/1.1", "title": "Quiet"})
    assert feed.items == ()
    assert feed.warnings == ("no items list: read as an empty feed",)


def test_future_dates_are_dropped() -> None:
    feed = _parse({"version": "https://jsonfeed.org/version/1.1", "items": [
        {"id": "1", "title": "t", "date_published": "2024-10-26T13:00:00Z"},  # > 1 day ahead
        {"id": "2", "title": "t", "date_published": "2024-10-26T11:00:00Z"},  # within a day
        {"id": "3", "title": "t", "date_published": "yesterday"},
    ]})  # fmt: skip
    assert [item.published_at for item in feed.items] == [
        None,
        datetime(2024, 10, 26, 11, 0, tzinfo=UTC),
        None,
    ]
    assert "1 items dated in the future or before 1970: date ignored" in feed.warnings


@pytest.mark.parametrize(
    "body",
    [b"{", b"[1, 2]", b'"text"', b'{"title": "no items, no version"}', b"\xff\xfe{", b"{}"],
)
def test_not_a_json_feed(body: bytes) -> None:
    with pytest.raises(InvalidJsonFeedError):
        parse_json_feed(body, url=URL, fetched_at=FETCHED_AT)
