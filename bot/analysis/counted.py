"""What a quantity counts (its measure) and where and how (its scope), read around the number.

The counted noun is the first measure word within a few words after the number ("1,500 North
Korean troops", "12 тис. військових"), skipping adjectives, quotes and calibres ("eight million
122-mm and 152-mm shells"). A generic noun ("people", "человек", "осіб") or none takes its measure
from a casualty predicate nearby ("погибли 300 человек", "the death toll rose to 300"). A noun
that points back ("the figure", "число", "кількість") returns ``ANAPHORA`` for the caller to
resolve from earlier claims. The scope is the nearest predicate and the place after it.
"""

from __future__ import annotations

from bot.analysis.measures import (
    CASUALTY_PREDICATES,
    GENERIC,
    is_anaphora,
    measure_of,
    predicate_of,
)
from bot.analysis.quantities import Quantity
from bot.analysis.sentences import Token, word_list

ANAPHORA = "\x00anaphora"
_AFTER = 6  # words after the number that may hold the counted noun
_BEFORE = 8  # words before the number searched for "число погибших", "death toll"
_STOPS = frozenset(",;:()[]—")
_PERSONS = frozenset({"troops", "officers", "generals", "people", "civilians", "children"})
_PLACE_ADJECTIVES = frozenset(
    word_list(
        "the eastern western northern southern central occupied восточной западной северной "
        "южной оккупированной східній західній північній південній окупованій"
    )
)
_PER_UNIT = frozenset({"each", "apiece", "каждая", "каждый", "каждой", "кожна", "кожен", "кожній"})
_PLACE_PREPOSITIONS = frozenset(word_list("in to into near at в во у на до під под near"))


def measure_and_scope(tokens: list[Token], quantity: Quantity) -> tuple[str | None, str]:
    """(measure or ANAPHORA or None, scope) of one quantity in its sentence's tokens."""
    noun = _noun_after(tokens, quantity.last_token)
    predicate, predicate_at = _nearest_predicate(tokens, quantity)
    casualty = predicate if predicate in CASUALTY_PREDICATES else None
    measure = _measure(tokens, quantity, noun, casualty)
    scope = _scope(tokens, predicate, predicate_at, quantity)
    return measure, scope


def _measure(
    tokens: list[Token], quantity: Quantity, noun: str | None, casualty: str | None
) -> str | None:
    if quantity.unit == "tonnes" or (quantity.unit and quantity.unit.isupper()):
        return quantity.unit
    if noun is not None and noun not in GENERIC:
        if casualty is not None and noun in _PERSONS:
            return casualty if noun != "children" else f"children {casualty}"
        return noun
    if casualty is not None:
        return casualty
    if noun is not None:
        return noun
    return _measure_before(tokens, quantity.first_token)


def _noun_after(tokens: list[Token], index: int) -> str | None:
    seen_words = 0
    position = index
    while position < len(tokens) and seen_words < _AFTER:
        token = tokens[position]
        if token.text in _STOPS or token.text in ".!?":
            return None
        if token.kind == "num":
            if position + 2 < len(tokens) and tokens[position + 2].low in ("mm", "мм"):
                position += 3  # a calibre between the number and its noun
                continue
            return None
        if token.kind == "word":
            measure = measure_of(token.low)
            if measure is not None:
                return None if _per_unit(tokens, position + 1) else measure
            seen_words += 1
        position += 1
    return None


def _per_unit(tokens: list[Token], index: int) -> bool:
    """ "two brigades of 6,000 personnel each": the size of one unit, not a count."""
    return any(t.low in _PER_UNIT for t in tokens[index : index + 2])


def _measure_before(tokens: list[Token], index: int) -> str | None:
    for position in range(index - 1, max(-1, index - _BEFORE - 1), -1):
        token = tokens[position]
        if token.kind == "num" or token.text in ".!?;":
            break
        if token.kind != "word":
            continue
        if is_anaphora(token.low):
            following = tokens[position + 1].low if position + 1 < len(tokens) else ""
            measure = measure_of(following) or predicate_of(following)
            return measure if measure is not None else ANAPHORA
        if token.low == "toll" or token.low.startswith("death"):
            return "killed"
        measure = measure_of(token.low)
        if measure is not None and measure not in GENERIC:
            return measure
    return None


def _nearest_predicate(tokens: list[Token], quantity: Quantity) -> tuple[str | None, int]:
    best: tuple[int, str | None, int] = (10**6, None, -1)
    low = max(0, quantity.first_token - 8)
    high = min(len(tokens), quantity.last_token + 10)
    for position in range(low, high):
        if quantity.first_token <= position < quantity.last_token:
            continue
        token = tokens[position]
        if token.kind != "word":
            continue
        predicate = predicate_of(token.low)
        if predicate is None:
            continue
        distance = min(abs(position - quantity.first_token), abs(position - quantity.last_token))
        if predicate in CASUALTY_PREDICATES:
            distance -= 3  # what happened to the counted people outranks where they went
        if distance < best[0]:
            best = (distance, predicate, position)
    return best[1], best[2]


def _scope(tokens: list[Token], predicate: str | None, at: int, quantity: Quantity) -> str:
    place = _place_after(tokens, at + 1 if at >= 0 else quantity.last_token)
    if place is None and at >= 0:
        place = _place_after(tokens, quantity.last_token)
    parts = [p for p in (predicate, f"in {place}" if place else None) if p]
    return " ".join(parts)


def _place_after(tokens: list[Token], index: int) -> str | None:
    """The capitalized word after a place preposition ("in Russia", "in eastern Russia")."""
    for position in range(index, min(len(tokens) - 1, index + 8)):
        token = tokens[position]
        if token.text in _STOPS or token.text in ".!?":
            return None
        if token.low not in _PLACE_PREPOSITIONS:
            continue
        candidate = tokens[position + 1]
        if candidate.low in _PLACE_ADJECTIVES and position + 2 < len(tokens):
            candidate = tokens[position + 2]
        demonym = candidate.low.endswith(("ian", "ean", "ese", "ский", "ських", "ских"))
        if candidate.kind == "word" and candidate.text[0].isupper() and not demonym:
            return candidate.text.removesuffix("'s")
    return None
