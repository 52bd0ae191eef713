"""Speakers, relays, unsourced reports and denials, per pattern and language."""

import pytest

from bot.analysis.attribution import NOBODY, attribute, may_attribute
from bot.analysis.sentences import normalize_text, tokenize, word_set
from bot.analysis.speakers import PRONOUN
from storage.records import Polarity


def who(sentence: str) -> tuple[str | None, str | None, bool, Polarity]:
    text = normalize_text(sentence)
    found = attribute(text, tokenize(text))
    return found.speaker, found.relay, found.unsourced, found.polarity


SPEAKERS = [
    # English
    ("According to the NIS, about 1,500 troops arrived.", "NIS"),
    ("According to the White House, around 3,000 soldiers arrived.", "White House"),
    ("The U.S. reported on Wednesday that 3,000 troops were deployed.", "U.S."),
    ("Ukrainian intelligence indicated that 11,000 troops are training.", "Ukrainian intelligence"),
    (
        "Ukrainian President Volodymyr Zelenskyy has also indicated that 10,000 may come.",
        "Ukrainian President Volodymyr Zelenskyy",
    ),
    (
        "Some 500 officers will be among them, Ukraine's defense intelligence agency wrote.",
        "Ukraine's defense intelligence agency",
    ),
    (
        "Military sources in Russia's Far East indicate that a few arrived.",
        "Military sources in Russia's Far East",
    ),
    ("Zelensky has expressed concern, suggesting that 10,000 are ready.", "Zelensky"),
    ("About 1.5 million people were left homeless, the UN estimated.", "UN"),
    ("More than 50,000 people died, officials said.", "officials"),
    ('"We will respond," said Defence Minister Rustem Umerov.', "Defence Minister Rustem Umerov"),
    # Russian
    ("По данным Генштаба ВСУ, там 11 тыс. военных.", "Генштаба ВСУ"),
    ("По словам Зеленского, прибыли 10 тысяч военных.", "Зеленского"),
    ("Как заявил глава ГУР Кирилл Буданов, прибыли 12 тысяч.", "глава ГУР Кирилл Буданов"),
    (
        "Министр обороны Андрей Белоусов заявил, что прибыли 3 тысячи.",
        "Министр обороны Андрей Белоусов",
    ),
    ("Об этом сообщил губернатор Александр Хинштейн.", "губернатор Александр Хинштейн"),
    # Ukrainian
    ("За даними ГУР, прибули 12 тисяч військових.", "ГУР"),
    ("За словами Буданова, їх понад 11 тисяч.", "Буданова"),
    ("Як повідомив речник ГУР Андрій Юсов, прибули 12 тисяч.", "речник ГУР Андрій Юсов"),
    ("Про це повідомив речник ГУР Андрій Юсов.", "речник ГУР Андрій Юсов"),
    ("Міністр оборони Рустем Умєров заявив, що їх 12 тисяч.", "Міністр оборони Рустем Умєров"),
]


@pytest.mark.parametrize(("sentence", "speaker"), SPEAKERS)
def test_speaker(sentence: str, speaker: str) -> None:
    assert who(sentence)[0] == speaker


RELAYS = [
    ("Reuters reported, citing the NIS, that 1,500 arrived.", "NIS", "Reuters"),
    (
        "A Ukrainian intelligence source has informed the BBC that 3,000 arrived.",
        "Ukrainian intelligence source",
        "BBC",
    ),
    (
        "3 тысячи военных прибыли, сообщает ТАСС со ссылкой на источник в Минобороны.",
        "источник в Минобороны",
        "ТАСС",
    ),
    (
        "Кількість зросла, повідомляє Reuters з посиланням на місцеву владу.",
        "місцеву владу",
        "Reuters",
    ),
]


@pytest.mark.parametrize(("sentence", "speaker", "relay"), RELAYS)
def test_relay(sentence: str, speaker: str, relay: str) -> None:
    assert who(sentence)[:2] == (speaker, relay)


UNSOURCED = [
    "Pyongyang has reportedly sent over 13,000 containers.",
    "Reports suggest that soldiers are training.",
    "Сообщается, что прибыли 3 тысячи военных.",
    "Повідомляється, що прибули 3 тисячі військових.",
]


@pytest.mark.parametrize("sentence", UNSOURCED)
def test_unsourced(sentence: str) -> None:
    speaker, _, unsourced, _ = who(sentence)
    assert speaker is None and unsourced


def test_pronoun_subject_is_left_to_resolve() -> None:
    assert who("He said on Telegram that 10,000 were coming.")[0] == PRONOUN


DENIALS = [
    (
        "Kremlin spokesman Dmitry Peskov refuted claims of involvement.",
        "Kremlin spokesman Dmitry Peskov",
    ),
    ("The Kremlin has denied reports of soldiers fighting in Ukraine.", "Kremlin"),
    ("Peskov dismissed the allegations as “fake news”.", "Peskov"),
    ("Peskov dismissed allegations of involvement as a hoax.", "Peskov"),
    ("North Korea rejected the claims as “groundless”.", "North Korea"),
    ("Песков назвал эти сообщения фейком.", "Песков"),
    ("В Кремле опровергли эти данные.", "Кремле"),
    (
        "Пресс-секретарь Кремля Дмитрий Песков назвал это грязными манёврами.",
        "Пресс-секретарь Кремля Дмитрий Песков",
    ),
    ("Речник Кремля спростував цю інформацію.", "Речник Кремля"),
    ("Москва назвала ці повідомлення вигадкою.", "Москва"),
    # every form of a denial verb, from its lemma: neuter and imperfective too
    ("Министерство опровергло эти сведения.", "Министерство"),
    ("Штаб отрицал эти сообщения.", "Штаб"),
    ("Міністерство спростувало ці дані.", "Міністерство"),
    ("Командування заперечувало цю інформацію.", "Командування"),
]


@pytest.mark.parametrize(("sentence", "speaker"), DENIALS)
def test_denial(sentence: str, speaker: str) -> None:
    found_speaker, _, _, polarity = who(sentence)
    assert polarity is Polarity.DENIES
    assert found_speaker == speaker


NOT_DENIALS = [
    "The minister dismissed the general on Friday.",
    "Peskov did not deny the reports.",
    "This denial followed similar reports.",
    "Песков не опроверг эти данные.",
    "Міністерство не спростувало ці дані.",
]


@pytest.mark.parametrize("sentence", NOT_DENIALS)
def test_not_denial(sentence: str) -> None:
    assert who(sentence)[3] is Polarity.ASSERTS


# The cheap test that spares most sentences the attribution never rules out one that names a
# speaker or denies.
NAMES_SOMEONE = [
    row[0] for table in (SPEAKERS, RELAYS, DENIALS) for row in table if who(row[0])[0] is not None
]


@pytest.mark.parametrize("sentence", NAMES_SOMEONE)
def test_sentences_with_speakers_pass_the_cheap_test(sentence: str) -> None:
    assert may_attribute(word_set(normalize_text(sentence)))


NAMES_NOBODY = [
    "About 1,500 North Korean troops arrived in Russia.",
    "Около 3 тысяч военных прибыли в Курскую область.",
    "The figure could reach 12,000 by December.",
]


@pytest.mark.parametrize("sentence", NAMES_NOBODY)
def test_sentences_without_speakers_fail_the_cheap_test(sentence: str) -> None:
    text = normalize_text(sentence)
    assert not may_attribute(word_set(text))
    assert attribute(text, tokenize(text)) == NOBODY


# A colon names someone only as a headline's ("X: figure", a few words before it) or a closing
# label ("figure: X", a few after it); one deep inside a long sentence names nobody.
COLONS = [
    ("UN: 4,300 deaths reported in the region after the flood this week.", True),
    ("More than 4,300 deaths were reported in the region after the flood: UN", True),
    (
        "Install the two packages on the server before you connect: the address and "
        "the secret come from the provider.",
        False,
    ),
    ("At 10:30 the convoy of the relief agency left the city for the villages.", True),
    (
        "The ministry kept a long list of the damaged buildings: schools, homes and "
        "hospitals in the four regions that the river flooded last week.",
        False,
    ),
]


@pytest.mark.parametrize(("sentence", "may"), COLONS)
def test_a_colon_may_name_someone_only_near_an_end(sentence: str, may: bool) -> None:
    text = normalize_text(sentence)
    assert may_attribute(word_set(text), text) is may
    if not may:
        assert attribute(text, tokenize(text)) == NOBODY


HEADLINE_LABELS = [
    # "X: figure" names X...
    ("South Korea's NIS: about 1,500 troops have arrived.", "South Korea's NIS"),
    # ... unless the sentence names its source itself: then X is what it is about
    ("Floods: about 8,500 people displaced, according to the UNHCR.", "UNHCR"),
    ("Паводок: по данным МЧС, эвакуированы 1200 человек.", "МЧС"),
]


@pytest.mark.parametrize(("sentence", "speaker"), HEADLINE_LABELS)
def test_a_headline_label_yields_to_the_source_the_sentence_names(
    sentence: str, speaker: str
) -> None:
    from bot.analysis.claims import claim_from_sentence

    claim = claim_from_sentence("Floods", normalize_text(sentence))
    assert claim is not None and claim.speaker == speaker
