"""Noun phrases that name a speaker: "Kremlin spokesman Dmitry Peskov", "Ukraine's defense
intelligence agency", "military sources in Russia's Far East", "пресс-секретарь Кремля".

A speaker phrase is a run of capitalized words, acronyms and words of the speaker lexicon (titles
and institutions), joined by a few connectors ("of", "in", "the"); anything else ends it.
"""

from __future__ import annotations

from itertools import pairwise

from bot.analysis.lexicons import words
from bot.analysis.lexicons.forms import word_class
from bot.analysis.sentences import Token, word_list

# Lowercase words that belong in a speaker phrase (stems for Russian and Ukrainian).
_LEXICON_WORDS = words("SPEAKER_WORDS")
_LEXICON_STEMS = tuple(sorted(words("SPEAKER_STEMS")))
_CONNECTORS = frozenset(["of", "for", "in", "the", "and", "at", "de", "в", "у", "и", "і", "та"])
_PRONOUNS = frozenset(["he", "she", "он", "она", "він", "вона"])  # "they" and "it" stay unresolved
_PRONOUN_FORMS = frozenset(
    ["его", "ее", "него", "нее", "його", "її", "him", "her"]
)  # "по его словам"
_PLURAL_PRONOUNS = frozenset(["they", "it", "они", "оно", "вони", "воно"])
# Sentence openers that look like names only because they are capitalized.
_NOT_SPEAKERS = frozenset(
    word_list(
        "this that these those it the a an reports report some many such there here however "
        "meanwhile also but and if while as when in on at after before since earlier later мы "
        "это эти тот они при в на по как но и а также это ці це вони у на за як але і також "
        "intelligence reports sources"
    )
)
_AUXILIARIES = frozenset(
    word_list(
        "has have had also previously earlier now recently already was were is are had further "
        "then again has since later publicly officially first once уже ранее также тоже вновь "
        "еще вже раніше також знову ще"
    )
)
_DAYS = frozenset(
    word_list(
        "monday tuesday wednesday thursday friday saturday sunday yesterday today понедельник "
        "вторник среду четверг пятницу субботу воскресенье вчера сегодня понеділок вівторок "
        "середу четвер п'ятницю суботу неділю вчора сьогодні"
    )
)
_MONTHS_AND_YEARS = frozenset(
    word_list(
        "january february march april may june july august september october november december "
        "year month week року году г р рр гг месяца тижня недели "
        "января февраля марта апреля мая июня июля августа сентября октября ноября декабря "
        "январе феврале марте апреле мае июне июле августе сентябре октябре ноябре декабре "
        "січня лютого березня квітня травня червня липня серпня вересня жовтня листопада грудня"
    )
)
PRONOUN = "\x00pronoun"  # marks a pronoun subject, to resolve from the sentences before


def is_speaker_word(token: Token) -> bool:
    if token.kind != "word":
        return False
    if token.text[0].isupper() or (
        "-" in token.text and any(part[:1].isupper() for part in token.text.split("-"))
    ):
        return True  # "Peskov", "al-Mismari"
    low = token.low
    if low in _LEXICON_WORDS:
        return True
    head = low.split("-")[0]
    return not head.isascii() and head.startswith(_LEXICON_STEMS)


def phrase_before(tokens: list[Token], index: int) -> str | None:
    """The speaker phrase that ends just before ``index`` (auxiliaries skipped), or PRONOUN."""
    end = _skip_between(tokens, index)
    if end > 0 and tokens[end - 1].low in _PRONOUNS:
        return PRONOUN
    if end > 0 and tokens[end - 1].low in _PLURAL_PRONOUNS:
        return None
    start = end
    while start > 0:
        token = tokens[start - 1]
        if token.low in _ARTICLES and start < end and not _after_of(tokens, start - 1):
            break  # "In North Korea the front said": the article opens the subject
        if (
            is_speaker_word(token)
            or _is_initial_dot(tokens, start - 1)
            or (token.low in _CONNECTORS and start - 1 > 0 and start < end)
            or (start < end and _inner_mark(tokens, start - 1))
        ):
            start -= 1
        else:
            break
    return _clean(tokens, start, end)


def _inner_mark(tokens: list[Token], index: int) -> bool:
    """Quotes and the parentheses of an acronym inside a name: 'група "Білі каски"', "Libyan
    National Army (LNA) spokesman"."""
    text = tokens[index].text
    if text in _QUOTE_MARKS:
        return True
    if text == ")" and index >= 2 and tokens[index - 2].text == "(":
        return tokens[index - 1].text.isupper()
    if text == "(" and index + 2 < len(tokens) and tokens[index + 2].text == ")":
        return tokens[index + 1].text.isupper()
    return text.isupper() and index > 0 and tokens[index - 1].text == "("


_QUOTE_MARKS = frozenset('"«»“”„')


def _skip_between(tokens: list[Token], index: int) -> int:
    """Back from a verb over what may stand between it and its subject: auxiliaries, adverbs
    ("has quietly acknowledged", "лишь однажды отчиталось"), a time ("наприкінці грудня 2022
    року повідомив", "on Monday said")."""
    end = index
    while end > 0:
        token = tokens[end - 1]
        if token.low in _AUXILIARIES or _adverb(token) or token.low in _DAYS:
            end -= 1
            continue
        time_start = _time_phrase_start(tokens, end)
        if time_start is None:
            break
        end = time_start
    return end


def _adverb(token: Token) -> bool:
    low = token.low
    if token.kind != "word" or token.text[0].isupper():
        return False
    if low.isascii():
        return low.endswith("ly") and len(low) > 4
    reading = word_class(low)
    return reading is not None and reading[0] in ("ADVB", "PRCL")


def _time_phrase_start(tokens: list[Token], end: int) -> int | None:
    """Where a time phrase that ends at ``end`` starts ("в декабре 2022 года", "on June 5")."""
    start = end
    dated = False
    while start > 0 and end - start < _TIME_WORDS_AT_MOST:
        token = tokens[start - 1]
        if token.kind == "num" or token.low in _MONTHS_AND_YEARS:
            dated = True
        elif token.low not in _TIME_GLUE:
            break
        start -= 1
    return start if dated and start < end else None


_TIME_WORDS_AT_MOST = 6
_TIME_GLUE = frozenset(
    word_list("on in at of this last в у на наприкінці конце начале середине минулого прошлого")
)


def _after_of(tokens: list[Token], index: int) -> bool:
    return index > 0 and tokens[index - 1].low in ("of", "for", "at", "in")


_ARTICLES = frozenset({"the", "a", "an"})


def phrase_after(tokens: list[Token], index: int, *, loose: bool = False) -> str | None:
    """The speaker phrase that starts at ``index`` (after an inverted verb: "said Peskov"), or
    PRONOUN ("заявил он", "по его словам")."""
    if index < len(tokens) and tokens[index].low in _PRONOUNS | _PRONOUN_FORMS:
        return PRONOUN
    end = index
    while end < len(tokens):
        token = tokens[end]
        if is_speaker_word(token) or _is_initial_dot(tokens, end):
            end += 1
        elif (end > index or loose) and _noun_of_the_phrase(token) and end - index < _PHRASE_WORDS:
            end += 1  # "губернатор региона"; after "по данным" any noun: "по данным полиции"
        elif token.low in _CONNECTORS and end + 1 < len(tokens) and end > index - 1:
            if not is_speaker_word(tokens[end + 1]):
                break
            end += 1
        else:
            break
    return _clean(tokens, index, end)


def common_noun_first(tokens: list[Token], end: int) -> bool:
    """Whether the phrase before ``end`` opens with a capitalized common noun that names no
    speaker: "Повені в Лівії: ..." is a headline's topic, "Полиция: ..." a speaker."""
    first = next((t for t in tokens[:end] if t.kind == "word"), None)
    if first is None or first.low.isascii() or first.low.startswith(_LEXICON_STEMS):
        return False
    if first.text.isupper():
        return False  # an acronym: "ГУР: ..."
    reading = word_class(first.low)
    return reading is not None and reading[0] == "NOUN"


def _noun_of_the_phrase(token: Token) -> bool:
    """A Russian or Ukrainian noun or adjective that the dictionary knows: after a speaker
    word it goes on naming the speaker (its genitive: "глава ведомства")."""
    if token.kind != "word" or token.low.isascii():
        return False
    reading = word_class(token.low)
    return reading is not None and reading[0] in ("NOUN", "ADJF")


_PHRASE_WORDS = 8


def phrase_at_start(tokens: list[Token]) -> str | None:
    """The sentence's opening phrase, when it names someone: its grammatical subject.

    One capitalized word alone ("Recent satellite imagery") is only the sentence's first word,
    unless it is an acronym or a title of the lexicon."""
    phrase = phrase_after(tokens, 0)
    if phrase is None or " " in phrase or phrase.isupper() or phrase.lower() in _LEXICON_WORDS:
        return phrase
    following = tokens[1].low if len(tokens) > 1 else ""
    return phrase if following in _AUXILIARIES or following.endswith("ed") else None


def _is_initial_dot(tokens: list[Token], index: int) -> bool:
    """The dots of "U.S." and "U.K." belong to the phrase."""
    if tokens[index].text != "." or index == 0:
        return False
    before = tokens[index - 1]
    return before.kind == "word" and len(before.text) == 1 and before.text.isupper()


def _clean(tokens: list[Token], start: int, end: int) -> str | None:
    while start < end and (
        tokens[start].low in _CONNECTORS
        or tokens[start].text == "."
        or tokens[start].low in _NOT_SPEAKERS
        or tokens[start].low in _DAYS
        or _function_word(tokens[start])
    ):
        start += 1
    while end > start and tokens[end - 1].low in _CONNECTORS:
        end -= 1
    if start >= end:
        return None
    words = [t for t in tokens[start:end] if t.kind == "word"]
    if not words or all(w.low in _NOT_SPEAKERS for w in words):
        return None
    if len(words) == 1 and words[0].low in _NOT_SPEAKERS:
        return None
    text = _join(tokens[start:end])
    return text if len(text) >= 2 else None


def _function_word(token: Token) -> bool:
    """A Russian or Ukrainian preposition, conjunction, pronoun or particle, capitalized only
    because it opens the sentence ("Про це повідомив X")."""
    if token.kind != "word" or token.low.isascii():
        return False
    reading = word_class(token.low)
    return reading is not None and reading[0] in ("PREP", "CONJ", "NPRO", "PRCL")


def _join(tokens: list[Token]) -> str:
    out = tokens[0].text
    for previous, token in pairwise(tokens):
        out += ("" if token.start == previous.end else " ") + token.text
    return out
