"""Stories: the same news from several outlets and channels, clustered into one digest line.

Two items tell the same story when their titles are close or their leads share many word
shingles (the same wire copy, a rewritten post); stories are the connected components of those
links. Titles are close when rapidfuzz's ``token_set_ratio`` of their informative words is high
and the stems they share carry enough weight: a stem's weight is its rarity among the items
clustered together, so within one topic the topic's own words ("North Korean troops") count for
little and "arrive in Kursk" is not "losses in Kursk".

Copies are told apart from coverage: items with the same text (``content_hash``), the same
canonical URL, or a forwarded Telegram post with the text of a post already in the story join
the story but add no source, so a wire story syndicated verbatim or a forward counts once.

No all-pairs loop: an inverted index of title stems and of lead shingles finds the candidate
pairs; a key many items hold pairs each only with its next few holders (enough to chain a big
story together), and a key most of a large pool holds is a stopword. What one source repeats in
many of its items (its boilerplate, a series' name) is not a key of that source's items at all.
English, Russian and Ukrainian alike: text is NFKC-normalized, casefolded and stripped of
accents and punctuation, Cyrillic kept; stems are word prefixes, so "Украина" meets "Украины".
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from itertools import chain
from typing import NamedTuple, TypeVar

from rapidfuzz import fuzz

from bot.analysis.story_features import Features, features_of
from storage.records import Item

TITLE_SCORE = 70.0  # token_set_ratio of the informative words of two titles of one story ...
TITLE_WEIGHT = 0.4  # ... and the weight of their shared stems over the weight of all of theirs
SAME_SOURCE_WEIGHT = 0.6  # a series' titles are alike: one source's own items need more
MIN_SHARED_STEMS = 3  # indexed stems two titles share before they are compared
MIN_SHARED_SHINGLES = 4
SHINGLE_OVERLAP = 0.5  # shared shingles over the smaller lead's shingles
COPY_OVERLAP = 0.9  # a forward holding this much of a post already in the story ...
FORWARD_OWN = 0.6  # ... with little of its own (a "subscribe" line) is a copy of it
MIN_COPY_WORDS = 4  # shorter texts ("Video", "🔥") are not taken as copies of each other
_WINDOW = 60  # the later items a key pairs an item with (all of them for a rarer key)
_STOP_SHARE = 0.5  # a key in more than this share of a pool larger than the window is a stopword
_SOURCE_REPEATS = 3  # a shingle in this many items of one source is that source's boilerplate
_SOURCE_SHARE = 0.3  # a title stem in this share of the items of a source ...
_SOURCE_MIN_ITEMS = 10  # ... with at least this many is its beat or a series' name
_PRIOR_ITEMS = 20  # a few items pooled together are too few to tell a common word from a rare
_CENTRAL_SAMPLE = 40  # members compared when picking the most representative title


class StoryLink(NamedTuple):
    """One source of a story: its name and the link of its first item on the story."""

    name: str
    url: str | None


@dataclass(frozen=True, slots=True)
class Story:
    """Items telling one story, oldest first. ``sources`` are distinct source ids in first-seen
    order (copies add none); ``links`` has one entry per source, in the same order."""

    items: tuple[Item, ...]
    title: str
    sources: tuple[int, ...]
    links: tuple[StoryLink, ...]
    first_seen_at: datetime

    @property
    def coverage(self) -> int:
        return len(self.sources)


def cluster_stories(items: Sequence[Item], source_names: Mapping[int, str]) -> list[Story]:
    """The stories the items tell, most sources first, then most items, then earliest."""
    ordered = sorted(items, key=lambda item: (item.first_seen_at, item.id))
    features = _without_source_boilerplate(ordered, [features_of(item) for item in ordered])
    stories = _Partition(len(ordered))
    copies = _Partition(len(ordered))
    for a, b in _copy_pairs(ordered, features):
        copies.union(a, b)
        stories.union(a, b)
    for a, b in _title_pairs(features):
        stories.union(a, b)
    for a, b in _shingle_pairs(features):
        stories.union(a, b)
    for a, b in _forwarded_copies(ordered, features, stories):
        copies.union(a, b)
    built = [
        _story(members, ordered, features, copies, source_names) for members in stories.groups()
    ]
    return sorted(built, key=lambda s: (-s.coverage, -len(s.items), s.first_seen_at))


def _without_source_boilerplate(items: Sequence[Item], features: list[Features]) -> list[Features]:
    """Drop the shingles a source repeats in several items (a template, a newsletter's intro)
    and the title stems it repeats in many (a series' name, its beat): they tell its items
    apart from nothing."""
    per_source: defaultdict[int, list[int]] = defaultdict(list)
    for position, item in enumerate(items):
        per_source[item.source_id].append(position)
    for positions in per_source.values():
        if len(positions) < _SOURCE_REPEATS:
            continue
        shingles = Counter(s for p in positions for s in features[p].shingles)
        repeated_shingles = {s for s, n in shingles.items() if n >= _SOURCE_REPEATS}
        repeated_stems: set[str] = set()
        if len(positions) >= _SOURCE_MIN_ITEMS:
            stems = Counter(s for p in positions for s in features[p].stems)
            repeated_stems = {s for s, n in stems.items() if n >= _SOURCE_SHARE * len(positions)}
        if not repeated_shingles and not repeated_stems:
            continue
        for p in positions:
            features[p] = replace(
                features[p],
                shingles=features[p].shingles - repeated_shingles,
                stems=features[p].stems - repeated_stems,
            )
    return features


class _Partition:
    """Union-find over item positions; the earlier item of a union stays the root (the
    original of a copy)."""

    def __init__(self, size: int) -> None:
        self._parent = list(range(size))

    def find(self, node: int) -> int:
        parent = self._parent
        while parent[node] != node:
            parent[node] = parent[parent[node]]
            node = parent[node]
        return node

    def union(self, a: int, b: int) -> None:
        root_a, root_b = self.find(a), self.find(b)
        if root_a != root_b:
            self._parent[max(root_a, root_b)] = min(root_a, root_b)

    def groups(self) -> list[list[int]]:
        members: defaultdict[int, list[int]] = defaultdict(list)
        for node in range(len(self._parent)):
            members[self.find(node)].append(node)
        return list(members.values())


def _copy_pairs(items: Sequence[Item], features: Sequence[Features]) -> Iterable[tuple[int, int]]:
    """Items with the same canonical URL, or the same text when it is long enough to tell. A
    URL or text one source gives several of its items (its home page, a template) is no
    identity."""
    keys = [_identity_keys(item, features[position]) for position, item in enumerate(items)]
    per_source = Counter(
        (item.source_id, key) for item, mine in zip(items, keys, strict=True) for key in mine
    )
    first_by_key: dict[tuple[str, str], int] = {}
    for position, item in enumerate(items):
        for key in keys[position]:
            if per_source[(item.source_id, key)] > 1:
                continue
            first = first_by_key.setdefault(key, position)
            if first != position:
                yield first, position


def _identity_keys(item: Item, features: Features) -> list[tuple[str, str]]:
    keys = [("url", item.url)] if item.url else []
    if features.lead_words >= MIN_COPY_WORDS or not features.lead_words:  # no text: its title
        keys.append(("text", item.content_hash))
    return keys


_Key = TypeVar("_Key", bound=Hashable)  # a title stem, or a lead shingle's hash


class _Held(NamedTuple):
    """One indexed key an item holds: the positions holding it (ascending), and where the
    ones after the item start in them."""

    where: list[int]
    later: int


def _index(keys: Sequence[frozenset[_Key]]) -> list[list[_Held]]:
    """For each position, the keys it holds that more than one item holds but not most of a
    large pool (those are its stopwords), each with the positions holding it."""
    frequency = Counter(chain.from_iterable(keys))
    limit = max(_WINDOW, int(len(keys) * _STOP_SHARE))
    telling = {key for key, n in frequency.items() if 1 < n <= limit}
    postings: defaultdict[_Key, list[int]] = defaultdict(list)
    held: list[list[_Held]] = []
    for position, item_keys in enumerate(keys):
        mine = []
        for key in telling.intersection(item_keys):
            where = postings[key]
            where.append(position)
            mine.append(_Held(where, len(where)))
        held.append(mine)
    return held


def _shared_counts(held: Sequence[_Held]) -> Iterable[tuple[int, int]]:
    """(later position, how many indexed keys it shares with the item holding ``held``). A
    key held by many items pairs each only with the next ``_WINDOW`` of them: a big story
    still links up (one chain of neighbours is enough), at a cost that grows with the items,
    not their square."""
    later: list[int] = []  # counted at once: a Counter update per key cost more than the count
    for key in held:
        later.extend(key.where[key.later : key.later + _WINDOW])
    return Counter(later).items() if later else ()


def _title_pairs(features: Sequence[Features]) -> Iterable[tuple[int, int]]:
    held = _index([f.stems for f in features])
    frequency = Counter(stem for f in features for stem in f.stems)
    total = len(features) + _PRIOR_ITEMS
    weight = {stem: math.log(1 + total / n) for stem, n in frequency.items()}
    for position, mine in enumerate(features):
        for other, shared in _shared_counts(held[position]):
            theirs = features[other]
            if not _enough_shared(shared, mine, theirs) or not _numbers_agree(mine, theirs):
                continue
            if not fuzz.token_set_ratio(mine.words, theirs.words, score_cutoff=TITLE_SCORE):
                continue
            needed = TITLE_WEIGHT if mine.source_id != theirs.source_id else SAME_SOURCE_WEIGHT
            common = sum(weight[s] for s in mine.stems & theirs.stems)
            if common >= needed * sum(weight[s] for s in mine.stems | theirs.stems):
                yield position, other


def _enough_shared(shared: int, mine: Features, theirs: Features) -> bool:
    """Three stems, or all of two short titles: "Reading List" is not every reading list."""
    return shared >= MIN_SHARED_STEMS or shared == len(mine.stems) == len(theirs.stems) > 1


def _numbers_agree(mine: Features, theirs: Features) -> bool:
    """Unless each title has a number the other lacks: "Vol. 24, No. 5" is not "Vol. 24, No. 4",
    but "10 missing" may be "6 found alive, 10 missing"."""
    return not (mine.numbers - theirs.numbers and theirs.numbers - mine.numbers)


def _shingle_pairs(features: Sequence[Features]) -> Iterable[tuple[int, int]]:
    held = _index([f.shingles for f in features])
    for position, mine in enumerate(features):
        for other, shared in _shared_counts(held[position]):
            smaller = min(len(mine.shingles), len(features[other].shingles))
            if shared >= MIN_SHARED_SHINGLES and shared >= SHINGLE_OVERLAP * smaller:
                yield position, other


def _forwarded_copies(
    items: Sequence[Item], features: Sequence[Features], stories: _Partition
) -> Iterable[tuple[int, int]]:
    """A forwarded post whose text is (almost) that of an earlier item of its story."""
    by_story: defaultdict[int, list[int]] = defaultdict(list)
    for position in range(len(items)):
        by_story[stories.find(position)].append(position)
    for position, item in enumerate(items):
        mine = features[position].shingles
        if not item.forwarded_from or not mine:
            continue
        for earlier in by_story[stories.find(position)]:
            if earlier >= position:
                break
            theirs = features[earlier].shingles
            shared = len(mine & theirs)
            if shared >= COPY_OVERLAP * len(theirs) and shared >= FORWARD_OWN * len(mine):
                yield earlier, position
                break


def _story(
    members: list[int],
    items: Sequence[Item],
    features: Sequence[Features],
    copies: _Partition,
    source_names: Mapping[int, str],
) -> Story:
    originals = [p for p in members if copies.find(p) == p]
    first_of_source: dict[int, Item] = {}
    for position in originals:
        first_of_source.setdefault(items[position].source_id, items[position])
    links = [
        StoryLink(
            source_names.get(source_id, f"source {source_id}"),
            first.url or _first_url(items[p] for p in originals if items[p].source_id == source_id),
        )
        for source_id, first in first_of_source.items()
    ]
    title = _central_title(members, features) or _first_url(items[p] for p in members)
    return Story(
        items=tuple(items[p] for p in members),
        title=title or "(untitled)",
        sources=tuple(first_of_source),
        links=tuple(links),
        first_seen_at=items[members[0]].first_seen_at,
    )


def _first_url(items: Iterable[Item]) -> str | None:
    return next((item.url for item in items if item.url), None)


def _central_title(members: list[int], features: Sequence[Features]) -> str:
    """The title closest to the other members' titles; the earliest on a tie."""
    titled = [p for p in members if features[p].title][:_CENTRAL_SAMPLE]
    if len(titled) <= 2:
        return features[titled[0]].title if titled else ""

    def closeness(position: int) -> float:
        words = features[position].words
        return sum(fuzz.token_set_ratio(words, features[o].words) for o in titled if o != position)

    return features[max(titled, key=lambda p: (closeness(p), -p))].title
