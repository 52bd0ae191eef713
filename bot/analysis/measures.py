"""What is counted (the measure) and what happened to it (the predicate of the scope).

Measures are synonym classes across English, Russian and Ukrainian, matched by word stem so that
inflection does not matter: troops, soldiers, servicemen, военнослужащих, бійців -> "troops".
A casualty predicate wins over the counted noun: "300 soldiers were killed" counts the killed,
so it never conflicts with "11,000 soldiers deployed".
"""

from __future__ import annotations

from bot.analysis.lexicons import stems_by_key, words

_NOUNS = stems_by_key("MEASURES")
# A generic count takes its measure from the predicate: "300 people were killed".
GENERIC = frozenset({"people", "civilians"})
# Nouns that refer back to a count given earlier: "the figure could reach 12,000".
_ANAPHORA = tuple(sorted(words("ANAPHORA")))
_PREDICATES = stems_by_key("PREDICATES")
# Predicates that are what is counted, not just what happened to it ("1,200 rallied").
CASUALTY_PREDICATES = frozenset(
    {
        "killed",
        "wounded",
        "missing",
        "captured",
        "homeless",
        "displaced",
        "evacuated",
        "detained",
        "protesters",
    }
)
# Predicates that describe the same presence on the ground; any of them may compare.
PRESENCE = frozenset({"arrived", "deployed", "training", "fighting"})


def _index(pairs: tuple[tuple[str, str], ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for stem, value in pairs:
        index.setdefault(stem[:3], []).append((stem, value))
    return {key: tuple(sorted(v, key=lambda p: -len(p[0]))) for key, v in index.items()}


_NOUN_INDEX = _index(_NOUNS)
_PREDICATE_INDEX = _index(_PREDICATES)


def _lookup(index: dict[str, tuple[tuple[str, str], ...]], word: str) -> str | None:
    for stem, value in index.get(word[:3], ()):
        if word.startswith(stem) and _inflects(stem, word):
            return value
    return None


def _inflects(stem: str, word: str) -> bool:
    """Short Latin stems must be the whole word or its plural: "sent" is not "sentenced"."""
    if len(stem) > 4 or not stem.isascii():
        return True
    return word in (stem, stem + "s", stem + "es")


def measure_of(word: str) -> str | None:
    """The measure a (lowercased) noun counts, else None."""
    return _lookup(_NOUN_INDEX, word)


def predicate_of(word: str) -> str | None:
    """The canonical predicate a (lowercased) verb or participle names, else None."""
    return _lookup(_PREDICATE_INDEX, word)


def is_anaphora(word: str) -> bool:
    return word.startswith(_ANAPHORA)
