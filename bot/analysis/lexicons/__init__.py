"""Language knowledge as data: one module per language, every module with the same sections.

The grammar (quantities, modifiers, measures, attribution) is language-free and reads these
tables; adding a language is adding a file with every section of ``SECTIONS`` (a test checks).
Inflected forms of numbers and scales are not listed but generated (``forms.py``: pymorphy3's
dictionaries for Russian and Ukrainian, the plural for English).

Sections (words lowercase; "phrases" are separated by "|", word lists by spaces):
- NUMBERS: value -> number words (lemmas), SCALES: lemma -> multiplier, SCALE_ABBREVIATIONS
  (never inflected: "тыс", "bn"), FRACTIONS ("half", "полтора"), HALF_PREFIXES ("пол" of
  "полмиллиона"), RATIO_WORDS ("втрое", "tripled");
- MODIFIERS_BEFORE: modifier -> phrases before a figure, MODIFIERS_AFTER: phrase -> modifier,
  CHANGE_VERBS: stems of verbs of change: "до"/"to" after them is the figure reached, not "up
  to", "by N" the change, not a figure, "from N to M" two figures, not a range;
- MEASURES: measure -> noun stems, ANAPHORA: nouns that point back at a count ("the figure"),
  PREDICATES: predicate -> verb and participle stems;
- REPORTING_VERBS (English: forms; Russian, Ukrainian: lemmas, every form generated),
  RELAY_VERBS ("told"), ACCORDING ("according to"), CITING ("citing"),
  DENIAL_VERBS (as REPORTING_VERBS: English forms, Russian and Ukrainian lemmas),
  DISMISS_VERBS (deny only with a claim as object), DENIAL_WORDS (a regular
  expression), NEGATIONS; SPEAKER_WORDS and SPEAKER_STEMS (titles and institutions);
- FUNCTION_WORDS (never the noun a number counts: "of", "в") and VERB_FORMS (a number's verb:
  "took", "were"; Russian and Ukrainian need none, their dictionaries tell verbs);
- RELATED_LINKS: labels of a line that links another story ("ALSO READ:", "Читайте также:");
- BACK_REFERENCES: openings that point a speaker at the figures before ("Об этом заявил X");
  SOURCE_LABELS: the label of a line that names the item's source ("Джерело: X");
- MONTHS (twelve, January first, each its forms "|"-joined), CORRECTION_STEMS and
  CORRECTION_PHRASES: a figure's moments and the marks of a correction (moments.py);
- PART_BEFORE ("including"), PART_AFTER ("of", "among"), PART_RELATIVES ("of whom"),
  PART_AMONG, REST_WORDS ("the remaining"), PER_UNIT ("each"), UNIT_STEMS and UNIT_OF
  ("brigades of"), PLAN_WORDS, PLAN_MODALS and REACH_VERBS ("could reach"): parts.py.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from types import ModuleType
from typing import Any

from bot.analysis.lexicons.forms import VERB_WORDS, inflections

LANGUAGES = ("en", "ru", "uk")
SECTIONS = (
    "NUMBERS",
    "SCALES",
    "SCALE_ABBREVIATIONS",
    "FRACTIONS",
    "HALF_PREFIXES",
    "RATIO_WORDS",
    "MODIFIERS_BEFORE",
    "MODIFIERS_AFTER",
    "CHANGE_VERBS",
    "MEASURES",
    "ANAPHORA",
    "PREDICATES",
    "REPORTING_VERBS",
    "RELAY_VERBS",
    "ACCORDING",
    "CITING",
    "DENIAL_VERBS",
    "DISMISS_VERBS",
    "DENIAL_WORDS",
    "NEGATIONS",
    "SPEAKER_WORDS",
    "SPEAKER_STEMS",
    "FUNCTION_WORDS",
    "VERB_FORMS",
    "RELATED_LINKS",
    "BACK_REFERENCES",
    "SOURCE_LABELS",
    "MONTHS",
    "CORRECTION_STEMS",
    "CORRECTION_PHRASES",
    "PART_BEFORE",
    "PART_AFTER",
    "PART_RELATIVES",
    "PART_AMONG",
    "REST_WORDS",
    "PER_UNIT",
    "UNIT_STEMS",
    "UNIT_OF",
    "PLAN_WORDS",
    "PLAN_MODALS",
    "REACH_VERBS",
    "CLAUSE_CONJUNCTIONS",
    "CLAUSE_SUBORDINATORS",
)


class LexiconError(ValueError):
    """A language module lacks a section (or has one of the wrong kind)."""


@cache
def module(lang: str) -> ModuleType:
    """The lexicon module of one language, checked to hold every section."""
    return check(importlib.import_module(f"{__name__}.{lang}"), lang)


def check(found: ModuleType, lang: str) -> ModuleType:
    missing = [name for name in SECTIONS if not hasattr(found, name)]
    if missing:
        raise LexiconError(f"lexicon {lang!r} lacks {', '.join(missing)}")
    return found


def section(name: str, langs: tuple[str, ...] = LANGUAGES) -> list[tuple[str, Any]]:
    """(language, value) of one section in each of ``langs``."""
    return [(lang, getattr(module(lang), name)) for lang in langs]


def words(name: str, langs: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """A space-separated word section of several languages, as one set."""
    return frozenset(word for _, text in section(name, langs) for word in text.split())


def phrases(name: str, langs: tuple[str, ...] = LANGUAGES) -> tuple[str, ...]:
    """A "|"-separated phrase section of several languages, in file order, without repeats."""
    found = (p.strip() for _, text in section(name, langs) for p in text.split("|"))
    return tuple(dict.fromkeys(p for p in found if p))


def mapping(name: str, langs: tuple[str, ...] = LANGUAGES) -> dict[Any, Any]:
    """A dict section of several languages merged (later languages add to earlier ones)."""
    merged: dict[Any, Any] = {}
    for _, table in section(name, langs):
        merged.update(table)
    return merged


def stems_by_key(name: str, langs: tuple[str, ...] = LANGUAGES) -> tuple[tuple[str, str], ...]:
    """(stem, key) pairs of a "key -> space-separated stems" section (MEASURES, PREDICATES)."""
    return tuple(
        (stem, key) for _, table in section(name, langs) for key, text in table.items()
        for stem in text.split()
    )  # fmt: skip


@dataclass(frozen=True, slots=True)
class Regexes:
    denial_words: str


@cache
def regexes(langs: tuple[str, ...] = LANGUAGES) -> Regexes:
    return Regexes(
        "|".join(text for _, text in section("DENIAL_WORDS", langs)),
    )


@cache
def verb_forms(name: str, langs: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    """Every form of a verb section: English as listed, the others from their lemmas."""
    found: set[str] = set()
    for lang, text in section(name, langs):
        for word in text.split():
            found.update(inflections(lang, word, VERB_WORDS) if lang != "en" else (word,))
    return frozenset(found)


def reporting_verbs(langs: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    return verb_forms("REPORTING_VERBS", langs)


def denial_verbs(langs: tuple[str, ...] = LANGUAGES) -> frozenset[str]:
    return verb_forms("DENIAL_VERBS", langs)
