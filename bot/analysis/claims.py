"""Claims of an item: each quantity (or denial) in a sentence about a tracked topic.

A sentence is about a topic when it names one of its aliases, or when one of the two sentences
before it in the same paragraph does; an item whose title or lead names a topic (or that names
only one) is about it throughout, unless another tracked topic takes over. A quantity is a claim
when it counts something (see counted.py); dates, years, ages, durations, distances, changes and
fractions without a scale never are. A sentence with a denial and a named speaker but no count
is a denial claim. Each figure takes the attribution of its clause (attribution.py); the speaker
of a pronoun ("he said") is the last one named; a sentence that names no speaker keeps the
speaker of the sentence before it in the same paragraph, a quotation paragraph that of the one
before; a sentence that points back ("Об этом заявил X") names the figures just before it, a
"Source: X" line those of the item, a dateline ("LONDON (Reuters) —") only their relay. An item
makes at most ``MAX_CLAIMS_PER_ITEM`` claims, each keeping a window of its sentence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from bot.analysis.attribution import NOBODY, Attribution, attribute, may_attribute, may_deny
from bot.analysis.counted import (
    ANAPHORA,
    GAPPED,
    SUBJECT,
    continues_list,
    denies_predicate,
    measure_and_scope,
)
from bot.analysis.lexicons import LANGUAGES, phrases
from bot.analysis.lexicons.forms import likelier_cyrillic
from bot.analysis.measures import measure_of
from bot.analysis.numerals import vocabulary
from bot.analysis.quantities import Quantity, may_hold_quantity, quantities_in
from bot.analysis.sentence_topics import sentence_topics
from bot.analysis.sentences import (
    ItemWords,
    Sentence,
    Token,
    excerpt,
    split_sentences,
    tokenize,
)
from bot.analysis.speakers import PRONOUN
from bot.analysis.topics import TopicMatch
from storage.records import Modifier, NewClaim, Polarity

ANY_MEASURE = "any"  # the measure of a denial that names no counted noun
# The claims one item may make: a real report states a few dozen figures at most, and a feed
# item with thousands (a table, an attack) must not fill the ledger. The first ones are kept.
MAX_CLAIMS_PER_ITEM = 200
_DATELINE = re.compile(
    r"\s*(?P<place>[^\W\d_][\w.'’ ]{1,40}?)(?:,\s*[\w.'’ ]{1,40}?)?\s*"
    r"(?:\((?P<agency>[^()]{2,40})\))?\s*(?:—|–|--|-)\s+"
)
_QUOTES = frozenset('"«“„')
_BACK_SENTENCES = 3  # sentences back that "Об этом заявил X" may reach
_BACK_REFERENCE = re.compile(rf"[\W]*(?:{'|'.join(phrases('BACK_REFERENCES'))})\b", re.IGNORECASE)
_SOURCE_LABEL = re.compile(rf"\W*(?:{'|'.join(phrases('SOURCE_LABELS'))})\s*:", re.IGNORECASE)


@dataclass(slots=True)
class _ItemState:
    """What the sentences before tell the next one: last speaker and last measure per topic."""

    last_speaker: str | None = None
    previous_speaker: str | None = None  # of the sentence just before, same paragraph
    previous_paragraph: int = -1
    last_measure: dict[str, str] | None = None


def extract_claims(
    text: str,
    mentions: Sequence[TopicMatch],
    *,
    title_topics: Sequence[str] = (),
    lang: str | None = None,
) -> list[NewClaim]:
    """Claims of ``text`` (already normalized) given the topic mentions found in it; ``lang``
    (the item's language, when known) is read first where the dictionaries disagree."""
    if not mentions and not title_topics:
        return []  # most items of a feed: nothing tracked, nothing to read closely
    sentences = split_sentences(text)
    topics = sentence_topics(sentences, mentions, title_topics)
    claim_paragraphs = {s.paragraph for s, topic in zip(sentences, topics, strict=True) if topic}
    paragraphs = (
        claim_paragraphs | {p - 1 for p in claim_paragraphs} | {p + 1 for p in claim_paragraphs}
    )
    words = ItemWords(text)
    if not _may_claim(sentences, topics, words):
        return []  # whoever speaks in it, nothing here counts or denies
    state = _ItemState(last_measure={})
    claims: list[NewClaim] = []
    unnamed: list[tuple[int, int]] = []  # (claim index, sentence index) of claims nobody names
    source: str | None = None  # "Source: X" under the item names who speaks for it all
    for number, (sentence, topic) in enumerate(zip(sentences, topics, strict=True)):
        if sentence.paragraph not in paragraphs:
            continue  # speakers matter within a paragraph that holds claims
        read = _read(sentence.text, words.of(sentence), about_topic=topic is not None)
        if read is None:  # most sentences: they name nobody and state no figure
            _carry_over(state, sentence)
            continue
        tokens, found = read
        if found.speaker is not None and _SOURCE_LABEL.match(sentence.text):
            source = source or found.speaker
            continue
        attribution = _resolve(sentence, found, state)  # "he said" names the last speaker
        if found.speaker is not None and _BACK_REFERENCE.match(sentence.text):
            _name_the_unnamed(claims, unnamed, number, sentences, attribution)
        if found.speaker is not None:
            unnamed.clear()
        if topic is not None and tokens:
            langs = languages(lang, sentence.text)
            room = MAX_CLAIMS_PER_ITEM - len(claims)
            new = _sentence_claims(sentence.text, tokens, topic, attribution, state, langs, room)
            unnamed.extend((len(claims) + i, number) for i, c in enumerate(new) if not c.speaker)
            claims.extend(new)
            if len(claims) >= MAX_CLAIMS_PER_ITEM:
                claims = claims[:MAX_CLAIMS_PER_ITEM]
                break
        _remember(state, sentence, attribution)
    if source is not None:
        claims = [c if c.speaker else _spoken_by(c, source, None) for c in claims]
    dateline = _dateline(sentences[0].text) if sentences else None
    if dateline is not None:
        claims = [_under_dateline(c, *dateline) for c in claims]
    return claims


def _may_claim(sentences: list[Sentence], topics: list[str | None], words: ItemWords) -> bool:
    """False when no sentence about a topic may hold a quantity or deny, as the cheap word
    tests tell: a claim is a figure or a denial of such a sentence, and there is none."""
    for sentence, topic in zip(sentences, topics, strict=True):
        if topic is None:
            continue
        found = words.of(sentence)
        if may_hold_quantity(sentence.text, found):
            return True
        if may_deny(found) and may_attribute(found, sentence.text):
            return True
    return False


def _dateline(text: str) -> tuple[str, str | None] | None:
    """(place, agency) of a dateline opening the item: "LONDON (Reuters) —", "KYIV, Ukraine
    (AP) -", "Feb. 12 (UPI) --". Its agency relays the item; the place names nobody."""
    found = _DATELINE.match(text)
    if found is None:
        return None
    place, agency = found.group("place").strip(), found.group("agency")
    if agency is None and not place.isupper():
        return None  # "North Korea - ..." is no dateline; "HONG KONG — ..." is
    return place, agency.strip() if agency else None


def _under_dateline(claim: NewClaim, place: str, agency: str | None) -> NewClaim:
    speaker = claim.speaker
    if speaker is not None and (speaker == agency or place.startswith(speaker)):
        speaker = None  # a dateline is a relay at most, never a speaker
    relay = claim.relay or agency
    if (speaker, relay) == (claim.speaker, claim.relay):
        return claim
    return replace(claim, speaker=speaker, relay=relay, unsourced=speaker is None)


def _name_the_unnamed(
    claims: list[NewClaim],
    unnamed: list[tuple[int, int]],
    number: int,
    sentences: list[Sentence],
    found: Attribution,
) -> None:
    """ "Погибли десять человек. Об этом заявил губернатор": the sentence that points back
    names the speaker of the figures just before it (its paragraph and the one before)."""
    paragraph = sentences[number].paragraph
    for index, sentence_number in unnamed:
        near = number - sentence_number <= _BACK_SENTENCES
        if near and sentences[sentence_number].paragraph >= paragraph - 1:
            claims[index] = _spoken_by(claims[index], found.speaker, found.relay)
    unnamed.clear()


def _spoken_by(claim: NewClaim, speaker: str | None, relay: str | None) -> NewClaim:
    return replace(claim, speaker=speaker, relay=relay or claim.relay, unsourced=speaker is None)


def _read(
    text: str, words: set[str], *, about_topic: bool
) -> tuple[list[Token], Attribution] | None:
    """The tokens and attribution of a sentence (whose ``word_set`` is ``words``). Most
    sentences can neither name a speaker nor state a figure, as cheap word tests tell: they are
    not tokenized, and give None (they name nobody)."""
    names_someone = may_attribute(words, text)
    if not names_someone and not (about_topic and may_hold_quantity(text, words)):
        return None
    tokens = tokenize(text)
    return tokens, attribute(text, tokens) if names_someone else NOBODY


def claim_from_sentence(topic: str, sentence: str) -> NewClaim | None:
    """The first claim of one sentence, taken to be about ``topic`` (watchlist, /claims add)."""
    tokens = tokenize(sentence)
    attribution = _resolve(
        Sentence(sentence, 0, len(sentence), 0),
        attribute(sentence, tokens),
        _ItemState(last_measure={}),
    )
    state = _ItemState(last_measure={})
    found = _sentence_claims(sentence, tokens, topic, attribution, state, languages(None, sentence))
    return found[0] if found else None


def _resolve(sentence: Sentence, attribution: Attribution, state: _ItemState) -> Attribution:
    speaker = attribution.speaker
    if speaker == PRONOUN:
        speaker = state.last_speaker
    elif speaker is None and state.previous_paragraph == sentence.paragraph:
        speaker = state.previous_speaker  # a report goes on over the sentences of a paragraph
    elif speaker is None and sentence.text[:1] in _QUOTES:
        speaker = state.last_speaker  # a paragraph of quotation goes on with the one quoted
    if speaker == attribution.speaker:
        return attribution
    return replace(attribution, speaker=speaker, unsourced=speaker is None)


def _resolve_pronoun(attribution: Attribution, state: _ItemState) -> Attribution:
    if attribution.speaker != PRONOUN:
        return attribution
    speaker = state.last_speaker
    return replace(attribution, speaker=speaker, unsourced=speaker is None)


def _carry_over(state: _ItemState, sentence: Sentence) -> None:
    """``_remember(state, sentence, _resolve(sentence, NOBODY, state))`` for a sentence that
    names nobody, without building its attribution: within a paragraph the speaker goes on
    (and the last speaker is the previous one whenever that is someone); a new paragraph
    keeps the last speaker only when it opens with a quotation."""
    if state.previous_paragraph != sentence.paragraph:
        state.previous_speaker = state.last_speaker if sentence.text[:1] in _QUOTES else None
        state.previous_paragraph = sentence.paragraph


def _remember(state: _ItemState, sentence: Sentence, attribution: Attribution) -> None:
    if attribution.speaker is not None:
        state.last_speaker = attribution.speaker
    state.previous_speaker = attribution.speaker
    state.previous_paragraph = sentence.paragraph


def languages(lang: str | None, text: str) -> tuple[str, ...]:
    """The languages to read ``text`` in, likeliest first: the item's, else the one its letters
    tell (Ukrainian has "і", "ї", "є", "ґ"), then the others."""
    if lang in LANGUAGES:
        first = lang
    elif text.isascii():
        return LANGUAGES  # no Cyrillic word to read in a dictionary
    elif _UKRAINIAN.search(text):
        first = "uk"
    elif _RUSSIAN.search(text):
        first = "ru"
    else:
        first = likelier_cyrillic(_CYRILLIC_WORD.findall(text.lower()))
    return (first, *(other for other in LANGUAGES if other != first))


_UKRAINIAN = re.compile("[іїєґІЇЄҐ]")
_RUSSIAN = re.compile("[ыэъЫЭЪ]")
_CYRILLIC_WORD = re.compile("[а-яґєії']{3,}")


def _sentence_claims(
    text: str,
    tokens: list[Token],
    topic: str,
    attribution: Attribution,
    state: _ItemState,
    langs: tuple[str, ...],
    room: int = MAX_CLAIMS_PER_ITEM,
) -> list[NewClaim]:
    last_measure = state.last_measure if state.last_measure is not None else {}
    counted: list[tuple[Quantity, str, str]] = []  # the figures that count something
    for quantity in quantities_in(tokens):
        if len(counted) >= room:
            break  # the item's claims are full
        if quantity.unit in ("distance", "percent") and not _percent_of_measure(tokens, quantity):
            continue
        if _fractional_count(tokens, quantity):
            continue  # "35.03 msecs": things are counted whole, a fraction needs a scale
        measure, scope = measure_and_scope(tokens, quantity, langs)
        if measure == ANAPHORA:
            measure = last_measure.get(topic)
        elif measure == SUBJECT:
            measure = last_measure.get(topic, "people")  # "130,000 took part"
        elif measure == GAPPED:  # "24,617 died in Turkey and 3,575 in Syria": this sentence's
            gapped = counted and continues_list(tokens, counted[-1][0], quantity)
            measure = counted[-1][1] if gapped else None
        if measure is None:
            continue
        last_measure[topic] = measure
        counted.append((quantity, measure, scope))
    # A closing attribution ("..., Reuters reported") names the figures before it, when no
    # figure follows it ("citing two sources" counts nothing).
    last_figure = counted[-1][0].first_token if counted else -1
    claims: list[NewClaim] = []
    for quantity, measure, scope in counted:
        who = _resolve_pronoun(attribution.at(quantity.first_token, last_figure), state)
        if denies_predicate(tokens, quantity):
            who = replace(who, polarity=Polarity.DENIES)  # "3,000 people did not die"
        claims.append(_claim(text, topic, quantity, measure, scope, who))
    if not claims and attribution.polarity is Polarity.DENIES and attribution.speaker:
        claims.append(_denial(text, tokens, topic, attribution))
    return claims


def _fractional_count(tokens: list[Token], quantity: Quantity) -> bool:
    if quantity.unit is not None or quantity.modifier is Modifier.RATIO:
        return False
    fractional = any(not float(n).is_integer() for n in quantity.numbers)
    return fractional and not any(
        t.low in vocabulary().scales for t in tokens[quantity.first_token : quantity.last_token]
    )


def _percent_of_measure(tokens: list[Token], quantity: Quantity) -> bool:
    """ "40% of the troops": a share of a counted noun is a claim; "40%" alone is not."""
    if quantity.unit != "percent":
        return False
    following = tokens[quantity.last_token : quantity.last_token + 3]
    return (
        bool(following)
        and following[0].low in ("of", "из", "з", "із")
        and any(measure_of(t.low) for t in following[1:])
    )


def _claim(
    text: str, topic: str, quantity: Quantity, measure: str, scope: str, who: Attribution
) -> NewClaim:
    if quantity.unit == "percent":
        measure = f"{measure} share"
    return NewClaim(
        topic=topic,
        sentence=excerpt(text, quantity.start, quantity.end),
        measure=measure,
        scope=scope,
        modifier=quantity.modifier,
        polarity=who.polarity,
        value=quantity.value,
        low=quantity.low,
        high=quantity.high,
        speaker=who.speaker,
        relay=who.relay,
        unsourced=who.unsourced,
    )


def _denial(text: str, tokens: list[Token], topic: str, who: Attribution) -> NewClaim:
    lowercase = (t for t in tokens if t.kind == "word" and t.text[0].islower())
    measure = next((m for t in lowercase if (m := measure_of(t.low)) is not None), ANY_MEASURE)
    return NewClaim(
        topic=topic,
        sentence=excerpt(text, 0, 0),
        measure=measure,
        scope="",
        modifier=Modifier.EXACT,
        polarity=Polarity.DENIES,
        speaker=who.speaker,
        relay=who.relay,
        unsourced=False,
    )
