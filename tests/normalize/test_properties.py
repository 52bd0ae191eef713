"""Properties over arbitrary input: parse_feed only ever raises ParseError, and what it returns
is well-formed and the same on every parse of the same bytes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import ParseError
from bot.normalize.feeds import parse_feed
from bot.normalize.records import FeedLinks, ParsedFeed

FETCHED_AT = datetime(2024, 10, 25, 12, 0, tzinfo=UTC)
URL = "https://news.example/feed"

_PREFIXES = st.sampled_from(
    [
        b"",
        b'<?xml version="1.0" encoding="utf-8"?>',
        b'<rss version="2.0"><channel><item><title>',
        b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><content type="html">',
        b'<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><item>',
        b'{"version": "https://jsonfeed.org/version/1.1", "items": [',
        b"<!DOCTYPE html><html><head><link rel=alternate type=application/rss+xml href=",
        b"\xef\xbb\xbf",
        b"\xff\xfe",
    ]
)
_FRAGMENTS = st.lists(
    st.one_of(
        st.binary(max_size=40),
        st.sampled_from(
            [b"<item>", b"</item>", b"<title>", b"</title>", b"<link>", b"http://x/?utm_source=1",
             b"<guid>", b"<pubDate>Sat, 01 Jan 2039 00:00:00 GMT", b"<![CDATA[", b"]]>", b"&amp;",
             b"&bogus;", b"\xd0\x9f\xd1\x80\xd0\xb8", b"<description>&lt;p&gt;", b"<br>",
             b'{"id": 1, "content_html": "<p>x</p>"}', b",", b"]}", b"<ttl>", b"-5"]
        ),
    ),
    max_size=30,
)  # fmt: skip


def _check(body: bytes) -> None:
    try:
        result = parse_feed(
            body, url=URL, headers={"Content-Type": "text/xml"}, fetched_at=FETCHED_AT
        )
    except ParseError:
        return
    if isinstance(result, FeedLinks):
        assert result.links
        return
    assert isinstance(result, ParsedFeed)
    for item in result.items:
        assert item.guid
        assert item.published_at is None or (
            item.published_at.tzinfo is not None
            and item.published_at <= FETCHED_AT + timedelta(days=1)
        )
        assert len(item.content_hash) == 32
        assert item.url is None or item.url.startswith(("http://", "https://"))
    again = parse_feed(body, url=URL, headers={"Content-Type": "text/xml"}, fetched_at=FETCHED_AT)
    assert again == result


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=3000))
def test_arbitrary_bytes(body: bytes) -> None:
    _check(body)


@settings(max_examples=300, deadline=None)
@given(_PREFIXES, _FRAGMENTS)
def test_feedlike_bytes(prefix: bytes, fragments: list[bytes]) -> None:
    _check(prefix + b"".join(fragments))
