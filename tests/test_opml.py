from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.errors import ParseError
from bot.opml import parse_opml, render_opml
from storage.records import Source, SourceKind, SourceStatus

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "opml"
NOW = datetime(2026, 1, 2, 3, 4, tzinfo=UTC)


@pytest.fixture
def corpus():
    if not CORPUS.is_dir():
        pytest.skip(f"the shared OPML corpus is not beside the project ({CORPUS})")
    return CORPUS


@pytest.mark.parametrize(
    ("name", "feeds"),
    [
        ("awesome-rss-feeds_Japan_wellformed.opml", 8),
        ("awesome-rss-feeds_Tech_malformed.opml", 26),
        ("awesome-rss-feeds_Programming_malformed.opml", 50),
    ],
)
def test_real_exports_well_formed_or_not(corpus, name, feeds):
    document = (corpus / name).read_bytes()
    result = parse_opml(document)
    assert len(result.feeds) == feeds == document.count(b"xmlUrl=")
    assert all(feed.url.startswith("http") for feed in result.feeds)
    assert {feed.category for feed in result.feeds} == {name.split("_")[1]}
    assert result.problems == ()


def test_problems_are_reported_with_their_line():
    document = b"""<opml version="1.0"><body>
<outline text="Folder">
  <outline text="ok" xmlURL="https://a.example/feed" />
  <outline text="no url" type="rss" />
  <outline text="bad" xmlUrl="javascript:alert(1)" />
  <outline text="again" xmlUrl="https://a.example/feed" />
</outline></body></opml>"""
    result = parse_opml(document)
    assert [feed.url for feed in result.feeds] == ["https://a.example/feed"]
    assert result.feeds[0].category == "Folder"
    assert result.problems == (
        "line 4: outline 'no url' has no feed URL (xmlUrl)",
        "line 5: 'javascript:alert(1)' is not an http(s) URL",
        "line 6: https://a.example/feed is listed twice; kept once",
    )


@pytest.mark.parametrize("document", [b"", b"hello", b"\xff\xfe\x00garbage", b"<html></html>"])
def test_not_opml_is_a_parse_error(document):
    with pytest.raises(ParseError, match="not an OPML document"):
        parse_opml(document)


def test_export_round_trips_through_import():
    sources = [
        Source(
            id=i,
            url=url,
            name=name,
            kind=SourceKind.RSS,
            title=None,
            interval=timedelta(minutes=15),
            status=SourceStatus.ACTIVE,
            created_at=NOW,
            next_check_at=NOW,
        )
        for i, (url, name) in enumerate(
            [("https://a.example/feed?x=1&y=2", "A & B"), ("https://t.me/durov", None)], 1
        )
    ]
    document = render_opml(sources, title="claimwatch sources", now=NOW)
    assert document.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<opml version="2.0">')
    feeds = parse_opml(document.encode()).feeds
    assert [(f.url, f.title) for f in feeds] == [
        ("https://a.example/feed?x=1&y=2", "A & B"),
        ("https://t.me/durov", "https://t.me/durov"),
    ]
