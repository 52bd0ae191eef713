"""When a figure holds, and whether it corrects or rivals another whatever the time between them.

A cumulative figure (a death toll, a deployment, a turnout) changes over time: two figures stated
days apart are an update, not a conflict, so the ledger compares figures whose moments are within
a window of each other (``DEFAULT_WINDOW``, a setting). A figure's moments are when it was
stated, and any day its sentence names ("the march on June 9", "9 червня", "13 апреля 2022
года"): a retrospective that dates its figure is compared with the reports of that day.

A sentence that marks a correction or a rival estimate ("not 359 as earlier reported", "revised
down", "disputed the figure", "far lower than", "тогда как", "а не", "спростував") is compared
whatever the gap: it is about an earlier figure on purpose.

The vocabulary is data, one lexicon per language with the same sections (a test checks them):
month stems in the case a date uses, and correction stems and phrases.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.analysis.sentences import word_list, word_set

DEFAULT_WINDOW = timedelta(hours=72)


@dataclass(frozen=True, slots=True)
class MomentLexicon:
    months: tuple[str, ...]  # twelve months, January first: the forms a date spells, "|"-joined
    correction_stems: tuple[str, ...]  # a word starting with one marks a correction or rival
    correction_phrases: tuple[str, ...]  # lowercase phrases, matched on word boundaries


EN = MomentLexicon(
    months=word_list(
        "january|jan february|feb march|mar april|apr may june|jun july|jul august|aug "
        "september|sept|sep october|oct november|nov december|dec"
    ),
    correction_stems=word_list(
        "revis correct disput contradict underestimat undercount underreport overestimat "
        "overstat inflat exaggerat rival refut contest raised lowered"
    ),
    correction_phrases=(
        "as earlier reported",
        "as previously reported",
        "as first reported",
        "earlier reported",
        "previously reported",
        "rather than",
        "instead of",
        "initially",
        "originally",
        "far lower",
        "far higher",
        "much lower",
        "much higher",
        "far fewer",
        "far more than",
        "times the official",
        "times higher",
        "times lower",
        "times larger",
        "times smaller",
        "previous estimate",
        "previous figure",
        "previous toll",
        "earlier estimate",
        "earlier figure",
        "in contrast",
        "contrary to",
        "while police",
        "whereas",
        "version of events",
    ),
)
RU = MomentLexicon(
    months=word_list(
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"
    ),
    correction_stems=word_list(
        "пересмотр пересмотрел исправ скорректир скоррект оспари оспор опроверг противореч "
        "занижен занизил завышен завысил преуменьш преувелич повысил понизил предыдущ"
    ),
    correction_phrases=(
        "а не",
        "вместо",
        "первоначально",
        "изначально",
        "ранее сообщалось",
        "как сообщалось ранее",
        "в отличие от",
        "тогда как",
        "в то время как",
        "вопреки",
        "раз больше",
        "раз меньше",
        "намного больше",
        "намного меньше",
        "по версии",
    ),
)
UK = MomentLexicon(
    months=word_list(
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
    ),
    correction_stems=word_list(
        "переглян переглянув виправ скориг скоригув оскарж спростов спростув супереч "
        "занижен занизив завищен завищив применш перебільш підвищив знизив"
    ),
    correction_phrases=(
        "а не",
        "замість",
        "спочатку",
        "первісно",
        "раніше повідомлялося",
        "як повідомлялося раніше",
        "на відміну від",
        "тоді як",
        "у той час як",
        "в той час як",
        "всупереч",
        "разів більше",
        "разів менше",
        "набагато більше",
        "набагато менше",
        "за версією",
    ),
)
LEXICONS: dict[str, MomentLexicon] = {"en": EN, "ru": RU, "uk": UK}

_MONTHS: dict[str, int] = {
    form: number
    for lexicon in LEXICONS.values()
    for number, forms in enumerate(lexicon.months, 1)
    for form in forms.split("|")
}
_STEMS = tuple(stem for lexicon in LEXICONS.values() for stem in lexicon.correction_stems)
_PHRASES = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(re.escape(p) for lexicon in LEXICONS.values() for p in lexicon.correction_phrases)
    + r")(?![^\W\d_])",
    re.IGNORECASE,
)
_DAY_FIRST = re.compile(r"(?<![\d,.])(\d{1,2})\s+([^\W\d_]{3,})\.?(?:,?\s+(\d{4}))?")
_MONTH_FIRST = re.compile(
    r"(?<![^\W\d_])([^\W\d_]{3,})\.?\s+(\d{1,2})(?!\d|[,.]\d)(?:\w{0,2},?\s+(\d{4}))?"
)
_MAX_DAYS = 3  # named days read from one sentence


def marks_correction(sentence: str) -> bool:
    """Whether ``sentence`` corrects or rivals another figure ("revised down to 253",
    "не 359, а 253", "тоді як влада називала 64")."""
    if _PHRASES.search(sentence):
        return True
    return any(word.startswith(_STEMS) for word in word_set(sentence))


def named_days(sentence: str, stated_at: datetime) -> tuple[datetime, ...]:
    """The days ``sentence`` names (at most a few), in the year given or else the latest year
    that does not put them after ``stated_at``: "on June 9" in a December report is June 9 of
    that year, "on December 30" in a January report is last December."""
    found: list[datetime] = []
    for match in _DAY_FIRST.finditer(sentence):
        found.extend(_day(match.group(1), match.group(2), match.group(3), stated_at))
    for match in _MONTH_FIRST.finditer(sentence):
        found.extend(_day(match.group(2), match.group(1), match.group(3), stated_at))
    return tuple(dict.fromkeys(found))[:_MAX_DAYS]


def _day(day: str, month_word: str, year: str | None, stated_at: datetime) -> list[datetime]:
    month = _MONTHS.get(month_word.lower())
    if month_word.isascii() and not month_word[0].isupper():
        return []  # English months are capitalized: "12 may have died" names no day
    if month is None or not 1 <= int(day) <= 31:
        return []
    reference = stated_at if stated_at.tzinfo else stated_at.replace(tzinfo=UTC)
    candidates = [int(year)] if year else [reference.year, reference.year - 1]
    for number in candidates:
        try:
            moment = datetime(number, month, int(day), 12, tzinfo=UTC)
        except ValueError:
            return []
        if year or moment <= reference + timedelta(days=1):
            return [moment]
    return []


def within(a: tuple[datetime, ...], b: tuple[datetime, ...], window: timedelta) -> bool:
    """Whether some moment of ``a`` is within ``window`` of some moment of ``b``."""
    return any(abs(x - y) <= window for x in a for y in b)
