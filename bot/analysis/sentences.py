"""Sentences and tokens: the units every other analysis module works on.

Sentences keep their character offsets in the item text (so topic matches found over the whole
text can be mapped to them) and their paragraph number (a paragraph is the unit of "what this is
about": a claim's topic may be named one or two sentences earlier in the same paragraph).
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable
from dataclasses import dataclass
from itertools import accumulate
from typing import NamedTuple, cast


def word_list(text: str) -> tuple[str, ...]:
    """The words of a space-separated list: keeps the many word tables of the grammar compact."""
    return tuple(text.split())


# Abbreviations after which a full stop does not end a sentence (lowercase, without the dot).
_ABBREVIATIONS = frozenset(
    word_list(
        "mr mrs ms dr st gen lt col sgt capt maj adm gov sen rep rev prof jr sr no nos vs etc "
        "fig jan feb mar apr jun jul aug sep sept oct nov dec approx est inc ltd corp co dept г "
        "гг ул т д др им тыс млн млрд руб грн тис ген см км ст пр обл р"
    )
)
# Punctuation that ends a sentence when a space follows, or a run of line ends:
# "[.!?…]+['\"’”»)\]]*(?=\s)|\n+", written to open with one character class, which the regex
# engine scans for in C (an alternation it tries at every character, several times slower).
_SENTENCE_END = re.compile(r"[.!?…\n](?:(?<=\n)\n*|(?<=[.!?…])[.!?…]*['\"’”»)\]]*(?=\s))")
_LAST_WORD = re.compile(r"([^\W\d_]+)\W*$")


@dataclass(frozen=True, slots=True)
class Sentence:
    text: str
    start: int  # offset of the first character in the item text
    end: int
    paragraph: int


def normalize_text(text: str) -> str:
    """Unify the characters the grammar cares about, keeping every offset unchanged."""
    return replace_chars(text, _SAME_LENGTH)


def unify_text(text: str) -> str:
    """An item's text as the analysis reads it: ``normalize_text``, and each word that mixes
    Cyrillic and Latin look-alikes ("тиc." typed with a Latin "c") in the script of most of its
    letters. Offsets stay unchanged."""
    text = normalize_text(text)
    if not mixes_scripts(text):
        return text  # nearly every text
    return _MIXED_WORD.sub(_one_script, text)


def mixes_scripts(text: str) -> bool:
    """Whether a Latin letter stands beside a Cyrillic one. Most texts hold letters of one
    script only, which the plain scans for each tell at once; the pair's regular expression
    tries its alternation at every character, and is ten times slower."""
    if (
        text.isascii()
        or _CYRILLIC_LETTER.search(text) is None
        or _ASCII_LETTER.search(text) is None
    ):
        return False
    return _MIXED_SCRIPTS.search(text) is not None


def _one_script(match: re.Match[str]) -> str:
    word = match.group()
    cyrillic = len(_CYRILLIC_LETTER.findall(word))
    to_cyrillic = cyrillic * 2 >= len(_LETTER.findall(word))
    return word.translate(_TO_CYRILLIC if to_cyrillic else _TO_LATIN)


_LATIN_LOOKALIKES = "aceopxyiABCEHKMOPTXYI"
_CYRILLIC_LOOKALIKES = "асеорхуіАВСЕНКМОРТХУІ"
_TO_CYRILLIC = str.maketrans(_LATIN_LOOKALIKES, _CYRILLIC_LOOKALIKES)
_TO_LATIN = str.maketrans(_CYRILLIC_LOOKALIKES, _LATIN_LOOKALIKES)
_CYRILLIC = "а-яА-ЯёЁіїєґІЇЄҐ"
_MIXED_SCRIPTS = re.compile(f"[a-zA-Z][{_CYRILLIC}]|[{_CYRILLIC}][a-zA-Z]")
_MIXED_WORD = re.compile(rf"\b(?=\w*[a-zA-Z])(?=\w*[{_CYRILLIC}])\w+\b")
_CYRILLIC_LETTER = re.compile(f"[{_CYRILLIC}]")
_ASCII_LETTER = re.compile("[a-zA-Z]")
_LETTER = re.compile(r"[^\W\d_]")


# No replacement is itself replaced, so the order does not matter.
_SAME_LENGTH = (("ё", "е"), ("Ё", "Е"), ("ʼ", "'"), ("’", "'"), ("‘", "'"), ("`", "'"))


def replace_chars(text: str, pairs: tuple[tuple[str, str], ...]) -> str:
    """``text`` with each old character replaced by its new one: like ``str.translate``, but
    a few ``str.replace`` calls are much faster when most texts hold none of the characters."""
    for old, new in pairs:
        if old in text:
            text = text.replace(old, new)
    return text


EXCERPT_LIMIT = 400  # characters of its sentence a claim keeps, around its figure


def excerpt(text: str, start: int, end: int, limit: int = EXCERPT_LIMIT) -> str:
    """``text`` when it is short, else a window of at most ``limit`` characters around
    ``text[start:end]`` (the figure), cut between words and marked "…": a text without
    sentence punctuation is one "sentence", and each of its claims would keep all of it."""
    if len(text) <= limit:
        return text
    room = max(0, limit - 2 - (end - start))  # two for the marks
    begin = max(0, start - room // 2)
    stop = min(len(text), begin + (end - start) + room)
    begin = max(0, min(begin, stop - (end - start) - room))
    if begin > 0:
        space = text.find(" ", begin, start)
        begin = space + 1 if space >= 0 else begin
    if stop < len(text):
        space = text.rfind(" ", end, stop)
        stop = space if space >= 0 else stop
    window = text[begin:stop].strip()[: limit - 2]
    return ("…" if begin > 0 else "") + window + ("…" if stop < len(text) else "")


def split_sentences(text: str) -> list[Sentence]:
    """Split text into sentences, never at "U.S.", "Mr.", "1,5 тыс." or an initial."""
    sentences: list[Sentence] = []
    paragraph = 0
    start = 0
    for match in _SENTENCE_END.finditer(text):
        newline = match.group().startswith("\n")
        if not newline and not _ends_sentence(text, match.start(), match.end()):
            continue
        _append(sentences, text, start, match.end() if not newline else match.start(), paragraph)
        if newline:
            paragraph += 1
        start = match.end()
    _append(sentences, text, start, len(text), paragraph)
    return sentences


def _ends_sentence(text: str, dot: int, after: int) -> bool:
    following = text[after : after + 3].lstrip()
    if not following:
        return True
    first = following[0]
    if first.islower() or first in ",;:":
        return False
    if text[dot] != ".":
        return True
    word = _LAST_WORD.search(text[max(0, dot - 12) : dot])
    if word is None:
        return True
    token = word.group(1)
    if len(token) == 1 and token.isupper():
        return False  # an initial or part of "U.S."
    return token.lower() not in _ABBREVIATIONS


def _append(out: list[Sentence], text: str, start: int, end: int, paragraph: int) -> None:
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return
    lead = len(piece) - len(piece.lstrip())
    begin = start + lead
    out.append(Sentence(stripped, begin, begin + len(stripped), paragraph))


class Token(NamedTuple):  # a tuple: sentences make many of them, and quickly
    text: str
    low: str  # lowercased, "ё" as "е", apostrophes as "'"
    start: int
    end: int
    kind: str  # "num", "word", "date", "time" or "punct"


_GROUP_SPACE = "[ \u00a0\u202f\u2009]"
# Words and punctuation first, the three kinds that start with a digit behind one look-ahead:
# no two kinds can start on the same character, so the order only spares failed attempts.
_TOKEN = re.compile(
    r"(?P<word>[^\W\d_]+(?:['’ʼ`\-][^\W\d_]+)*)"
    r"|(?P<punct>[^\w\s])"
    r"|(?=\d)(?:(?P<date>\d{1,2}[./]\d{1,2}[./]\d{2,4})"
    r"|(?P<time>\d{1,2}:\d{2})"
    rf"|(?P<num>\d+(?:[.,]\d+)?[eE][+-]?\d+(?![\w])"  # "1e308": one token, never a figure
    rf"|\d{{1,3}}(?:(?:,|\.|{_GROUP_SPACE})\d{{3}})+(?![\d])(?:[.,]\d+)?|\d+(?:[.,]\d+)?))"
)


_EXPONENT = re.compile(r"\d[eE][+-]?\d")
_UNIFIED = re.compile("[" + re.escape("".join(old for old, _ in _SAME_LENGTH)) + "]")
_WORD_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ`\-][^\W\d_]+)*")  # the "word" tokens of _TOKEN
_WORD_TOKEN_PIECES = re.compile(f"({_WORD_TOKEN.pattern})")


def word_set(text: str) -> set[str]:
    """The ``low`` of every word token of ``text``, found without tokenizing: enough for the
    cheap tests that rule out most sentences before the grammar reads them."""
    if _EXPONENT.search(text):  # "1e308" is one number token, its "e" no word: rare, exact
        return {token.low for token in tokenize(text) if token.kind == "word"}
    lowered = text.lower()
    if len(lowered) != len(text):  # a rare letter whose lowercase is longer: word by word
        return {normalize_text(word.lower()) for word in _WORD_TOKEN.findall(text)}
    # Words are found before their characters are unified, as in tokenize: "‘" joins no words,
    # the "'" it becomes does. Words hold no space: all are unified in one string.
    found = _WORD_TOKEN.findall(lowered)
    if _UNIFIED.search(lowered) is None:
        return set(found)  # most sentences: nothing to unify
    return set(normalize_text(" ".join(found)).split())


def count_words(text: str, start: int = 0, end: int | None = None) -> int:
    """The number of word tokens in ``text[start:end]``, cut where no word can span the cut
    (at a colon, say), without tokenizing: only "1e308" makes a letter no word."""
    piece = text[start:end]
    if _EXPONENT.search(piece):
        return sum(1 for token in tokenize(piece) if token.kind == "word")
    return len(_WORD_TOKEN.findall(piece))


class ItemWords:
    """The ``low`` of every word token of an item's text, found in one pass over the text:
    each sentence's word set (what ``word_set`` gives for its text) is then a slice of them,
    not a scan of its own. Words never cross a sentence's edges, which are spaces."""

    __slots__ = ("_starts", "_words")

    def __init__(self, text: str) -> None:
        lowered = text.lower()
        irregular = (
            len(lowered) != len(text)  # a letter whose lowercase is longer
            or _EXPONENT.search(text) is not None  # "1e308": its "e" is no word
            or _UNIFIED.search(lowered) is not None  # characters to unify: word by word
        )
        if irregular:  # rare: each sentence is read by ``word_set`` as before
            self._words: list[str] | None = None
            self._starts: list[int] = []
            return
        pieces = _WORD_TOKEN_PIECES.split(lowered)  # gap, word, gap, word, ..., gap
        self._words = pieces[1::2]
        self._starts = list(accumulate(map(len, pieces)))[0::2]  # where each word starts

    def of(self, sentence: Sentence) -> set[str]:
        """``word_set(sentence.text)``, for a sentence of this item."""
        if self._words is None:
            return word_set(sentence.text)
        first = bisect_left(self._starts, sentence.start)
        last = bisect_left(self._starts, sentence.end, first)
        return set(self._words[first:last])


def tokenize(text: str) -> list[Token]:
    """Tokens of one sentence; "1 500", "1,500" and "1.500" are one number token."""
    lowered = normalize_text(text.lower())
    if len(lowered) == len(text):  # the common case, built as plain tuples: a hot loop
        return [
            _new_token(
                Token, (m.group(), lowered[m.start() : m.end()], m.start(), m.end(), m.lastgroup)
            )
            for m in _TOKEN.finditer(text)
        ]
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):  # a letter whose lowercase is longer: word by word
        start, end = match.span()
        raw = match.group()
        kind = match.lastgroup or "punct"
        tokens.append(Token(raw, normalize_text(raw.lower()), start, end, kind))
    return tokens


# Token(...) without the Python-level __new__ of a NamedTuple; every _TOKEN match has a group.
_new_token = cast(
    "Callable[[type[Token], tuple[str, str, int, int, str | None]], Token]", tuple.__new__
)
