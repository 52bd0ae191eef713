"""The ledger of claims on record, and the conflicts a new claim has with it.

Claims are indexed by (topic, measure), and within a key by time bucket (one comparison window
wide): a new claim is compared only with claims of its own key in the buckets around its
moments, and among those only with the nearest values that disagree, found by bisection in lists
sorted by interval bounds, so a check costs O(log n) however long the ledger grows.

Intervals are modifier-aware: "about 3,000" is 2,700-3,300; "more than 2 million" is open above;
"up to 12,000" is 0-12,000; a range is its bounds; an exact figure is itself. Two claims conflict
when their intervals are disjoint and an analyst would compare them:

- their moments are within the window of each other (a toll reported days apart is an update),
  unless the new one corrects or rivals a figure ("not 359 as earlier reported", "disputed",
  "тогда как"), which is compared whatever the gap (moments.py);
- they count the same kind of whole: a part ("including 500 officers", "серед них") is compared
  with parts only, the size of one unit ("6,000 each") and a plan ("could reach") with nothing
  (parts.py);
- their scopes agree: the same kind of predicate (arrived, deployed, training and fighting all
  describe presence) and no two different places, compared across scripts (places.py);
- they are not two figures of one sentence by one speaker, which count different things
  ("24,617 in Turkey, 3,575 in Syria"), unless the sentence revises one to the other.

Kinds: ``revision`` when the same speaker changes its figure, ``bound`` when a bound excludes the
other value, ``numeric`` otherwise; ``denial`` when a denial meets the latest assertion of its
topic; ``ratio`` when a figure does not fit "tripling" applied to the figure before it. Every
reason is one line naming both speakers, both values and both dates.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import islice

from bot.analysis.comparable import (
    centre,
    interval,
    no_two_places,
    same_predicate,
    same_voice,
    too_vague,
)
from bot.analysis.moments import DEFAULT_WINDOW, within
from bot.analysis.parts import Role
from bot.analysis.traits import Traits, traits_of_claim
from bot.analysis.wording import describe, speaker_name
from storage.records import ConflictKind, Modifier, NewClaim, Polarity

RATIO_TOLERANCE = 0.25
_NEAREST = 3  # disagreeing claims reported on each side of a new claim's interval
_SCAN = 40  # candidates looked at on each side, to skip incompatible scopes
_NO_WHOLE = frozenset({Role.UNIT, Role.PLAN})  # figures that count no whole
_BOUNDS = frozenset(
    {Modifier.AT_LEAST, Modifier.MORE_THAN, Modifier.UP_TO, Modifier.AT_MOST, Modifier.LESS_THAN}
)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A claim on record: its id (database id or "item#n"), the claim, and when it was stated.

    ``timeless``: put on record by the analyst (the watchlist's, those added in chat), not
    reported by a source at a moment: compared with every figure whatever the gap."""

    claim_id: str
    claim: NewClaim
    stated_at: datetime
    timeless: bool = False


@dataclass(frozen=True, slots=True)
class FoundConflict:
    claim_id: str  # the newer claim
    other_claim_id: str  # the claim on record
    kind: ConflictKind
    reason: str


@dataclass(slots=True)
class _Sorted:
    """Figures sorted two ways for the disjointness search: by upper and by lower bound."""

    by_high: list[tuple[float, int]] = field(default_factory=list)
    by_low: list[tuple[float, int]] = field(default_factory=list)

    def add(self, bounds: tuple[float, float], seq: int) -> None:
        insort(self.by_high, (bounds[1], seq))
        insort(self.by_low, (bounds[0], seq))

    def discard(self, bounds: tuple[float, float], seq: int) -> None:
        _discard(self.by_high, (bounds[1], seq))
        _discard(self.by_low, (bounds[0], seq))

    def below(self, low: float) -> list[tuple[float, int]]:
        """Up to _SCAN figures with an upper bound under ``low``: (distance, seq), nearest first."""
        end = bisect_left(self.by_high, (low, -1))
        return [(low - h, s) for h, s in reversed(self.by_high[max(0, end - _SCAN) : end])]

    def above(self, high: float) -> list[tuple[float, int]]:
        start = bisect_right(self.by_low, (high, math.inf))
        return [(lo - high, s) for lo, s in self.by_low[start : start + _SCAN]]


@dataclass(slots=True)
class _Key:
    """The claims of one (topic, measure): every figure, and the figures of each time bucket
    (one window wide, holding a figure under each of its moments), so that a check reads the
    buckets around its own moments only."""

    every: _Sorted = field(default_factory=_Sorted)
    timeless: _Sorted = field(default_factory=_Sorted)
    buckets: dict[int, _Sorted] = field(default_factory=lambda: defaultdict(_Sorted))
    latest_figure: int | None = None
    ratios: list[tuple[int, float]] = field(default_factory=list)  # (ratio entry, base value)


class Ledger:
    """In-memory ledger; rebuild it from storage with ``Ledger(entries)``.

    ``window``: figures are compared when their moments are within it of each other (see
    moments.py); None compares every figure with every other whatever the time between them.
    """

    def __init__(
        self, entries: Iterable[LedgerEntry] = (), *, window: timedelta | None = DEFAULT_WINDOW
    ) -> None:
        self._window = window if window is None or window > timedelta(0) else None
        self._entries: list[LedgerEntry] = []
        self._traits: list[Traits | None] = []  # computed when first needed
        self._keys: dict[tuple[str, str], _Key] = defaultdict(_Key)
        self._latest_assertion: dict[tuple[str, str], int] = {}  # by (topic, measure or "")
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def record(self, entry: LedgerEntry) -> list[FoundConflict]:
        """The conflicts of ``entry`` with the claims on record; then ``entry`` is on record."""
        traits = traits_of_claim(entry.claim, entry.stated_at)
        found = self._conflicts(entry, traits)
        self.add(entry, traits)
        return found

    def conflicts_of_all(
        self, entries: Sequence[LedgerEntry], *, pending: Sequence[LedgerEntry] = ()
    ) -> list[FoundConflict]:
        """The conflicts ``entries`` would have if recorded one after another (each with the
        claims on record, then ``pending``, then the entries before it), leaving the ledger
        as it was.

        Decide, then apply: the caller stores the claims and only then ``add``s them, so a
        failed store never leaves the ledger holding claims the database lacks. ``pending``:
        claims stored but not yet committed (earlier items of the same transaction).
        """
        topics = {entry.claim.topic for entry in entries}
        relevant = [entry for entry in pending if entry.claim.topic in topics]
        mark = self._mark([*relevant, *entries])
        try:
            for entry in relevant:
                self.add(entry)
            found: list[FoundConflict] = []
            for entry in entries:
                found.extend(self.record(entry))
            return found
        finally:
            self._restore(mark)

    def add(self, entry: LedgerEntry, traits: Traits | None = None) -> None:
        seq = len(self._entries)
        self._entries.append(entry)
        self._traits.append(traits)
        claim = entry.claim
        if claim.polarity is Polarity.DENIES:
            return
        self._latest_assertion[(claim.topic, "")] = seq
        self._latest_assertion[(claim.topic, claim.measure)] = seq
        key = self._keys[(claim.topic, claim.measure)]
        if claim.modifier is Modifier.RATIO:
            if key.latest_figure is not None and claim.value:
                base = centre(self._entries[key.latest_figure].claim)
                key.ratios.append((seq, base))
            return
        bounds = interval(claim)
        if bounds is None or too_vague(claim):
            return
        for sorted_ in self._lists_of(key, seq):
            sorted_.add(bounds, seq)
        key.latest_figure = seq

    def _lists_of(self, key: _Key, seq: int) -> list[_Sorted]:
        """The sorted lists of ``key`` that hold (or will hold) the figure of entry ``seq``."""
        if self._entries[seq].timeless:
            return [key.every, key.timeless]
        if self._window is None:
            return [key.every]
        buckets = self._buckets_of(self._traits_at(seq).moments, spread=0)
        return [key.every, *(key.buckets[b] for b in sorted(buckets))]

    def _mark(self, entries: Sequence[LedgerEntry]) -> _Mark:
        """What ``add`` may change for ``entries``, to be put back by ``_restore``."""
        mark = _Mark(len(self._entries))
        for entry in entries:
            topic, measure = entry.claim.topic, entry.claim.measure
            for assertion in ((topic, ""), (topic, measure)):
                mark.assertions.setdefault(assertion, self._latest_assertion.get(assertion))
            if (topic, measure) not in mark.keys:
                key = self._keys.get((topic, measure))
                mark.keys[(topic, measure)] = (
                    None if key is None else (key.latest_figure, len(key.ratios))
                )
        return mark

    def _restore(self, mark: _Mark) -> None:
        """Undo every ``add`` since ``mark``; each inserted bound is found by bisection."""
        for seq in range(mark.count, len(self._entries)):
            claim = self._entries[seq].claim
            key = self._keys.get((claim.topic, claim.measure))
            bounds = interval(claim)
            if key is not None and bounds is not None:
                for sorted_ in self._lists_of(key, seq):
                    sorted_.discard(bounds, seq)
        del self._entries[mark.count :]
        del self._traits[mark.count :]
        for assertion, seq_before in mark.assertions.items():
            if seq_before is None:
                self._latest_assertion.pop(assertion, None)
            else:
                self._latest_assertion[assertion] = seq_before
        for name, state in mark.keys.items():
            if state is None:
                self._keys.pop(name, None)
            else:
                key = self._keys[name]
                key.latest_figure = state[0]
                del key.ratios[state[1] :]

    def conflicts_of(self, entry: LedgerEntry) -> list[FoundConflict]:
        return self._conflicts(entry, None)

    def _conflicts(self, entry: LedgerEntry, traits: Traits | None) -> list[FoundConflict]:
        claim = entry.claim
        if claim.polarity is Polarity.DENIES:
            return self._denial(entry)
        bounds = interval(claim)
        key = self._keys.get((claim.topic, claim.measure))
        if bounds is None or key is None or too_vague(claim):
            return []
        if traits is None:
            traits = traits_of_claim(claim, entry.stated_at)
        found = self._numeric(entry, traits, bounds, key)
        found.extend(self._ratio(entry, bounds, key))
        return found

    def _numeric(
        self, entry: LedgerEntry, traits: Traits, bounds: tuple[float, float], key: _Key
    ) -> list[FoundConflict]:
        if self._window is None or traits.corrects or entry.timeless:
            sources = [key.every]  # a correction is compared whatever the gap
        else:
            buckets = self._buckets_of(traits.moments, spread=1)
            sources = [key.timeless, *(key.buckets[b] for b in buckets if b in key.buckets)]
        found: list[FoundConflict] = []
        for side in ("below", "above"):
            candidates: dict[int, float] = {}
            for source in sources:
                near = source.below(bounds[0]) if side == "below" else source.above(bounds[1])
                for distance, seq in near:
                    candidates.setdefault(seq, distance)
            ranked = sorted(candidates, key=lambda s: (candidates[s], -s))
            compatible = (s for s in ranked if self._comparable(entry, traits, s))
            nearest = list(islice(compatible, _NEAREST))  # the rules read only what they need
            found.extend(self._conflict(entry, self._entries[s]) for s in nearest)
        return found

    def _comparable(self, entry: LedgerEntry, traits: Traits, seq: int) -> bool:
        """Cheap tests first: the role and place read the words around both figures."""
        old = self._entries[seq]
        if not self._comparable_in_time(entry, seq, traits):
            return False
        if _one_voice(entry, old) and not traits.corrects:
            return False  # one speaker's figures in one report count different things
        if not same_predicate(entry.claim, old.claim):
            return False
        other = self._traits_at(seq)
        if traits.role in _NO_WHOLE or other.role is not traits.role:
            return False  # a part is compared with parts only; units and plans with nothing
        return no_two_places(traits.place, other.place)

    def _comparable_in_time(
        self, entry: LedgerEntry, seq: int, traits: Traits | None = None
    ) -> bool:
        old = self._entries[seq]
        traits = traits or traits_of_claim(entry.claim, entry.stated_at)
        if self._window is None or traits.corrects or entry.timeless or old.timeless:
            return True
        return within(traits.moments, self._traits_at(seq).moments, self._window)

    def _traits_at(self, seq: int) -> Traits:
        traits = self._traits[seq]
        if traits is None:
            entry = self._entries[seq]
            traits = self._traits[seq] = traits_of_claim(entry.claim, entry.stated_at)
        return traits

    def _buckets_of(self, moments: tuple[datetime, ...], *, spread: int) -> set[int]:
        assert self._window is not None
        width = self._window.total_seconds()
        return {
            int(m.timestamp() // width) + shift
            for m in moments
            for shift in range(-spread, spread + 1)
        }

    def _conflict(self, new: LedgerEntry, old: LedgerEntry) -> FoundConflict:
        if same_voice(new.claim.speaker, old.claim.speaker):
            kind = ConflictKind.REVISION
            reason = (
                f"{speaker_name(new.claim)} revised {describe(old.claim)} ({_day(old)}) "
                f"to {describe(new.claim)} ({_day(new)})"
            )
        else:
            bound = new.claim.modifier in _BOUNDS or old.claim.modifier in _BOUNDS
            kind = ConflictKind.BOUND if bound else ConflictKind.NUMERIC
            reason = (
                f"{speaker_name(new.claim)} says {describe(new.claim)} ({_day(new)}); "
                f"{speaker_name(old.claim)} said {describe(old.claim)} ({_day(old)})"
            )
        return FoundConflict(new.claim_id, old.claim_id, kind, reason)

    def _denial(self, entry: LedgerEntry) -> list[FoundConflict]:
        topic, measure = entry.claim.topic, entry.claim.measure
        seq = self._latest_assertion.get((topic, measure), self._latest_assertion.get((topic, "")))
        if seq is None:
            return []
        old = self._entries[seq]
        if same_voice(entry.claim.speaker, old.claim.speaker):
            return []  # a source that corrects itself is a revision, told by its figures
        reason = (
            f"{speaker_name(entry.claim)} denies ({_day(entry)}) what "
            f"{speaker_name(old.claim)} said: {describe(old.claim)} ({_day(old)})"
        )
        return [FoundConflict(entry.claim_id, old.claim_id, ConflictKind.DENIAL, reason)]

    def _ratio(
        self, entry: LedgerEntry, bounds: tuple[float, float], key: _Key
    ) -> list[FoundConflict]:
        if not key.ratios:
            return []
        seq, base = key.ratios[-1]
        ratio_entry = self._entries[seq]
        if not self._comparable_in_time(entry, seq):
            return []  # "tripling" spoke of the figures of its own days
        implied = base * (ratio_entry.claim.value or 1.0)
        low, high = implied * (1 - RATIO_TOLERANCE), implied * (1 + RATIO_TOLERANCE)
        if bounds[1] >= low and bounds[0] <= high:
            return []
        reason = (
            f"{speaker_name(entry.claim)} says {describe(entry.claim)} ({_day(entry)}); "
            f"{speaker_name(ratio_entry.claim)} said {describe(ratio_entry.claim)} of "
            f"{base:,.0f}, about {implied:,.0f} ({_day(ratio_entry)})"
        )
        return [FoundConflict(entry.claim_id, ratio_entry.claim_id, ConflictKind.RATIO, reason)]


@dataclass(slots=True)
class _Mark:
    """The ledger before a trial: its length and the state ``add`` overwrites in place."""

    count: int
    assertions: dict[tuple[str, str], int | None] = field(default_factory=dict)
    keys: dict[tuple[str, str], tuple[int | None, int] | None] = field(default_factory=dict)


def _discard(ordered: list[tuple[float, int]], value: tuple[float, int]) -> None:
    index = bisect_left(ordered, value)
    if index < len(ordered) and ordered[index] == value:
        del ordered[index]


def _one_voice(a: LedgerEntry, b: LedgerEntry) -> bool:
    """Two figures of one report (stated at one time) by one speaker, or of one sentence with
    no speaker named: a speaker does not revise itself in the report that quotes it."""
    if a.stated_at != b.stated_at:
        return False
    speaker_a, speaker_b = a.claim.speaker, b.claim.speaker
    if not speaker_a and not speaker_b:
        return a.claim.sentence == b.claim.sentence
    return same_voice(speaker_a, speaker_b)


def _day(entry: LedgerEntry) -> str:
    return entry.stated_at.date().isoformat()
