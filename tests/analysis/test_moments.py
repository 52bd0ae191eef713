"""Moments of a figure: the days its sentence names, and the markers of a correction or rival."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.analysis import lexicons
from bot.analysis.moments import marks_correction, named_days, within

DECEMBER = datetime(2021, 12, 8, 15, tzinfo=UTC)


def day(year: int, month: int, number: int) -> datetime:
    return datetime(year, month, number, 12, tzinfo=UTC)


NAMED_DAYS = [
    ("The rally on June 9 drew a crowd of 900,000.", (day(2021, 6, 9),)),
    ("On 14 March 2020, 300 people were evacuated.", (day(2020, 3, 14),)),
    ("Officials said on Sept. 3 that 40 had died.", (day(2021, 9, 3),)),
    ("Nov 30th: 55 missing.", (day(2021, 11, 30),)),
    ("On December 30 the count stood at 12.", (day(2020, 12, 30),)),  # last December
    ("15 июня в городе погибли 12 человек.", (day(2021, 6, 15),)),
    ("По данным на 2 апреля 2019 года, пропали 40 человек.", (day(2019, 4, 2),)),
    ("3 травня рятувальники знайшли 25 тіл.", (day(2021, 5, 3),)),
    ("Станом на 28 листопада евакуйовано 900 людей.", (day(2021, 11, 28),)),
    ("Police counted 20,000 protesters.", ()),
    ("At least 12 may have died.", ()),
    ("1,500 troops were sent, 30 marched.", ()),
    ("На 31 февраля назначено 5 встреч.", ()),  # no such day
]


@pytest.mark.parametrize(("sentence", "days"), NAMED_DAYS)
def test_named_days(sentence: str, days: tuple[datetime, ...]) -> None:
    assert named_days(sentence, DECEMBER) == days


CORRECTIONS = [
    ("The toll was revised down to 80 from 95.", True),
    ("That is 80 dead, not 95 as earlier reported.", True),
    ("The union disputed the figure of 4,000 marchers.", True),
    ("Organisers said 60,000, far higher than the police count.", True),
    ("The ministry counted 12, while police put it at 30.", True),
    ("Число погибших пересмотрели: 80, а не 95.", True),
    ("Власти заявили о 12 погибших, тогда как волонтеры насчитали 40.", True),
    ("Министерство опровергло данные о 300 задержанных.", True),
    ("Кількість загиблих уточнили: 80, а не 95.", True),
    ("Міністерство спростувало дані про 300 затриманих.", True),
    ("Поліція нарахувала 12 тисяч, тоді як організатори — 50 тисяч.", True),
    ("По версии следствия, погибли 12 человек.", True),
    ("За версією слідства, загинули 12 людей.", True),
    ("Police counted 20,000 protesters.", False),
    ("Погибли 17 человек.", False),
    ("Загинули 17 людей.", False),
]


@pytest.mark.parametrize(("sentence", "corrects"), CORRECTIONS)
def test_markers_of_a_correction_or_rival(sentence: str, corrects: bool) -> None:
    assert marks_correction(sentence) is corrects


def test_within_compares_every_moment_of_both() -> None:
    a = (day(2021, 6, 20), day(2021, 6, 9))
    assert within(a, (day(2021, 6, 10),), timedelta(hours=72))
    assert not within(a, (day(2021, 6, 1),), timedelta(hours=72))


SECTIONS = ("MONTHS", "CORRECTION_STEMS", "CORRECTION_PHRASES")


def test_every_lexicon_has_every_section() -> None:
    for lang in lexicons.LANGUAGES:
        for name in SECTIONS:
            assert getattr(lexicons.module(lang), name), f"{lang}: {name} is empty"
        assert len(lexicons.module(lang).MONTHS.split()) == 12, lang
