"""Fuzzy, word-aware matching of watchlist topics in text.

Every alias and exclude phrase is split into words; the matcher keeps one vocabulary of those
words. A text is split into words once; each distinct word is compared only with the vocabulary
words sharing its first three letters (the cheap candidate filter), in one rapidfuzz call per
word over that bucket (ratio for spelling variants, common prefix for inflection: "Корея" /
"Кореи", "Северная" / "Северной", "Korea" / "Korean"). Phrases are then found where consecutive
text words match consecutive alias words, so "South Korea" never matches "North Korea" and
"Korean culture festival" never matches "North Korean". Short acronyms must match exactly and
keep their case ("US" is not "us"). A long first word of an alias may match alone, because
compound adjectives carry the whole name: "північнокорейських" for "північнокорейські військові".
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Prefix

from bot.config_files import TopicSpec

MIN_SCORE = 85.0
_BUCKET = 2  # letters of the candidate filter: "Pyeongyang" still meets "Pyongyang"
_CACHE_LIMIT = 200_000
_HEAD_ALONE = 10  # letters a first alias word needs to match on its own
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "ʼ": "'", "`": "'", "ё": "е"})


@dataclass(frozen=True, slots=True)
class TopicMatch:
    topic: str
    score: float  # 0-100
    evidence: str  # the matched text
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class _Phrase:
    topic: int
    words: tuple[int, ...]  # vocabulary ids
    exact_case: tuple[str | None, ...]  # the acronym to match verbatim, per word
    exclude: bool
    head_only: bool = False


def _normalize(word: str) -> str:
    word = word.lower().translate(_APOSTROPHES)
    return word.removesuffix("'s").rstrip("'")


def _split(text: str) -> list[tuple[str, str, int, int]]:
    """(normalized, original, start, end) for each word."""
    lowered = text.lower().translate(_APOSTROPHES)
    if len(lowered) != len(text):  # a rare letter whose lowercase is longer: word by word
        return [(_normalize(m.group()), m.group(), *m.span()) for m in _WORD.finditer(text)]
    return [
        (m.group().removesuffix("'s").rstrip("'"), text[m.start() : m.end()], *m.span())
        for m in _WORD.finditer(lowered)
    ]


class TopicMatcher:
    """Built once from the watchlist; ``match`` is pure and safe to call from any thread."""

    def __init__(self, specs: Sequence[TopicSpec]) -> None:
        self._names = tuple(spec.name for spec in specs)
        self._vocabulary: dict[str, int] = {}
        self._phrases_by_head: dict[int, list[_Phrase]] = defaultdict(list)
        for index, spec in enumerate(specs):
            for alias in (spec.name, *spec.aliases):
                self._add(index, alias, exclude=False)
            for phrase in spec.exclude:
                self._add(index, phrase, exclude=True)
        self._words = list(self._vocabulary)
        self._buckets: dict[str, list[str]] = defaultdict(list)
        for word in self._words:
            if len(word) >= _BUCKET:
                self._buckets[word[:_BUCKET]].append(word)
        # Memo of word -> matches: deterministic, so matching stays a pure function of the text.
        self._memo: dict[str, dict[int, float]] = {}

    @property
    def topic_names(self) -> tuple[str, ...]:
        return self._names

    def _add(self, topic: int, alias: str, *, exclude: bool) -> None:
        words = _split(alias)
        if not words:
            return
        ids = tuple(self._vocabulary.setdefault(norm, len(self._vocabulary)) for norm, *_ in words)
        cases = tuple(orig if _is_acronym(orig) else None for _, orig, _, _ in words)
        phrase = _Phrase(topic, ids, cases, exclude)
        if phrase in self._phrases_by_head[ids[0]]:
            return  # the name repeated among the aliases
        self._phrases_by_head[ids[0]].append(phrase)
        if len(ids) > 1 and len(words[0][0]) >= _HEAD_ALONE and not exclude:
            self._phrases_by_head[ids[0]].append(
                _Phrase(topic, ids[:1], cases[:1], exclude, head_only=True)
            )

    def match(self, text: str) -> list[TopicMatch]:
        """The best match of each topic found in ``text``, best first."""
        best: dict[str, TopicMatch] = {}
        for found in self.mentions(text):
            if found.topic not in best or found.score > best[found.topic].score:
                best[found.topic] = found
        return sorted(best.values(), key=lambda m: (-m.score, m.start))

    def mentions(self, text: str) -> list[TopicMatch]:
        """Every match of every topic in ``text``, in text order, excludes applied."""
        words = _split(text)
        scores = self._word_scores({norm for norm, *_ in words})
        found: list[tuple[_Phrase, float, int, int]] = []
        for position, (norm, *_rest) in enumerate(words):
            for word_id, score in scores.get(norm, {}).items():
                for phrase in self._phrases_by_head.get(word_id, ()):
                    total = _phrase_score(phrase, words, position, scores, score)
                    if total is not None:
                        found.append((phrase, total, position, position + len(phrase.words)))
        return self._without_excluded(found, words, text)

    def _word_scores(self, distinct: set[str]) -> dict[str, dict[int, float]]:
        """For each distinct text word, the vocabulary words it matches and how well."""
        scores: dict[str, dict[int, float]] = {}
        for word in distinct:
            cached = self._memo.get(word)
            if cached is None:
                cached = self._match_word(word)
                if len(self._memo) >= _CACHE_LIMIT:
                    self._memo.clear()
                self._memo[word] = cached
            if cached:
                scores[word] = cached
        return scores

    def _match_word(self, word: str) -> dict[int, float]:
        matched: dict[int, float] = {}
        exact = self._vocabulary.get(word)
        if exact is not None:
            matched[exact] = 100.0
        bucket = self._buckets.get(word[:_BUCKET]) if len(word) >= 4 else None
        if bucket:
            for choice, score, _ in process.extract(
                word, bucket, scorer=fuzz.ratio, score_cutoff=MIN_SCORE, limit=None
            ):
                matched.setdefault(self._vocabulary[choice], score)
            for choice, common, _ in process.extract(
                word, bucket, scorer=Prefix.similarity, score_cutoff=3, limit=None
            ):
                if _inflected(word, choice, int(common)):
                    vocab_id = self._vocabulary[choice]
                    matched[vocab_id] = max(matched.get(vocab_id, 0.0), 90.0)
        return matched

    def _without_excluded(
        self,
        found: list[tuple[_Phrase, float, int, int]],
        words: list[tuple[str, str, int, int]],
        text: str,
    ) -> list[TopicMatch]:
        excluded = [(p.topic, a, b) for p, _, a, b in found if p.exclude]
        best: dict[tuple[int, int, int], float] = {}
        for phrase, score, first, last in found:
            key = (phrase.topic, first, last)
            if not phrase.exclude and score > best.get(key, -1.0):
                best[key] = score
        out: list[TopicMatch] = []
        for phrase, score, first, last in found:
            key = (phrase.topic, first, last)
            if phrase.exclude or best.get(key) != score:
                continue  # an exclude phrase, or a weaker match of the same span
            del best[key]
            if any(t == phrase.topic and a < last and first < b for t, a, b in excluded):
                continue
            start, end = words[first][2], words[last - 1][3]
            out.append(TopicMatch(self._names[phrase.topic], score, text[start:end], start, end))
        out.sort(key=lambda m: m.start)
        return out


def _is_acronym(word: str) -> bool:
    return word.isupper() and len(word) <= 5


def _inflected(word: str, choice: str, common: int) -> bool:
    """ "кореи" for "корея": a shared stem, with at most a few letters of ending on each side."""
    if not choice.isascii() and len(choice) >= 4 and common >= len(choice) - 1:
        return len(word) - common <= 3  # a short Cyrillic name: "Газа", "Газе", "Газі"
    return common >= max(4, len(choice) - 3) and len(word) - common <= 5


def _phrase_score(
    phrase: _Phrase,
    words: list[tuple[str, str, int, int]],
    position: int,
    scores: dict[str, dict[int, float]],
    head_score: float,
) -> float | None:
    if position + len(phrase.words) > len(words):
        return None
    total = 0.0
    for offset, word_id in enumerate(phrase.words):
        norm, original = words[position + offset][0], words[position + offset][1]
        acronym = phrase.exact_case[offset]
        if acronym is not None:
            same = original == acronym if len(acronym) <= 3 else original.upper() == acronym.upper()
            if not same:
                return None
            total += 100.0
            continue
        score = head_score if offset == 0 else scores.get(norm, {}).get(word_id)
        if score is None:
            return None
        total += score
    mean = total / len(phrase.words)
    return mean * 0.95 if phrase.head_only else mean
