"""The ledger of claims on record, and the conflicts a new claim has with it.

Claims are indexed by (topic, measure): a new claim is compared only with claims of its own key,
and among those only with the nearest values that disagree, found by bisection in lists sorted by
interval bounds, so a check costs O(log n) however long the ledger grows.

Intervals are modifier-aware: "about 3,000" is 2,700-3,300; "more than 2 million" is open above;
"up to 12,000" is 0-12,000; a range is its bounds; an exact figure is itself. Two claims conflict
when their intervals are disjoint and their scopes are compatible (the same kind of predicate:
arrived, deployed, training and fighting all describe presence; and no two different places).
Kinds: ``revision`` when the same speaker changes its figure, ``bound`` when a bound excludes the
other value, ``numeric`` otherwise; ``denial`` when a denial meets the latest assertion of its
topic; ``ratio`` when a figure does not fit "tripling" applied to the figure before it.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.analysis.measures import GENERIC, PRESENCE
from bot.analysis.wording import describe, same_speaker, speaker_name
from storage.records import ConflictKind, Modifier, NewClaim, Polarity

APPROX = 0.10  # the half-width of "about N"
RATIO_TOLERANCE = 0.25
_NEAREST = 3  # disagreeing claims reported on each side of a new claim's interval
_SCAN = 40  # candidates looked at on each side, to skip incompatible scopes
_BOUNDS = frozenset(
    {Modifier.AT_LEAST, Modifier.MORE_THAN, Modifier.UP_TO, Modifier.AT_MOST, Modifier.LESS_THAN}
)


@dataclass(frozen=True, slots=True)
class LedgerEntry:
    """A claim on record: its id (database id or "item#n"), the claim, and when it was stated."""

    claim_id: str
    claim: NewClaim
    stated_at: datetime


@dataclass(frozen=True, slots=True)
class FoundConflict:
    claim_id: str  # the newer claim
    other_claim_id: str  # the claim on record
    kind: ConflictKind
    reason: str


def interval(claim: NewClaim) -> tuple[float, float] | None:
    """The values a claim allows, or None for a claim without a figure (a denial, a ratio)."""
    if claim.modifier is Modifier.RATIO or claim.polarity is Polarity.DENIES:
        return None
    if claim.low is not None and claim.high is not None:
        return claim.low, claim.high
    value = claim.value if claim.value is not None else claim.low or claim.high
    if value is None:
        return None
    if claim.modifier in (Modifier.AT_LEAST, Modifier.MORE_THAN):
        return value, math.inf
    if claim.modifier in (Modifier.UP_TO, Modifier.AT_MOST, Modifier.LESS_THAN):
        return 0.0, value
    if claim.modifier is Modifier.APPROX:
        return value * (1 - APPROX), value * (1 + APPROX)
    return value, value


@dataclass(slots=True)
class _Key:
    """The claims of one (topic, measure), sorted two ways for the disjointness search."""

    by_high: list[tuple[float, int]] = field(default_factory=list)
    by_low: list[tuple[float, int]] = field(default_factory=list)
    latest_figure: int | None = None
    ratios: list[tuple[int, float]] = field(default_factory=list)  # (ratio entry, base value)


class Ledger:
    """In-memory ledger; rebuild it from storage with ``Ledger(entries)``."""

    def __init__(self, entries: Iterable[LedgerEntry] = ()) -> None:
        self._entries: list[LedgerEntry] = []
        self._keys: dict[tuple[str, str], _Key] = defaultdict(_Key)
        self._latest_assertion: dict[tuple[str, str], int] = {}  # by (topic, measure or "")
        for entry in entries:
            self.add(entry)

    def __len__(self) -> int:
        return len(self._entries)

    def record(self, entry: LedgerEntry) -> list[FoundConflict]:
        """The conflicts of ``entry`` with the claims on record; then ``entry`` is on record."""
        found = self.conflicts_of(entry)
        self.add(entry)
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

    def add(self, entry: LedgerEntry) -> None:
        seq = len(self._entries)
        self._entries.append(entry)
        claim = entry.claim
        if claim.polarity is Polarity.DENIES:
            return
        self._latest_assertion[(claim.topic, "")] = seq
        self._latest_assertion[(claim.topic, claim.measure)] = seq
        key = self._keys[(claim.topic, claim.measure)]
        if claim.modifier is Modifier.RATIO:
            if key.latest_figure is not None and claim.value:
                base = _centre(self._entries[key.latest_figure].claim)
                key.ratios.append((seq, base))
            return
        bounds = interval(claim)
        if bounds is None or _too_vague(claim):
            return
        insort(key.by_high, (bounds[1], seq))
        insort(key.by_low, (bounds[0], seq))
        key.latest_figure = seq

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
                _discard(key.by_high, (bounds[1], seq))
                _discard(key.by_low, (bounds[0], seq))
        del self._entries[mark.count :]
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
        claim = entry.claim
        if claim.polarity is Polarity.DENIES:
            return self._denial(entry)
        bounds = interval(claim)
        key = self._keys.get((claim.topic, claim.measure))
        if bounds is None or key is None or _too_vague(claim):
            return []
        found = self._numeric(entry, bounds, key)
        found.extend(self._ratio(entry, bounds, key))
        return found

    def _numeric(
        self, entry: LedgerEntry, bounds: tuple[float, float], key: _Key
    ) -> list[FoundConflict]:
        low, high = bounds
        below_end = bisect_left(key.by_high, (low, -1))  # on record: high < low
        above_start = bisect_right(key.by_low, (high, math.inf))  # on record: low > high
        below = [seq for _, seq in reversed(key.by_high[max(0, below_end - _SCAN) : below_end])]
        above = [seq for _, seq in key.by_low[above_start : above_start + _SCAN]]
        found: list[FoundConflict] = []
        for side in (below, above):
            compatible = [s for s in side if _same_scope(entry.claim, self._entries[s].claim)]
            found.extend(self._conflict(entry, self._entries[s]) for s in compatible[:_NEAREST])
        return found

    def _conflict(self, new: LedgerEntry, old: LedgerEntry) -> FoundConflict:
        if same_speaker(new.claim.speaker, old.claim.speaker):
            kind = ConflictKind.REVISION
            reason = (
                f"{speaker_name(new.claim)} revised {describe(old.claim)} to {describe(new.claim)}"
            )
        else:
            bound = new.claim.modifier in _BOUNDS or old.claim.modifier in _BOUNDS
            kind = ConflictKind.BOUND if bound else ConflictKind.NUMERIC
            reason = (
                f"{speaker_name(new.claim)} says {describe(new.claim)}; "
                f"{speaker_name(old.claim)} said {describe(old.claim)}"
            )
        return FoundConflict(new.claim_id, old.claim_id, kind, f"{reason} ({_day(old)})")

    def _denial(self, entry: LedgerEntry) -> list[FoundConflict]:
        topic, measure = entry.claim.topic, entry.claim.measure
        seq = self._latest_assertion.get((topic, measure), self._latest_assertion.get((topic, "")))
        if seq is None:
            return []
        old = self._entries[seq]
        if same_speaker(entry.claim.speaker, old.claim.speaker):
            return []  # a source that corrects itself is a revision, told by its figures
        reason = (
            f"{speaker_name(entry.claim)} denies what {speaker_name(old.claim)} said: "
            f"{describe(old.claim)} ({_day(old)})"
        )
        return [FoundConflict(entry.claim_id, old.claim_id, ConflictKind.DENIAL, reason)]

    def _ratio(
        self, entry: LedgerEntry, bounds: tuple[float, float], key: _Key
    ) -> list[FoundConflict]:
        if not key.ratios:
            return []
        seq, base = key.ratios[-1]
        ratio_entry = self._entries[seq]
        implied = base * (ratio_entry.claim.value or 1.0)
        low, high = implied * (1 - RATIO_TOLERANCE), implied * (1 + RATIO_TOLERANCE)
        if bounds[1] >= low and bounds[0] <= high:
            return []
        reason = (
            f"{speaker_name(entry.claim)} says {describe(entry.claim)}; "
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


def _too_vague(claim: NewClaim) -> bool:
    """ "2.5 million people" with no predicate counts nothing that another figure could deny."""
    return claim.measure in GENERIC and not claim.scope


def _centre(claim: NewClaim) -> float:
    bounds = interval(claim)
    if bounds is None:
        return 0.0
    low, high = bounds
    return low if math.isinf(high) else (low + high) / 2


def _same_scope(a: NewClaim, b: NewClaim) -> bool:
    predicate_a, place_a = _scope_parts(a.scope)
    predicate_b, place_b = _scope_parts(b.scope)
    both_presence = predicate_a in PRESENCE and predicate_b in PRESENCE
    if predicate_a and predicate_b and predicate_a != predicate_b and not both_presence:
        return False
    if place_a and place_b and place_a.isascii() == place_b.isascii():
        return place_a[:4].lower() == place_b[:4].lower()
    return True


def _scope_parts(scope: str) -> tuple[str, str]:
    predicate, _, place = scope.partition(" in ")
    if scope.startswith("in "):
        return "", scope[3:]
    return predicate.strip(), place.strip()


def _day(entry: LedgerEntry) -> str:
    return entry.stated_at.date().isoformat()
