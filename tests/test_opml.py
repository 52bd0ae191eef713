import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from bot.config.opml import parse_opml, render_opml
from bot.errors import ParseError
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


# Import time must grow linearly with the document, whatever is broken in it: each shape is
# parsed at n and 4n, and 4n may take at most LINEAR_RATIO times as long (quadratic: 16).
LINEAR_RATIO = 8


def _feeds(n: int, *, closed: bool = True) -> bytes:
    end = "/>" if closed else ">"  # unclosed: every feed stays open, nesting n deep
    outlines = "\n".join(
        f'  <outline type="rss" text="Feed {i}" xmlUrl="https://f{i}.example/rss"{end}'
        for i in range(n)
    )
    return f'<opml version="2.0"><body>\n{outlines}\n</body></opml>'.encode()


def _unclosed_attribute(size: int) -> bytes:
    # A description whose quote never closes, one long word: a pattern tried at every offset
    # of it is quadratic.
    return (
        b'<opml><body><outline text="a" xmlUrl="https://x.example/feed" description="'
        + b"a" * size
        + b"/></body></opml>"
    )


def _malformed_export(size: int) -> bytes:
    # The corpus' faults, repeated: bare "&", raw HTML and stray quotes inside values, words
    # without spaces, a quote that never closes; then one feed after all of it.
    outline = (
        '<outline type="rss" text="A & B {i}" title="<b>raw</b> "quoted"" description="'
        + "x" * 300
        + '" xmlUrl="https://f{i}.example/rss" htmlUrl="https://f{i}.example/">\n'
        '<outline text="broken {i}" description=\'never closed ' + "y" * 300 + "\n"
    )
    parts, total, i = [], 0, 0
    while total < size:
        part = outline.format(i=i)
        parts.append(part)
        total += len(part)
        i += 1
    last = '<outline text="last" xmlUrl="https://last.example/rss"/></body></opml>'
    return ("<opml><body>" + "".join(parts) + last).encode()


def _best_time(document: bytes) -> float:
    times = []
    for _ in range(3):
        started = time.perf_counter()
        parse_opml(document)
        times.append(time.perf_counter() - started)
    return min(times)


@pytest.mark.parametrize(
    ("shape", "n"),
    [
        (_feeds, 1_250),
        (lambda n: _feeds(n, closed=False), 1_250),
        (_unclosed_attribute, 500_000),
        (_malformed_export, 650_000),  # 2.6 MB at 4n
    ],
    ids=["feeds", "unclosed-outlines", "unclosed-attribute", "malformed-export"],
)
def test_import_time_is_linear(shape, n):
    small, large = shape(n), shape(4 * n)

    ratio = _best_time(large) / _best_time(small)

    assert ratio < LINEAR_RATIO, f"4x the input took {ratio:.1f}x the time"


def test_twenty_thousand_feeds_and_a_large_malformed_export_are_all_recovered():
    feeds = parse_opml(_feeds(20_000)).feeds
    nested = parse_opml(_feeds(20_000, closed=False)).feeds
    malformed = _malformed_export(2_600_000)
    recovered = parse_opml(malformed).feeds

    assert len(feeds) == len(nested) == 20_000
    assert len(recovered) == malformed.count(b"xmlUrl=")
    assert recovered[-1].url == "https://last.example/rss"
