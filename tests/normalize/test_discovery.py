from __future__ import annotations

import pytest

from bot.normalize.discovery import discover_feeds
from storage.records import SourceKind

PAGE = "https://news.example/section/world/"


def _page(head: str, body: str = "") -> bytes:
    return f"<!doctype html><html><head><title> World  news </title>{head}</head>" \
        f"<body>{body}</body></html>".encode()  # fmt: skip


def test_relative_hrefs_resolve_against_the_page() -> None:
    found = discover_feeds(
        _page('<link rel="alternate" type="application/rss+xml" title="World" href="rss.xml">'),
        page_url=PAGE,
    )
    assert found.title == "World news"
    assert [(link.url, link.kind, link.title) for link in found.links] == [
        ("https://news.example/section/world/rss.xml", SourceKind.RSS, "World")
    ]


def test_base_href_wins_over_the_page_url() -> None:
    found = discover_feeds(
        _page('<base href="https://cdn.example/b/"><link rel=alternate '
              'type="application/atom+xml" href="atom.xml">'),
        page_url=PAGE,
    )  # fmt: skip
    assert found.links[0].url == "https://cdn.example/b/atom.xml"
    assert found.links[0].kind is SourceKind.ATOM


def test_ranking_comments_and_json_after_main_feeds_then_anchor_guesses() -> None:
    head = (
        '<link rel="alternate" type="application/rss+xml" title="Comments Feed" '
        'href="/comments/feed/">'
        '<link rel="alternate" type="application/feed+json" href="/feed.json">'
        '<link rel="alternate" type="application/rss+xml" title="Main" href="/feed/">'
        '<link rel="alternate" type="application/rss+xml" title="Main again" href="/feed/#x">'
        '<link rel="alternate" type="application/json" href="/wp-json/wp/v2/pages/2">'
        '<link rel="alternate" type="text/html" hreflang="de" href="/de/">'
        '<link rel="stylesheet" type="application/rss+xml" href="/not-alternate">'
        '<link rel="alternate home" type="application/rdf+xml" href="/index.rdf">'
    )
    body = '<a href="/podcast.rss">Podcast</a><a href="/about">About</a><a href="/feed/">dup</a>'
    found = discover_feeds(_page(head, body), page_url=PAGE)
    assert [
        (link.url.removeprefix("https://news.example"), link.origin) for link in found.links
    ] == [
        ("/feed/", "link"),
        ("/index.rdf", "link"),
        ("/feed.json", "link"),
        ("/comments/feed/", "link"),
        ("/podcast.rss", "anchor"),
    ]
    assert found.best.title == "Main"


@pytest.mark.parametrize(
    ("href", "expected"),
    [
        ("feed://news.example/rss", "http://news.example/rss"),
        ("feed:https://news.example/rss", "https://news.example/rss"),
        ("//news.example/rss?utm_source=x", "https://news.example/rss"),
        ("javascript:void(0)", None),
    ],
)
def test_odd_hrefs(href: str, expected: str | None) -> None:
    found = discover_feeds(
        _page(f'<link rel="alternate" type="application/rss+xml" href="{href}">'), page_url=PAGE
    )
    assert [link.url for link in found.links] == ([expected] if expected else [])


def test_charset_from_headers() -> None:
    body = "<html><head><title>Новости</title></head></html>".encode("windows-1251")
    found = discover_feeds(
        body, page_url=PAGE, headers={"Content-Type": "text/html; charset=windows-1251"}
    )
    assert found.title == "Новости"


def test_page_without_feeds() -> None:
    found = discover_feeds(_page("", "<p>nothing here</p>"), page_url=PAGE)
    assert found.links == ()
