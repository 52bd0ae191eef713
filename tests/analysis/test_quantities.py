"""Number grammar in English, Russian and Ukrainian: one row per rule."""

import pytest

from bot.analysis.quantities import find_quantities, may_hold_quantity
from bot.analysis.sentences import word_set
from storage.records import Modifier

E, A, AL, MT, UT, AM, LT, R, X = (
    Modifier.EXACT,
    Modifier.APPROX,
    Modifier.AT_LEAST,
    Modifier.MORE_THAN,
    Modifier.UP_TO,
    Modifier.AT_MOST,
    Modifier.LESS_THAN,
    Modifier.RANGE,
    Modifier.RATIO,
)

NUMBERS = [
    # digit grouping and decimals
    ("1,500 troops", 1500, E),
    ("1 500 бійців", 1500, E),
    ("1\u00a0500 военных", 1500, E),
    ("1\u202f500 военных", 1500, E),
    ("1.500 soldiers", 1500, E),
    ("12 000 солдат", 12000, E),
    ("3.2 million people", 3.2e6, E),
    # decimals with scales
    ("1.5 thousand troops", 1500, E),
    ("1,5 тыс. военных", 1500, E),
    ("11 тис. військових", 11000, E),
    ("4,7 тысяч человек", 4700, E),
    ("1,4 млн беженцев", 1.4e6, E),
    ("2,5 млрд гривень", 2.5e9, E),
    ("$3bn in aid", 3e9, E),
    # number words
    ("ten thousand soldiers", 10000, E),
    ("half a million refugees", 500000, E),
    ("twenty-five tanks", 25, E),
    ("десять тысяч военных", 10000, E),
    ("шість тисяч бійців", 6000, E),
    ("около трехсот человек", 300, A),
    ("полторы тысячи солдат", 1500, E),
    ("півмільйона людей", 500000, E),
    ("двох тисяч військових", 2000, E),
    # modifiers, English
    ("about 3,000", 3000, A),
    ("around 3,000", 3000, A),
    ("some 500 officers", 500, A),
    ("nearly 200", 200, A),
    ("up to 12,000", 12000, UT),
    ("as many as 10,000", 10000, UT),
    ("as many as “10,000” soldiers", 10000, UT),
    ("at least 35,000", 35000, AL),
    ("more than 2 million", 2e6, MT),
    ("over 13,000 containers", 13000, MT),
    ("no more than 40", 40, AM),
    ("far less than the speculated 3,000", 3000, LT),
    ("fewer than 100", 100, LT),
    ("could reach 12,000", 12000, UT),
    ("3,000 or more", 3000, AL),
    # modifiers, Russian
    ("около 3 тысяч", 3000, A),
    ("порядка 500", 500, A),
    ("до 10 тысяч", 10000, UT),
    ("более 2 млн", 2e6, MT),
    ("свыше 40 тысяч", 40000, MT),
    ("не менее 40", 40, AL),
    ("не более 100", 100, AM),
    ("менее 50", 50, LT),
    ("выросло до 300", 300, E),
    # modifiers, Ukrainian
    ("близько 500", 500, A),
    ("понад 300", 300, MT),
    ("щонайменше 12", 12, AL),
    ("не менше 20", 20, AL),
    ("зросла до 41 тис.", 41000, E),
]


@pytest.mark.parametrize(("text", "value", "modifier"), NUMBERS)
def test_numbers_and_modifiers(text: str, value: float, modifier: Modifier) -> None:
    [quantity] = find_quantities(text)
    assert quantity.value == pytest.approx(value)
    assert quantity.modifier is modifier


RANGES = [
    ("10,000 to 12,000", 10000, 12000),
    ("between 135,000 and 150,000", 135000, 150000),
    ("from 10 to 20 tanks", 10, 20),
    ("10,000–12,000 troops", 10000, 12000),
    ("от 1 000 до 3 000", 1000, 3000),
    ("10-12 тисяч", 10000, 12000),
    ("від 10 до 12 тисяч", 10000, 12000),
    ("two or three thousand", 2, 3000),
]


@pytest.mark.parametrize(("text", "low", "high"), RANGES[:-1])
def test_ranges(text: str, low: float, high: float) -> None:
    [quantity] = find_quantities(text)
    assert quantity.modifier is R
    assert (quantity.low, quantity.high) == (low, high)


RATIOS = [
    ("increasing their contingent by three times", 3),
    ("three times more troops", 3),
    ("the contingent is tripling", 3),
    ("doubled its forces", 2),
    ("a threefold increase", 3),
    ("увеличили контингент втрое", 3),
    ("в три раза больше", 3),
    ("в 2 раза", 2),
    ("збільшили утричі", 3),
    ("у три рази більше", 3),
    ("вдвічі більше", 2),
]


@pytest.mark.parametrize(("text", "value"), RATIOS)
def test_ratios(text: str, value: float) -> None:
    [quantity] = find_quantities(text)
    assert quantity.modifier is X
    assert quantity.value == value


NOT_QUANTITIES = [
    "On June 26, Reuters reported",
    "Monday, Oct. 21, 2024",
    "26 июня",
    "26 червня",
    "in 2023",
    "в 2023 году",
    "у 2024 році",
    "at 10:30",
    "on 26.06.2024",
    "152-mm shells",
    "122-мм снаряды",
    "F-16 jets",
    "Су-34",
    "the 5th brigade",
    "5-й батальон",
    "47-ї бригади",
    "the nearly three-year conflict",
    "three months ago",
    "for 12 days",
    "3 года",
    "протягом 2 тижнів",
    "a 25-year-old man",
    "aged 25",
    "в возрасте 25 лет",
    "John Smith, 45, said",
    "Resolution 2231",
    "he visited three times",
    "one of the largest",
    "hundreds of soldiers",
    "тысячи людей",
]


@pytest.mark.parametrize("text", NOT_QUANTITIES)
def test_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


UNITS = [
    ("30% of voters", "percent"),
    ("30 percent", "percent"),
    ("30 процентов", "percent"),
    ("30 відсотків", "percent"),
    ("20 km from the border", "distance"),
    ("20 км", "distance"),
    ("15 miles", "distance"),
    ("$3 billion", "USD"),
    ("3 billion dollars", "USD"),
    ("€200 million", "EUR"),
    ("5 млрд рублей", "RUB"),
    ("100 млн гривень", "UAH"),
    ("500 tonnes of ammunition", "tonnes"),
]


@pytest.mark.parametrize(("text", "unit"), UNITS)
def test_units(text: str, unit: str) -> None:
    [quantity] = find_quantities(text)
    assert quantity.unit == unit


# The cheap test that spares most sentences the grammar never rules out one that holds a number.
HOLDS_A_QUANTITY = [row[0] for table in (NUMBERS, RANGES, RATIOS, UNITS) for row in table]


@pytest.mark.parametrize("text", HOLDS_A_QUANTITY)
def test_sentences_with_quantities_pass_the_cheap_test(text: str) -> None:
    assert find_quantities(text)
    assert may_hold_quantity(text, word_set(text))


NO_NUMBER_AT_ALL = [
    "The minister spoke to reporters on Friday.",
    "Пресс-секретарь Кремля отказался от комментариев.",
    "Північна Корея відправила військових до Росії.",
    "A so-called peace plan was discussed at length.",
    "Половина дороги",
]


@pytest.mark.parametrize("text", NO_NUMBER_AT_ALL)
def test_sentences_without_numbers_fail_the_cheap_test(text: str) -> None:
    assert not may_hold_quantity(text, word_set(text))


# A figure is bounded: counts above 10^12 (money above 10^15), infinity and scientific notation
# are no figures, and no digit string of any length crashes the grammar.
HUGE = "9" * 309  # reads as infinity
GROUPED_HUGE = ",".join(["1"] + ["000"] * 146)  # 438 characters
IMPLAUSIBLE = [
    f"{HUGE} troops",
    f"{GROUPED_HUGE} troops",
    "1e308 troops",
    "2.5E+10 troops",
    "5 trillion troops",
    "2,000,000,000,000 soldiers",
    f"{HUGE} times more troops",
    f"between 10 and {HUGE} troops",
    "A320 aircraft",
    "flight MH17",
]


@pytest.mark.parametrize("text", IMPLAUSIBLE)
def test_implausible_figures_are_not_quantities(text: str) -> None:
    assert find_quantities(text) == []


PLAUSIBLE_EXTREMES = [
    ("1 trillion dollars", 1e12),
    ("$1.5 trillion", 1.5e12),
    ("1,000,000,000,000 people", 1e12),
]


@pytest.mark.parametrize(("text", "value"), PLAUSIBLE_EXTREMES)
def test_the_largest_plausible_figures_are_kept(text: str, value: float) -> None:
    [quantity] = find_quantities(text)
    assert quantity.value == value
