"""What surrounds a number: its unit, and whether it is a number at all.

A number is excluded (not a quantity) when it is a date, a year, a clock time, a calibre, a model
designation, an ordinal, an age or a duration. Phrases are matched on lowercased tokens.
"""

from __future__ import annotations

from bot.analysis.modifiers import CURRENCY_SIGNS
from bot.analysis.sentences import Token, word_list

_TIME_UNITS = (
    "year",
    "month",
    "week",
    "day",
    "hour",
    "minute",
    "second",
    "decade",
    "centur",
    "год",
    "лет",
    "месяц",
    "недел",
    "дня",
    "дней",
    "день",
    "сут",
    "час",
    "минут",
    "секунд",
    "век",
    "рок",
    "рік",
    "місяц",
    "тижн",
    "тиждень",
    "дні",
    "днів",
    "доба",
    "доби",
    "діб",
    "годин",
    "хвилин",
    "летн",
    "річн",
    "old",
)
_OCCURRENCES = frozenset(word_list("times time раз раза рази разів"))
_MONTHS = word_list(
    "january february march april may june july august september october november december jan "
    "feb mar apr jun jul aug sep sept oct nov dec января февраля марта апреля мая июня июля "
    "августа сентября октября ноября декабря январь февраль март апрель май июнь июль август "
    "сентябрь октябрь ноябрь декабрь січня лютого березня квітня травня червня липня серпня "
    "вересня жовтня листопада грудня січень лютий березень квітень травень червень липень "
    "серпень вересень жовтень листопад грудень"
)
_MONTH_SET = frozenset(_MONTHS)
_YEAR_WORDS = frozenset(
    word_list(
        "in since by of from until till year the early late mid summer spring autumn fall winter "
        "в во с со до к году г гг у з від по року р рр роках годах and or"
    )
)
_DESIGNATION_WORDS = frozenset(
    word_list(
        "resolution article section chapter flight route highway decree order act paragraph room "
        "no number № # статья статті резолюция резолюції указ указу"
    )
)
_ORDINAL_SUFFIXES = frozenset(word_list("st nd rd th й го я е ї ий ого му ому ої ей ше ти та"))
_CALIBRE_UNITS = frozenset({"mm", "мм", "cm", "см", "caliber", "calibre", "калибра", "калібру"})
_PERCENT = ("%", "percent", "per cent", "процент", "відсот", "п.п")
_DISTANCE = (
    "km",
    "kilomet",
    "mile",
    "metre",
    "meter",
    "км",
    "километр",
    "кілометр",
    "миль",
    "метр",
)
_TONNES = ("tonne", "ton", "тонн", "тон", "т")
_CURRENCY_WORDS = (
    ("dollar", "USD"),
    ("usd", "USD"),
    ("долл", "USD"),
    ("дол", "USD"),
    ("euro", "EUR"),
    ("eur", "EUR"),
    ("евро", "EUR"),
    ("євро", "EUR"),
    ("rubl", "RUB"),
    ("roubl", "RUB"),
    ("руб", "RUB"),
    ("rub", "RUB"),
    ("hryvn", "UAH"),
    ("гривен", "UAH"),
    ("гривн", "UAH"),
    ("гривень", "UAH"),
    ("грн", "UAH"),
    ("uah", "UAH"),
    ("pound", "GBP"),
    ("фунт", "GBP"),
)


def unit_after(tokens: list[Token], end: int) -> tuple[str | None, int]:
    if end >= len(tokens):
        return None, end
    low = tokens[end].low
    if low == "%" or any(low.startswith(p) for p in _PERCENT[1:]):
        return "percent", end + 1
    if low in ("per", "п") and end + 1 < len(tokens) and tokens[end + 1].low in ("cent", "."):
        return "percent", end + 2
    if tokens[end].kind == "word" and any(low.startswith(p) for p in _DISTANCE):
        return "distance", end + 1
    if tokens[end].kind == "word" and (low in _TONNES or low.startswith(_TONNES[:3])):
        return "tonnes", end + 1
    return None, end


def currency_before(tokens: list[Token], start: int) -> tuple[str, int] | None:
    if start > 0 and tokens[start - 1].text in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[tokens[start - 1].text], start
    return None


def currency_after(tokens: list[Token], end: int) -> tuple[str, int] | None:
    if end < len(tokens) and tokens[end].text in CURRENCY_SIGNS:
        return CURRENCY_SIGNS[tokens[end].text], end + 1
    if end < len(tokens) and tokens[end].kind == "word":
        low = tokens[end].low
        for prefix, code in _CURRENCY_WORDS:
            if low.startswith(prefix) and (len(prefix) > 3 or low == prefix or code != "USD"):
                return code, end + 1
    return None


def is_excluded(tokens: list[Token], start: int, end: int) -> bool:
    """True for dates, years, times, calibres, designations, ordinals, ages and durations."""
    first = tokens[start]
    before = tokens[start - 1] if start > 0 else None
    after = tokens[end] if end < len(tokens) else None
    if first.kind == "num":
        if "e" in first.low:
            return True  # "1e308": a number in scientific notation is never a report's figure
        if before is not None and before.kind == "word" and before.end == first.start:
            return True  # glued to letters: "A320", "MH17"
        if _glued_slash(tokens, start, end):
            return True  # "9/11", "24/7": a name or a rate, not a count
    if first.kind == "num" and before is not None and before.text == "-" and start >= 2:
        designation = tokens[start - 2]
        if designation.kind == "word" and designation.end == before.start:
            return True  # F-16, Су-34, Shahed-136
    if before is not None and before.low in _DESIGNATION_WORDS and first.kind == "num":
        return not before.text.islower()  # "Resolution 2231", "No. 5", "№ 3"; not "number 3,000"
    if after is not None and _is_unit_compound(tokens, end):
        return True
    if _is_date(tokens, start, end) or _is_year(tokens, start, end):
        return True
    return _is_age(tokens, start, end)


def _glued_slash(tokens: list[Token], start: int, end: int) -> bool:
    before = tokens[start - 1] if start > 0 else None
    after = tokens[end] if end < len(tokens) else None
    if before is not None and before.text == "/" and before.end == tokens[start].start:
        return start >= 2 and tokens[start - 2].kind == "num"
    if after is not None and after.text == "/" and after.start == tokens[end - 1].end:
        return end + 1 < len(tokens) and tokens[end + 1].kind == "num"
    return False


def _is_unit_compound(tokens: list[Token], end: int) -> bool:
    """ "152-mm", "5th", "5-й", "three months", "25-year-old", "3 года"."""
    after = tokens[end]
    glued = after.start == tokens[end - 1].end
    if after.text == "-" and end + 1 < len(tokens):
        after, glued = tokens[end + 1], True
    low = after.low
    if glued and (low in _ORDINAL_SUFFIXES or low.split("-")[0] in _ORDINAL_SUFFIXES):
        return True
    if low in _CALIBRE_UNITS or low.split("-")[0] in _CALIBRE_UNITS:
        return True
    head = low.split("-")[0]
    if head in _OCCURRENCES:
        return True  # "visited three times": how often, not how many
    return after.kind == "word" and head.startswith(_TIME_UNITS) and not head.startswith("old")


def _is_date(tokens: list[Token], start: int, end: int) -> bool:
    first = tokens[start]
    if first.kind != "num" or end - start != 1 or "," in first.text or "." in first.text:
        return False
    value = number_value_plain(first.text)
    if not 1 <= value <= 31:
        return False
    before = tokens[start - 1] if start > 0 else None
    if before is not None and before.text == "." and start >= 2:
        before = tokens[start - 2]  # "Oct. 21"
    after = tokens[end] if end < len(tokens) else None
    if before is not None and before.low in _MONTH_SET:
        return before.low != "may" or before.text == "May"
    return after is not None and after.low in _MONTH_SET and after.low != "may"


def _is_year(tokens: list[Token], start: int, end: int) -> bool:
    first = tokens[start]
    if first.kind != "num" or end - start != 1 or not first.text.isdigit():
        return False
    if len(first.text) != 4:  # a year has four digits; int() refuses 4,300 and more
        return False
    if not 1900 <= int(first.text) <= 2099:
        return False
    after = tokens[end] if end < len(tokens) else None
    before = tokens[start - 1] if start > 0 else None
    if before is not None and (before.low in _YEAR_WORDS or before.low in _MONTH_SET):
        return True  # "in 2023", "February 2023"
    return (
        after is None
        or after.kind != "word"
        or not after.text[0].islower()
        or (after.low in _YEAR_WORDS)
    )


def _is_age(tokens: list[Token], start: int, end: int) -> bool:
    before = tokens[start - 1] if start > 0 else None
    if before is not None and before.low in ("aged", "age", "возрасте", "віці"):
        return True
    after = tokens[end] if end < len(tokens) else None
    return (
        before is not None
        and before.text == ","
        and after is not None
        and after.text == ","
        and start >= 2
        and tokens[start - 2].kind == "word"
        and tokens[start].kind == "num"
        and number_value_plain(tokens[start].text) < 110
    )


def number_value_plain(text: str) -> float:
    digits = "".join(ch for ch in text if ch.isdigit())
    return float(digits) if digits else 0.0
