"""When a figure holds, and whether it corrects or rivals another whatever the time between them.

A cumulative figure (a death toll, a deployment, a turnout) changes over time: two figures stated
days apart are an update, not a conflict, so the ledger compares figures whose moments are within
a window of each other (``DEFAULT_WINDOW``, a setting). A figure's moments are when it was
stated, and any day its sentence names ("the march on June 9", "9 червня", "13 апреля 2022
года"): a retrospective that dates its figure is compared with the reports of that day.

A sentence that marks a correction or a rival estimate ("not 359 as earlier reported", "revised
down", "disputed the figure", "far lower than", "тогда как", "а не", "спростував") is compared
whatever the gap: it is about an earlier figure on purpose.

The vocabulary is data, in the lexicon of each language (bot/analysis/lexicons): month forms in
the case a date uses, and correction stems and phrases.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from bot.analysis.lexicons import phrases, section, words
from bot.analysis.sentences import word_set

DEFAULT_WINDOW = timedelta(hours=72)


_MONTHS: dict[str, int] = {
    form: number
    for _, months in section("MONTHS")
    for number, forms in enumerate(months.split(), 1)
    for form in forms.split("|")
}
_STEMS = tuple(words("CORRECTION_STEMS"))
_PHRASES = re.compile(
    r"(?<![^\W\d_])(?:"
    + "|".join(re.escape(p) for p in phrases("CORRECTION_PHRASES"))
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
