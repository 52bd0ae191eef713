"""Which figures the ledger compares: moments, corrections, parts, units, plans, places, voices.

Each rule is a table of invented sentences in English, Russian and Ukrainian: the claim on
record, the new claim, the days between them, and whether they conflict.
"""

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import pytest

from bot.analysis.comparable import same_voice
from bot.analysis.conflicts import Ledger, LedgerEntry
from storage.records import ConflictKind, Modifier, NewClaim, Polarity

AT = datetime(2022, 3, 1, 9, tzinfo=UTC)


@dataclass(frozen=True)
class Said:
    sentence: str
    value: float
    speaker: str | None = None
    measure: str = "killed"
    scope: str = "killed"
    modifier: Modifier = Modifier.EXACT
    days: float = 0.0  # when it was stated, days after AT

    def claim(self) -> NewClaim:
        return NewClaim(
            "Flood", self.sentence, self.measure, self.scope, self.modifier, Polarity.ASSERTS,
            value=self.value, speaker=self.speaker,
        )  # fmt: skip

    def entry(self, claim_id: str) -> LedgerEntry:
        return LedgerEntry(claim_id, self.claim(), AT + timedelta(days=self.days))


def conflicts(old: Said, new: Said, window: timedelta | None = timedelta(hours=72)) -> bool:
    ledger = Ledger([old.entry("old")], window=window)
    return bool(ledger.conflicts_of(new.entry("new")))


MOMENTS = [
    # a rising toll reported days apart is an update
    (Said("Officials said 40 people died.", 40, "Officials"),
     Said("Officials said 95 people died.", 95, "Officials", days=6), False),
    (Said("Погибли 40 человек, сообщили власти.", 40, "власти"),
     Said("Число погибших выросло до 95, сообщили власти.", 95, "власти", days=6), False),
    (Said("Загинули 40 людей, повідомила влада.", 40, "влада"),
     Said("Кількість загиблих зросла до 95.", 95, None, days=6), False),
    # rival figures of the same days are a conflict
    (Said("Officials said 40 people died.", 40, "Officials"),
     Said("Rescuers said 95 people died.", 95, "Rescuers", days=1), True),
    (Said("Погибли 40 человек, сообщили власти.", 40, "власти"),
     Said("Волонтеры насчитали 95 погибших.", 95, "волонтеры", days=2), True),
    # a correction or rival estimate is compared whatever the gap
    (Said("Officials said 40 people died.", 40, "Officials"),
     Said("A study found 950 deaths, far higher than the official count.", 950, "study",
          days=90), True),
    (Said("The agency reported 400 dead.", 400, "agency"),
     Said("The toll is 253, not 400 as earlier reported.", 253, "agency", days=30), True),
    (Said("Погибли 40 человек, сообщили власти.", 40, "власти"),
     Said("Исследователи насчитали 950 погибших, тогда как власти называли 40.", 950,
          "исследователи", days=90), True),
    (Said("Загинули 40 людей, повідомила влада.", 40, "влада"),
     Said("Дослідники нарахували 950 загиблих, а не 40.", 950, "дослідники", days=90), True),
    # a retrospective that dates its figure is compared with the reports of that day
    (Said("Police said 20,000 people marched.", 20000, "Police", "people", "marched"),
     Said("The march on March 1 drew 90,000 people, organisers said.", 90000, "organisers",
          "people", "marched", days=40), True),
    (Said("Полиция насчитала 20 000 участников.", 20000, "Полиция", "people", "marched"),
     Said("1 марта на марш вышли 90 000 человек, заявили организаторы.", 90000,
          "организаторы", "people", "marched", days=40), True),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), MOMENTS)
def test_moments(old: Said, new: Said, expected: bool) -> None:
    assert conflicts(old, new) is expected


def test_the_window_is_a_setting() -> None:
    old = Said("Officials said 40 people died.", 40, "Officials")
    new = Said("Rescuers said 95 people died.", 95, "Rescuers", days=6)
    assert not conflicts(old, new)
    assert conflicts(old, new, window=timedelta(days=7))
    assert conflicts(old, new, window=None)  # no window: compared whatever the gap


TOTAL_EN = Said("Officials said 4,000 soldiers arrived.", 4000, "Officials", "troops", "arrived")
TOTAL_RU = Said("Прибыли 4000 военных, сообщили власти.", 4000, "власти", "troops", "arrived")
TOTAL_UK = Said("Прибули 4000 військових, повідомила влада.", 4000, "влада", "troops", "arrived")
PARTS = [
    (TOTAL_EN, Said("Some 9,000 soldiers arrived, including 300 officers.", 300, "Kyiv",
                    "troops", "arrived"), False),
    (TOTAL_RU, Said("Прибыли 9000 военных, в том числе 300 офицеров.", 300, "Киев", "troops",
                    "arrived"), False),
    (TOTAL_UK, Said("Прибули 9000 військових, серед них 300 офіцерів.", 300, "Київ", "troops",
                    "arrived"), False),
    # two parts of the same kind are compared with each other
    (Said("Of 5,000 soldiers, including 300 officers.", 300, "A", "troops", "arrived"),
     Said("A force of 9,000, including 800 officers.", 800, "B", "troops", "arrived"), True),
    # the size of one unit and a plan count no whole
    (TOTAL_EN, Said("Two brigades of 6,000 each are ready.", 6000, "Kyiv", "troops",
                    "arrived"), False),
    (TOTAL_RU, Said("Сформированы две бригады по 6000 человек.", 6000, "Киев", "troops",
                    "arrived"), False),
    (TOTAL_EN, Said("The contingent could reach 10,000 soldiers.", 10000, "Kyiv", "troops",
                    "arrived"), False),
    (TOTAL_UK, Said("Росія планує відправити 10 000 військових.", 10000, "Київ", "troops",
                    "arrived"), False),
    (TOTAL_EN, Said("Kyiv said 10,000 soldiers arrived.", 10000, "Kyiv", "troops", "arrived"),
     True),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), PARTS)
def test_parts_units_and_plans(old: Said, new: Said, expected: bool) -> None:
    assert conflicts(old, new) is expected


PLACES = [
    # a town's count is not a rival of the country's
    (Said("In Turkey 9,000 people died.", 9000, "AFAD"),
     Said("In Gaziantep 700 people died, the governor said.", 700, "governor"), False),
    (Said("В Турции погибли 9000 человек.", 9000, "МЧС"),
     Said("В Газиантепе погибли 700 человек.", 700, "губернатор"), False),
    # one place in two scripts and inflections
    (Said("In Kursk region 300 soldiers were killed.", 300, "Kyiv"),
     Said("В Курской области погибли 40 военных.", 40, "Москва"), True),
    (Said("In Kursk region 300 soldiers were killed.", 300, "Kyiv"),
     Said("На Курщині загинули 40 військових.", 40, "штаб"), True),
    (Said("About 1,500 troops have arrived in Russia.", 1500, "NIS", "troops", "arrived",
          Modifier.APPROX),
     Said("3,000 soldiers arrived in eastern Russia.", 3000, "White House", "troops",
          "arrived"), True),
    # a figure that names no place may be about either
    (Said("In Turkey 9,000 people died.", 9000, "AFAD"),
     Said("The toll rose to 12,000, officials said.", 12000, "officials"), True),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), PLACES)
def test_places(old: Said, new: Said, expected: bool) -> None:
    assert conflicts(old, new) is expected


ONE_SENTENCE = [
    # one speaker's figures in one sentence count different things
    ("In Turkey 9,000 died, in the province 2,000.", 9000, 2000, None, None, False),
    ("Погибли 9000 человек, ранены 2000 из них были дети.", 9000, 2000, "МЧС", "МЧС", False),
    ("Загинули 9000 людей і ще 2000 у сусідньому місті.", 9000, 2000, None, None, False),
    # unless the sentence revises one to the other
    ("The toll was revised down to 253 from 400.", 400, 253, "agency", "agency", True),
    ("Число погибших пересмотрели: 253, а не 400.", 400, 253, None, None, True),
    # two speakers in one sentence are rivals
    ("Police said 9,000; organisers said 2,000.", 9000, 2000, "Police", "organisers", True),
]


@pytest.mark.parametrize(("sentence", "first", "second", "a", "b", "expected"), ONE_SENTENCE)
def test_one_sentence_one_voice(
    sentence: str, first: float, second: float, a: str | None, b: str | None, expected: bool
) -> None:
    assert conflicts(Said(sentence, first, a), Said(sentence, second, b)) is expected


def test_reason_names_both_speakers_values_and_dates() -> None:
    ledger = Ledger([Said("Officials said 40 people died.", 40, "Officials").entry("old")])
    [found] = ledger.conflicts_of(
        Said("Rescuers said 95 people died.", 95, "Rescuers", days=1).entry("new")
    )
    assert found.kind is ConflictKind.NUMERIC
    assert found.reason == (
        "Rescuers says 95 killed (2022-03-02); Officials said 40 killed (2022-03-01)"
    )


def test_a_check_reads_only_the_buckets_around_its_moments() -> None:
    """A year of one key's figures, a day apart: only those within the window are candidates,
    whatever the ledger's size."""
    entries = [
        Said(f"Officials said {n} people died.", 1000 + n, f"S{n}", days=n).entry(f"c{n}")
        for n in range(365)
    ]
    ledger = Ledger(entries)
    new = Said("Rescuers said 5 people died.", 5, "Rescuers", days=200).entry("new")
    found = {c.other_claim_id for c in ledger.conflicts_of(new)}
    assert found == {"c197", "c198", "c199"}  # the nearest values among days 197-203


def test_claims_put_on_record_by_the_analyst_are_compared_whatever_the_gap() -> None:
    """The watchlist's claims and those added in chat are no report of a moment."""
    on_record = Said("NIS: about 1,500 troops have arrived.", 1500, "NIS", "troops", "arrived")
    ledger = Ledger([LedgerEntry("watchlist#1", on_record.claim(), AT, timeless=True)])
    later = Said("3,000 soldiers arrived, officials said.", 3000, "officials", "troops", "arrived")
    [found] = ledger.record(later.entry("item#1"))
    assert found.other_claim_id == "watchlist#1"
    weeks_later = Said(
        "Kyiv said 9,000 soldiers arrived.", 9000, "Kyiv", "troops", "arrived", days=30
    )
    assert "watchlist#1" in {c.other_claim_id for c in ledger.record(weeks_later.entry("item#2"))}
    added = LedgerEntry(
        "chat#1",
        Said("Kyiv: 600 soldiers arrived.", 600, "Kyiv2", "troops", "arrived").claim(),
        AT + timedelta(days=90),
        timeless=True,
    )
    assert {c.other_claim_id for c in ledger.record(added)} >= {"watchlist#1", "item#1"}


ONE_REPORT = [
    # one speaker's figures in one report are different things, whatever the sentences
    (Said("Kirby said 30,000 fighters were killed or wounded.", 30000, "Kirby"),
     Said("Kirby added that about 9,000 fighters were killed.", 9000, "John Kirby"), False),
    (Said("По словам Кирби, потери составили 30 000.", 30000, "Кирби"),
     Said("Кирби добавил, что 9000 из них убиты.", 9000, "Джон Кирби"), False),
    (Said("Кірбі заявив про 30 000 втрат.", 30000, "Кірбі"),
     Said("За словами Кірбі, 9000 загинули.", 9000, "Кірбі"), False),
    # two speakers of one report are rivals; one speaker in two reports revises
    (Said("Kirby said 30,000 were killed.", 30000, "Kirby"),
     Said("The ministry said 9,000 were killed.", 9000, "ministry"), True),
    (Said("Kirby said 30,000 were killed.", 30000, "Kirby"),
     Said("Kirby said 9,000 were killed.", 9000, "Kirby", days=1), True),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), ONE_REPORT)
def test_one_report_one_voice(old: Said, new: Said, expected: bool) -> None:
    assert conflicts(old, new) is expected


def test_a_ratio_speaks_of_the_figures_of_its_own_days() -> None:
    base = Said("Officials said 1,000 soldiers arrived.", 1000, "A", "troops", "arrived")
    ratio = Said("A blogger said the force tripled.", 3, "blogger", "troops", "arrived",
                 Modifier.RATIO, days=1)  # fmt: skip
    ledger = Ledger([base.entry("base"), ratio.entry("ratio")])
    soon = Said("Kyiv said 9,000 soldiers arrived.", 9000, "Kyiv", "troops", "arrived", days=2)
    assert ("ratio", ConflictKind.RATIO) in {
        (c.other_claim_id, c.kind) for c in ledger.conflicts_of(soon.entry("soon"))
    }
    later = Said("Kyiv said 9,000 soldiers arrived.", 9000, "Kyiv", "troops", "arrived", days=30)
    assert ledger.conflicts_of(later.entry("later")) == []


GENERIC_COUNTS = [
    # an attributed estimate of "people" is a count another estimate can deny
    (Said("Police said 90,000 people were there.", 90000, "Police", "people", ""),
     Said("Organisers said 400,000 people came.", 400000, "organisers", "people", ""), True),
    (Said("Полиция насчитала 90 000 человек.", 90000, "Полиция", "people", ""),
     Said("По данным организаторов, пришли 400 000 человек.", 400000, "организаторов",
          "people", ""), True),
    (Said("Поліція нарахувала 90 000 людей.", 90000, "Поліція", "people", ""),
     Said("За словами організаторів, прийшли 400 000 людей.", 400000, "організаторів",
          "people", ""), True),
    # a generic count that nobody estimated counts nothing: "a city of 2.5 million people"
    (Said("Police said 90,000 people were there.", 90000, "Police", "people", ""),
     Said("The city of 2.5 million people was quiet.", 2.5e6, None, "people", ""), False),
]  # fmt: skip


@pytest.mark.parametrize(("old", "new", "expected"), GENERIC_COUNTS)
def test_generic_counts(old: Said, new: Said, expected: bool) -> None:
    assert conflicts(old, new) is expected


VOICES = [
    ("Zelensky", "Ukrainian President Volodymyr Zelenskyy", True),
    ("John Kirby", "Речник Ради національної безпеки США Джон Кірбі", True),
    ("Джон Кирби", "Кірбі", True),
    ("господина Пригожина", "Глава компании Евгений Пригожин", True),
    ("Зеленского", "Зеленський", True),
    ("Syrian Health Ministry", "Turkish Interior Ministry", False),
    ("полиции", "Министерство здравоохранения", False),
    ("John Kirby", "Mark Milley", False),
    (None, "Kirby", False),
]


@pytest.mark.parametrize(("a", "b", "same"), VOICES)
def test_one_speaker_named_two_ways(a: str | None, b: str | None, same: bool) -> None:
    assert same_voice(a, b) is same


OTHER_TOLL = Said("The ministry said 12,000 fighters were killed.", 12000, "ministry")
CONTAINERS = [
    # a figure whose own part counts its measure counts something broader: losses
    Said("The group lost 30,000 fighters, among them 9,000 killed.", 30000, "Kyiv"),
    Said("Группировка потеряла 30 000 бойцов, из них 9 000 убитыми.", 30000, "Киев"),
    Said("Угруповання втратило 30 000 бійців, серед яких 9 000 загиблими.", 30000, "Київ"),
]


@pytest.mark.parametrize("container", CONTAINERS)
def test_a_figure_holding_a_part_of_its_measure_is_no_count_of_it(container: Said) -> None:
    assert not conflicts(OTHER_TOLL, container)
    plain = Said(container.sentence.split(",")[0] + ".", 30000, container.speaker)
    assert conflicts(OTHER_TOLL, plain)  # the same figure without its part would be compared


GENERIC_COUNTS = [
    # a count of "people" says nothing of what befell them: only the same predicate compares
    (
        Said("Police said 11 people were detained.", 11, "Police", "people", "detained"),
        Said("Doctors said 121 people were in hospital.", 121, "Doctors", "people", ""),
        False,
    ),
    (
        Said("Полиция задержала 11 человек.", 11, "Полиция", "people", "detained"),
        Said("Врачи сообщили о 121 человеке.", 121, "Врачи", "people", ""),
        False,
    ),
    (
        Said("Police said 100,000 people marched.", 100_000, "Police", "people", "marched"),
        Said("Organisers said 1 million people marched.", 1e6, "Organisers", "people", "marched"),
        True,
    ),
]


@pytest.mark.parametrize(("old", "new", "expected"), GENERIC_COUNTS)
def test_counts_of_people_compare_only_under_one_predicate(old, new, expected):
    assert conflicts(old, new) is expected
