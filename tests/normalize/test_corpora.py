"""Every feed of the real-world corpora: parse_feed never crashes and loses no entry.

For each file, feedparser's own result on the same bytes and headers is the reference: every
entry it returns with any content (an id, a link, a title, a summary or a content body)
becomes exactly one item. Entries with nothing but an author, a date or a category carry no
content and are skipped, and an entry the feed repeats (same id) is one item (both are counted
in the feed's warnings).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.normalize.feeds import parse_feed
from bot.normalize.records import ParsedFeed
from storage.records import SourceKind
from tests.corpus_files import CORPORA, comment_headers, corpus_files, reference_entries

FETCHED_AT = datetime(2100, 1, 1, tzinfo=UTC)  # far ahead: no real date is "in the future"
FILES = corpus_files(CORPORA / "feedparser-tests" / "tests") + corpus_files(CORPORA / "real-feeds")


def test_corpora_are_complete() -> None:
    if not FILES:
        pytest.skip(f"real-world corpora not found at {CORPORA} (../shared/corpora)")
    assert len([p for p in FILES if "feedparser-tests" in p.parts]) == 2248
    assert len([p for p in FILES if "sites" in p.parts]) >= 200


@pytest.mark.parametrize(
    "path", FILES or [None], ids=[str(p.relative_to(CORPORA)) for p in FILES] or ["absent"]
)
def test_parse_feed_never_crashes_and_loses_no_entry(path: Path | None) -> None:
    if path is None:
        pytest.skip(f"real-world corpora not found at {CORPORA} (../shared/corpora)")
    body = path.read_bytes()
    headers = comment_headers(body)
    url = f"http://example.com/{path.name}"
    expected = reference_entries(body, headers, url)
    try:
        result = parse_feed(body, url=url, headers=headers, fetched_at=FETCHED_AT)
    except ParseError as error:
        assert expected == 0, f"{error} but feedparser found {expected} entries"
        return
    if not isinstance(result, ParsedFeed):  # a web page with feed links
        assert expected == 0, f"read as a web page but feedparser found {expected} entries"
        return
    if result.kind is SourceKind.JSON_FEED:
        assert expected == 0  # feedparser does not read JSON Feed
        return
    assert len(result.items) == expected


@pytest.mark.parametrize("name", ["koi8r.xml", "encoding_WINDOWS-1251.xml", "rdf_UTF8.xml"])
def test_awkward_encodings_decode(corpora: Path, name: str) -> None:
    result = parse_feed(
        (corpora / "real-feeds" / "miniflux" / name).read_bytes(),
        url="http://example.com/",
        fetched_at=FETCHED_AT,
    )
    assert isinstance(result, ParsedFeed)
    assert result.items
    text = " ".join(f"{item.title} {item.text}" for item in result.items)
    assert "\ufffd" not in text


def test_russian_feeds_are_detected_as_russian(corpora: Path) -> None:
    for name in ("koi8r.xml", "encoding_WINDOWS-1251.xml"):
        result = parse_feed(
            (corpora / "real-feeds" / "miniflux" / name).read_bytes(),
            url="http://example.com/",
            fetched_at=FETCHED_AT,
        )
        assert isinstance(result, ParsedFeed)
        assert {item.lang for item in result.items} <= {"ru", None}
        assert any(item.lang == "ru" for item in result.items)


def test_reparsing_real_feeds_gives_the_same_items(corpora: Path) -> None:
    for path in sorted((corpora / "real-feeds" / "miniflux").glob("*.xml")):
        body = path.read_bytes()
        first = parse_feed(body, url="http://example.com/f", fetched_at=FETCHED_AT)
        # another fetch time drops other dates as "future", but never changes an identity
        again = parse_feed(
            body, url="http://example.com/f", fetched_at=datetime(2019, 1, 1, tzinfo=UTC)
        )
        assert isinstance(first, ParsedFeed) and isinstance(again, ParsedFeed)
        assert [(i.guid, i.content_hash) for i in first.items] == [
            (i.guid, i.content_hash) for i in again.items
        ], path.name
