"""The lexicons: one file per language with every section, and word forms from the dictionary."""

import re

import pytest

from bot.analysis import lexicons
from bot.analysis.lexicons.forms import inflections
from bot.analysis.numerals import vocabulary, word_value
from bot.analysis.quantities import find_quantities

_KINDS = {  # the type of each section, so that an engine reading it never meets a surprise
    "NUMBERS": dict,
    "SCALES": dict,
    "SCALE_ABBREVIATIONS": dict,
    "FRACTIONS": dict,
    "HALF_PREFIXES": dict,
    "RATIO_WORDS": dict,
    "MODIFIERS_BEFORE": dict,
    "MODIFIERS_AFTER": dict,
    "MEASURES": dict,
    "PREDICATES": dict,
}


@pytest.mark.parametrize("lang", lexicons.LANGUAGES)
def test_every_lexicon_has_every_section(lang: str) -> None:
    module = lexicons.module(lang)
    for name in lexicons.SECTIONS:
        value = getattr(module, name)
        assert isinstance(value, _KINDS.get(name, str)), (lang, name)
    extra = {n for n in vars(module) if n.isupper()} - set(lexicons.SECTIONS)
    assert not extra, f"{lang} has sections the engine never reads: {extra}"


@pytest.mark.parametrize("lang", lexicons.LANGUAGES)
def test_lexicon_words_are_lowercase_and_regexes_compile(lang: str) -> None:
    module = lexicons.module(lang)
    for name in ("REPORTING_VERBS", "DENIAL_VERBS", "SPEAKER_WORDS", "SPEAKER_STEMS", "ANAPHORA"):
        text = getattr(module, name)
        assert text == text.lower() and "ё" not in text, (lang, name)
    re.compile(module.DENIAL_WORDS)


def test_a_missing_section_is_a_clear_error(tmp_path, monkeypatch) -> None:
    package = tmp_path / "bot_lexicons_probe"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "xx.py").write_text("NUMBERS = {}\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(lexicons.LexiconError, match="lacks SCALES"):
        lexicons.check(__import__("bot_lexicons_probe.xx", fromlist=["xx"]), "xx")


# Forms generated from lemmas, in every case.
FORMS = [
    ("ru", "тысяча", ["тысяча", "тысячи", "тысяч", "тысячей", "тысячами", "тысячах", "тысяче"]),
    ("ru", "миллион", ["миллионами", "миллионах", "миллионов", "миллиону"]),
    ("ru", "триста", ["трехсот", "тремястами", "трехстах"]),
    ("ru", "полтора", ["полтора", "полторы", "полутора"]),
    ("uk", "тисяча", ["тисяча", "тисячі", "тисяч", "тисячами", "тисячах", "тисячею"]),
    ("uk", "мільйон", ["мільйонів", "мільйонами", "мільйонах"]),
    ("uk", "п'ять", ["п'ять", "п'ятьма", "п'ятьом", "п'ятьох"]),
    ("en", "thousand", ["thousand", "thousands"]),
]


@pytest.mark.parametrize(("lang", "lemma", "expected"), FORMS)
def test_word_forms_come_from_the_dictionary(lang: str, lemma: str, expected: list[str]) -> None:
    assert set(expected) <= inflections(lang, lemma)


def test_a_form_that_reads_as_another_word_is_left_out() -> None:
    assert word_value("семью") is None  # "семья" (family), not "семь"
    assert word_value("семи") == 7
    assert "семью" not in vocabulary().values


INFLECTED = [
    ("с 3 миллионами беженцев", 3e6),
    ("в 12 тысячах домов", 12000),
    ("у 12 тисячах будинків", 12000),
    ("з 5 мільйонами людей", 5e6),
    ("тремястами солдатами", 300),
    ("п'ятьма тисячами бійців", 5000),
    ("полутора тысяч человек", 1500),
    ("півтори тисячі осіб", 1500),
    ("a thousand troops", 1000),
    ("two thousands", 2000),
]


@pytest.mark.parametrize(("text", "value"), INFLECTED)
def test_number_words_and_scales_in_every_case(text: str, value: float) -> None:
    [quantity] = find_quantities(text)
    assert quantity.value == value


LONE_SCALES = [
    ("около миллиона человек", 1e6),
    ("близько мільйона людей", 1e6),
    ("понад тисячу осіб", 1000),
    ("более тысячи раненых", 1000),  # "тысячи" after a modifier: one thousand
    ("миллион беженцев", 1e6),
    ("три тысячи человек", 3000),  # a number before the scale stays its number
]


@pytest.mark.parametrize(("text", "value"), LONE_SCALES)
def test_a_singular_scale_without_a_number_counts_one(text: str, value: float) -> None:
    [quantity] = find_quantities(text)
    assert quantity.value == value


@pytest.mark.parametrize("text", ["тысячи людей вышли на улицы", "тисячі людей", "millions fled"])
def test_a_scale_that_may_be_plural_is_no_figure_alone(text: str) -> None:
    assert find_quantities(text) == []


COLLECTIVE = [
    ("погибли трое", 3),
    ("задержали пятерых участников", 5),
    ("загинули дев'ятеро людей", 9),
    ("двоє поранених", 2),
    ("серед п'ятьох загиблих", 5),
]


@pytest.mark.parametrize(("text", "value"), COLLECTIVE)
def test_collective_numerals_count(text: str, value: float) -> None:
    [quantity] = find_quantities(text)
    assert quantity.value == value


MIXED_SCRIPTS = [
    ("понад 16 тиc. людей", "понад 16 тис. людей"),  # a Latin "c" in a Cyrillic word
    ("Rеuters said", "Reuters said"),  # a Cyrillic "е" in a Latin word
    ("iPhone and КНДР", "iPhone and КНДР"),  # one script a word: unchanged
]


@pytest.mark.parametrize(("text", "unified"), MIXED_SCRIPTS)
def test_a_word_of_mixed_scripts_is_read_in_one(text: str, unified: str) -> None:
    from bot.analysis.sentences import unify_text

    assert unify_text(text) == unified
