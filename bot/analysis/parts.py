"""Figures that do not count the whole: parts of a figure, sizes of one unit, and plans.

"12,000 troops, including 500 officers", "серед яких 9 000 загиблих", "12 of the victims were
children", "children among the dead": a part is not a rival of the whole, only of another part.
"Two brigades of 6,000 each" gives the size of one unit; "the figure could reach 12,000", "планує
відправити 10 тисяч" a plan or a forecast: neither is a count of the whole, so neither conflicts
with one.

The grammar reads the words around the figure in its sentence (tokens and the quantity found
there); the vocabulary is data, in the lexicon of each language (bot/analysis/lexicons).
"""

from __future__ import annotations

from enum import Enum

from bot.analysis.lexicons import phrases, words
from bot.analysis.measures import measure_of
from bot.analysis.quantities import Quantity
from bot.analysis.sentences import Token


class Role(Enum):
    WHOLE = "whole"  # a count of what its measure counts
    PART = "part"  # a subset of a figure: compared only with other parts
    UNIT = "unit"  # the size of one unit, "6,000 each": never compared
    PLAN = "plan"  # a plan or forecast, "could reach 12,000": never compared


def _by_length(found: tuple[str, ...]) -> dict[int, frozenset[tuple[str, ...]]]:
    """Phrases as word tuples grouped by their length, to look a window of words up at once."""
    grouped: dict[int, set[tuple[str, ...]]] = {}
    for phrase in found:
        split = tuple(phrase.split())
        grouped.setdefault(len(split), set()).add(split)
    return {size: frozenset(group) for size, group in grouped.items()}


_PART_BEFORE = _by_length(phrases("PART_BEFORE"))
_PART_AFTER = words("PART_AFTER")
_REST = words("REST_WORDS")
_PER_UNIT = words("PER_UNIT")
_UNIT_NOUNS = tuple(words("UNIT_STEMS"))
_UNIT_OF = words("UNIT_OF")
_PLAN_WORDS = words("PLAN_WORDS")
_MODALS = words("PLAN_MODALS")
_REACH_VERBS = words("REACH_VERBS")
_RELATIVE = words("PART_RELATIVES")
_AMONG = words("PART_AMONG")
_CLAUSE_END = frozenset(",;:()[]")
_PART_REACH = 8  # tokens before a figure in which "including" still governs it
_PLAN_REACH = 4


def role_of(tokens: list[Token], quantity: Quantity, measure: str, predicate: str = "") -> Role:
    """The role of ``quantity``, counting ``measure`` (what happened to them: ``predicate``),
    in the sentence ``tokens`` come from."""
    if _per_unit(tokens, quantity):
        return Role.UNIT
    if _part(tokens, quantity, measure, counts_event=bool(predicate) and predicate == measure):
        return Role.PART
    if _plan(tokens, quantity):
        return Role.PLAN
    return Role.WHOLE


def _words_before(tokens: list[Token], index: int, reach: int) -> list[str]:
    """The lowercased tokens before ``index`` back to a clause end (nearest last)."""
    words: list[str] = []
    for position in range(index - 1, max(-1, index - reach - 1), -1):
        token = tokens[position]
        if token.text in _CLAUSE_END or token.text in ".!?":
            break
        words.append(token.low)
    return words[::-1]


def _part(tokens: list[Token], quantity: Quantity, measure: str, *, counts_event: bool) -> bool:
    before = _words_before(tokens, quantity.first_token, _PART_REACH)
    first = quantity.first_token
    if not before and first >= 2 and tokens[first - 1].text == ",":
        before = _words_before(tokens, first - 1, _PART_REACH)  # "among the dead, 14 were"
    # "including" may govern a list: "including 500 officers and 3 generals"
    for size, openings in _PART_BEFORE.items():
        for start in range(len(before) - size + 1):
            if tuple(before[start : start + size]) in openings:
                return True
    following = tokens[quantity.last_token].low if quantity.last_token < len(tokens) else ""
    if following in _REST:
        return True  # "170 others"
    if before and before[-1] in _REST:
        # "the remaining 2,000 were volunteers" is a part; "the remaining 396 were evacuated"
        # is every one evacuated: the rest of a group is the whole of what happened to it
        return not counts_event
    return _partitive(tokens, quantity.last_token, measure)


def _partitive(tokens: list[Token], index: int, measure: str) -> bool:
    """ "12 of the dead", "17 из погибших", "300 children among the victims": a part of a group
    counted by the same measure (or any group, after "among"). "6,000 of its troops were killed"
    counts the killed, not a part of them."""
    after = [t for t in tokens[index : index + 5] if t.kind in ("word", "num")]
    for position, token in enumerate(after[:3]):
        if token.low not in _PART_AFTER:
            continue
        if position + 1 < len(after) and after[position + 1].low in _RELATIVE:
            return False  # "50,000 recruits, of whom 20% died": the whole, its part follows
        group = [measure_of(t.low) for t in after[position + 1 : position + 4]]
        among = token.low in _AMONG
        return any(
            g is not None and (among or g == measure or measure.startswith(g)) for g in group
        )
    return False


def _per_unit(tokens: list[Token], quantity: Quantity) -> bool:
    after = [t.low for t in tokens[quantity.last_token : quantity.last_token + 3]]
    for position, word in enumerate(after):
        if word in _PER_UNIT and after[position + 1 : position + 2] != ["cent"]:
            return True
    before = _words_before(tokens, quantity.first_token, 2)
    # "two brigades of 6,000": a figure sized per unit named just before "of"/"по"
    return len(before) == 2 and before[1] in _UNIT_OF and before[0].startswith(_UNIT_NOUNS)


def _plan(tokens: list[Token], quantity: Quantity) -> bool:
    # the quantity may hold the modal itself: "could reach 20,000" reads as "up to 20,000"
    inside = [t.low for t in tokens[quantity.first_token : quantity.last_token] if t.kind == "word"]
    before = _words_before(tokens, quantity.first_token, _PLAN_REACH) + inside
    if any(word in _PLAN_WORDS for word in before):
        return True  # "plans to send 5,000"
    # "could reach 12,000": a ceiling foreseen; "may have risen to 1,100" is a figure, and
    # "10,000 might be deployed" an estimate of what is there
    return any(
        word in _MODALS and before[position + 1] in _REACH_VERBS
        for position, word in enumerate(before[:-1])
    )
