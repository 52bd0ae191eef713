"""``parse_feed``: the bytes of one HTTP response to a feed, or to a page that links to feeds.

Dispatch is on content, not on the declared type (servers often lie): a body that starts with
``{`` is JSON Feed; a body whose root element is ``<html>`` is a web page to discover feeds in;
anything else goes to feedparser (RSS, Atom, RDF; malformed documents keep what parses), and if
feedparser finds no feed in it but it looks like HTML, it is a web page after all.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime

from bot.normalize.dates import require_aware
from bot.normalize.discovery import discover_feeds
from bot.normalize.errors import NoFeedFoundError, NotAFeedError
from bot.normalize.jsonfeed import parse_json_feed
from bot.normalize.records import FeedLinks, ParsedFeed
from bot.normalize.syndication import is_empty_result, run_feedparser, to_parsed_feed

_SNIFF_BYTES = 4096
_BOMS = (b"\xef\xbb\xbf", b"\x00\x00\xfe\xff", b"\xff\xfe\x00\x00", b"\xff\xfe", b"\xfe\xff")
_HTML_ROOTS = frozenset({"html", "head", "body"})
_NAME = re.compile(r"[A-Za-z_][\w.:-]*")
_HTML_HINT = re.compile(rb"<(?:html|head|body|meta|title|link)[\s>/]", re.IGNORECASE)


def parse_feed(
    body: bytes,
    *,
    url: str,
    headers: Mapping[str, str] | None = None,
    fetched_at: datetime,
) -> ParsedFeed | FeedLinks:
    """Read one response body.

    Returns a ``ParsedFeed`` (possibly with zero items: an empty feed is a feed), or
    ``FeedLinks`` when the body is a web page that links to feeds (the caller fetches
    ``links[0]`` and says which one it chose). ``url`` is the URL the body came from (relative
    links resolve against it); ``headers`` are the response headers (``content-type`` decides
    the encoding of XML); ``fetched_at`` bounds plausible publication dates.

    Raises ``NoFeedFoundError`` for a web page that links to no feed, ``InvalidJsonFeedError``
    for JSON that is not a JSON Feed and ``NotAFeedError`` for anything else unreadable: only
    ``ParseError`` subclasses, whatever the bytes.
    """
    fetched_at = require_aware(fetched_at)
    headers = {name.lower(): value for name, value in (headers or {}).items()}
    root = sniff_root(body)
    if root is None:
        raise NotAFeedError("empty response body", url)
    if root == "{":
        return parse_json_feed(body, url=url, fetched_at=fetched_at)
    if root in _HTML_ROOTS:
        return _discover(body, url=url, headers=headers)
    result = run_feedparser(body, headers, url=url)
    if not is_empty_result(result):
        return to_parsed_feed(result, url=url, fetched_at=fetched_at, root=root)
    content_type = headers.get("content-type", "").lower()
    if "html" in content_type or _HTML_HINT.search(body[:_SNIFF_BYTES]):
        return _discover(body, url=url, headers=headers)
    reason = result.get("bozo_exception")
    raise NotAFeedError(f"not a feed{f' ({reason})' if reason else ''}", url)


def sniff_root(body: bytes) -> str | None:
    """What the body starts with: ``"{"`` (JSON), the lowercased local name of the root element,
    ``""`` when it cannot tell, None when the body is blank."""
    head = body[:_SNIFF_BYTES]
    for bom in _BOMS:
        if head.startswith(bom):
            head = head[len(bom) :]
            break
    text = head.replace(b"\x00", b"").decode("latin-1").lstrip()
    if not text:
        return None if not body.strip(b" \t\r\n\x00") else ""
    if text[0] in "{[":
        return "{"
    while text.startswith("<"):
        if text.startswith("<?"):
            end = text.find("?>")
            text = text[end + 2 :].lstrip() if end >= 0 else ""
        elif text.startswith("<!--"):
            end = text.find("-->")
            text = text[end + 3 :].lstrip() if end >= 0 else ""
        elif text.startswith("<!"):  # a doctype says little: <!DOCTYPE html><feed> exists
            end = text.find(">")
            text = text[end + 1 :].lstrip() if end >= 0 else ""
        else:
            match = _NAME.match(text[1:])
            return match.group(0).lower().rpartition(":")[2] if match else ""
    return ""


def _discover(body: bytes, *, url: str, headers: Mapping[str, str]) -> FeedLinks:
    try:
        links = discover_feeds(body, page_url=url, headers=headers)
    except Exception as exc:  # the HTML parser failing is a parse failure
        raise NotAFeedError(f"unreadable web page: {type(exc).__name__}: {exc}", url) from exc
    if not links.links:
        raise NoFeedFoundError(url)
    return links
