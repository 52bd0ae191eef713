"""Quantities in a sentence: numbers with their modifier, range, scale, ratio and unit.

Grammar (English, Russian, Ukrainian):
- digits with grouping ("1,500", "1 500" with any space, "1.500") or decimals ("1,5", "3.2"),
  followed by a scale ("thousand", "тыс.", "тис.", "млн", "million", "bn");
- number words ("ten thousand", "десять тысяч", "шість тисяч", "трехсот", "half a million",
  "полтора миллиона");
- ranges ("10,000 to 12,000", "10-12 тисяч", "between 135,000 and 150,000", "от 1 000 до 3 000");
- modifiers before ("about", "more than", "up to", "около", "свыше", "не менее", "близько",
  "понад", "щонайменше") or after ("or more", "и более", "з гаком");
- ratios ("three times", "втрое", "в три раза", "утричі", "tripling", "threefold").

Not quantities (skipped): dates, years, clock times, calibres ("152-mm"), model designations
("F-16"), ordinals ("5th", "5-й"), ages, durations ("three months", "three-year").

Distances and percentages are parsed and returned with ``unit`` set ("distance", "percent") so
that their digits are never read as a count; claims.py does not make claims of distances (they
place an event, they do not count it) nor of percentages unless they are "N% of" a counted noun.
Money and weight carry their unit ("USD", "EUR", "RUB", "UAH", "GBP", "tonnes").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from operator import itemgetter

from bot.analysis.measures import measure_of
from bot.analysis.modifiers import after_change_verb, modifier_after, modifier_before
from bot.analysis.numerals import (
    Vocabulary,
    combine,
    number_value,
    plausible,
    vocabulary,
    word_value,
)
from bot.analysis.quantity_context import currency_after, currency_before, is_excluded, unit_after
from bot.analysis.ratios import BARE_MULTIPLIERS, RATIO_WORDS, find_ratio
from bot.analysis.sentences import Token, tokenize
from storage.records import Modifier

_ADJACENT_ONLY_SCALES = frozenset({"k", "m", "b"})
_RANGE_JOINERS = frozenset({"-", "–", "—", "to", "до", "or", "или", "або", "чи", "and", "и", "і"})
_DIGIT = re.compile(r"\d")
_COMPOUND_HINT = re.compile(r"fold|-|пол|пів", re.IGNORECASE)  # in every _is_compound_number
_BY_OR_FROM = frozenset({"by", "from", "на", "от", "від", "з", "с"})
_LOW, _KIND = itemgetter(1), itemgetter(4)  # of a Token
_ARTICLES = frozenset({"a", "an"})
_RANGE_OPENERS = {"between": "and", "from": "to", "от": "до", "від": "до", "с": "до", "з": "до"}


@dataclass(frozen=True, slots=True)
class _Starters:
    words: frozenset[str]  # number, fraction and ratio words, "x"
    or_scales: frozenset[str]  # "a" starts a number only before a scale
    after_article: frozenset[str]  # what "a" or "an" must precede to open one: "a million"


@cache
def _starters() -> _Starters:
    vocab = vocabulary()
    words = frozenset(
        {
            *vocab.values,
            *vocab.fractions,
            *vocab.lone_scales,
            *vocab.lone_scales_after_modifier,
            *RATIO_WORDS,
            *BARE_MULTIPLIERS,
            "x",
            "×",
        }
    )
    scales = frozenset(vocab.scales)
    return _Starters(words, words | scales, scales | {"hundred"})


@dataclass(frozen=True, slots=True)
class Quantity:
    value: float | None
    low: float | None
    high: float | None
    modifier: Modifier
    start: int  # character offsets in the sentence
    end: int
    first_token: int  # token span, for the search of the counted noun
    last_token: int  # one past the last token
    unit: str | None = None  # "percent", "distance", "tonnes", "USD", ...

    @property
    def numbers(self) -> tuple[float, ...]:
        return tuple(n for n in (self.value, self.low, self.high) if n is not None)


def find_quantities(text: str) -> list[Quantity]:
    return quantities_in(tokenize(text))


def quantities_in(tokens: list[Token]) -> list[Quantity]:
    found: list[Quantity] = []
    after = 0  # the tokens before belong to a quantity found already
    for index in quantity_starts(tokens):
        if index < after:
            continue
        ratio = find_ratio(tokens, index)
        if ratio is not None:
            value, after = ratio
            if plausible(value):
                found.append(_make(tokens, index, after, value, None, None, Modifier.RATIO, None))
            continue
        quantity = _quantity_at(tokens, index)
        if quantity is None:
            continue
        if quantity.value is not None or quantity.low is not None:
            money = quantity.unit is not None and quantity.unit.isupper()
            if all(plausible(n, money=money) for n in quantity.numbers):
                found.append(quantity)
        after = max(quantity.last_token, index + 1)
    return found


def quantity_starts(tokens: list[Token]) -> list[int]:
    """The tokens a quantity may start at: numbers, number and ratio words, compounds. Most
    sentences hold no hyphen, "fold" or half prefix ("пол", "пів"): their words cannot be
    compounds, and are only looked up (the tests run over all of them at once, in C). An
    article starts one only before a scale or "hundred": before anything else it opens none."""
    starters = _starters()
    vocab = vocabulary()
    halves = vocab.half_prefixes
    lows, kinds = list(map(_LOW, tokens)), list(map(_KIND, tokens))
    joined = " ".join(lows)
    compounds = "-" in joined or "fold" in joined or any(half in joined for half in halves)
    if not compounds and "num" not in kinds and starters.or_scales.isdisjoint(lows):
        return []
    words, after_article = starters.words, starters.after_article
    following = [*lows[1:], ""]
    return [
        i
        for i, (low, kind, next_low) in enumerate(zip(lows, kinds, following, strict=True))
        if kind == "num"
        or low in words
        or (low in _ARTICLES and next_low in after_article)
        or (
            compounds
            and kind == "word"
            and ("-" in low or low[:3] in halves or low.endswith("fold"))
            and _is_compound_number(low, vocab)
        )
    ]


def may_hold_quantity(text: str, words: set[str]) -> bool:
    """False when ``quantities_in`` surely finds nothing in ``text`` (whose lowercased words are
    ``words``, see ``sentences.word_set``): no digit, no number, ratio or scale word, so no token
    that could start a quantity ("a" starts one only before a scale). Most sentences."""
    if "×" in text or _DIGIT.search(text):
        return True
    if not words.isdisjoint(_starters().or_scales):
        return True
    if not _COMPOUND_HINT.search(text):
        return False
    vocab = vocabulary()
    return any(_is_compound_number(w, vocab) for w in words)


def _is_compound_number(low: str, vocab: Vocabulary) -> bool:
    """ "threefold", "twenty-five", "полмиллиона"."""
    return (
        low.endswith("fold")
        or ("-" in low and low.split("-")[0] in vocab.values)
        or _compound_half(low, vocab)
    )


def parse_number(tokens: list[Token], index: int) -> tuple[float, int] | None:
    """A number phrase starting at ``index``: (value, index after it), scales included."""
    token = tokens[index]
    if token.kind == "num":
        value, end = number_value(token.text), index + 1
    else:
        words = _number_words(tokens, index)
        if words is None:
            return None
        value, end = words
        return value, end
    scale, end = _scale_at(tokens, end)
    return value * scale, end


def _number_words(tokens: list[Token], index: int) -> tuple[float, int] | None:
    vocab = vocabulary()
    scales = vocab.scales
    parts: list[tuple[str, float]] = []
    end = index
    fraction = 1.0
    low = tokens[index].low
    if low in vocab.fractions or _compound_half(low, vocab):
        if _compound_half(low, vocab):
            return vocab.half_prefixes[low[:3]] * scales[low[3:]], index + 1
        fraction, end = vocab.fractions[low], index + 1
        if end < len(tokens) and tokens[end].low in ("a", "an"):
            end += 1
        if end >= len(tokens) or tokens[end].low not in scales:
            return None
        return fraction * scales[tokens[end].low], _skip_dot(tokens, end + 1)
    if _lone_scale(tokens, index, vocab):
        return scales[low], _skip_dot(tokens, index + 1)  # "около миллиона", "понад тисячу"
    if low in ("a", "an") and index + 1 < len(tokens):
        following = tokens[index + 1].low
        if following in scales or following == "hundred":
            parts.append(("one", 1.0))
            end = index + 1
    while end < len(tokens) and tokens[end].kind == "word":
        word = tokens[end].low
        value = word_value(word)
        if word in scales and parts and len(word) > 1:
            parts.append((word, scales[word]))
            end = _skip_dot(tokens, end + 1)
            continue
        if value is None:
            following = tokens[end + 1].low if end + 1 < len(tokens) else ""
            if word == "and" and parts and word_value(following) is not None:
                end += 1
                continue
            break
        parts.append((word, value))
        end += 1
    if not parts or (len(parts) == 1 and parts[0][1] < 1):
        return None
    if len(parts) == 1 and parts[0][1] == 1 and not _counts_a_measure(tokens, end):
        return None  # "one" alone is a pronoun far more often than a count
    return combine(parts), end


def _lone_scale(tokens: list[Token], index: int, vocab: Vocabulary) -> bool:
    """A singular scale word that no number opens: it counts one ("a million" in English)."""
    low = tokens[index].low
    if low not in vocab.lone_scales and low not in vocab.lone_scales_after_modifier:
        return False
    if index > 0 and (tokens[index - 1].kind == "num" or tokens[index - 1].low in vocab.values):
        return False  # "3 тысячи", "три тысячи": the number's scale
    return low in vocab.lone_scales or modifier_before(tokens, index) is not None


def _counts_a_measure(tokens: list[Token], index: int) -> bool:
    """ "one serviceman died", "одна людина", "об одном погибшем": "one" before a counted
    noun of the lexicon, an adjective between at most."""
    following = [t for t in tokens[index : index + 2] if t.kind == "word"]
    return any(measure_of(t.low) is not None for t in following)


def _compound_half(low: str, vocab: Vocabulary) -> bool:
    return low[:3] in vocab.half_prefixes and low[3:] in vocab.scales


def _scale_at(tokens: list[Token], index: int) -> tuple[float, int]:
    if index >= len(tokens) or tokens[index].kind != "word":
        return 1.0, index
    word = tokens[index].low
    scales = vocabulary().scales
    if word not in scales:
        return 1.0, index
    if word in _ADJACENT_ONLY_SCALES and tokens[index].start != tokens[index - 1].end:
        return 1.0, index
    return scales[word], _skip_dot(tokens, index + 1)


def _skip_dot(tokens: list[Token], index: int) -> int:
    if index + 1 < len(tokens) and tokens[index].text == ".":
        following = tokens[index + 1]
        if following.low[:1].islower() or following.kind == "num":
            return index + 1  # "1,5 тыс. военных": the dot ends the abbreviation
    return index


def _quantity_at(tokens: list[Token], index: int) -> Quantity | None:
    number = parse_number(tokens, index)
    if number is None:
        return None
    value, end = number
    if is_excluded(tokens, index, end):
        return _make(tokens, index, end, None, None, None, Modifier.EXACT, None)
    low: float | None = None
    high: float | None = None
    figure: float | None = value
    modifier = Modifier.EXACT
    second = _range_end(tokens, index, end, value)
    start = index
    if second is not None:
        low, high, end, start = second
        figure = None
        modifier = Modifier.RANGE
    else:
        before = modifier_before(tokens, index)
        if before is not None:
            modifier, start = before
        after = modifier_after(tokens, end)
        if after is not None:
            modifier, end = after
    unit, end = unit_after(tokens, end)
    currency = currency_before(tokens, start) or currency_after(tokens, end)
    if currency is not None:
        unit = currency[0]
        end = max(end, currency[1])
    return _make(tokens, start, end, figure, low, high, modifier, unit)


def _range_end(
    tokens: list[Token], index: int, end: int, value: float
) -> tuple[float, float, int, int] | None:
    """(low, high, end, start) when the number opens a range, else None."""
    if end + 1 >= len(tokens) or tokens[end].low not in _RANGE_JOINERS:
        return None
    opener = tokens[index - 1].low if index > 0 else ""
    if opener in _BY_OR_FROM and after_change_verb(tokens, index - 1, 3):
        return None  # "rose by 3 to 2,410", "rose from 64 to 2,975": a change, two figures
    joiner = tokens[end].low
    digits_to_digits = joiner == "to" and tokens[index].kind == tokens[end + 1].kind == "num"
    opened = _RANGE_OPENERS.get(opener) == joiner
    if joiner in ("and", "и", "і", "до", "to") and not opened and not digits_to_digits:
        return None
    second = parse_number(tokens, end + 1)
    if second is None or is_excluded(tokens, end + 1, second[1]):
        return None
    high, after = second
    raw_second = _raw_value(tokens, end + 1)
    if value == _raw_value(tokens, index) and raw_second and high != raw_second:
        value *= high / raw_second  # "10-12 тисяч": the scale applies to both ends
    if not value < high:
        return None
    start = index - 1 if opener in _RANGE_OPENERS else index
    return value, high, after, start


def _raw_value(tokens: list[Token], index: int) -> float | None:
    token = tokens[index]
    if token.kind == "num":
        return number_value(token.text)
    return word_value(token.low)


def _make(
    tokens: list[Token],
    first: int,
    end: int,
    value: float | None,
    low: float | None,
    high: float | None,
    modifier: Modifier,
    unit: str | None,
) -> Quantity:
    last = tokens[max(first, end - 1)]
    return Quantity(value, low, high, modifier, tokens[first].start, last.end, first, end, unit)
