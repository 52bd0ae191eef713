"""Number words of English, Russian and Ukrainian, and how a run of them adds up.

The words are the lexicons' (``lexicons/*.py``: NUMBERS, SCALES, FRACTIONS); their inflected
forms are generated, never stemmed: numerals are a closed class and a stem such as "сем" would
also catch "семья". Words are looked up lowercased with "ё" as "е" and "'" as the apostrophe.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache

from bot.analysis.lexicons import mapping, section
from bot.analysis.lexicons.forms import inflections, singular_forms

# The largest figure a report can state: a count above a trillion (or an amount of money above a
# quadrillion) is a typo, a serial number or an attack, never a claim; and so is what is not a
# finite number at all ("999…9" of 309 digits reads as infinity).
MAX_COUNT = 1e12
MAX_AMOUNT = 1e15

_GROUPED = re.compile(r"(\d{1,3}(?:[,. \u00a0\u202f\u2009]\d{3})+)([.,]\d+)?")


@dataclass(frozen=True, slots=True)
class Vocabulary:
    """The number words of every language, with all their forms (see ``lexicons``)."""

    values: dict[str, float]  # "ten", "десяти", "тисячами" is a scale, not here
    scales: dict[str, float]  # "thousand", "тысячами", "тыс", "bn"
    fractions: dict[str, float]  # "half", "полторы", "півтори"
    half_prefixes: dict[str, float]  # "пол" of "полмиллиона"
    # A scale word in the singular with no number before it counts one: "около миллиона
    # человек", "понад тисячу"; a form that is also plural ("тысячи") only after a modifier
    # ("более тысячи"), as "тысячи людей" are thousands, no figure.
    lone_scales: dict[str, float]
    lone_scales_after_modifier: dict[str, float]
    multiplying: frozenset[str]  # "hundred", "сотни": they multiply what comes before


@cache
def vocabulary() -> Vocabulary:
    """Built on first use: the Russian and Ukrainian forms come from pymorphy3's dictionaries
    (a form the dictionary reads as another word first is listed in the lexicon itself)."""
    values: dict[str, float] = {}
    scales: dict[str, float] = {}
    fractions: dict[str, float] = {}
    multiplying: set[str] = set()
    for lang, numbers in section("NUMBERS"):
        for value, lemmas in numbers.items():
            for lemma in lemmas.split():
                forms = inflections(lang, lemma) if lang != "en" else {lemma}
                values.update(dict.fromkeys(forms, float(value)))
                if lemma in _MULTIPLYING_LEMMAS:
                    multiplying.update(forms)
    lone: dict[str, float] = {}
    lone_after_modifier: dict[str, float] = {}
    for lang, table in section("SCALES"):
        for lemma, scale in table.items():
            scales.update(dict.fromkeys(inflections(lang, lemma), float(scale)))
            only_singular, also_plural = singular_forms(lang, lemma)
            lone.update(dict.fromkeys(only_singular, float(scale)))
            lone_after_modifier.update(dict.fromkeys(also_plural, float(scale)))
    scales.update(mapping("SCALE_ABBREVIATIONS"))
    for lang, table in section("FRACTIONS"):
        for lemma, fraction in table.items():
            fractions.update(dict.fromkeys(inflections(lang, lemma), float(fraction)))
    halves = {prefix: float(value) for prefix, value in mapping("HALF_PREFIXES").items()}
    return Vocabulary(
        values,
        scales,
        fractions,
        halves,
        lone,
        lone_after_modifier,
        frozenset(multiplying),
    )


_MULTIPLYING_LEMMAS = frozenset({"hundred", "сотня"})


def word_value(word: str) -> float | None:
    """The value of one number word ("ten", "десяти", "twenty-five"), else None."""
    values = vocabulary().values
    word = word.lower().replace("ё", "е")
    if word in values:
        return values[word]
    if "-" in word:  # twenty-five
        parts = [values.get(p) for p in word.split("-")]
        if len(parts) == 2 and parts[0] is not None and parts[1] is not None and parts[1] < 10:
            return parts[0] + parts[1]
    return None


def combine(values: Sequence[tuple[str, float]]) -> float:
    """Add up number words and scales: [("two", 2), ("hundred", 100), ("thousand", 1e3)]."""
    vocab = vocabulary()
    total = 0.0
    current = 0.0
    for word, value in values:
        if word in vocab.scales:
            total += (current or 1.0) * value
            current = 0.0
        elif word in vocab.multiplying:
            current = (current or 1.0) * value
        else:
            current += value
    return total + current


def plausible(value: float, *, money: bool = False) -> bool:
    """Whether ``value`` can be a reported figure (see ``MAX_COUNT``)."""
    return math.isfinite(value) and abs(value) <= (MAX_AMOUNT if money else MAX_COUNT)


def number_value(text: str) -> float:
    """Value of one number token: "1,500" and "1 500" are 1500, "1,5" is 1.5."""
    grouped = _GROUPED.fullmatch(text)
    if grouped and not text.startswith("0"):
        whole = float(re.sub(r"\D", "", grouped.group(1)))
        decimals = grouped.group(2)
        return whole + (float("0." + decimals[1:]) if decimals else 0.0)
    try:
        return float(text.replace(",", "."))
    except ValueError:  # "0 000", "0,000.5": odd grouping, read the digits
        return float(re.sub(r"\D", "", text) or 0)
