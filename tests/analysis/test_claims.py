"""Claims: measure, scope, topic context, speakers across sentences, and what is not a claim."""

import pytest

from bot.analysis.claims import MAX_CLAIMS_PER_ITEM, claim_from_sentence, extract_claims
from bot.analysis.sentences import EXCERPT_LIMIT, excerpt, normalize_text, split_sentences
from bot.analysis.topics import TopicMatcher
from bot.config_files import TopicSpec
from storage.records import Modifier, NewClaim, Polarity

TOPIC = "T"
MATCHER = TopicMatcher(
    [TopicSpec(TOPIC, ("North Korea", "North Korean", "КНДР", "Північна Корея", "Gaza", "Газа"))]
)


def claims_of(text: str) -> list[NewClaim]:
    text = normalize_text(text)
    return extract_claims(text, MATCHER.mentions(text))


MEASURES = [
    ("About 1,500 North Korean troops arrived in Russia.", "troops"),
    ("Around 3,000 North Korean soldiers were deployed.", "troops"),
    ("North Korea sent 10,000 servicemen.", "troops"),
    ("North Korea sent 6,000 personnel.", "troops"),
    ("Около 11 тыс. военных КНДР находятся в Курской области.", "troops"),
    ("В Россию прибыли 12 тысяч военнослужащих КНДР.", "troops"),
    ("До Росії прибули 11 тис. бійців КНДР.", "troops"),
    ("КНДР відправила 12 тисяч солдатів.", "troops"),
    ("Some 500 North Korean officers are there.", "officers"),
    ("Three North Korean generals are there.", "generals"),
    ("North Korea lost 300 soldiers killed in Kursk.", "killed"),
    ("At least 35,000 people have been killed in Gaza.", "killed"),
    ("В Газе погибли 300 человек.", "killed"),
    ("Число погибших в Газе превысило 40 тысяч.", "killed"),
    ("У Газі загинули 12 осіб.", "killed"),
    ("The death toll in Gaza rose to 300.", "killed"),
    ("In Gaza 92,000 people were wounded.", "wounded"),
    ("В Газе ранены более 92 тыс. человек.", "wounded"),
    ("У Газі поранені 200 людей.", "wounded"),
    ("Including 14,500 children killed in Gaza.", "children killed"),
    ("North Korea sent over 13,000 shipping containers.", "containers"),
    ("As many as eight million 122-mm and 152-mm shells came from North Korea.", "shells"),
    ("North Korea supplied 50 missiles.", "missiles"),
    ("КНДР передала 100 дронов.", "drones"),
    ("North Korea received $3 billion.", "USD"),
    ("North Korea shipped 500 tonnes of ammunition.", "tonnes"),
    ("1.9 million people in Gaza have been displaced.", "displaced"),
]


@pytest.mark.parametrize(("text", "measure"), MEASURES)
def test_measure(text: str, measure: str) -> None:
    [claim] = claims_of(text)
    assert claim.measure == measure


def test_scope_names_predicate_and_place() -> None:
    [claim] = claims_of("About 1,500 North Korean troops have arrived in Russia.")
    assert claim.scope == "arrived in Russia"
    [claim] = claims_of("11,000 North Korean troops are training in eastern Russia.")
    assert claim.scope == "training in Russia"


NOT_CLAIMS = [
    "North Korea signed the pact in June 2023.",
    "On June 26, North Korea said it would respond.",
    "North Korea maintains one of the largest militaries.",
    "North Korean troops used 152-mm guns.",
    "North Korea's 5th brigade moved.",
    "North Korea has fought for three years.",
    "The North Korean soldier, 25, was captured.",
    "North Korea is 200 km from the border.",
    "Support for North Korea fell to 30%.",
    "North Korea is training two military units.",
    "North Korea formed two brigades of 6,000 personnel each.",
    "Hundreds of North Korean soldiers gathered.",
    "North Korea launched 3 satellites.",  # no known measure
    "Storm Trami: 24 dead, millions affected.",  # no tracked topic
]


@pytest.mark.parametrize("text", NOT_CLAIMS)
def test_not_claims(text: str) -> None:
    assert claims_of(text) == []


def test_topic_carries_over_two_sentences_of_a_paragraph_only() -> None:
    text = (
        "North Korea is sending troops. Officials say so. They number 3,000 soldiers.\n"
        "A storm killed 24 people."
    )
    claims = claims_of(text)
    assert [c.value for c in claims] == [3000]


def test_topic_from_title_covers_first_paragraph() -> None:
    text = normalize_text("3,000 soldiers arrived.")
    [claim] = extract_claims(text, [], title_topics=[TOPIC])
    assert claim.topic == TOPIC


def test_pronoun_speaker_is_the_last_named() -> None:
    text = "Zelensky said the war goes on.\nHe said 10,000 North Korean troops were coming."
    [claim] = claims_of(text)
    assert claim.speaker == "Zelensky"


def test_speaker_carries_over_the_paragraph() -> None:
    text = (
        "About 3,000 North Korean soldiers were expected.\n"
        "On the ground, military sources indicate that some North Koreans have arrived. "
        "However, the numbers are said to be far less than the speculated 3,000."
    )
    claim = claims_of(text)[-1]
    assert (claim.speaker, claim.modifier, claim.measure) == (
        "military sources",
        Modifier.LESS_THAN,
        "troops",
    )


def test_anaphora_takes_the_measure_before() -> None:
    text = (
        "According to the NIS, 1,500 North Korean troops arrived; "
        "the final figure could reach 12,000."
    )
    claims = claims_of(text)
    assert [(c.value, c.measure, c.modifier) for c in claims] == [
        (1500, "troops", Modifier.EXACT),
        (12000, "troops", Modifier.UP_TO),
    ]


def test_denial_claim_needs_a_named_speaker() -> None:
    [claim] = claims_of("Peskov dismissed reports of North Korean troops as fake news.")
    assert (claim.polarity, claim.speaker, claim.value) == (Polarity.DENIES, "Peskov", None)
    assert claims_of("Both sides deny North Korean involvement, they say.") == []


def test_ratio_claim() -> None:
    [claim] = claims_of(
        "According to Sladkov, North Korea is increasing its contingent by three times."
    )
    assert (claim.modifier, claim.value, claim.measure, claim.speaker) == (
        Modifier.RATIO,
        3,
        "troops",
        "Sladkov",
    )


def test_claim_from_sentence_ignores_topic_aliases() -> None:
    claim = claim_from_sentence(
        "Any", "South Korea's NIS said about 1,500 troops had arrived in Russia."
    )
    assert claim is not None
    assert (claim.topic, claim.value, claim.modifier, claim.speaker) == (
        "Any",
        1500,
        Modifier.APPROX,
        "South Korea's NIS",
    )
    assert claim_from_sentence("Any", "Nothing to count here.") is None


def test_sentences_do_not_split_at_abbreviations() -> None:
    text = "The U.S. reported that Mr. Kim and Gen. Lee came. 1,5 тыс. военных прибыли. Next one!"
    assert [s.text for s in split_sentences(text)] == [
        "The U.S. reported that Mr. Kim and Gen. Lee came.",
        "1,5 тыс. военных прибыли.",
        "Next one!",
    ]


# A claim keeps a window of its sentence around its figure, and an item makes a bounded number
# of claims: a 100 KB item without sentence punctuation once stored 1,000 copies of itself.
def test_a_text_without_punctuation_makes_bounded_claims_with_bounded_sentences() -> None:
    filler = " and the situation remains tense according to the reports"
    text = "North Korea" + "".join(f"{filler} with {n} troops deployed" for n in range(1, 2000))
    assert len(text) > 100_000
    claims = claims_of(text)
    assert len(claims) == MAX_CLAIMS_PER_ITEM
    assert all(len(claim.sentence) <= EXCERPT_LIMIT for claim in claims)
    assert [claim.value for claim in claims[:3]] == [1, 2, 3]
    assert f"with {int(claims[-1].value or 0)} troops deployed" in claims[-1].sentence


EXCERPTS = [
    # (text, figure, the excerpt)
    ("Short: 1,500 troops.", "1,500", "Short: 1,500 troops."),
    ("a " * 300 + "1,500 troops", "1,500", "…" + "a " * 192 + "1,500 troops"),
    ("1,500 troops " + "b " * 300, "1,500", "1,500 troops" + " b" * 192 + "…"),
]


@pytest.mark.parametrize(("text", "figure", "expected"), EXCERPTS)
def test_excerpt_is_a_window_around_the_figure(text: str, figure: str, expected: str) -> None:
    start = text.index(figure)
    found = excerpt(text, start, start + len(figure))
    assert len(found) <= EXCERPT_LIMIT
    assert found == expected


def test_excerpt_centres_on_the_figure_between_words() -> None:
    text = " ".join(f"w{n}" for n in range(400)) + " 1,500 troops " + " ".join("x" * 5000)
    start = text.index("1,500")
    found = excerpt(text, start, start + 5)
    assert len(found) <= EXCERPT_LIMIT and "1,500 troops" in found
    assert found.startswith("…w") and found.endswith("…")
    assert " w2" not in found[:3]  # begins with a whole word
