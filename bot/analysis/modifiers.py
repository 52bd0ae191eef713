"""Modifiers of a figure: "about", "more than", "up to", "около", "свыше", "до", "понад",
"щонайменше" before it; "or more", "и более", "з гаком" after it."""

from __future__ import annotations

from bot.analysis.lexicons import mapping, section, words
from bot.analysis.sentences import Token, word_list
from storage.records import Modifier


def _before() -> dict[Modifier, tuple[str, ...]]:
    found: dict[Modifier, list[str]] = {}
    for _, table in section("MODIFIERS_BEFORE"):
        for name, text in table.items():
            found.setdefault(Modifier(name), []).extend(p.strip() for p in text.split("|"))
    return {modifier: tuple(dict.fromkeys(p for p in ps if p)) for modifier, ps in found.items()}


_MODIFIERS_BEFORE = _before()
_MODIFIERS_AFTER: dict[tuple[str, ...], Modifier] = {
    tuple(phrase.split()): Modifier(name) for phrase, name in mapping("MODIFIERS_AFTER").items()
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
_CHANGE_VERBS = tuple(sorted(words("CHANGE_VERBS")))
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


def after_change_verb(tokens: list[Token], index: int, reach: int = 1) -> bool:
    """Whether a verb of change ("rose", "зросла", "revised") ends within ``reach`` words
    before ``index``."""
    return any(
        tokens[position].low.startswith(_CHANGE_VERBS)
        for position in range(max(0, index - reach), index)
        if tokens[position].kind == "word"
    )


def is_change(tokens: list[Token], start: int, before: frozenset[str] | None = None) -> bool:
    """ "rose by 3", "выросло на 3": the number at ``start`` is the change, not a figure (or,
    with ``before`` words such as "from", the figure a change started from)."""
    words = _BY if before is None else before
    return start > 0 and tokens[start - 1].low in words and after_change_verb(tokens, start - 1, 3)


_BY = frozenset({"by", "на"})


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
