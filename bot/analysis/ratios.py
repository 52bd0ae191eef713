"""Ratios: "three times", "втрое", "в три раза", "у три рази", "утричі", "tripling", "3-fold".

"N times" in English is a ratio only with a sign of growth or comparison nearby ("by three
times", "three times more", "increased three times"): otherwise it counts occurrences.
"""

from __future__ import annotations

from bot.analysis.lexicons import mapping
from bot.analysis.numerals import number_value, word_value
from bot.analysis.sentences import Token

RATIO_WORDS: dict[str, float] = {w: float(v) for w, v in mapping("RATIO_WORDS").items()}
BARE_MULTIPLIERS = {"double": 2.0, "triple": 3.0, "treble": 3.0, "quadruple": 4.0}
_DETERMINERS = frozenset(["the", "its", "their", "his", "her", "in", "a", "our"])
_TIMES = frozenset({"раз", "раза", "рази", "разів"})
_GROWTH = (
    "increas",
    "grow",
    "grew",
    "rise",
    "rose",
    "risen",
    "expand",
    "boost",
    "multipl",
    "ramp",
    "swell",
    "more",
    "larger",
    "bigger",
    "greater",
    "higher",
    "as",
    "over",
)


def find_ratio(tokens: list[Token], index: int) -> tuple[float, int] | None:
    """(multiplier, index after) when a ratio starts at ``index``."""
    token = tokens[index]
    if token.low in RATIO_WORDS:
        return RATIO_WORDS[token.low], index + 1
    following = tokens[index + 1] if index + 1 < len(tokens) else None
    if token.low in BARE_MULTIPLIERS and following is not None:
        return (BARE_MULTIPLIERS[token.low], index + 1) if following.low in _DETERMINERS else None
    if token.low.endswith("fold") and token.kind == "word":
        value = word_value(token.low.removesuffix("fold").rstrip("-"))
        if value is not None and value >= 2:
            return value, index + 1
    if token.kind == "num" and index + 2 < len(tokens) and tokens[index + 2].low == "fold":
        return _number(token), index + 3
    glued = following is not None and following.kind == "num" and following.start == token.end
    if token.low in ("x", "×") and following is not None and glued:
        return _number(following), index + 2
    return _times(tokens, index)


def _times(tokens: list[Token], index: int) -> tuple[float, int] | None:
    """ "в три раза", "у 3 рази", "by three times", "three times more"."""
    if index + 1 >= len(tokens):
        return None
    following = tokens[index + 1].low
    if following not in _TIMES and following != "times":
        return None  # nearly every number: its value is not needed
    value = _value(tokens[index])
    if value is None or value < 2:
        return None
    if following in _TIMES:
        before = tokens[index - 1].low if index > 0 else ""
        return (value, index + 2) if before in ("в", "у", "во") else None
    before = tokens[index - 1].low if index > 0 else ""
    after = tokens[index + 2].low if index + 2 < len(tokens) else ""
    nearby = [t.low for t in tokens[max(0, index - 6) : index]]
    if (
        before == "by"
        or after.startswith(_GROWTH)
        or any(w.startswith(_GROWTH[:10]) for w in nearby)
    ):
        return value, index + 2
    return None


def _value(token: Token) -> float | None:
    if token.kind == "num":
        return _number(token)
    return word_value(token.low)


def _number(token: Token) -> float:
    return number_value(token.text)
