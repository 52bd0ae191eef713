"""Who makes a claim: the speaker, the outlet relaying it, and whether it is a denial.

Patterns, strongest first:
- "according to X", "по данным X", "по словам X", "за даними X", "за словами X";
- "citing X", "со ссылкой на X", "з посиланням на X": X speaks, the reporting subject relays
  ("Reuters reported, citing the NIS": speaker NIS, relay Reuters);
- "X said/reported/claimed/estimated/told/wrote", "X заявил/сообщил/утверждает",
  "X повідомив/заявив", and the inverted "..., said X", "заявил X";
- a pronoun subject ("He said") is left for claims.py to resolve from the sentences before.
``unsourced`` is set when nobody is named ("reportedly", "did not provide any sources").
Denials ("denied", "dismissed as fake news", "hoax", "опроверг", "фейк", "спростував") make the
polarity ``denies``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.analysis.lexicons import phrases, regexes, words
from bot.analysis.sentences import Token
from bot.analysis.speakers import PRONOUN, phrase_after, phrase_at_start, phrase_before
from storage.records import Polarity

_ACCORDING = tuple(tuple(p.split()) for p in phrases("ACCORDING"))
_CITING = tuple(tuple(p.split()) for p in phrases("CITING"))
_REPORTING = words("REPORTING_VERBS")
_RELAY_VERBS = words("RELAY_VERBS")
_DENIAL_VERBS = words("DENIAL_VERBS")
# Verbs that deny only with a claim as object: "dismissed the allegations", not "dismissed him".
_DISMISS_VERBS = words("DISMISS_VERBS")
_DENIAL_WORDS = re.compile(regexes().denial_words, re.IGNORECASE)
_NEGATION = words("NEGATIONS")
_UNSOURCED = re.compile(regexes().unsourced, re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None  # PRONOUN when the subject is "he", "she", "they"
    relay: str | None
    unsourced: bool
    polarity: Polarity


NOBODY = Attribution(None, None, unsourced=True, polarity=Polarity.ASSERTS)
# A sentence names a speaker or denies only if it holds one of these words: a reporting or
# denial verb, or a word of each "according to" and "citing" phrase (its longest, the rarest).
_CUES = frozenset(
    {
        *_REPORTING,
        *_DENIAL_VERBS,
        *_DISMISS_VERBS,
        *(max(phrase, key=len) for phrase in (*_ACCORDING, *_CITING)),
    }
)


def may_attribute(words: set[str]) -> bool:
    """False when ``attribute`` would surely give NOBODY to a sentence of these lowercased words
    (see ``sentences.word_set``): no speaker, no denial. Most sentences, tested cheaply."""
    return not words.isdisjoint(_CUES)


def attribute(sentence: str, tokens: list[Token]) -> Attribution:
    denial_at = _denial_index(tokens)
    speaker, relay = _speaker(tokens, denial_at)
    unsourced = speaker is None
    polarity = Polarity.DENIES if denial_at is not None else Polarity.ASSERTS
    return Attribution(speaker, relay, unsourced, polarity)


def names_no_source(sentence: str) -> bool:
    """True for "did not provide any sources", "citing no source", "reportedly"."""
    return bool(_UNSOURCED.search(sentence))


def _speaker(tokens: list[Token], denial_at: int | None) -> tuple[str | None, str | None]:
    if denial_at is not None:
        denier = _subject_of(tokens, denial_at)
        if denier is not None:
            return denier, None
    cited = _after_phrase(tokens, _CITING_INDEX)
    according = _after_phrase(tokens, _ACCORDING_INDEX)
    verb_at = next((i for i, t in enumerate(tokens) if t.low in _REPORTING), None)
    reporter = _subject_of(tokens, verb_at) if verb_at is not None else None
    if according is not None:
        return according, cited
    if cited is not None:
        return cited, reporter if reporter != PRONOUN else None
    if verb_at is not None and tokens[verb_at].low in _RELAY_VERBS:
        relay = phrase_after(tokens, _skip_article(tokens, verb_at + 1))
        return reporter, relay if relay != reporter else None
    return reporter, None


def _subject_of(tokens: list[Token], verb_at: int) -> str | None:
    subject = phrase_before(tokens, verb_at)
    if subject is not None:
        return subject
    after = phrase_after(tokens, verb_at + 1)
    if after is not None and verb_at > 0 and tokens[verb_at - 1].text in ",\"'»”":
        return after  # inverted: "..., said Peskov", "заявил Песков"
    if verb_at > 0 and tokens[verb_at - 1].text == ",":
        return phrase_at_start(tokens)  # "X expressed concern, suggesting that ..."
    if verb_at == 0 or not tokens[verb_at].low.isascii():
        return after  # "Об этом сообщил X", "Про це повідомив X"
    return None


def _by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


_ACCORDING_INDEX = _by_first_word(_ACCORDING)
_CITING_INDEX = _by_first_word(_CITING)


def _after_phrase(
    tokens: list[Token], phrases: dict[str, tuple[tuple[str, ...], ...]]
) -> str | None:
    lows = [t.low for t in tokens]
    for index, low in enumerate(lows):
        for phrase in phrases.get(low, ()):
            if tuple(lows[index : index + len(phrase)]) == phrase:
                found = phrase_after(tokens, _skip_article(tokens, index + len(phrase)))
                if found is not None and found != PRONOUN:
                    return found
    return None


def _skip_article(tokens: list[Token], index: int) -> int:
    if index < len(tokens) and tokens[index].low in ("the", "a", "an"):
        return index + 1
    return index


def _denial_index(tokens: list[Token]) -> int | None:
    for index, token in enumerate(tokens):
        low = token.low
        if low not in _DENIAL_VERBS and low not in _DISMISS_VERBS:
            continue
        if index > 0 and tokens[index - 1].low in _NEGATION:
            continue
        if low in _DISMISS_VERBS:
            window = " ".join(t.low for t in tokens[index + 1 : index + 12])
            if not _DENIAL_WORDS.search(window):
                continue
        return index
    return None
