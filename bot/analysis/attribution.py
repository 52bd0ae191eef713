"""Who makes a claim: the speaker, the outlet relaying it, and whether it is a denial.

Each sentence yields its cues (attributions) in text order, and each figure takes the nearest
cue before it in its sentence, or a cue placed after its figures ("..., according to X",
'"...", said X'), or a cue that closes the sentence ("..., organisers said"). Cues:
- "according to (estimates by) X", "по данным X", "по словам X", "за даними X", "за
  підрахунками X" (any noun phrase after them names X);
- "citing X", "со ссылкой на X", "з посиланням на X": X speaks, the reporting subject relays
  ("Reuters reported, citing the NIS": speaker NIS, relay Reuters); "quoted X as saying";
- "X said/reported/estimated/put/counted/told/wrote", "X заявил/сообщил", "X повідомив" (every
  form of the Russian and Ukrainian lemmas of the lexicons), with adverbs, a time or an
  apposition between subject and verb, the inverted "..., said X", "заявил X", and the passive
  "was estimated by X";
- "X: figure" opening a sentence, "figure: X" closing it ("Source: X" names X);
- a pronoun subject ("He said", "заявил он") is left for claims.py to resolve.
``unsourced`` is set when nobody is named. Denials ("denied", "dismissed as fake news", "hoax",
"опроверг", "фейк", "спростував") make the polarity ``denies``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache

from bot.analysis.lexicons import denial_verbs, phrases, regexes, reporting_verbs, words
from bot.analysis.sentences import Token, count_words
from bot.analysis.speakers import (
    PRONOUN,
    common_noun_first,
    phrase_after,
    phrase_at_start,
    phrase_before,
)
from storage.records import Polarity

_ACCORDING = tuple(tuple(p.split()) for p in phrases("ACCORDING"))
_CITING = tuple(tuple(p.split()) for p in phrases("CITING"))
_RELAY_VERBS = words("RELAY_VERBS")
# Verbs that deny only with a claim as object: "dismissed the allegations", not "dismissed him".
_DISMISS_VERBS = words("DISMISS_VERBS")
_DENIAL_WORDS = re.compile(regexes().denial_words, re.IGNORECASE)
_NEGATION = words("NEGATIONS")


@dataclass(frozen=True, slots=True)
class Cue:
    """One attribution in a sentence: the token where it stands, who speaks, who relays."""

    at: int
    speaker: str | None
    relay: str | None = None
    # Placed after its figures: "1,970 in the north, according to X", "..., said X". It names
    # the figures back to the cue before it; any other cue names the figures after it.
    backward: bool = False


@dataclass(frozen=True, slots=True)
class Attribution:
    speaker: str | None  # PRONOUN when the subject is "he", "she", "they"
    relay: str | None
    unsourced: bool
    polarity: Polarity
    # Every attribution of the sentence, in text order, when it holds more than one: "the
    # front said 130,000 took part, while police estimated 22,800" gives each figure its own.
    cues: tuple[Cue, ...] = ()  # in text order
    positions: tuple[int, ...] = ()  # of the cues

    def at(self, index: int, last_figure: int = -1) -> Attribution:
        """The attribution of the figure at token ``index`` (``last_figure``: where the last
        figure of the sentence starts): the nearest cue before it, else the first after it
        that closes the sentence ("..., organisers said"), not one that opens another
        figure's clause ("3,000 troops, and intelligence reported 5,000")."""
        if not self.cues:
            return self
        if len(self.cues) == 1:  # the common case, kept cheap
            only = self.cues[0]
            if only.at < index or only.backward or last_figure < only.at:
                return self
            return replace(self, speaker=None, relay=None, unsourced=True)
        positions = self.positions  # the cues are in text order
        following = bisect_left(positions, index)
        after = self.cues[following] if following < len(positions) else None
        before = self.cues[following - 1] if following > 0 else None
        if after is not None and after.backward and (before is None or before.backward):
            cue = after  # "N in the north, according to X, and M in the south, according to Y"
        elif before is not None:
            cue = before
        elif after is not None and last_figure < after.at:
            cue = after  # it closes the sentence
        else:
            return replace(self, speaker=None, relay=None, unsourced=True)
        return replace(self, speaker=cue.speaker, relay=cue.relay, unsourced=cue.speaker is None)


NOBODY = Attribution(None, None, unsourced=True, polarity=Polarity.ASSERTS)


# A sentence names a speaker or denies only if it holds one of these words: a reporting or
# denial verb, or a word of each "according to" and "citing" phrase (its longest, the rarest),
# or a colon ("South Korea's NIS: about 1,500 troops").
@cache
def _cue_words() -> frozenset[str]:
    """Built on first use, as the reporting verbs' forms come from the dictionaries."""
    return frozenset(
        {
            *reporting_verbs(),
            *denial_verbs(),
            *_DISMISS_VERBS,
            *(max(phrase, key=len) for phrase in (*_ACCORDING, *_CITING)),
        }
    )


def may_attribute(words: set[str], text: str = "") -> bool:
    """False when ``attribute`` would surely give NOBODY to ``text``, a sentence of these
    lowercased words (see ``sentences.word_set``): no speaker, no denial, no colon that may
    name one. Most."""
    return not words.isdisjoint(_cue_words()) or (":" in text and _colon_may_name(text))


def _colon_may_name(text: str) -> bool:
    """False when no colon of ``text`` can be a ``_colon_cue``: its first colon has more than
    a headline speaker's words before it, its last more than a trailing speaker's after it
    (times such as "10:30" hold colons too, so these bound the first colon token's words)."""
    first, last = text.find(":"), text.rfind(":")
    return (
        count_words(text, 0, first) <= _HEADLINE_SPEAKER_WORDS
        or count_words(text, last + 1) <= _TRAILING_SPEAKER_WORDS
    )


def may_deny(words: set[str]) -> bool:
    """False when ``attribute`` surely gives a sentence of these lowercased words (see
    ``sentences.word_set``) the polarity ``asserts``: it holds no denial verb. Nearly all."""
    return not (words.isdisjoint(denial_verbs()) and words.isdisjoint(_DISMISS_VERBS))


def attribute(sentence: str, tokens: list[Token]) -> Attribution:
    lows = [token.low for token in tokens]  # the scans below mostly find nothing: in C first
    denial_at = _denial_index(tokens, lows)
    cues = _cues(tokens, lows, denial_at)
    first = next((cue for cue in cues if cue.speaker is not None), None)  # "according to" first
    speaker, relay = (first.speaker, first.relay) if first is not None else (None, None)
    polarity = Polarity.DENIES if denial_at is not None else Polarity.ASSERTS
    named = tuple(sorted((cue for cue in cues if cue.speaker is not None), key=lambda c: c.at))
    positions = tuple(cue.at for cue in named)
    return Attribution(speaker, relay, speaker is None, polarity, named, positions)


def _cues(tokens: list[Token], lows: list[str], denial_at: int | None) -> list[Cue]:
    if denial_at is not None:
        denier = _subject_of(tokens, denial_at)
        if denier is not None:
            return [Cue(denial_at, denier)]
    according = _after_phrases(tokens, lows, _ACCORDING_INDEX)
    cited = _after_phrases(tokens, lows, _CITING_INDEX)
    reporting = reporting_verbs()
    verbs = [] if reporting.isdisjoint(lows) else [i for i, w in enumerate(lows) if w in reporting]
    cues: list[Cue] = []
    if according:
        first_figure = next((i for i, t in enumerate(tokens) if t.kind == "num"), len(tokens))
        cues = [
            Cue(at, who, backward=at > first_figure and at > 0 and tokens[at - 1].text == ",")
            for at, who in according
        ]
    for verb_at in verbs:
        cues.append(_verb_cue(tokens, verb_at))
    # "X: figure" names X, unless the sentence says "according to Y" itself: then X was its
    # subject ("Floods: 8,500 displaced, according to the UN"), or relays Y at most.
    headline = _colon_cue(tokens) if ":" in lows and not according else None
    if headline is not None:
        cues.append(headline)
    if cited and not according:
        return _with_citing(cues, cited)
    cues.sort(key=lambda cue: cue.at)
    if according:  # "according to X" is the sentence's speaker, relayed by a citing reporter
        relay = cited[0][1] if cited else None
        first = next(c for c in cues if (c.at, c.speaker) == according[0])
        cues.remove(first)
        cues.insert(0, Cue(first.at, first.speaker, relay, first.backward))
    return cues


def _verb_cue(tokens: list[Token], verb_at: int) -> Cue:
    reporter = _subject_of(tokens, verb_at)
    quoted = _quoted_as_saying(tokens, verb_at)
    if quoted is not None:  # "RIA quoted the ministry as saying": the ministry speaks
        return Cue(verb_at, quoted, reporter if reporter != PRONOUN else None)
    inverted = verb_at > 0 and tokens[verb_at - 1].text in _BEFORE_INVERTED
    backward = inverted and phrase_after(tokens, verb_at + 1) is not None  # '"...", said X'
    if tokens[verb_at].low in _RELAY_VERBS:
        relay = phrase_after(tokens, _skip_article(tokens, verb_at + 1))
        if relay is not None and (relay == reporter or relay.islower()):
            relay = None  # "told reporters", "told a press conference": no outlet
        return Cue(verb_at, reporter, relay, backward)
    return Cue(verb_at, reporter, None, backward)


def _quoted_as_saying(tokens: list[Token], verb_at: int) -> str | None:
    if tokens[verb_at].low not in _QUOTING:
        return None
    start = _skip_article(tokens, verb_at + 1)
    quoted = phrase_after(tokens, start)
    lows = [t.low for t in tokens[start : start + 12]]
    return quoted if quoted is not None and "as" in lows else None


_SOURCE_LABELS = frozenset(phrases("SOURCE_LABELS"))
_QUOTING = frozenset({"quoted", "quotes", "quoting", "cited", "cites"})


def _with_citing(cues: list[Cue], cited: list[tuple[int, str]]) -> list[Cue]:
    """ "Reuters reported, citing the NIS": the NIS speaks, Reuters relays."""
    at, source = cited[0]
    reporter = next((c.speaker for c in reversed(cues) if c.at < at and c.speaker), None)
    if reporter is None:
        reporter = next((c.speaker for c in cues if c.at > at and c.speaker), None)
    relay = reporter if reporter not in (PRONOUN, source) else None
    return [Cue(at, source, relay)]


def _colon_cue(tokens: list[Token]) -> Cue | None:
    """A speaker before a colon that opens the sentence ("South Korea's NIS: about 1,500
    troops"), or after one that ends it ("4,300 deaths reported in Syria: UN")."""
    colon = next((i for i, t in enumerate(tokens) if t.text == ":"), None)
    if colon is None or colon == 0:
        return None
    before = phrase_before(tokens, colon)
    if colon == 1 and tokens[0].low in _SOURCE_LABELS:
        before = None  # "Source: X" names X
    elif (
        before is not None
        and before != PRONOUN
        and _spans_from_start(tokens, colon, before)
        and not common_noun_first(tokens, colon)
    ):
        return Cue(colon, before)
    after = phrase_after(tokens, colon + 1)
    rest = [t for t in tokens[colon + 1 :] if t.kind == "word"]
    short = len(rest) <= _TRAILING_SPEAKER_WORDS or colon == 1
    if after is not None and after != PRONOUN and short and rest[0].text == after.split()[0]:
        return Cue(colon, after)
    return None


_TRAILING_SPEAKER_WORDS = 5


def _spans_from_start(tokens: list[Token], end: int, phrase: str) -> bool:
    words = [t.text for t in tokens[:end] if t.kind == "word"]
    return 0 < len(words) <= _HEADLINE_SPEAKER_WORDS and phrase.startswith(words[0])


_HEADLINE_SPEAKER_WORDS = 6


def _subject_of(tokens: list[Token], verb_at: int) -> str | None:
    passive = _passive_agent(tokens, verb_at)
    if passive is not None:
        return passive  # "was estimated by X", "This was announced by X"
    subject = phrase_before(tokens, verb_at)
    if subject is not None:
        return subject
    apposed = _before_apposition(tokens, verb_at)
    if apposed is not None:
        return apposed  # 'група "Білі каски", офіційно відома як ..., повідомила'
    after = phrase_after(tokens, verb_at + 1)
    if after is not None and verb_at > 0 and tokens[verb_at - 1].text in _BEFORE_INVERTED:
        return after  # inverted: "..., said Peskov", "заявил Песков", "— сказал он"
    if verb_at > 0 and tokens[verb_at - 1].text == ",":
        return phrase_at_start(tokens)  # "X expressed concern, suggesting that ..."
    if verb_at == 0 or not tokens[verb_at].low.isascii():
        return after  # "Об этом сообщил X", "Про це повідомив X"
    return None


_BEFORE_INVERTED = frozenset(",\"'»”“-–—")


def _before_apposition(tokens: list[Token], verb_at: int) -> str | None:
    """The subject before an apposition between commas: "The front, a coalition of groups,
    said"."""
    if verb_at == 0 or tokens[verb_at - 1].text != ",":
        return None
    for position in range(verb_at - 2, max(-1, verb_at - _APPOSITION_WORDS), -1):
        if tokens[position].text in ".;:!?":
            return None
        if tokens[position].text == ",":
            found = phrase_before(tokens, position)
            return found if found != PRONOUN else None
    return None


_APPOSITION_WORDS = 16


def _passive_agent(tokens: list[Token], verb_at: int) -> str | None:
    if verb_at + 1 >= len(tokens) or tokens[verb_at + 1].low not in ("by", "by"):
        return None
    if not tokens[verb_at].low.endswith("ed"):
        return None
    found = phrase_after(tokens, _skip_article(tokens, verb_at + 2))
    return found if found != PRONOUN else None


def _by_first_word(
    phrases: tuple[tuple[str, ...], ...],
) -> dict[str, tuple[tuple[str, ...], ...]]:
    index: dict[str, list[tuple[str, ...]]] = {}
    for phrase in phrases:
        index.setdefault(phrase[0], []).append(phrase)
    return {word: tuple(found) for word, found in index.items()}


_ACCORDING_INDEX = _by_first_word(_ACCORDING)
_CITING_INDEX = _by_first_word(_CITING)


def _after_phrases(
    tokens: list[Token], lows: list[str], phrases: dict[str, tuple[tuple[str, ...], ...]]
) -> list[tuple[int, str]]:
    """(position, speaker) of each "according to X" (or "citing X") of the sentence."""
    found: list[tuple[int, str]] = []
    if phrases.keys().isdisjoint(lows):
        return found  # most sentences
    for index, low in enumerate(lows):
        for phrase in phrases.get(low, ()):
            if tuple(lows[index : index + len(phrase)]) == phrase:
                start = _skip_words(tokens, _skip_article(tokens, index + len(phrase)))
                who = phrase_after(tokens, start, loose=True)
                if who is not None and who != PRONOUN:
                    found.append((index, who))
                    break
    return found


def _skip_words(tokens: list[Token], index: int) -> int:
    """ "according to estimates by protest organizers": past the words that name a kind of
    figure, to the one who gave it."""
    position = index
    while position < len(tokens) and tokens[position].low in _FIGURE_WORDS:
        position += 1
    if position > index and position < len(tokens) and tokens[position].low in _OF_BY:
        return _skip_article(tokens, position + 1)
    while index < len(tokens) and tokens[index].low in _UNNAMED:
        index += 1  # "citing two sources", "citing unnamed officials"
    return index


_FIGURE_WORDS = frozenset(
    {
        *("estimates", "estimate", "figures", "data", "statistics", "tally", "count", "latest"),
        *("new", "statement", "report", "update", "analysis", "survey", "study", "assessment"),
    }
)
_OF_BY = frozenset({"by", "from", "of"})
_UNNAMED = frozenset(
    {"two", "three", "several", "unnamed", "anonymous", "multiple", "some", "many", "senior"}
)


def _skip_article(tokens: list[Token], index: int) -> int:
    if index < len(tokens) and tokens[index].low in ("the", "a", "an"):
        return index + 1
    return index


def _denial_index(tokens: list[Token], lows: list[str]) -> int | None:
    denying = denial_verbs()
    if denying.isdisjoint(lows) and _DISMISS_VERBS.isdisjoint(lows):
        return None  # most sentences
    for index, token in enumerate(tokens):
        low = token.low
        if low not in denying and low not in _DISMISS_VERBS:
            continue
        if index > 0 and tokens[index - 1].low in _NEGATION:
            continue
        if low in _DISMISS_VERBS:
            window = " ".join(t.low for t in tokens[index + 1 : index + 12])
            if not _DENIAL_WORDS.search(window):
                continue
        return index
    return None
