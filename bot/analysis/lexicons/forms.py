"""Word forms generated from lemmas: pymorphy3's dictionaries for Russian and Ukrainian.

Only number words and scales are generated, once per process and lazily (the dictionaries take
about half a second to load): "тысяча" gives "тысячи", "тысячей", "тысячах"...; "три" gives
"трех", "тремя". A form whose likeliest reading is another word is left out ("семью" is
"семья" before it is "семь"), unless the lexicon lists that form itself. Verbs keep their
finite forms, infinitive and gerund ("заявил", "заявить", "заявив"), never participles.
"""

from __future__ import annotations

from functools import cache
from typing import Protocol


class _Tag(Protocol):
    POS: str | None
    number: str | None


class _Parse(Protocol):
    normal_form: str
    word: str
    tag: _Tag

    @property
    def lexeme(self) -> list[_Parse]: ...


class _Analyzer(Protocol):
    def parse(self, word: str) -> list[_Parse]: ...

    def word_is_known(self, word: str) -> bool: ...


@cache
def analyzer(lang: str) -> _Analyzer:
    import pymorphy3  # loaded on first use, not at import

    morph: _Analyzer = pymorphy3.MorphAnalyzer(lang=lang)
    return morph


def _unify(word: str) -> str:
    return word.replace("ё", "е").replace("’", "'").replace("ʼ", "'")


NUMBER_WORDS = frozenset({"NUMR", "NOUN"})  # "три", "тысяча", "сотня"
VERB_WORDS = frozenset({"VERB", "INFN", "GRND"})  # "заявил", "заявить", "заявив"


@cache
def inflections(lang: str, lemma: str, parts: frozenset[str] = NUMBER_WORDS) -> frozenset[str]:
    """Every form of ``lemma`` (itself included) read as one of the ``parts`` of speech in
    ``lang``; English: the plural. A lemma the dictionary does not know is its only form."""
    if lang == "en":
        return frozenset({lemma, lemma + "s"})
    morph = analyzer(lang)
    own = [
        p
        for p in morph.parse(lemma)
        if _unify(p.normal_form) == _unify(lemma) and p.tag.POS in parts
    ]
    forms = {_unify(lemma)}
    for parse in own[:1]:
        for form in parse.lexeme:
            if parts is not NUMBER_WORDS and form.tag.POS not in parts:
                continue  # "заявленный" is no form of the verb "заявить" that reports
            word = _unify(form.word)
            if parts is NUMBER_WORDS:  # a closed class, few forms: rule out homographs
                likeliest = morph.parse(word)[0]
                if _unify(likeliest.normal_form) != _unify(parse.normal_form):
                    continue
            forms.add(word)
    return frozenset(forms)


_CYRILLIC_ONLY = ("ru", "uk")


@cache
def word_class(word: str, langs: tuple[str, ...] = _CYRILLIC_ONLY) -> tuple[str, str] | None:
    """(part of speech, dictionary form) of a Russian or Ukrainian word as the first language
    of ``langs`` whose dictionary knows it reads it ("наметів" -> ("NOUN", "намет")), else
    None (a guess from the ending is no reading)."""
    for lang in langs:
        if lang not in _CYRILLIC_ONLY:
            continue
        morph = analyzer(lang)
        if not morph.word_is_known(word):
            continue
        parses = morph.parse(word)
        if parses and parses[0].tag.POS is not None:
            return parses[0].tag.POS, _unify(parses[0].normal_form)
    return None


@cache
def _known(lang: str, word: str) -> bool:
    return analyzer(lang).word_is_known(word)


def likelier_cyrillic(words: list[str]) -> str:
    """ "uk" or "ru": the language whose dictionary knows more of these (lowercased) words."""
    ukrainian = sum(_known("uk", w) - _known("ru", w) for w in words[:12])
    return "uk" if ukrainian > 0 else "ru"


def singular_forms(lang: str, lemma: str) -> tuple[frozenset[str], frozenset[str]]:
    """(the forms of a noun that are only singular, its singular forms that are also plural):
    "миллиона" is one million, "тысячи" one thousand or thousands. English: none (it says
    "a million")."""
    if lang == "en":
        return frozenset(), frozenset()
    nouns = [p for p in analyzer(lang).parse(lemma) if p.tag.POS == "NOUN"]
    if not nouns:
        return frozenset(), frozenset()
    lexeme = nouns[0].lexeme
    plural = {_unify(f.word) for f in lexeme if f.tag.number == "plur"}
    singular = {_unify(f.word) for f in lexeme if f.tag.number != "plur"}  # uk leaves it unset
    return frozenset(singular - plural), frozenset(singular & plural)
