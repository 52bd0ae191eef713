"""The quick screens of the hot paths agree with the plain definitions they stand in for."""

import pytest

from bot.analysis.attribution import may_deny
from bot.analysis.claims import extract_claims
from bot.analysis.numerals import vocabulary
from bot.analysis.quantities import quantity_starts
from bot.analysis.sentences import mixes_scripts, split_sentences, tokenize, unify_text, word_set
from storage.records import Polarity

SENTENCES = [
    "About 1,500 troops crossed the river on Monday, officials said.",
    "Twenty-five villages were flooded, and the losses rose threefold.",
    "Half a million people left the city. A dozen buses waited.",
    "The well-known author wrote no figures at all.",
    "Около полмиллиона беженцев пересекли границу, сообщил губернатор.",
    "Полковник сказал, что пострадали три человека.",
    "Понад півтисячі військових прибули до міста, повідомив речник.",
    "Повільно, але впевнено — без жодних чисел.",
    "Ceasefire talks (in Geneva) ended; no one spoke to reporters.",
]


def _plain_starts(text: str) -> list[int]:
    """Every token a quantity may start at, tested token by token: an article only before a
    scale or "hundred" ("a million"; "a letter" opens no number)."""
    vocab = vocabulary()
    starters = {*vocab.values, *vocab.fractions, *vocab.lone_scales, "x", "×"}
    found = []
    tokens = tokenize(text)
    for index, token in enumerate(tokens):
        low = token.low
        following = tokens[index + 1].low if index + 1 < len(tokens) else ""
        if low in ("a", "an") and (following in vocab.scales or following == "hundred"):
            found.append(index)
        compound = (
            low.endswith("fold")
            or ("-" in low and low.split("-")[0] in vocab.values)
            or (low[:3] in vocab.half_prefixes and low[3:] in vocab.scales)
        )
        if token.kind == "num" or low in starters or (token.kind == "word" and compound):
            found.append(index)
    return found


@pytest.mark.parametrize("text", SENTENCES)
def test_quantity_starts_are_the_numbers_number_words_and_compounds(text: str) -> None:
    assert set(_plain_starts(text)) <= set(quantity_starts(tokenize(text)))


@pytest.mark.parametrize(
    ("text", "starts"),
    [
        ("About 1,500 troops and twenty-five tanks", ["1,500", "twenty-five"]),
        ("Losses rose threefold, to 3 000", ["threefold", "3 000"]),
        ("Около полмиллиона беженцев", ["полмиллиона"]),
        ("Понад півтисячі військових, удвічі більше", ["півтисячі", "удвічі"]),
        ("The well-known author wrote a letter", []),
        ("A million people and an army of a hundred", ["A", "a", "hundred"]),
        ("Повільно, але впевнено", []),
    ],
)
def test_quantity_starts(text: str, starts: list[str]) -> None:
    tokens = tokenize(text)
    assert [tokens[i].text for i in quantity_starts(tokens)] == starts


@pytest.mark.parametrize(
    ("text", "mixed"),
    [
        ("Погибли 5 тыс.", False),
        ("Загинули 5 тиc. осіб", True),  # the "c" of "тиc." is Latin
        ("Kyiv, or Київ, said nothing", False),  # both scripts, never in one word
        ("Mоscow", True),  # a Cyrillic "о" in a Latin word
        ("Plain English — with a dash", False),
        ("", False),
    ],
)
def test_mixes_scripts(text: str, mixed: bool) -> None:
    assert mixes_scripts(text) is mixed


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        (
            'He said: "Enough!" Then he left... Nobody followed?! Fine.',
            ['He said: "Enough!"', "Then he left...", "Nobody followed?!", "Fine."],
        ),
        (
            "Перше речення. Друге речення!\n\nНовий абзац… кінець",
            ["Перше речення.", "Друге речення!", "Новий абзац… кінець"],
        ),
        (
            "Первое (в скобках.) Второе?» Третье.\nЧетвёртое",
            ["Первое (в скобках.)", "Второе?»", "Третье.", "Четвёртое"],
        ),
        ("Mr. Smith met U.S. officials at 10 a.m. in St. Louis.", None),
    ],
)
def test_sentences_end_at_punctuation_before_a_space_or_at_line_ends(
    text: str, sentences: list[str] | None
) -> None:
    assert [s.text for s in split_sentences(text)] == (sentences or [text])


@pytest.mark.parametrize(
    ("text", "speaker"),
    [
        # the silent sentence between keeps the speaker for the rest of the paragraph
        (
            "The mayor said the storm was severe. The roads were closed. About 300 people fled.",
            "mayor",
        ),
        (
            "Мэр заявил, что шторм был сильным. Дороги закрыты. Эвакуированы около 300 человек.",
            "Мэр",
        ),
        # a new paragraph starts with nobody, unless it opens with a quotation
        (
            "The mayor said the storm was severe.\nThe roads were closed. About 300 people fled.",
            None,
        ),
        (
            'The mayor said the storm was severe.\n"The roads were closed. About 300 people fled."',
            "mayor",
        ),
        ("Мер заявив, що шторм був сильним.\nДороги закриті. Евакуйовано близько 300 людей.", None),
        (
            "Мер заявив, що шторм був сильним.\n«Дороги закриті. Евакуйовано близько 300 людей.»",
            "Мер",
        ),
    ],
)
def test_sentences_that_name_nobody_carry_the_speaker_over(text: str, speaker: str | None) -> None:
    (claim,) = extract_claims(unify_text(text), [], title_topics=["storm"])
    assert (claim.value, claim.speaker) == (300, speaker)


@pytest.mark.parametrize(
    ("text", "denies"),
    [
        ("The ministry denied the reports of losses.", True),
        ("Министерство опровергло сообщения о потерях.", True),
        ("Міністерство спростувало повідомлення про втрати.", True),
        ("The ministry confirmed the reports.", False),
        ("Министерство подтвердило сообщения.", False),
        ("Міністерство підтвердило повідомлення.", False),
    ],
)
def test_an_item_without_figures_claims_only_its_denials(text: str, denies: bool) -> None:
    assert may_deny(word_set(text)) is denies
    claims = extract_claims(unify_text(text), [], title_topics=["losses"])
    assert [(c.polarity, c.measure) for c in claims] == (
        [(Polarity.DENIES, "casualties")] if denies else []
    )
