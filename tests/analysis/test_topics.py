"""Topic matching: inflection and spelling tolerant, word-aware, with excludes."""

import pytest

from bot.analysis.topics import TopicMatcher
from bot.config.files import TopicSpec

NK = TopicSpec(
    "North Korean troops in Russia",
    (
        "North Korea",
        "North Korean",
        "DPRK",
        "Pyongyang",
        "Kim Jong Un",
        "КНДР",
        "Северная Корея",
        "Північна Корея",
        "північнокорейські військові",
    ),
    ("South Korea", "Южная Корея"),
)
AID = TopicSpec("US aid to Ukraine", ("US aid", "American aid"))
QUAKE = TopicSpec("Turkey earthquake", ("earthquake in Turkey", "землетрясение", "землетрус"))
MATCHER = TopicMatcher([NK, AID, QUAKE])

MATCHES = [
    ("North Korean soldiers arrived", NK.name, "North Korean"),
    ("North Koreans arrived", NK.name, "North Koreans"),
    ("North Korea's troops", NK.name, "North Korea's"),
    ("Pyongyang's decision", NK.name, "Pyongyang's"),
    ("Pyeongyang said", NK.name, "Pyeongyang"),
    ("Kim Jong-un met Putin", NK.name, "Kim Jong-un"),
    ("КНДР направила войска", NK.name, "КНДР"),
    ("войска Северной Кореи", NK.name, "Северной Кореи"),
    ("в Північній Кореї", NK.name, "Північній Кореї"),
    ("північнокорейських солдатів", NK.name, "північнокорейських"),
    ("the US aid package", AID.name, "US aid"),
    ("после землетрясения в Турции", QUAKE.name, "землетрясения"),
    ("внаслідок землетрусу", QUAKE.name, "землетрусу"),
]


@pytest.mark.parametrize(("text", "topic", "evidence"), MATCHES)
def test_matches(text: str, topic: str, evidence: str) -> None:
    [match] = MATCHER.match(text)
    assert (match.topic, match.evidence) == (topic, evidence)
    assert 85 <= match.score <= 100
    assert text[match.start : match.end] == evidence


NOT_MATCHES = [
    "South Korea said on Monday",
    "Южная Корея заявила",
    "Korean culture festival in Seoul",
    "Korea's economy",
    "let us aid them",  # "US" must keep its case
    "a northern route",
    "Kim Kardashian",
]


@pytest.mark.parametrize("text", NOT_MATCHES)
def test_does_not_match(text: str) -> None:
    assert MATCHER.match(text) == []


def test_exclude_suppresses_overlapping_alias() -> None:
    matcher = TopicMatcher([TopicSpec("Korea", ("Korea",), ("South Korea",))])
    assert matcher.match("South Korea said") == []
    assert [m.evidence for m in matcher.mentions("South Korea and Korea")] == ["Korea"]


def test_mentions_are_in_text_order() -> None:
    text = "Pyongyang said; later КНДР and North Korea"
    assert [m.evidence for m in MATCHER.mentions(text)] == ["Pyongyang", "КНДР", "North Korea"]


def test_exact_match_outscores_fuzzy() -> None:
    [exact] = MATCHER.match("Pyongyang")
    [fuzzy] = MATCHER.match("Pyeongyang")
    assert exact.score == 100 > fuzzy.score


FLOOD = TopicSpec(
    "Valley floods",
    ("Valley floods", "наводнение в Долине", "повінь у Долині", "Civic Rescue Front", "ЧВК Щит"),
)
LOOSE = TopicMatcher([FLOOD, NK])

# Two-word aliases with a word between or turned round, "у" and "в" as one word, a head alone
# only beside another word of its alias, and inflection that changes only the ending.
LOOSE_MATCHES = [
    ("floods in the Valley", None),  # two words between: too far
    ("floods in Valley", FLOOD.name),  # turned round, one word between
    ("Valley's deadly floods", FLOOD.name),  # one word between
    ("Valley floods", FLOOD.name),
    ("повінь в Долині", FLOOD.name),  # "в" for "у"
    ("после наводнения в Долине", FLOOD.name),
    ("наводнение стало худшим за век", None),  # the head alone, nothing of "Долине" near
    ("в Долине наводнение стало худшим", FLOOD.name),  # the head beside "Долине"
    ("Щитов стало больше", None),  # "Щит" inflects by its ending only, not "Щитов"+"ЧВК"
]


@pytest.mark.parametrize(("text", "topic"), LOOSE_MATCHES)
def test_loose_matches(text: str, topic: str | None) -> None:
    found = [m.topic for m in LOOSE.match(text)]
    assert found == ([topic] if topic else [])


def test_a_long_first_word_stands_for_its_alias_only_beside_another_of_its_words() -> None:
    matcher = TopicMatcher([TopicSpec("Q", ("землетрясение в Турции",))])
    assert matcher.match("В Пуэрто-Рико произошло землетрясение") == []
    assert [m.topic for m in matcher.match("Землетрясение разрушило города Турции")] == ["Q"]


def test_an_inflected_word_shares_all_but_its_ending() -> None:
    matcher = TopicMatcher([TopicSpec("P", ("Пригожин",))])
    assert [m.evidence for m in matcher.match("слова Пригожина")] == ["Пригожина"]
    assert matcher.match("суд вынес приговор") == []
