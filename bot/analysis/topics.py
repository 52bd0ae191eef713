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
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import accumulate, compress, count

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Prefix

from bot.analysis.sentences import replace_chars
from bot.config.files import TopicSpec

MIN_SCORE = 85.0
_BUCKET = 2  # letters of the candidate filter: "Pyeongyang" still meets "Pyongyang"
_CACHE_LIMIT = 200_000
_HEAD_ALONE = 10  # letters a first alias word needs to match on its own
_COMPANION_REACH = 15  # words either side of a head matched alone
_COMPOUND = 14  # letters of a head that carries the whole name: "північнокорейських"
_LOOSE = 0.9  # a two-word alias with a word between, or turned round
_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)*")
# Split on words kept as pieces: [gap, word, gap, word, ..., gap], the offsets in one sum.
_WORD_PIECES = re.compile(f"({_WORD.pattern})")
_APOSTROPHES = (("’", "'"), ("‘", "'"), ("ʼ", "'"), ("`", "'"), ("ё", "е"))


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
    # Of a head matched alone: the other words of its alias, one of which must stand near it
    # ("землетрясение" names "землетрясение в Турции" only with "Турции" or so nearby).
    companions: tuple[int, ...] = ()
    # The id the next text word must match, to skip most phrases of a common first word at
    # once; None for one word, or when the second word is an acronym (matched verbatim).
    second: int | None = None


def _normalize(word: str) -> str:
    return _unify_preposition(_strip_possessive(replace_chars(word.lower(), _APOSTROPHES)))


def _unify_preposition(word: str) -> str:
    """Ukrainian writes "у" or "в" (and "і" or "й") by the sound around them: one word each."""
    return _SAME_WORD.get(word, word)


_SAME_WORD = {"у": "в", "й": "і"}


def _strip_possessive(word: str) -> str:
    return word.removesuffix("'s").rstrip("'")


class _Words:
    """The words of a text, split once: their normalized forms at once, their spans (and so
    their original spelling) only when a match needs them, as most texts match nothing. One
    ``re.split`` gives the words and the gaps between them, whose running sum of lengths is
    every offset: no match object per word."""

    __slots__ = ("_ends", "_pieces", "distinct", "norms", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        lowered = replace_chars(text.lower(), _APOSTROPHES)
        if len(lowered) != len(text):  # a rare letter whose lowercase is longer: word by word
            self._pieces = _WORD_PIECES.split(text)
            self.norms = [_normalize(word) for word in self._pieces[1::2]]
        else:
            self._pieces = _WORD_PIECES.split(lowered)
            found: list[str] = self._pieces[1::2]
            norms = (
                [_strip_possessive(w) if "'" in w else w for w in found]
                if "'" in lowered
                else found
            )
            if not _SAME_WORD.keys().isdisjoint(norms):  # few texts: Ukrainian with "у", "й"
                norms = [_SAME_WORD.get(w, w) for w in norms]
            self.norms = norms
        self.distinct = set(self.norms)
        self._ends: list[int] | None = None

    def span(self, position: int) -> tuple[int, int]:
        """(start, end) of word ``position`` in the text."""
        if self._ends is None:  # where each piece ends: gap, word, gap, word, ...
            self._ends = list(accumulate(map(len, self._pieces)))
        return self._ends[2 * position], self._ends[2 * position + 1]

    def original(self, position: int) -> str:
        start, end = self.span(position)
        return self.text[start:end]


class TopicMatcher:
    """Built once from the watchlist; ``match`` is pure and safe to call from any thread."""

    def __init__(self, specs: Sequence[TopicSpec]) -> None:
        self._names = tuple(spec.name for spec in specs)
        self._vocabulary: dict[str, int] = {}
        self._phrases_by_head: dict[int, list[_Phrase]] = defaultdict(list)
        # Two-word aliases, by either word: "earthquake in Turkey" names "Turkey earthquake".
        self._pairs_by_word: dict[int, list[_Phrase]] = defaultdict(list)
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
        self._memo_matching: dict[str, dict[int, float]] = {}  # the words of it that match

    @property
    def topic_names(self) -> tuple[str, ...]:
        return self._names

    def _add(self, topic: int, alias: str, *, exclude: bool) -> None:
        words = _Words(alias)
        if not words.norms:
            return
        ids = tuple(
            self._vocabulary.setdefault(norm, len(self._vocabulary)) for norm in words.norms
        )
        originals = [words.original(position) for position in range(len(ids))]
        cases = tuple(orig if _is_acronym(orig) else None for orig in originals)
        second = ids[1] if len(ids) > 1 and cases[1] is None else None
        phrase = _Phrase(topic, ids, cases, exclude, second=second)
        if phrase in self._phrases_by_head[ids[0]]:
            return  # the name repeated among the aliases
        self._phrases_by_head[ids[0]].append(phrase)
        if len(ids) == 2 and cases == (None, None):
            self._pairs_by_word[ids[0]].append(phrase)
            self._pairs_by_word[ids[1]].append(phrase)
        if len(ids) > 1 and len(words.norms[0]) >= _HEAD_ALONE and not exclude:
            # A long first word alone names its alias when it is a compound that carries the
            # whole name ("північнокорейських"), or beside a name of the alias ("землетрясение"
            # near "Турции"); a common word beside it ("человека") tells nothing.
            names = tuple(i for i, o in zip(ids[1:], originals[1:], strict=True) if o[:1].isupper())
            compound = len(words.norms[0]) >= _COMPOUND
            if compound or names:
                head = _Phrase(
                    topic,
                    ids[:1],
                    cases[:1],
                    exclude,
                    head_only=True,
                    companions=() if compound else names,
                )
                self._phrases_by_head[ids[0]].append(head)

    def match(self, text: str) -> list[TopicMatch]:
        """The best match of each topic found in ``text``, best first."""
        best: dict[str, TopicMatch] = {}
        for found in self.mentions(text):
            if found.topic not in best or found.score > best[found.topic].score:
                best[found.topic] = found
        return sorted(best.values(), key=lambda m: (-m.score, m.start))

    def mentions(self, text: str) -> list[TopicMatch]:
        """Every match of every topic in ``text``, in text order, excludes applied."""
        words = _Words(text)
        scores = self._word_scores(words.distinct)
        if not scores:
            return []  # no word of the text is close to any alias word
        found: list[tuple[_Phrase, float, int, int]] = []
        norms = words.norms
        # The positions of words that match, picked in C: most words of a text match nothing.
        hits = [(p, norms[p]) for p in compress(count(), map(scores.__contains__, norms))]
        for position, norm in hits:
            heads = scores[norm]
            following: Collection[int] = ()
            if position + 1 < len(norms):
                following = scores.get(norms[position + 1], ())
            for word_id, score in heads.items():
                for phrase in self._phrases_by_head.get(word_id, ()):
                    if phrase.second is not None and phrase.second not in following:
                        continue
                    if phrase.companions and not _accompanied(phrase, norms, position, scores):
                        continue
                    total = _phrase_score(phrase, words, position, scores, score)
                    if total is not None:
                        found.append((phrase, total, position, position + len(phrase.words)))
        found.extend(self._loose_pairs(norms, hits, scores))
        return self._without_excluded(found, words)

    def _loose_pairs(
        self,
        norms: list[str],
        hits: list[tuple[int, str]],
        scores: dict[str, dict[int, float]],
    ) -> list[tuple[_Phrase, float, int, int]]:
        """Two-word aliases whose words stand apart by one word or in the other order:
        "earthquake in Turkey", "Syria's deadly earthquake" for "Turkey earthquake". ``hits``
        are the positions (and words) of ``norms`` that match an alias word."""
        found: list[tuple[_Phrase, float, int, int]] = []
        pairs = self._pairs_by_word
        if not pairs:
            return found
        present = {word_id for matched in scores.values() for word_id in matched}
        for position, norm in hits:
            here = scores[norm]
            for word_id in here:
                for phrase in pairs.get(word_id, ()):
                    first, second = phrase.words
                    if first != word_id or second not in present:
                        continue  # found from its first word, once; or half of it is absent
                    for other in (position - 2, position - 1, position + 2):
                        if not 0 <= other < len(norms):
                            continue
                        match = scores.get(norms[other], {}).get(second)
                        if match is not None:
                            start, end = min(position, other), max(position, other) + 1
                            score = (here[first] + match) / 2 * _LOOSE
                            found.append((phrase, score, start, end))
        return found

    def _word_scores(self, distinct: set[str]) -> dict[str, dict[int, float]]:
        """For each distinct text word that matches, the vocabulary words it matches and how
        well. Words are matched once per matcher; the memo forgets all when it is full."""
        memo, matching = self._memo, self._memo_matching
        new = {word: self._match_word(word) for word in distinct.difference(memo)}
        if len(memo) + len(new) > _CACHE_LIMIT:
            memo.clear()
            matching.clear()
        memo.update(new)
        matching.update((word, found) for word, found in new.items() if found)
        # The keys view against the smaller set: C walks the text's words, not the memo.
        return {word: matching[word] for word in matching.keys() & distinct}

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
        words: _Words,
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
            if excluded and any(
                t == phrase.topic and a < last and first < b for t, a, b in excluded
            ):
                continue
            start, end = words.span(first)[0], words.span(last - 1)[1]
            evidence = words.text[start:end]
            out.append(TopicMatch(self._names[phrase.topic], score, evidence, start, end))
        out.sort(key=lambda m: m.start)
        return out


def _accompanied(
    phrase: _Phrase, norms: list[str], position: int, scores: dict[str, dict[int, float]]
) -> bool:
    """Whether another word of a head-alone alias stands within a sentence's reach."""
    near = norms[max(0, position - _COMPANION_REACH) : position + _COMPANION_REACH + 1]
    return any(c in scores.get(w, ()) for w in near for c in phrase.companions)


def _is_acronym(word: str) -> bool:
    return word.isupper() and len(word) <= 5


def _inflected(word: str, choice: str, common: int) -> bool:
    """ "кореи" for "корея": a shared stem, with at most a few letters of ending on each side."""
    if not choice.isascii() and len(choice) >= 4 and common >= len(choice) - 1:
        return len(word) - common <= 3  # a short Cyrillic name: "Газа", "Газе", "Газі"
    return common >= max(4, len(choice) - 2) and len(word) - common <= 5


def _phrase_score(
    phrase: _Phrase,
    words: _Words,
    position: int,
    scores: dict[str, dict[int, float]],
    head_score: float,
) -> float | None:
    if position + len(phrase.words) > len(words.norms):
        return None
    total = 0.0
    for offset, word_id in enumerate(phrase.words):
        norm = words.norms[position + offset]
        acronym = phrase.exact_case[offset]
        if acronym is not None:
            original = words.original(position + offset)
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
