"""Modifiers of a figure: "about", "more than", "up to", "около", "свыше", "до", "понад",
"щонайменше" before it; "or more", "и более", "з гаком" after it."""

from __future__ import annotations

from bot.analysis.sentences import Token, word_list
from storage.records import Modifier


def _phrases(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split("|") if p.strip())


_MODIFIERS_BEFORE: dict[Modifier, tuple[str, ...]] = {
    Modifier.APPROX: _phrases(
        "about|around|approximately|roughly|some|nearly|almost|an estimated|estimated|"
        "close to|circa|approx|more or less|около|порядка|примерно|приблизительно|почти|"
        "ориентировочно|где-то|близько|приблизно|майже|орієнтовно|порядку|десь"
    ),
    Modifier.AT_LEAST: _phrases(
        "at least|no fewer than|no less than|not less than|a minimum of|не менее|не меньше|"
        "как минимум|минимум|по меньшей мере|по крайней мере|щонайменше|принаймні|не менше|"
        "не менш ніж|як мінімум|мінімум"
    ),
    Modifier.MORE_THAN: _phrases(
        "more than|over|above|upwards of|in excess of|exceeding|exceeded|exceeds|well over|"
        "far more than|much more than|just over|topped|более|больше|свыше|более чем|"
        "больше чем|превысило|превысил|превышает|понад|більше|більш ніж|більше ніж|"
        "перевищила|перевищило|перевищує"
    ),
    Modifier.UP_TO: _phrases(
        "up to|as many as|as much as|could reach|may reach|might reach|would reach|"
        "could number|до|вплоть до|аж до|может достигать|может достичь|може сягати|"
        "може сягнути"
    ),
    Modifier.AT_MOST: _phrases(
        "at most|no more than|not more than|a maximum of|at the most|не более|не больше|"
        "не более чем|максимум|не більше|не більш ніж|щонайбільше|максимум"
    ),
    Modifier.LESS_THAN: _phrases(
        "less than|fewer than|under|below|far less than|far fewer than|much less than|"
        "just under|менее|меньше|менее чем|меньше чем|менше|менш ніж|менше ніж"
    ),
}
_MODIFIERS_AFTER: dict[tuple[str, ...], Modifier] = {
    ("or", "more"): Modifier.AT_LEAST,
    ("and", "more"): Modifier.AT_LEAST,
    ("or", "so"): Modifier.APPROX,
    ("plus",): Modifier.MORE_THAN,
    ("+",): Modifier.MORE_THAN,
    ("or", "fewer"): Modifier.AT_MOST,
    ("or", "less"): Modifier.AT_MOST,
    ("и", "более"): Modifier.AT_LEAST,
    ("и", "больше"): Modifier.AT_LEAST,
    ("с", "лишним"): Modifier.MORE_THAN,
    ("с", "небольшим"): Modifier.MORE_THAN,
    ("і", "більше"): Modifier.AT_LEAST,
    ("з", "гаком"): Modifier.MORE_THAN,
}


def _by_last_word() -> dict[str, tuple[tuple[tuple[str, ...], Modifier], ...]]:
    """Phrases indexed by their last word, longest first ("far less than" before "less than")."""
    index: dict[str, list[tuple[tuple[str, ...], Modifier]]] = {}
    for modifier, phrases in _MODIFIERS_BEFORE.items():
        for phrase in phrases:
            words = tuple(phrase.split())
            index.setdefault(words[-1], []).append((words, modifier))
    return {w: tuple(sorted(p, key=lambda pair: -len(pair[0]))) for w, p in index.items()}


_PHRASES = _by_last_word()
# Words allowed between a comparative modifier and its number: "far less than the speculated 3,000".
_GAP_WORDS = frozenset(
    word_list(
        "the a an speculated estimated reported claimed alleged expected previously initially "
        "official stated"
    )
)
_CHANGE_VERBS = (
    "зрос",
    "вырос",
    "возрос",
    "увелич",
    "збільш",
    "достиг",
    "сягн",
    "снизил",
    "знизил",
    "сократил",
    "скоротил",
    "підскоч",
    "подскоч",
    "упал",
    "впал",
)
_QUOTES = frozenset("\"'«»“”„")
CURRENCY_SIGNS = {"$": "USD", "€": "EUR", "£": "GBP", "₴": "UAH", "₽": "RUB"}


def modifier_before(tokens: list[Token], index: int) -> tuple[Modifier, int] | None:
    """The modifier phrase ending just before the number at ``index``, and where it starts."""
    end = index
    while end > 0 and (tokens[end - 1].text in _QUOTES or tokens[end - 1].text in CURRENCY_SIGNS):
        end -= 1
    found = _phrase_ending_at(tokens, end)
    if found is not None and _reached(tokens, found):
        return None  # "зросла до 41 тис.", "rose to": the figure reached, not a bound
    if found is None:
        gap = end
        while gap > 0 and end - gap < 2 and tokens[gap - 1].low in _GAP_WORDS:
            gap -= 1
        if gap < end:
            found = _phrase_ending_at(tokens, gap)
            if found is not None and found[0] not in (Modifier.MORE_THAN, Modifier.LESS_THAN):
                found = None
    return found


def _reached(tokens: list[Token], found: tuple[Modifier, int]) -> bool:
    modifier, start = found
    if modifier is not Modifier.UP_TO or start == 0 or tokens[start].low != "до":
        return False
    return tokens[start - 1].low.startswith(_CHANGE_VERBS)


def _phrase_ending_at(tokens: list[Token], end: int) -> tuple[Modifier, int] | None:
    if end == 0:
        return None
    for phrase, modifier in _PHRASES.get(tokens[end - 1].low, ()):
        start = end - len(phrase)
        if start >= 0 and tuple(t.low for t in tokens[start:end]) == phrase:
            return modifier, start
    return None


_AFTER_FIRST_WORDS = frozenset(phrase[0] for phrase in _MODIFIERS_AFTER)


def modifier_after(tokens: list[Token], end: int) -> tuple[Modifier, int] | None:
    if end + 1 < len(tokens) and tokens[end].text == "-" and tokens[end + 1].low == "plus":
        return Modifier.MORE_THAN, end + 2
    if end >= len(tokens) or tokens[end].low not in _AFTER_FIRST_WORDS:
        return None  # most numbers: no phrase after them can match
    for phrase, modifier in _MODIFIERS_AFTER.items():
        if tuple(t.low for t in tokens[end : end + len(phrase)]) == phrase:
            return modifier, end + len(phrase)
    return None
