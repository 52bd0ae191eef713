"""Reading the real-world corpora beside the repository (``../shared/corpora``), for tests.

    CORPORA                        the folder; absent on a user's machine (suites skip)
    corpus_files(root)             every corpus file under ``root`` (LICENSE, INDEX.tsv... left out)
    comment_headers(body)          the ``Header:`` lines of a feedparser test file's leading comment
    reference_entries(body, ...)   how many items feedparser says the bytes hold (the yardstick)

The yardstick: every entry feedparser returns with any content (an id, a link, a title, a
summary or a content body) is one item; entries with nothing but an author, a date or a
category carry no content, and an entry the feed repeats (same id, else same link, else same
title, date and body) counts once.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import feedparser

from bot.normalize.urls import canonicalize_url

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
NOT_FEEDS = frozenset({"LICENSE", "INDEX.tsv", "README.md", "SOURCES.md"})
_COMMENT = re.compile(rb"<!--(.*?)-->", re.DOTALL)
_HEADER = re.compile(rb"^Header:\s*([^:\r\n]+?)\s*:\s*(.*?)\s*$", re.MULTILINE)


def corpus_files(root: Path) -> list[Path]:
    """The feeds under ``root``, sorted; empty when the folder is absent."""
    if not root.is_dir():
        return []
    return sorted(path for path in root.rglob("*") if path.is_file() and path.name not in NOT_FEEDS)


def comment_headers(body: bytes) -> dict[str, str]:
    """The ``Header:`` lines of a feedparser test file's leading comment, names lowercased."""
    comment = _COMMENT.search(body[:4096])
    if comment is None:
        return {}
    return {
        name.decode("latin-1").lower(): value.decode("latin-1")
        for name, value in _HEADER.findall(comment.group(1))
    }


def has_content(entry: Any) -> bool:
    values = [entry.get(key) for key in ("id", "link", "title", "summary")]
    values += [content.get("value") for content in entry.get("content") or ()]
    return any(isinstance(value, str) and value.strip() for value in values)


def entry_key(entry: Any, base: str) -> object:
    """What makes two entries the same entry: the id, else the link, else title, date, body."""
    if isinstance(entry.get("id"), str) and entry["id"].strip():
        return entry["id"].strip()
    link = entry.get("link")
    if isinstance(link, str) and link.strip():
        return canonicalize_url(link, base=base) or link.strip()
    contents = [content.get("value") for content in entry.get("content") or ()]
    date = entry.get("published") or entry.get("updated") or entry.get("created")
    return (entry.get("title"), date, entry.get("summary"), *contents)


def reference_entries(body: bytes, headers: dict[str, str], base: str) -> int:
    """How many distinct entries with content feedparser finds in ``body`` served with
    ``headers`` from ``base``."""
    reference = feedparser.parse(
        io.BytesIO(body), response_headers=headers, sanitize_html=False, resolve_relative_uris=False
    )
    return len({entry_key(entry, base) for entry in reference.entries if has_content(entry)})
