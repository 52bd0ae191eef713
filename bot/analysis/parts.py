"""Figures that do not count the whole: parts of a figure, sizes of one unit, and plans.

"12,000 troops, including 500 officers", "серед яких 9 000 загиблих", "12 of the victims were
children", "children among the dead": a part is not a rival of the whole, only of another part.
"Two brigades of 6,000 each" gives the size of one unit; "the figure could reach 12,000", "планує
відправити 10 тисяч" a plan or a forecast: neither is a count of the whole, so neither conflicts
with one.

The grammar reads the words around the figure in its sentence (tokens and the quantity found
there); the vocabulary is data, one lexicon per language with the same sections.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from bot.analysis.measures import measure_of
from bot.analysis.quantities import Quantity
from bot.analysis.sentences import Token, word_list


class Role(Enum):
    WHOLE = "whole"  # a count of what its measure counts
    PART = "part"  # a subset of a figure: compared only with other parts
    UNIT = "unit"  # the size of one unit, "6,000 each": never compared
    PLAN = "plan"  # a plan or forecast, "could reach 12,000": never compared


@dataclass(frozen=True, slots=True)
class PartsLexicon:
    part_before: tuple[str, ...]  # phrases just before a part: "including", "из них"
    part_after: tuple[str, ...]  # words just after a part's figure: "of", "among", "среди"
    rest: tuple[str, ...]  # a figure of the rest of a group: "the remaining 12", "12 others"
    per_unit: tuple[str, ...]  # words after a unit's size: "each", "каждая"
    unit_nouns: tuple[str, ...]  # stems of units sized with "of": "brigades of 6,000"
    plan_words: tuple[str, ...]  # a plan or forecast before a figure: "plans", "планирует"
    modals: tuple[str, ...]  # "could", "может": a plan only before a reach verb
    reach_verbs: tuple[str, ...]  # "could reach 12,000", "может достичь": a ceiling foreseen


EN = PartsLexicon(
    part_before=(
        "including",
        "among them",
        "among whom",
        "among those",
        "of whom",
        "of them",
        "of which",
        "of those",
        "among the dead",
        "among the victims",
        "among the killed",
        "in one of",
        "in another",
        "in the other",
    ),
    part_after=word_list("of among"),
    rest=word_list("remaining others rest"),
    per_unit=word_list("each apiece per"),
    unit_nouns=word_list("brigade battalion regiment division unit compan squad detachment"),
    plan_words=word_list(
        "plan plans planned planning intend intends intended aim aims target targets forecast "
        "forecasts projected"
    ),
    modals=word_list("could may might would will can"),
    reach_verbs=word_list("reach rise grow climb top exceed hit"),
)
RU = PartsLexicon(
    part_before=(
        "в том числе",
        "в т. ч.",
        "из них",
        "из которых",
        "среди них",
        "среди которых",
        "в частности",
        "среди погибших",
        "среди жертв",
        "среди убитых",
        "в одном из",
        "в другом",
    ),
    part_after=word_list("из среди"),
    rest=word_list("остальные остальных оставшиеся оставшихся других"),
    per_unit=word_list("каждая каждый каждой каждом каждого"),
    unit_nouns=word_list("бригад батальон полк дивизи подразделени рот отряд"),
    plan_words=word_list(
        "планирует планируют планируется планировалось намерен намерены собирается собираются "
        "прогнозируется"
    ),
    modals=word_list("может могут сможет смогут"),
    reach_verbs=word_list("достичь достигнуть вырасти составить превысить"),
)
UK = PartsLexicon(
    part_before=(
        "у тому числі",
        "в тому числі",
        "з них",
        "із них",
        "з яких",
        "серед них",
        "серед яких",
        "зокрема",
        "серед загиблих",
        "серед жертв",
        "серед убитих",
        "в одному з",
        "в іншому",
        "в другому",
        "у другому",
    ),
    part_after=word_list("з із серед"),
    rest=word_list("решта решти інші інших"),
    per_unit=word_list("кожна кожен кожній кожного кожному"),
    unit_nouns=word_list("бригад батальйон полк дивізі підрозділ рот загон"),
    plan_words=word_list(
        "планує планують планується планувалося збирається збираються прогнозується намір"
    ),
    modals=word_list("може можуть зможе зможуть"),
    reach_verbs=word_list("сягнути досягти зрости становити перевищити"),
)
LEXICONS: dict[str, PartsLexicon] = {"en": EN, "ru": RU, "uk": UK}


def _by_length(phrases: list[str]) -> dict[int, frozenset[tuple[str, ...]]]:
    """Phrases as word tuples grouped by their length, to look a window of words up at once."""
    grouped: dict[int, set[tuple[str, ...]]] = {}
    for phrase in phrases:
        words = tuple(phrase.split())
        grouped.setdefault(len(words), set()).add(words)
    return {size: frozenset(group) for size, group in grouped.items()}


_PART_BEFORE = _by_length([p for lex in LEXICONS.values() for p in lex.part_before])
_PART_AFTER = frozenset(w for lex in LEXICONS.values() for w in lex.part_after)
_REST = frozenset(w for lex in LEXICONS.values() for w in lex.rest)
_PER_UNIT = frozenset(w for lex in LEXICONS.values() for w in lex.per_unit)
_UNIT_NOUNS = tuple(w for lex in LEXICONS.values() for w in lex.unit_nouns)
_PLAN_WORDS = frozenset(w for lex in LEXICONS.values() for w in lex.plan_words)
_MODALS = frozenset(w for lex in LEXICONS.values() for w in lex.modals)
_REACH_VERBS = frozenset(w for lex in LEXICONS.values() for w in lex.reach_verbs)
_RELATIVE = frozenset(word_list("whom which them которых них яких них"))
_AMONG = frozenset({"among", "среди", "серед"})
_CLAUSE_END = frozenset(",;:()[]")
_PART_REACH = 8  # tokens before a figure in which "including" still governs it
_PLAN_REACH = 4


def role_of(tokens: list[Token], quantity: Quantity, measure: str, predicate: str = "") -> Role:
    """The role of ``quantity``, counting ``measure`` (what happened to them: ``predicate``),
    in the sentence ``tokens`` come from."""
    if _per_unit(tokens, quantity):
        return Role.UNIT
    if _part(tokens, quantity, measure, counts_event=bool(predicate) and predicate == measure):
        return Role.PART
    if _plan(tokens, quantity):
        return Role.PLAN
    return Role.WHOLE


def _words_before(tokens: list[Token], index: int, reach: int) -> list[str]:
    """The lowercased tokens before ``index`` back to a clause end (nearest last)."""
    words: list[str] = []
    for position in range(index - 1, max(-1, index - reach - 1), -1):
        token = tokens[position]
        if token.text in _CLAUSE_END or token.text in ".!?":
            break
        words.append(token.low)
    return words[::-1]


def _part(tokens: list[Token], quantity: Quantity, measure: str, *, counts_event: bool) -> bool:
    before = _words_before(tokens, quantity.first_token, _PART_REACH)
    first = quantity.first_token
    if not before and first >= 2 and tokens[first - 1].text == ",":
        before = _words_before(tokens, first - 1, _PART_REACH)  # "among the dead, 14 were"
    # "including" may govern a list: "including 500 officers and 3 generals"
    for size, phrases in _PART_BEFORE.items():
        for start in range(len(before) - size + 1):
            if tuple(before[start : start + size]) in phrases:
                return True
    following = tokens[quantity.last_token].low if quantity.last_token < len(tokens) else ""
    if following in _REST:
        return True  # "170 others"
    if before and before[-1] in _REST:
        # "the remaining 2,000 were volunteers" is a part; "the remaining 396 were evacuated"
        # is every one evacuated: the rest of a group is the whole of what happened to it
        return not counts_event
    return _partitive(tokens, quantity.last_token, measure)


def _partitive(tokens: list[Token], index: int, measure: str) -> bool:
    """ "12 of the dead", "17 из погибших", "300 children among the victims": a part of a group
    counted by the same measure (or any group, after "among"). "6,000 of its troops were killed"
    counts the killed, not a part of them."""
    after = [t for t in tokens[index : index + 5] if t.kind in ("word", "num")]
    for position, token in enumerate(after[:3]):
        if token.low not in _PART_AFTER:
            continue
        if position + 1 < len(after) and after[position + 1].low in _RELATIVE:
            return False  # "50,000 recruits, of whom 20% died": the whole, its part follows
        group = [measure_of(t.low) for t in after[position + 1 : position + 4]]
        among = token.low in _AMONG
        return any(
            g is not None and (among or g == measure or measure.startswith(g)) for g in group
        )
    return False


def _per_unit(tokens: list[Token], quantity: Quantity) -> bool:
    after = [t.low for t in tokens[quantity.last_token : quantity.last_token + 3]]
    for position, word in enumerate(after):
        if word in _PER_UNIT and after[position + 1 : position + 2] != ["cent"]:
            return True
    before = _words_before(tokens, quantity.first_token, 2)
    # "two brigades of 6,000": a figure sized per unit named just before "of"/"по"
    return (
        len(before) == 2
        and before[1] in ("of", "по", "из", "з")
        and before[0].startswith(_UNIT_NOUNS)
    )


def _plan(tokens: list[Token], quantity: Quantity) -> bool:
    # the quantity may hold the modal itself: "could reach 20,000" reads as "up to 20,000"
    inside = [t.low for t in tokens[quantity.first_token : quantity.last_token] if t.kind == "word"]
    before = _words_before(tokens, quantity.first_token, _PLAN_REACH) + inside
    if any(word in _PLAN_WORDS for word in before):
        return True  # "plans to send 5,000"
    # "could reach 12,000": a ceiling foreseen; "may have risen to 1,100" is a figure, and
    # "10,000 might be deployed" an estimate of what is there
    return any(
        word in _MODALS and before[position + 1] in _REACH_VERBS
        for position, word in enumerate(before[:-1])
    )
