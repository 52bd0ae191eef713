"""Identity of an item within its source (``guid``) and of its text across sources
(``content_hash``). Both depend only on the bytes parsed, never on when they were fetched, so a
re-fetch never duplicates an item.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

MAX_GUID_LENGTH = 512
_NOT_WORD = re.compile(r"[\W_]+")


def item_guid(
    guid: str | None,
    link: str | None,
    *,
    title: str | None = None,
    date: str | None = None,
    text: str | None = None,
) -> str:
    """The source's own id when it has one, else the item's link, else a hash of title, date and
    text (the date as the source wrote it). Overlong ids are hashed to ``MAX_GUID_LENGTH``."""
    for candidate in (guid, link):
        candidate = (candidate or "").strip()
        if candidate:
            if len(candidate) > MAX_GUID_LENGTH:
                return "sha256:" + _sha256(candidate)
            return candidate
    parts = (title or "", (date or "").strip(), normalize_for_hash(text or ""))
    return "sha256:" + _sha256("\x1f".join(parts))


def content_hash(text: str, *, fallback: str = "") -> str:
    """A hash of the text that ignores case, whitespace, punctuation and Unicode presentation
    (NFKC; Russian ё reads as е). Empty text hashes ``fallback`` (the title, say) instead."""
    normalized = normalize_for_hash(text) or normalize_for_hash(fallback)
    return _sha256(normalized)[:32]


def normalize_for_hash(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
