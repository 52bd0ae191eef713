from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from bot.errors import ParseError
from bot.normalize.errors import InvalidJsonFeedError, NoFeedFoundError, NotAFeedError
from bot.normalize.feeds import parse_feed, sniff_root
from bot.normalize.records import FeedLinks, ParsedFeed
from storage.records import SourceKind

FETCHED_AT = datetime(2024, 10, 25, 12, 0, tzinfo=UTC)
URL = "https://news.example/feed"

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel>
<title>World &amp; More</title><link>https://news.example/</link><ttl>30</ttl>
<language>en-us</language>
<item>
  <title>Troops arrive</title>
  <link>https://news.example/a/1?utm_source=rss&amp;id=1#comments</link>
  <guid isPermaLink="false">item-1</guid>
  <pubDate>Thu, 24 Oct 2024 09:00:00 +0300</pubDate>
  <author>desk@news.example (Desk)</author>
  <description>&lt;p&gt;The White House said 3,000 troops had arrived.&lt;/p&gt;
    &lt;p&gt;More later.&lt;/p&gt;</description>
</item>
<item>
  <title>Only a link</title>
  <link>/a/2</link>
</item>
<item><description>No title, no link, no guid: still an item</description></item>
<item><title>Far future</title><guid>item-4</guid>
  <pubDate>Sat, 01 Jan 2039 00:00:00 GMT</pubDate></item>
<item></item>
</channel></rss>"""

ATOM = """<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="uk">
<title type="html">Новини &lt;b&gt;дня&lt;/b&gt;</title>
<link href="https://uk.example/"/>
<id>urn:feed</id><updated>2024-10-24T10:00:00Z</updated>
<entry>
  <id>urn:entry:1</id><title>Заява</title>
  <link rel="alternate" href="https://uk.example/1"/>
  <updated>2024-10-24T10:00:00+03:00</updated>
  <content type="html">&lt;p&gt;Зеленський заявив, що в Росії вже 10 тисяч військових.
  &lt;/p&gt;</content>
  <summary>Коротко</summary>
</entry>
</feed>""".encode()

RDF = b"""<?xml version="1.0"?>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns="http://purl.org/rss/1.0/"
  xmlns:sy="http://purl.org/rss/1.0/modules/syndication/">
<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link>
<sy:updatePeriod>hourly</sy:updatePeriod><sy:updateFrequency>2</sy:updateFrequency></channel>
<item rdf:about="https://rdf.example/1"><title>One</title><link>https://rdf.example/1</link></item>
</rdf:RDF>"""


def _feed(body: bytes, **kwargs: object) -> ParsedFeed:
    result = parse_feed(body, url=URL, fetched_at=FETCHED_AT, **kwargs)  # type: ignore[arg-type]
    assert isinstance(result, ParsedFeed)
    return result


def test_rss_items() -> None:
    feed = _feed(RSS)
    assert feed.kind is SourceKind.RSS
    assert feed.title == "World & More"
    assert feed.link == "https://news.example/"
    assert feed.ttl == timedelta(minutes=30)
    assert len(feed.items) == 4  # the empty <item></item> is no item
    first, link_only, untitled, future = feed.items
    assert first.guid == "item-1"
    assert first.url == "https://news.example/a/1?id=1"
    assert first.title == "Troops arrive"
    assert first.text == "The White House said 3,000 troops had arrived.\n\nMore later."
    assert first.published_at == datetime(2024, 10, 24, 6, 0, tzinfo=UTC)
    assert first.published_at.tzinfo is not None
    assert first.lang == "en"
    assert first.author == "desk@news.example (Desk)"
    assert link_only.url == "https://news.example/a/2"  # relative link resolved
    assert link_only.guid == "https://news.example/a/2"  # no guid: the link
    assert link_only.text == ""
    assert untitled.guid.startswith("sha256:")  # no guid, no link: a hash
    assert untitled.title is None
    assert future.published_at is None  # absurd future date: the caller uses fetch time
    assert "1 empty entries skipped (no id, link, title or text)" in feed.warnings
    assert "1 entries dated in the future or before 1970: date ignored" in feed.warnings


def test_atom_prefers_content_and_reads_html_titles() -> None:
    feed = _feed(ATOM, headers={"Content-Type": "application/atom+xml"})
    assert feed.kind is SourceKind.ATOM
    assert feed.title == "Новини дня"
    (item,) = feed.items
    assert item.guid == "urn:entry:1"
    assert item.text == "Зеленський заявив, що в Росії вже 10 тисяч військових."
    assert item.lang == "uk"
    assert item.published_at == datetime(2024, 10, 24, 7, 0, tzinfo=UTC)
    assert feed.ttl is None


def test_rdf_and_syndication_module_ttl() -> None:
    feed = _feed(RDF)
    assert feed.kind is SourceKind.RDF
    assert feed.ttl == timedelta(minutes=30)
    assert [item.guid for item in feed.items] == ["https://rdf.example/1"]


@pytest.mark.parametrize(
    ("ttl", "expected"),
    [("60", timedelta(hours=1)), (" 15 ", timedelta(minutes=15)), ("0", None), ("soon", None),
     ("999999", timedelta(days=7))],
)  # fmt: skip
def test_ttl(ttl: str, expected: timedelta | None) -> None:
    body = f'<rss version="2.0"><channel><ttl>{ttl}</ttl></channel></rss>'.encode()
    assert _feed(body).ttl == expected


def test_empty_feed_is_a_feed_with_zero_items() -> None:
    feed = _feed(b'<rss version="2.0"><channel><title>Quiet</title></channel></rss>')
    assert feed.items == ()
    assert feed.title == "Quiet"
    assert feed.bozo is None


def test_malformed_feed_keeps_what_parses() -> None:
    body = b'<rss version="2.0"><channel><item><title>One &bogus; </title></item>' \
        b"<item><title>Two</title><link>https://x.example/2</link></item>"  # fmt: skip
    feed = _feed(body)
    assert feed.bozo is not None
    assert [item.title for item in feed.items] == ["One &bogus;", "Two"]


def test_content_type_charset_decides_the_encoding() -> None:
    body = '<?xml version="1.0"?><rss version="2.0"><channel><item><title>Привет, что это'\
        "</title></item></channel></rss>".encode("windows-1251")  # fmt: skip
    feed = _feed(body, headers={"Content-Type": "text/xml; charset=windows-1251"})
    assert feed.items[0].title == "Привет, что это"


def test_reparse_is_stable() -> None:
    for body in (RSS, ATOM, RDF):
        first = _feed(body)
        later = parse_feed(body, url=URL, fetched_at=FETCHED_AT + timedelta(days=400))
        assert isinstance(later, ParsedFeed)
        assert [(i.guid, i.content_hash) for i in first.items] == [
            (i.guid, i.content_hash) for i in later.items
        ]


def test_json_is_dispatched_to_the_json_feed_parser() -> None:
    body = b'\xef\xbb\xbf  {"version": "https://jsonfeed.org/version/1.1", "items": '
    body += b'[{"id": "1", "title": "x"}]}'
    feed = _feed(body)
    assert feed.kind is SourceKind.JSON_FEED
    assert feed.items[0].guid == "1"
    with pytest.raises(InvalidJsonFeedError):
        parse_feed(b'{"hello": 1}', url=URL, fetched_at=FETCHED_AT)


def test_html_page_returns_its_feed_links() -> None:
    page = b"""<!DOCTYPE html><html><head><title>News</title>
    <link rel="alternate" type="application/atom+xml" href="/atom.xml">
    </head><body></body></html>"""
    result = parse_feed(page, url="https://news.example/", fetched_at=FETCHED_AT)
    assert isinstance(result, FeedLinks)
    assert result.best.url == "https://news.example/atom.xml"
    assert result.title == "News"


def test_html_page_without_feed_links_is_a_clear_error() -> None:
    page = b"<html><head><title>Shop</title></head><body><p>Buy</p></body></html>"
    with pytest.raises(NoFeedFoundError, match="no feed found; the page links to none"):
        parse_feed(page, url="https://shop.example/", fetched_at=FETCHED_AT)


def test_html_fragment_without_html_root_still_discovers() -> None:
    page = b'<meta charset="utf-8"><title>x</title>'
    page += b'<link rel="alternate" type="application/rss+xml" href="/r">'
    result = parse_feed(page, url="https://x.example/", fetched_at=FETCHED_AT)
    assert isinstance(result, FeedLinks)
    assert result.best.url == "https://x.example/r"


def test_doctype_html_before_a_feed_root_is_still_a_feed() -> None:
    feed = _feed(b'<!DOCTYPE html><feed xmlns="http://www.w3.org/2005/Atom"><entry><id>1</id>'
                 b"<title>t</title></entry></feed>")  # fmt: skip
    assert feed.kind is SourceKind.ATOM
    assert len(feed.items) == 1


@pytest.mark.parametrize(
    "body", [b"", b"   \n", b"plain text, not a feed", b"/etc/passwd", b"\x00\x01\x02", b"<x/>"]
)
def test_not_a_feed(body: bytes) -> None:
    with pytest.raises(NotAFeedError) as caught:
        parse_feed(body, url=URL, fetched_at=FETCHED_AT)
    assert caught.value.url == URL
    assert isinstance(caught.value, ParseError)


def test_naive_fetched_at_is_refused() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        parse_feed(RSS, url=URL, fetched_at=datetime(2024, 1, 1))


@pytest.mark.parametrize(
    ("body", "root"),
    [
        (b"", None),
        (b'<?xml version="1.0"?><!-- c --><rss>', "rss"),
        (b"\xef\xbb\xbf<feed>", "feed"),
        (b"<!DOCTYPE html><html>", "html"),
        (b"<rdf:RDF>", "rdf"),
        (b"  {", "{"),
        ("<rss>".encode("utf-16"), "rss"),
        (b"hello", ""),
    ],
)
def test_sniff_root(body: bytes, root: str | None) -> None:
    assert sniff_root(body) == root


def test_a_repeated_entry_is_one_item() -> None:
    body = (
        b'<rss version="2.0"><channel>'
        b"<item><guid>same</guid><title>First copy</title></item>"
        b"<item><guid>other</guid><title>Other</title></item>"
        b"<item><guid>same</guid><title>Second copy</title></item>"
        b"</channel></rss>"
    )
    feed = _feed(body)
    assert [(item.guid, item.title) for item in feed.items] == [
        ("same", "First copy"),
        ("other", "Other"),
    ]
    assert "1 entries repeat an earlier entry's id: dropped" in feed.warnings


def test_undecided_items_take_the_feeds_prevailing_language() -> None:
    entries = "".join(
        f"<item><guid>{n}</guid><title>Новости дня {n}</title>"
        f"<description>Президент заявил, что это уже решено.</description></item>"
        for n in range(3)
    )
    body = f'<rss version="2.0"><channel>{entries}<item><guid>short</guid><title>Коротко'\
        "</title></item><item><guid>en</guid><title>OK</title></item></channel></rss>"  # fmt: skip
    langs = {item.guid: item.lang for item in _feed(body.encode()).items}
    assert langs == {"0": "ru", "1": "ru", "2": "ru", "short": "ru", "en": None}
