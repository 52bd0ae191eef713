"""Feed discovery: the feeds a web page points to, best first.

Candidates are ``<link rel="alternate">`` elements with a feed media type (RSS, Atom, RDF,
JSON Feed), hrefs resolved against ``<base href>`` and the page URL. Ranked: the page's own
``<link>`` elements first, in document order, with comment feeds after the others and JSON or
generic-XML types after RSS/Atom; then ``<a href>`` links that look like a feed
(``/feed``, ``rss.xml``, ...) as weaker guesses.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import urljoin, urlsplit

from bs4 import Tag

from bot.normalize.markup import parse_html
from bot.normalize.records import FeedLink, FeedLinks
from bot.normalize.text import single_line
from bot.normalize.urls import canonicalize_url
from storage.records import SourceKind

_FEED_TYPES = {
    "application/rss+xml": SourceKind.RSS,
    "application/x.atom+xml": SourceKind.ATOM,
    "application/atom+xml": SourceKind.ATOM,
    "application/rdf+xml": SourceKind.RDF,
    "application/feed+json": SourceKind.JSON_FEED,
    "application/json": SourceKind.JSON_FEED,  # only when it names a feed: see _link_kind
    "text/xml": SourceKind.UNKNOWN,
    "application/xml": SourceKind.UNKNOWN,
    "application/x-rss+xml": SourceKind.RSS,
    "text/rss+xml": SourceKind.RSS,
    "text/atom+xml": SourceKind.ATOM,
}
_TYPE_RANK = {SourceKind.RSS: 0, SourceKind.ATOM: 0, SourceKind.RDF: 0, SourceKind.JSON_FEED: 1}
_FEEDISH_PATH = re.compile(
    r"(?:/feed|/rss|/rss2|/atom|\.rss|\.atom|[/.]rss\.xml|[/.]atom\.xml|[/.]feed\.xml|"
    r"/index\.xml|[/.]feed\.json|/rss/news)/?$",
    re.IGNORECASE,
)
_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
MAX_ANCHOR_GUESSES = 10


def discover_feeds(
    body: bytes, *, page_url: str, headers: Mapping[str, str] | None = None
) -> FeedLinks:
    """The page's title and the feeds it links to, best first (``links`` may be empty)."""
    soup = parse_html(body, encoding=_charset(headers))
    base = page_url
    base_tag = soup.find("base", href=True)
    if isinstance(base_tag, Tag):
        base = urljoin(page_url, _attr(base_tag, "href") or "")
    title_tag = soup.find("title")
    title = single_line(title_tag.get_text()) if isinstance(title_tag, Tag) else ""

    ranked: list[tuple[tuple[int, int, int, int], FeedLink]] = []
    seen: set[str] = set()
    for order, tag in enumerate(soup.find_all("link", href=True)):
        rel = {token.lower() for token in _attr_list(tag, "rel")}
        if not rel & {"alternate", "feed"}:
            continue
        media_type = (_attr(tag, "type") or "").split(";")[0].strip().lower()
        link_title = single_line(_attr(tag, "title") or "") or None
        href = _attr(tag, "href") or ""
        kind = _link_kind(media_type, href, link_title)
        url = _resolve(href, base)
        if kind is None or url is None or url in seen:
            continue
        seen.add(url)
        comments = _is_comments(url, link_title)
        key = (0, int(comments), _TYPE_RANK.get(kind, 2), order)
        ranked.append((key, FeedLink(url, kind, media_type or None, link_title, "link")))
    guesses = 0
    for order, tag in enumerate(soup.find_all("a", href=True)):
        if guesses >= MAX_ANCHOR_GUESSES:
            break
        href = _attr(tag, "href") or ""
        url = _resolve(href, base)
        if url is None or url in seen or not _FEEDISH_PATH.search(urlsplit(url).path):
            continue
        seen.add(url)
        guesses += 1
        text = single_line(tag.get_text()) or None
        key = (1, int(_is_comments(url, text)), 2, order)
        ranked.append((key, FeedLink(url, SourceKind.UNKNOWN, None, text, "anchor")))
    ranked.sort(key=lambda pair: pair[0])
    return FeedLinks(
        page_url=page_url, title=title or None, links=tuple(link for _, link in ranked)
    )


def _link_kind(media_type: str, href: str, title: str | None) -> SourceKind | None:
    kind = _FEED_TYPES.get(media_type)
    if media_type == "application/json":
        named = f"{href} {title or ''}".lower()
        if "feed" not in named or "wp-json" in named or "oembed" in named:
            return None
    return kind


def _resolve(href: str, base: str) -> str | None:
    href = href.strip()
    if href.lower().startswith("feed:"):
        href = href[5:].removeprefix("//") if href[5:].startswith("//http") else href[5:]
        if href.startswith("//"):
            href = "http:" + href
    return canonicalize_url(href, base=base)


def _is_comments(url: str, title: str | None) -> bool:
    return "comment" in f"{url} {title or ''}".lower()


def _attr(tag: Tag, name: str) -> str | None:
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value


def _attr_list(tag: Tag, name: str) -> list[str]:
    value = tag.get(name)
    if value is None:
        return []
    if isinstance(value, str):
        return value.split()
    return list(value)


def _charset(headers: Mapping[str, str] | None) -> str | None:
    for name, value in (headers or {}).items():
        if name.lower() == "content-type":
            match = _CHARSET.search(value)
            return match.group(1) if match else None
    return None
