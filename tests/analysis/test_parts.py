"""Roles of a figure: a count of the whole, a part of one, the size of one unit, or a plan."""

import pytest

from bot.analysis import lexicons
from bot.analysis.parts import Role, role_of
from bot.analysis.quantities import quantities_in
from bot.analysis.sentences import tokenize


def role(sentence: str, value: float, measure: str) -> Role:
    tokens = tokenize(sentence)
    [quantity] = [q for q in quantities_in(tokens) if value in q.numbers]
    measure, _, predicate = measure.partition("/")  # "evacuated/evacuated": what happened
    return role_of(tokens, quantity, measure, predicate)


ROLES = [
    # parts
    ("Some 4,000 soldiers arrived, including 300 officers.", 300, "officers", Role.PART),
    ("4,000 soldiers came, including 300 officers and 20 generals.", 20, "generals", Role.PART),
    ("Of the 90 dead, 14 of the dead were children.", 14, "killed", Role.PART),
    ("There were 35 children among the dead.", 35, "children killed", Role.PART),
    ("In one of the villages 70 people died.", 70, "killed", Role.PART),
    ("The remaining 1,200 were volunteers.", 1200, "troops", Role.PART),
    ("The other 30 were wounded, 15 others missing.", 15, "missing", Role.PART),
    ("Остальные 800 были добровольцами.", 800, "troops", Role.PART),
    ("Решта 800 були добровольцями.", 800, "troops", Role.PART),
    ("Погибли 90 человек, в том числе 14 детей.", 14, "children", Role.PART),
    ("Задержаны 300 человек, из них 40 подростков.", 40, "detained", Role.PART),
    ("Среди погибших 12 спасателей.", 12, "killed", Role.PART),
    ("Загинули 90 людей, серед них 14 дітей.", 14, "children", Role.PART),
    ("Евакуювали 500 людей, зокрема 120 дітей.", 120, "children", Role.PART),
    ("В одному з районів загинули 60 людей.", 60, "killed", Role.PART),
    # units
    ("Two brigades of 3,000 each were formed.", 3000, "troops", Role.UNIT),
    ("They formed three battalions of 800 soldiers.", 800, "troops", Role.UNIT),
    ("Сформированы две бригады по 3000 человек.", 3000, "troops", Role.UNIT),
    ("Створено дві бригади по 3000 бійців.", 3000, "troops", Role.UNIT),
    # plans
    ("The contingent could reach 20,000.", 20000, "troops", Role.PLAN),
    ("The ministry plans to send 5,000 more.", 5000, "troops", Role.PLAN),
    ("Численность может достичь 20 тысяч.", 20000, "troops", Role.PLAN),
    ("Кількість може сягнути 20 тисяч.", 20000, "troops", Role.PLAN),
    ("Россия планирует отправить 5000 военных.", 5000, "troops", Role.PLAN),
    ("Міністерство планує відправити 5 тисяч військових.", 5000, "troops", Role.PLAN),
    # wholes
    ("The remaining 300 passengers were evacuated.", 300, "evacuated/evacuated", Role.WHOLE),
    ("Остальные 300 пассажиров эвакуированы.", 300, "evacuated/evacuated", Role.WHOLE),
    ("50,000 were recruited, of whom 20% died.", 50000, "killed", Role.WHOLE),
    ("Набрали 50 тысяч, из которых погибли 10 тысяч.", 50000, "killed", Role.WHOLE),
    ("Among the dead, 14 were children.", 14, "killed", Role.PART),
    ("Police said 20,000 people marched.", 20000, "people", Role.WHOLE),
    ("Just over 600 of its soldiers were killed.", 600, "killed", Role.WHOLE),
    ("The toll may have risen to 1,100.", 1100, "killed", Role.WHOLE),
    ("About 9,000 soldiers might soon be deployed.", 9000, "troops", Role.WHOLE),
    ("Около 9000 военных могут быть переброшены.", 9000, "troops", Role.WHOLE),
    ("Близько 9000 військових можуть бути перекинуті.", 9000, "troops", Role.WHOLE),
    ("About 12 per cent of the 500 troops left.", 500, "troops", Role.WHOLE),
    ("В городе погибли 300 человек.", 300, "killed", Role.WHOLE),
    ("Загони мають 9 000 бійців.", 9000, "troops", Role.WHOLE),
]


@pytest.mark.parametrize(("sentence", "value", "measure", "expected"), ROLES)
def test_role_of_a_figure(sentence: str, value: float, measure: str, expected: Role) -> None:
    assert role(sentence, value, measure) is expected


SECTIONS = (
    "PART_BEFORE",
    "PART_AFTER",
    "PART_RELATIVES",
    "PART_AMONG",
    "REST_WORDS",
    "PER_UNIT",
    "UNIT_STEMS",
    "UNIT_OF",
    "PLAN_WORDS",
    "PLAN_MODALS",
    "REACH_VERBS",
)


def test_every_lexicon_has_every_section() -> None:
    for lang in lexicons.LANGUAGES:
        for name in SECTIONS:
            assert getattr(lexicons.module(lang), name), f"{lang}: {name} is empty"
