"""What a quantity counts (its measure) and where and how (its scope), read around the number.

The counted noun is the first measure word of the lexicons within a few words after the number
("1,500 North Korean troops", "12 тис. військових"), skipping adjectives, quotes and calibres
("eight million 122-mm and 152-mm shells"); else any noun right after a figure in digits, in its
dictionary form ("50,818 tents", "45 стран" -> "страна"). A generic noun ("people", "человек",
"осіб") or none takes its measure from a counted predicate nearby ("погибли 300 человек", "1,200
rallied"), or from the noun before the number ("the death toll rose to 300", "число погибших
превысило 5 тысяч", "the turnout figure at 190,000"). A noun that only points back ("the
figure") returns ``ANAPHORA``, a bare number as its verb's subject ("130,000 took part")
``SUBJECT``, a bare number with nothing after it but a place ("and 3,575 in Syria") ``GAPPED``,
for the caller to resolve from earlier claims. A change ("rose by 3") counts
nothing. The scope is the nearest predicate and the place after it.
"""

from __future__ import annotations

from bot.analysis.lexicons import LANGUAGES, words
from bot.analysis.lexicons.forms import word_class
from bot.analysis.measures import (
    CASUALTY_PREDICATES,
    GENERIC,
    is_anaphora,
    measure_of,
    predicate_of,
)
from bot.analysis.modifiers import is_change
from bot.analysis.quantities import Quantity
from bot.analysis.quantity_context import is_excluded
from bot.analysis.sentences import Token, word_list
from storage.records import Modifier

ANAPHORA = "\x00anaphora"
SUBJECT = "\x00subject"  # a bare number as a verb's subject: the count before, or people
GAPPED = "\x00gapped"  # a bare number after a counted one: "24,617 in Turkey and 3,575 in Syria"
_AFTER = 6  # words after the number that may hold the counted noun
_BEFORE = 14  # words before the number searched for "число погибших", "the death toll ... rose to"
_STOPS = frozenset(",;:()[]—")
_PERSONS = frozenset({"troops", "officers", "generals", "people", "civilians", "children"})
_PLACE_ADJECTIVES = frozenset(
    word_list(
        "the eastern western northern southern central occupied восточной западной северной "
        "южной оккупированной східній західній північній південній окупованій"
    )
)
_PER_UNIT = frozenset({"each", "apiece", "каждая", "каждый", "каждой", "кожна", "кожен", "кожній"})
_PLACE_PREPOSITIONS = frozenset(word_list("in to into near at в во у на до під под near"))
_HEAD_WORDS = 3  # words of a counted noun phrase after the number: "332 tent settlements"
_FUNCTION_WORDS = words("FUNCTION_WORDS")
_VERB_LIKE = words("VERB_FORMS")
_ADJECTIVES = frozenset({"ADJF", "PRTF"})  # pymorphy3's full adjectives and participles


def measure_and_scope(
    tokens: list[Token], quantity: Quantity, langs: tuple[str, ...] = LANGUAGES
) -> tuple[str | None, str]:
    """(measure or ANAPHORA or None, scope) of one quantity in its sentence's tokens; a
    change ("rose by 3") has no measure: it is no figure."""
    if quantity.modifier is not Modifier.RATIO and is_change(tokens, quantity.first_token):
        return None, ""
    if _designation(tokens, quantity):
        return None, ""
    noun = _noun_after(tokens, quantity.last_token)
    predicate, predicate_at = _nearest_predicate(tokens, quantity)
    casualty = predicate if predicate in CASUALTY_PREDICATES else None
    measure = _measure(tokens, quantity, noun, casualty, langs)
    scope = _scope(tokens, predicate, predicate_at, quantity)
    return measure, scope


def _measure(
    tokens: list[Token],
    quantity: Quantity,
    noun: str | None,
    casualty: str | None,
    langs: tuple[str, ...],
) -> str | None:
    if quantity.unit == "tonnes" or (quantity.unit and quantity.unit.isupper()):
        return quantity.unit
    if noun is not None and noun not in GENERIC:
        if casualty is not None and noun in _PERSONS:
            return casualty if noun != "children" else f"children {casualty}"
        return noun
    if noun is None:
        # Any other noun a figure in digits counts ("50,818 tents", "45 стран"), in its
        # dictionary form; number words ("two brigades") count only the lexicon's measures:
        # reporters write the counts they report in digits, small numbers in words describe.
        counted = _counted_noun(tokens, quantity.last_token, langs)
        if counted is not None:
            in_digits = tokens[quantity.first_token].kind == "num"
            return counted if in_digits or tokens[quantity.last_token - 1].kind == "num" else None
    if casualty is not None:
        return casualty
    if noun is not None:
        return noun
    before = _measure_before(tokens, quantity.first_token)
    if before is not None:
        return before
    in_digits = tokens[quantity.first_token].kind == "num"
    if in_digits and _subject_of_a_verb(tokens, quantity.last_token):
        return SUBJECT
    return GAPPED if in_digits and _bare(tokens, quantity.last_token) else None


def _designation(tokens: list[Token], quantity: Quantity) -> bool:
    """ "Table 2", "Part 3", "Resolution 2231": a plain number right after a capitalized word
    (not the sentence's first) with nothing counted after it names a thing, counts nothing."""
    first = quantity.first_token
    if first < 2 or quantity.modifier is not Modifier.EXACT or quantity.unit is not None:
        return False
    before = tokens[first - 1]
    named = before.kind == "word" and before.text[0].isupper() and tokens[first].kind == "num"
    return named and _bare(tokens, quantity.last_token)


def _bare(tokens: list[Token], index: int) -> bool:
    """A figure that nothing follows but a place or a stop: "24,617 died in Turkey and 3,575
    in Syria", "в Сирии — 3 575," leave out the noun and verb of the figure before."""
    if index >= len(tokens):
        return True
    following = tokens[index]
    return following.kind == "punct" or following.low in _PLACE_PREPOSITIONS


def _counted_noun(tokens: list[Token], index: int, langs: tuple[str, ...]) -> str | None:
    """The noun right after a number, skipping a few adjectives: its lemma (Russian,
    Ukrainian: the dictionary's; English: the word, the head of its noun phrase)."""
    run: list[Token] = []
    for token in tokens[index : index + _HEAD_WORDS]:
        if token.kind != "word" or token.low in _FUNCTION_WORDS:
            break
        if not token.low.isascii():
            reading = word_class(token.low, langs)
            if reading is not None and reading[0] == "NOUN":
                return reading[1]
            if reading is not None and reading[0] in _ADJECTIVES:
                continue  # "50 818 нових наметів"
            return None
        if token.low.endswith(("ed", "ing", "ly")) or token.low in _VERB_LIKE:
            break  # the number's verb: "130,000 took part", "4,300 deaths reported"
        run.append(token)
    if not run or "en" not in langs:
        return None
    # The head is the first plural: "332 tent settlements", "4,235 Syrians", "2 towns last week"
    # (not "64 Tuesday").
    return next((t.low for t in run if t.low.endswith("s") and not t.low.endswith("ss")), None)


def _subject_of_a_verb(tokens: list[Token], index: int) -> bool:
    """ "130,000 took part", "22,800 joined", "338,000 were counted": a number with no noun
    counts what its verb says; the caller takes the measure of the count before."""
    following = tokens[index] if index < len(tokens) else None
    if following is None or following.kind != "word":
        return False
    low = following.low
    return low in _VERB_LIKE or (low.isascii() and low.endswith("ed") and len(low) > 4)


def _noun_after(tokens: list[Token], index: int) -> str | None:
    seen_words = 0
    position = index
    while position < len(tokens) and seen_words < _AFTER:
        token = tokens[position]
        if token.text in _STOPS or token.text in ".!?":
            return None
        if token.kind == "num":
            if position + 2 < len(tokens) and tokens[position + 2].low in ("mm", "мм"):
                position += 3  # a calibre between the number and its noun
                continue
            return None
        if token.kind == "word":
            measure = measure_of(token.low)
            if measure is not None:
                return None if _per_unit(tokens, position + 1) else measure
            seen_words += 1
        position += 1
    return None


def _per_unit(tokens: list[Token], index: int) -> bool:
    """ "two brigades of 6,000 personnel each": the size of one unit, not a count."""
    return any(t.low in _PER_UNIT for t in tokens[index : index + 2])


def _measure_before(tokens: list[Token], index: int) -> str | None:
    for position in range(index - 1, max(-1, index - _BEFORE - 1), -1):
        token = tokens[position]
        if token.kind == "num" and not (
            is_excluded(tokens, position, position + 1) or is_change(tokens, position, _FROM)
        ):
            break  # another figure's words; a date or a change between is none: "toll after
            # June 20 rose by 3 to 2,410"
        if token.text in ".!?;":
            break
        if token.kind != "word":
            continue
        if is_anaphora(token.low):
            return _anaphora_measure(tokens, position)
        measure = measure_of(token.low)
        if measure is not None and measure not in GENERIC:
            return measure
    return None


def _anaphora_measure(tokens: list[Token], position: int) -> str:
    """What "the number", "the toll", "число" counts: the noun after it ("the number of dead",
    "число погибших"), or before it ("the death toll", "the turnout figure"), or itself ("the
    toll" is of the dead); ANAPHORA when it only points back at an earlier count."""
    after = [t.low for t in tokens[position + 1 : position + 4] if t.kind == "word"]
    after = [w for w in after if w not in ("of", "the", "a", "an")][:1]
    before = [tokens[position - 1].low] if position > 0 else []
    for word in (*after, *before):
        measure = measure_of(word) or predicate_of(word)
        if measure is not None:
            return measure
    if tokens[position].low in _DEATH_TOLL:
        return "killed"
    return ANAPHORA


_DEATH_TOLL = frozenset({"toll", "tolls"})
_FROM = frozenset({"by", "на", "from", "от", "від", "з", "с"})  # "rose from 64 to 2,975"


def _nearest_predicate(tokens: list[Token], quantity: Quantity) -> tuple[str | None, int]:
    """The predicate nearest the figure within its clause: "rescuers evacuated thousands, and
    2,000 homes were destroyed" gives 2,000 "destroyed", not "evacuated"."""
    best: tuple[int, str | None, int] = (10**6, None, -1)
    low = max(0, quantity.first_token - 8)
    high = min(len(tokens), quantity.last_token + 10)
    for position in range(quantity.first_token - 1, low - 1, -1):
        if _opens_clause(tokens, position):
            low = position + 1
            break
    for position in range(quantity.last_token, high):
        if _opens_clause(tokens, position) or tokens[position].low in _SUBORDINATORS:
            high = position  # "rose to 52 as rescuers reached ...": not what the 52 did
            break
    for position in range(low, high):
        if quantity.first_token <= position < quantity.last_token:
            continue
        token = tokens[position]
        if token.kind != "word":
            continue
        predicate = predicate_of(token.low)
        if predicate is None:
            continue
        distance = min(abs(position - quantity.first_token), abs(position - quantity.last_token))
        if predicate in CASUALTY_PREDICATES:
            distance -= 3  # what happened to the counted people outranks where they went
        if distance < best[0]:
            best = (distance, predicate, position)
    return best[1], best[2]


def _opens_clause(tokens: list[Token], position: int) -> bool:
    """A ";", or a comma before a conjunction ("..., and", "..., а", "..., але")."""
    text = tokens[position].text
    if text == ";":
        return True
    following = position + 1
    return text == "," and following < len(tokens) and tokens[following].low in _CONJUNCTIONS


_CONJUNCTIONS = words("CLAUSE_CONJUNCTIONS")
_SUBORDINATORS = words("CLAUSE_SUBORDINATORS")


def _scope(tokens: list[Token], predicate: str | None, at: int, quantity: Quantity) -> str:
    place = _place_after(tokens, at + 1 if at >= 0 else quantity.last_token)
    if place is None and at >= 0:
        place = _place_after(tokens, quantity.last_token)
    parts = [p for p in (predicate, f"in {place}" if place else None) if p]
    return " ".join(parts)


def _place_after(tokens: list[Token], index: int) -> str | None:
    """The capitalized word after a place preposition ("in Russia", "in eastern Russia")."""
    for position in range(index, min(len(tokens) - 1, index + 8)):
        token = tokens[position]
        if token.text in _STOPS or token.text in ".!?":
            return None
        if token.low not in _PLACE_PREPOSITIONS:
            continue
        candidate = tokens[position + 1]
        if candidate.low in _PLACE_ADJECTIVES and position + 2 < len(tokens):
            candidate = tokens[position + 2]
        demonym = candidate.low.endswith(("ian", "ean", "ese", "ский", "ських", "ских"))
        if candidate.kind == "word" and candidate.text[0].isupper() and not demonym:
            return candidate.text.removesuffix("'s")
    return None


_GAP_REACH = 8  # tokens from a counted figure to a gapped one: "24,617 in Turkey and 3,575"
_LIST_MARKS = frozenset(",—–-")


def continues_list(tokens: list[Token], counted: Quantity, bare: Quantity) -> bool:
    """Whether ``bare`` (a ``GAPPED`` figure) goes on a list that ``counted`` opened: near it,
    no other number between, a comma, dash or conjunction just before it ("and 3,575", "and
    another 3,478", "— 3 575"; not "Taxonomy 2"), and not zero ("2219 bytes @ 0")."""
    between = tokens[counted.last_token : bare.first_token]
    just_before = tokens[max(counted.last_token, bare.first_token - 2) : bare.first_token]
    return (
        len(between) <= _GAP_REACH
        and bare.value != 0
        and not any(t.kind == "num" for t in between)
        and any(t.text in _LIST_MARKS or t.low in _CONJUNCTIONS for t in just_before)
    )


_NEGATIONS = words("NEGATIONS")
_PASSIVE_AUXILIARIES = frozenset({"been", "be", "being"})


def denies_predicate(tokens: list[Token], quantity: Quantity) -> bool:
    """Whether the figure's predicate is negated: "3,000 people did not die", "3000 людей не
    погибали", "не загинули 3000": the speaker denies the figure."""
    _, at = _nearest_predicate(tokens, quantity)
    if at < 1:
        return False
    before = tokens[at - 1].low
    if before in _PASSIVE_AUXILIARIES and at >= 2:
        before = tokens[at - 2].low  # "have not been killed"
    return before in _NEGATIONS or before.endswith("n't")
