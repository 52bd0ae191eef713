"""Number words of English, Russian and Ukrainian, and how a run of them adds up.

Words are looked up lowercased with "ё" as "е" and "'" as the Ukrainian apostrophe. Inflected
forms are listed rather than stemmed: numerals are a closed class and a stem such as "сем" would
also catch "семья".
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from bot.analysis.sentences import word_list

# The largest figure a report can state: a count above a trillion (or an amount of money above a
# quadrillion) is a typo, a serial number or an attack, never a claim; and so is what is not a
# finite number at all ("999…9" of 309 digits reads as infinity).
MAX_COUNT = 1e12
MAX_AMOUNT = 1e15

_GROUPED = re.compile(r"(\d{1,3}(?:[,. \u00a0\u202f\u2009]\d{3})+)([.,]\d+)?")

_EN_UNITS = word_list(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
    "fifteen sixteen seventeen eighteen nineteen"
)
_EN_TENS = ["twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"]

# value: forms (nominative, oblique cases), Russian then Ukrainian.
_CYRILLIC: dict[int, str] = {
    1: "один одна одно одного одной одному одну однієї одне",
    2: "два две двух двум двумя дві двох двом",
    3: "три трех трем тремя трьох",
    4: "четыре четырех четырем чотири чотирьох",
    5: "пять пяти п'ять п'яти",
    6: "шесть шести шість",
    7: "семь семи сім",
    8: "восемь восьми вісім",
    9: "девять девяти дев'ять дев'яти",
    10: "десять десяти",
    11: "одиннадцать одиннадцати одинадцять одинадцяти",
    12: "двенадцать двенадцати дванадцять дванадцяти",
    13: "тринадцать тринадцати тринадцять тринадцяти",
    14: "четырнадцать четырнадцати чотирнадцять чотирнадцяти",
    15: "пятнадцать пятнадцати п'ятнадцять п'ятнадцяти",
    16: "шестнадцать шестнадцати шістнадцять шістнадцяти",
    17: "семнадцать семнадцати сімнадцять сімнадцяти",
    18: "восемнадцать восемнадцати вісімнадцять вісімнадцяти",
    19: "девятнадцать девятнадцати дев'ятнадцять дев'ятнадцяти",
    20: "двадцать двадцати двадцять двадцяти",
    30: "тридцать тридцати тридцять тридцяти",
    40: "сорок сорока",
    50: "пятьдесят пятидесяти п'ятдесят п'ятдесяти",
    60: "шестьдесят шестидесяти шістдесят шістдесяти",
    70: "семьдесят семидесяти сімдесят сімдесяти",
    80: "восемьдесят восьмидесяти вісімдесят вісімдесяти",
    90: "девяносто девяноста дев'яносто дев'яноста",
    100: "сто ста сотня сотни",
    200: "двести двухсот двісті двохсот",
    300: "триста трехсот трьохсот",
    400: "четыреста четырехсот чотириста чотирьохсот",
    500: "пятьсот пятисот п'ятсот п'ятисот",
    600: "шестьсот шестисот шістсот",
    700: "семьсот семисот сімсот",
    800: "восемьсот восьмисот вісімсот",
    900: "девятьсот девятисот дев'ятсот дев'ятисот",
}

# Words that multiply what precedes them ("1,5 тыс.", "eight million", "десять тысяч").
SCALES: dict[str, float] = {
    **dict.fromkeys(["thousand", "thousands", "k"], 1e3),
    **dict.fromkeys(["million", "millions", "mln", "m"], 1e6),
    **dict.fromkeys(["billion", "billions", "bn", "b"], 1e9),
    **dict.fromkeys(["trillion", "trillions", "tn"], 1e12),
    **dict.fromkeys(["тысяча", "тысячи", "тысяч", "тысячу", "тысячами", "тысячам", "тыс"], 1e3),
    **dict.fromkeys(["тисяча", "тисячі", "тисяч", "тисячу", "тисячами", "тисячам", "тис"], 1e3),
    **dict.fromkeys(
        word_list("миллион миллиона миллионов миллионам млн мільйон мільйона мільйони"),
        1e6,
    ),
    **dict.fromkeys(["мільйонів"], 1e6),
    **dict.fromkeys(
        word_list("миллиард миллиарда миллиардов млрд мільярд мільярда мільярди"),
        1e9,
    ),
    **dict.fromkeys(["мільярдів"], 1e9),
}

# A scale on its own with these in front: "half a million", "полмиллиона", "півтори тисячі".
FRACTIONS: dict[str, float] = {
    "half": 0.5,
    "пол": 0.5,
    "пів": 0.5,
    "полтора": 1.5,
    "полторы": 1.5,
    "півтора": 1.5,
    "півтори": 1.5,
}

WORD_VALUES: dict[str, float] = {
    **{word: float(value) for value, word in enumerate(_EN_UNITS)},
    **{word: float(20 + 10 * index) for index, word in enumerate(_EN_TENS)},
    "hundred": 100.0,
    "dozen": 12.0,
    **{form: float(value) for value, forms in _CYRILLIC.items() for form in forms.split()},
}
_MULTIPLYING = {"hundred": 100.0}


def word_value(word: str) -> float | None:
    """The value of one number word ("ten", "десяти", "twenty-five"), else None."""
    word = word.lower().replace("ё", "е")
    if word in WORD_VALUES:
        return WORD_VALUES[word]
    if "-" in word:  # twenty-five
        parts = [WORD_VALUES.get(p) for p in word.split("-")]
        if len(parts) == 2 and parts[0] is not None and parts[1] is not None and parts[1] < 10:
            return parts[0] + parts[1]
    return None


def combine(values: Sequence[tuple[str, float]]) -> float:
    """Add up number words and scales: [("two", 2), ("hundred", 100), ("thousand", 1e3)]."""
    total = 0.0
    current = 0.0
    for word, value in values:
        if word in SCALES:
            total += (current or 1.0) * value
            current = 0.0
        elif word in _MULTIPLYING or word in ("сотня", "сотни"):
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
