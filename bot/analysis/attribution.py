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

from bot.analysis.sentences import Token, word_list
from bot.analysis.speakers import PRONOUN, phrase_after, phrase_at_start, phrase_before
from storage.records import Polarity

_ACCORDING = (
    ("according", "to"),
    ("as", "reported", "by"),
    ("as", "stated", "by"),
    ("по", "данным"),
    ("по", "словам"),
    ("по", "информации"),
    ("по", "оценкам"),
    ("по", "сведениям"),
    ("по", "мнению"),
    ("согласно", "данным"),
    ("как", "сообщил"),
    ("как", "сообщила"),
    ("как", "сообщили"),
    ("как", "заявил"),
    ("как", "заявила"),
    ("как", "сообщает"),
    ("как", "пишет"),
    ("как", "передает"),
    ("за", "даними"),
    ("за", "словами"),
    ("за", "інформацією"),
    ("за", "оцінками"),
    ("за", "відомостями"),
    ("як", "повідомив"),
    ("як", "повідомила"),
    ("як", "повідомили"),
    ("як", "заявив"),
    ("як", "повідомляє"),
    ("як", "пише"),
    ("згідно", "з", "даними"),
    ("згідно", "з"),
    ("согласно",),
)
_CITING = (
    ("citing",),
    ("quoting",),
    ("со", "ссылкой", "на"),
    ("ссылаясь", "на"),
    ("з", "посиланням", "на"),
    ("посилаючись", "на"),
)
_REPORTING = frozenset(
    word_list(
        "said says say reported reports report claimed claims claim estimated estimates estimate "
        "told tell tells stated states announced announces indicated indicates indicate noted "
        "notes wrote writes added warned warns confirmed confirms alleged alleges believes "
        "believe informed assessed assesses suggested suggests revealed reveals disclosed "
        "asserted asserts saying claiming suggesting stating reporting estimating noting warning "
        "adding alleging заявил заявила заявило заявили заявляет заявляют сообщил сообщила "
        "сообщило сообщили сообщает сообщают утверждает утверждают утверждал считает считают "
        "отметил отметила подчеркнул подчеркнула написал написала пишет пишут передает рассказал "
        "рассказала признал оценил оценивает добавил уточнил подтвердил подтвердила подтвердили "
        "заявив заявила заявили заявляє повідомив повідомила повідомили повідомляє повідомляють "
        "стверджує стверджують зазначив зазначила наголосив написав написала пише розповів "
        "розповіла підтвердив підтвердила підтвердили додав оцінив вважає передає"
    )
)
_RELAY_VERBS = frozenset({"told", "tell", "tells", "informed"})
_DENIAL_VERBS = frozenset(
    word_list(
        "denied denies deny denying refuted refutes refuting опроверг опровергла опровергли "
        "опровергает отрицает отрицают отверг отвергла спростував спростувала спростували "
        "спростовує заперечує заперечив заперечила заперечили заперечують"
    )
)
# Verbs that deny only with a claim as object: "dismissed the allegations", not "dismissed him".
_DISMISS_VERBS = frozenset(
    word_list(
        "dismissed dismisses dismissing rejected rejects rejecting rebuffed called calling "
        "назвал назвала назвали отклонил відкинув відкинула назвав назвала назвали"
    )
)
_DENIAL_WORDS = re.compile(
    r"fake|hoax|groundless|baseless|unfounded|untrue|not true|fabricat|lies\b|allegation|"
    r"claims|reports|фейк|ложь|выдумк|беспочвен|провокац|грязн\w* манев|"
    r"не соответству|вигадк|безпідставн|брехн|не відповіда|неправд",
    re.IGNORECASE,
)
_NEGATION = frozenset({"not", "never", "не", "ні"})
_UNSOURCED = re.compile(
    r"\breportedly\b|\ballegedly\b|did not (?:provide|cite|give|name) any (?:sources?|evidence)"
    r"|citing no sources?|without (?:citing|providing|naming) (?:any )?sources?|"
    r"якобы|нібито|сообщается|повідомляється|по неофициальным данным|за неофіційними даними|"
    r"не (?:привел|навел|назвал) (?:никаких )?источник|не (?:навів|назвав) (?:жодних )?джерел",
    re.IGNORECASE,
)


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
