"""OPML: import subscription lists from other readers, export ours as OPML 2.0.

Real exports are often not well-formed XML (bare ``&``, raw HTML inside attribute values), and
strict parsers reject them or, in one popular library, crash. So import does not parse XML: it
scans outline tags forgivingly, keeps every ``<outline>`` with a feed URL whatever is broken
around it, and reports with their line the outlines that cannot become a source.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from email.utils import format_datetime
from urllib.parse import urlsplit
from xml.etree import ElementTree

from bot.errors import ParseError
from storage.records import Source


@dataclass(frozen=True, slots=True)
class OpmlFeed:
    url: str
    title: str | None
    category: str | None


@dataclass(frozen=True, slots=True)
class OpmlImport:
    feeds: tuple[OpmlFeed, ...]
    problems: tuple[str, ...] = ()  # "line 12: outline 'X' has no feed URL", ...


_OUTLINE = re.compile(r"<outline\b|</outline\s*+>", re.IGNORECASE)
# One token at a time, each consuming its text: a name with its quoted value (an attribute), a
# name alone, or a run of anything else. No text is read twice, so the scan is linear however
# broken the chunk: a pattern tried afresh at every offset is quadratic on a long word, and a
# value whose quote never closes is read to the end once per quote kind, not once per offset.
_TOKEN = re.compile(
    r"""(?P<name>[A-Za-z_:][-\w:.]*+)(?:\s*+=\s*+(?:"(?P<dq>[^"]*+)"|'(?P<sq>[^']*+)'))?"""
    r"""|[^A-Za-z_:]++"""
)


def parse_opml(document: bytes) -> OpmlImport:
    """Every feed outline of an OPML document, however broken the XML around it.

    Each ``<outline`` opens a chunk that runs to the next outline tag; its attributes are read
    with a forgiving pattern (the first of each name wins, names are case-insensitive), so an
    unescaped quote or raw HTML inside a description costs that description, not the feed.
    Time grows linearly with the document, whatever is broken in it.
    """
    text = document.decode("utf-8-sig", errors="replace")
    if "<opml" not in text.lower():
        raise ParseError("not an OPML document: no <opml> element")
    feeds: list[OpmlFeed] = []
    problems: list[str] = []
    categories: list[str | None] = []  # per open outline: the nearest folder name around it
    seen: set[str] = set()
    lines = _LineCounter(text)
    tags = list(_OUTLINE.finditer(text))
    for index, tag in enumerate(tags):
        if tag.group().startswith("</"):
            if categories:
                categories.pop()
            continue
        end = tags[index + 1].start() if index + 1 < len(tags) else len(text)
        chunk = text[tag.end() : end]
        attrs = _attributes(chunk)
        line = lines.at(tag.start())
        title = (attrs.get("title") or attrs.get("text") or "").strip() or None
        url = (attrs.get("xmlurl") or "").strip()
        if url:
            problem = _check_url(url, seen)
            if problem:
                problems.append(f"line {line}: {problem}")
            else:
                feeds.append(OpmlFeed(url, title, categories[-1] if categories else None))
                seen.add(url)
        elif attrs.get("type") in ("rss", "atom") or "htmlurl" in attrs:
            problems.append(f"line {line}: outline {title!r} has no feed URL (xmlUrl)")
        if not chunk.rstrip().endswith("/>"):
            around = categories[-1] if categories else None
            categories.append(title if title and not url else around)
    return OpmlImport(tuple(feeds), tuple(problems))


class _LineCounter:
    """Line numbers of increasing offsets, counting each newline once (not from the start)."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._offset = 0
        self._line = 1

    def at(self, offset: int) -> int:
        self._line += self._text.count("\n", self._offset, offset)
        self._offset = offset
        return self._line


def _attributes(chunk: str) -> dict[str, str]:
    attrs: dict[str, str] = {}
    for token in _TOKEN.finditer(chunk):
        value = token["dq"] if token["dq"] is not None else token["sq"]
        if value is not None:
            attrs.setdefault(token["name"].lower(), html.unescape(value))
    return attrs


def _check_url(url: str, seen: set[str]) -> str | None:
    if urlsplit(url).scheme not in ("http", "https"):
        return f"{url!r} is not an http(s) URL"
    if url in seen:
        return f"{url} is listed twice; kept once"
    return None


def render_opml(sources: Iterable[Source], *, title: str, now: datetime) -> str:
    """Our sources as an OPML 2.0 document."""
    opml = ElementTree.Element("opml", version="2.0")
    head = ElementTree.SubElement(opml, "head")
    ElementTree.SubElement(head, "title").text = title
    ElementTree.SubElement(head, "dateCreated").text = format_datetime(now)
    body = ElementTree.SubElement(opml, "body")
    for source in sources:
        ElementTree.SubElement(
            body,
            "outline",
            type="rss",
            text=source.display_name,
            title=source.display_name,
            xmlUrl=source.url,
        )
    ElementTree.indent(opml)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(opml, "unicode") + "\n"
