"""When two claims speak of one quantity: the values a claim allows (modifier-aware
intervals), the kind of predicate and the place of its scope, and whether two speakers are one."""

from __future__ import annotations

import math
import re

from bot.analysis.measures import GENERIC, PRESENCE
from bot.analysis.places import place_key, same_place
from bot.analysis.sentences import word_list
from bot.analysis.wording import same_speaker
from storage.records import Modifier, NewClaim, Polarity

APPROX = 0.10  # the half-width of "about N"
_WORDS = re.compile(r"[^\W\d_]+")
# Bodies, not people: their family name is no name ("Syrian Health Ministry", "полиции").
_BODIES = tuple(
    word_list(
        "ministr office department service government court committee agenc council police "
        "army forces guard command intelligence authorit минист министр полиц суд служб "
        "управлени правительств комитет агентств ведомств штаб разведк армии войск "
        "міністерств поліц уряд комітет агентств відомств розвідк армі військ"
    )
)


def interval(claim: NewClaim) -> tuple[float, float] | None:
    """The values a claim allows, or None for a claim without a figure (a denial, a ratio)."""
    if claim.modifier is Modifier.RATIO or claim.polarity is Polarity.DENIES:
        return None
    if claim.low is not None and claim.high is not None:
        return claim.low, claim.high
    value = claim.value if claim.value is not None else claim.low or claim.high
    if value is None:
        return None
    if claim.modifier in (Modifier.AT_LEAST, Modifier.MORE_THAN):
        return value, math.inf
    if claim.modifier in (Modifier.UP_TO, Modifier.AT_MOST, Modifier.LESS_THAN):
        return 0.0, value
    if claim.modifier is Modifier.APPROX:
        return value * (1 - APPROX), value * (1 + APPROX)
    return value, value


def too_vague(claim: NewClaim) -> bool:
    """ "A city of 2.5 million people": a generic count with no predicate and nobody who
    estimated it counts nothing another figure could deny; "police said 300,000 people were
    there" is an estimate."""
    return claim.measure in GENERIC and not claim.scope and not claim.speaker


def centre(claim: NewClaim) -> float:
    bounds = interval(claim)
    if bounds is None:
        return 0.0
    low, high = bounds
    return low if math.isinf(high) else (low + high) / 2


def same_predicate(a: NewClaim, b: NewClaim) -> bool:
    """The same kind of predicate: arrived, deployed, training and fighting are all presence."""
    predicate_a, predicate_b = predicate_of(a.scope), predicate_of(b.scope)
    both_presence = predicate_a in PRESENCE and predicate_b in PRESENCE
    if a.measure in GENERIC and (predicate_a or predicate_b):
        # "people" says nothing of what happened to them: 11 detained and 121 in hospital are
        # two counts; only the same predicate makes two counts of people one quantity
        return predicate_a == predicate_b or both_presence
    return not predicate_a or not predicate_b or predicate_a == predicate_b or both_presence


def no_two_places(place_a: str | None, place_b: str | None) -> bool:
    """No two different places: a town's count is not a rival of its country's."""
    return place_a is None or place_b is None or same_place(place_a, place_b)


def predicate_of(scope: str) -> str:
    return "" if scope.startswith("in ") else scope.partition(" in ")[0].strip()


def same_voice(a: str | None, b: str | None) -> bool:
    """One speaker named two ways: "Zelensky" and "President Volodymyr Zelenskyy", or across
    scripts and cases by the family name ("Джон Кирби", "Кірбі"; "господина Пригожина")."""
    if same_speaker(a, b):
        return True
    name_a, name_b = _family_name(a), _family_name(b)
    return name_a is not None and name_a == name_b


def _family_name(speaker: str | None) -> str | None:
    """The key of the last word of a person's name, or None for a body ("the ministry")."""
    words = _WORDS.findall(speaker or "")
    if not words or not words[-1][0].isupper() or words[-1].lower().startswith(_BODIES):
        return None
    key = place_key(words[-1])
    return key if len(key) >= 3 else None
