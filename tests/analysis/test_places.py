"""Places across scripts and inflections, and the place of a figure in its clause."""

import pytest

from bot.analysis.places import place_key, place_near, same_place
from bot.analysis.quantities import quantities_in
from bot.analysis.sentences import tokenize

SAME = [
    ("Kursk", "Курская"),
    ("Kursk", "Курской"),
    ("Kursk", "Курске"),
    ("Kursk", "Курщина"),
    ("Kursk", "Курщині"),
    ("Kharkiv", "Харьков"),
    ("Kharkiv", "Харківщина"),
    ("Donetsk", "Донецкой"),
    ("Donetsk", "Донецької"),
    ("Russia", "России"),
    ("Russia", "Росії"),
    ("Turkey", "Турции"),
    ("Türkiye", "Туреччині"),
    ("Syria", "Сирии"),
    ("Libya", "Ливии"),
    ("Moscow", "Москве"),
    ("Kyiv", "Києві"),
    ("Kyiv", "Киеве"),
    ("Ukraine's", "Украине"),
]
DIFFERENT = [
    ("Kursk", "Russia"),
    ("Курской", "России"),
    ("Kharkiv", "Kherson"),
    ("Russia", "Rostov"),
    ("Turkey", "Syria"),
    ("Турции", "Сирии"),
    ("Kyiv", "Kharkiv"),
    ("Lviv", "Lutsk"),
    ("Донецкой", "Донской"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_one_place_in_two_spellings(a: str, b: str) -> None:
    assert same_place(place_key(a), place_key(b))


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_two_places(a: str, b: str) -> None:
    assert not same_place(place_key(a), place_key(b))


NEAREST = [
    ("Officials said 1,200 people were evacuated in Kherson.", 1200, "Kherson"),
    ("In Turkey 9,000 died, in Syria 2,000.", 2000, "Syria"),
    ("In Turkey 9,000 died, in Syria 2,000.", 9000, "Turkey"),
    ("В Турции погибли 9 000 человек, в Сирии — 2 000.", 2000, "Syria"),
    ("У Херсоні евакуювали 1 200 людей.", 1200, "Kherson"),
    ("About 3,000 troops arrived in eastern Russia.", 3000, "Russia"),
    ("Police counted 20,000 marchers.", 20000, None),
    ("In March 300 people were evacuated.", 300, None),  # a month is no place
    ("Officials said in Monday's update that 40 died.", 40, None),
    ("В ПВК заявили о 500 бойцах.", 500, None),  # an organisation in capitals is no place
]


@pytest.mark.parametrize(("sentence", "value", "place"), NEAREST)
def test_place_of_a_figure(sentence: str, value: float, place: str | None) -> None:
    tokens = tokenize(sentence)
    [quantity] = [q for q in quantities_in(tokens) if value in q.numbers]
    found = place_near(tokens, quantity.first_token, quantity.last_token)
    assert found == (place_key(place) if place else None)
