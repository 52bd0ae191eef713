"""What clustering reads of an item, its features: extracted once per item and kept.

An item's features (its display title, the title's informative words, stems and numbers, the
shingles of its lead) depend only on its source, title and the first ``LEAD_CHARS`` of its
text; extracting them (Unicode folding, word splitting) was most of clustering a window's
stories. So they are kept for the ``FEATURES_KEPT`` items used last, by what they are made of:
a digest built alone (an on-demand /digest, the first chat of a digest run) finds the features
of the items the digests before it clustered, and extracts only the new ones'. Shingles are
kept as hashes of their three words, compared only for equality (two different shingles
sharing a 64-bit hash is as likely as never).
"""

from __future__ import annotations

import re
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass

from bot.analysis.sentences import split_sentences, word_list
from storage.records import Item

LEAD_WORDS = 60  # the shingled lead of an item's text
TITLE_LENGTH = 120
FEATURES_KEPT = 10_000  # about 4 KiB each (40 MiB in all): a day of 10 topics is 3,334 items
_STEM = 5  # letters of a word that make its stem
_WORD = re.compile(r"[^\W_]+")
_NUMBER = re.compile(r"\d+")
_ACCENTS = re.compile(r"[\u0300-\u036f]")  # combining diacritical marks
LEAD_CHARS = LEAD_WORDS * 20  # enough text for the lead's words, whatever the language: all
# clustering reads of a text (the display title reads less)


def _fold(text: str) -> str:
    """NFKC, casefolded, without accents ("Jerí" is "jeri"; "й" reads as "и", "ё" as "е")."""
    decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text).casefold())
    return _ACCENTS.sub("", decomposed)


# Words that say nothing about which story an item tells, in English, Russian and Ukrainian.
_STOPWORDS = frozenset(
    _fold(word)
    for word in word_list(
        "a an the and or but of in on at to for from by with without as is are was were be been "
        "being has have had it its this that these those he she they we you his her their our "
        "not no after before over under into about amid against says said say new more than will "
        "would can could may might out off how why what who when where which while all just now "
        "also then there here some any one two three first last year years do does did "
        "и в во на с со к ко по за из от до у о об при для без над под не ни но а или что как "
        "это этот эта эти его ее их он она они мы вы был была были быть будет также уже еще "
        "после перед через между про который которая которые заявил заявила сообщил сообщает "
        "та й і у в на з із зі до від за по при для без над під не ні але або що як це цей ця "
        "ці його її їх він вона вони ми ви був була були бути буде також вже ще після перед "
        "через між про який яка які заявив заявила повідомив повідомляє"
    )
)


@dataclass(frozen=True, slots=True)
class Features:
    source_id: int
    title: str  # the display title: the item's title, else its text's first sentence
    words: str  # the title's informative words, folded, space-separated
    numbers: frozenset[str]  # the title's numbers: "Problem 25" is not "Problem 26"
    stems: frozenset[str]
    shingles: frozenset[int]  # hashes of the lead's word triples
    lead_words: int  # words in the item's lead

    @classmethod
    def of(cls, item: Item) -> Features:
        title = _display_title(item)
        folded_title = _fold(title)
        informative = [w for w in _WORD.findall(folded_title) if _informative(w)]
        lead = _WORD.findall(_fold(item.text[:LEAD_CHARS]))[:LEAD_WORDS]
        telling = [_informative(word) for word in lead]
        # a shingle is kept if one of its words tells something ("what to do about it" does
        # not), as the hash of its words
        shingles = {
            hash(words)
            for words, told in zip(
                zip(lead, lead[1:], lead[2:], strict=False),
                map(any, zip(telling, telling[1:], telling[2:], strict=False)),
                strict=False,
            )
            if told
        }
        return cls(
            source_id=item.source_id,
            title=title,
            words=" ".join(informative),
            numbers=frozenset(_NUMBER.findall(folded_title)),
            stems=frozenset(word[:_STEM] for word in informative),
            shingles=frozenset(shingles),
            lead_words=len(lead),
        )


def _display_title(item: Item) -> str:
    title = " ".join((item.title or "").split())
    if not title:
        lead = item.text[: TITLE_LENGTH * 4]
        title = next((" ".join(s.text.split()) for s in split_sentences(lead)), "")
    return _trim(title, TITLE_LENGTH)


def _trim(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–—") + "…"


def _informative(word: str) -> bool:
    return (len(word) > 2 or word.isdigit()) and word not in _STOPWORDS


class _Kept:
    """The features of the items used last, by what they are made of (least recently used
    first out)."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._features: OrderedDict[tuple[object, ...], Features] = OrderedDict()

    def of(self, item: Item) -> Features:
        key = (item.id, item.source_id, item.title, hash(item.text[:LEAD_CHARS]))
        found = self._features.get(key)
        if found is not None:
            self._features.move_to_end(key)
            return found
        made = self._features[key] = Features.of(item)
        if len(self._features) > self._size:
            self._features.popitem(last=False)
        return made


_KEPT = _Kept(FEATURES_KEPT)


def features_of(item: Item) -> Features:
    """The item's features, extracted once while it is among the last ``FEATURES_KEPT``."""
    return _KEPT.of(item)
