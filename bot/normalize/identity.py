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
# Every ASCII byte that is not a letter or a digit, as a space; UTF-8 bytes of other characters
# (all 0x80 and above) as they are.
_ASCII_PUNCTUATION_TO_SPACE = bytes(
    code if code >= 0x80 or chr(code).isalnum() else 0x20 for code in range(256)
)


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
    r"""The words of ``text`` (runs of letters and digits, NFKC, casefolded, ё as е), one space
    apart. The same as ``" ".join(re.sub(r"[\W_]+", " ", folded).split())``, faster: ASCII
    punctuation becomes spaces in one ``bytes.translate``, and the regular expression sees only
    the words that still hold something else (curly quotes, dashes, non-Latin punctuation)."""
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    spaced = folded.encode("utf-8", "surrogatepass").translate(_ASCII_PUNCTUATION_TO_SPACE)
    words = spaced.decode("utf-8", "surrogatepass").split()
    if all(map(_is_word, words)):
        return " ".join(words)
    out: list[str] = []
    for word in words:
        if _is_word(word):
            out.append(word)
        else:
            out.extend(_NOT_WORD.sub(" ", word).split())
    return " ".join(out)


def _is_word(token: str) -> bool:
    """Letters and digits only (ASCII tokens are, once their punctuation became spaces)."""
    return token.isascii() or token.isalnum()


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()
