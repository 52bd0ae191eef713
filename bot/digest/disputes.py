"""Disputes: the claims on one quantity whose figures disagree, grouped once. Pure.

Conflicts come in pairs (the newer claim against one on record), so five sources on one figure
make up to ten pairs. A dispute is what a reader wants instead: the claims joined by conflicts
(a connected component of the conflict graph: one topic, one measure, compatible scopes, and
moments close enough for the ledger to compare them), every figure once, sorted by value, with
the spread from the lowest to the highest, how each figure disagrees (a revision, a denial, a
bound, a multiple that does not fit) and which figures are new since a given instant.

``build_disputes(claims, conflicts, urls, since=)`` -> disputes, most recently active first;
``dispute_of(claim_id, disputes)``. A figure reads as ``claim_line`` writes a claim.
Words and numbers are in the current language (``bot.translation``): build a chat's disputes
inside ``speaking(chat.language)``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.digest.claim_line import UNSOURCED, format_value, quantity_words
from bot.translation import N_, _, format_integer, format_number
from storage.records import Claim, Conflict, ConflictKind, Modifier, NewClaim, Polarity

KIND_WORDS = {  # how a reader names each kind of disagreement (translated where shown)
    ConflictKind.NUMERIC: N_("figures far apart"),
    ConflictKind.BOUND: N_("a bound that rules it out"),
    ConflictKind.DENIAL: N_("a denial"),
    ConflictKind.REVISION: N_("a revision"),
    ConflictKind.RATIO: N_("a multiple that does not fit"),
}
_LOWER_BOUNDS = frozenset({Modifier.AT_LEAST, Modifier.MORE_THAN})
_UPPER_BOUNDS = frozenset({Modifier.AT_MOST, Modifier.UP_TO, Modifier.LESS_THAN})


@dataclass(frozen=True, slots=True)
class Disagreement:
    """How a figure disagrees with one on record: ``kind``, and the figure it meets."""

    kind: ConflictKind
    other_claim_id: int
    other_value: str
    other_speaker: str
    other_stated_at: datetime


@dataclass(frozen=True, slots=True)
class Figure:
    """One claim of a dispute as a reader sees it."""

    claim: Claim
    value: str  # format_value(): "about 1,500", "10,000–12,000", "at least 17,000", "denies"
    speaker: str  # the speaker, or "unsourced"
    relay: str | None
    stated_at: datetime
    url: str | None
    disagreements: tuple[Disagreement, ...]  # those this figure brought, as the newer claim
    is_new: bool  # recorded (or first found in conflict) after ``since``

    @property
    def claim_id(self) -> int:
        return self.claim.id

    @property
    def numbers(self) -> tuple[float, ...]:
        """The numbers it states (none for a denial or a multiple)."""
        return stated_numbers(self.claim.claim)

    @property
    def revision_of(self) -> Disagreement | None:
        """The speaker's earlier figure this one replaces, if it is a revision."""
        return next((d for d in self.disagreements if d.kind is ConflictKind.REVISION), None)


@dataclass(frozen=True, slots=True)
class Spread:
    low: float
    high: float

    @property
    def ratio(self) -> float:
        return self.high / self.low if self.low > 0 else 0.0

    @property
    def text(self) -> str:
        """ "1,500 to 12,000: ×8"; "3,000 to 3,300" when the ratio says nothing."""
        span = _("%(low)s to %(high)s", low=number(self.low), high=number(self.high))
        ratio = self.ratio
        return _("%(span)s: %(ratio)s", span=span, ratio=times(ratio)) if ratio >= 1.5 else span


@dataclass(frozen=True, slots=True)
class Dispute:
    """The claims on one quantity whose figures disagree; ``id`` is its oldest claim's id."""

    id: int
    topic_id: int
    topic: str
    quantity: str  # in words: "troops arrived in Russia", "people killed in Gaza"
    figures: tuple[Figure, ...]  # by value, lowest first; denials and multiples last
    conflicts: tuple[Conflict, ...]
    last_activity_at: datetime  # the newest conflict's detection

    @property
    def spread(self) -> Spread | None:
        """From the lowest figure stated to the highest; None with fewer than two numbers."""
        numbers = [n for figure in self.figures for n in figure.numbers if n > 0]
        if len(numbers) < 2 or min(numbers) == max(numbers):
            return None
        return Spread(min(numbers), max(numbers))

    @property
    def new_figures(self) -> tuple[Figure, ...]:
        return tuple(figure for figure in self.figures if figure.is_new)

    @property
    def newest_at(self) -> datetime:
        """When its newest figure was stated."""
        return max(figure.stated_at for figure in self.figures)

    @property
    def activity(self) -> tuple[int, int, datetime]:
        """What makes a dispute the most active: new figures, then figures, then recency."""
        return (len(self.new_figures), len(self.figures), self.last_activity_at)

    def figure(self, claim_id: int) -> Figure | None:
        return next((f for f in self.figures if f.claim_id == claim_id), None)

    def others_than(self, claim_ids: Iterable[int]) -> tuple[Figure, ...]:
        left_out = set(claim_ids)
        return tuple(f for f in self.figures if f.claim_id not in left_out)


def build_disputes(
    claims: Mapping[int, Claim],
    conflicts: Sequence[Conflict],
    urls: Mapping[int, str | None],
    *,
    since: datetime | None = None,
) -> list[Dispute]:
    """The disputes the ``conflicts`` make among ``claims`` (by id; a conflict whose claims are
    missing is left out), most recently active first. ``urls`` links claims by id; a figure is
    new when it was recorded after ``since``, or when a conflict it brought was found after it
    (None: every figure is new)."""
    known = [c for c in conflicts if c.claim_id in claims and c.other_claim_id in claims]
    groups = _components(known)
    disputes = [_dispute(members, claims, urls, since) for members in groups.values()]
    return sorted(disputes, key=lambda d: (d.last_activity_at, d.id), reverse=True)


def dispute_of(claim_id: int, disputes: Iterable[Dispute]) -> Dispute | None:
    return next((d for d in disputes if d.figure(claim_id) is not None), None)


def _components(conflicts: Sequence[Conflict]) -> dict[int, list[Conflict]]:
    """The conflicts grouped by connected component, keyed by the component's root claim."""
    parent: dict[int, int] = {}

    def root(claim_id: int) -> int:
        parent.setdefault(claim_id, claim_id)
        while parent[claim_id] != claim_id:
            parent[claim_id] = parent[parent[claim_id]]
            claim_id = parent[claim_id]
        return claim_id

    for conflict in conflicts:
        a, b = root(conflict.claim_id), root(conflict.other_claim_id)
        if a != b:
            parent[max(a, b)] = min(a, b)
    groups: dict[int, list[Conflict]] = {}
    for conflict in sorted(conflicts, key=lambda c: (c.detected_at, c.id)):
        groups.setdefault(root(conflict.claim_id), []).append(conflict)
    return groups


def _dispute(
    conflicts: list[Conflict],
    claims: Mapping[int, Claim],
    urls: Mapping[int, str | None],
    since: datetime | None,
) -> Dispute:
    ids = sorted({i for c in conflicts for i in (c.claim_id, c.other_claim_id)})
    members = [claims[i] for i in ids]
    figures = [_figure(claims[i], conflicts, claims, urls, since) for i in ids]
    first = members[0]
    return Dispute(
        id=first.id,
        topic_id=first.topic_id,
        topic=first.claim.topic,
        quantity=_quantity(members),
        figures=tuple(sorted(figures, key=_by_value)),
        conflicts=tuple(conflicts),
        last_activity_at=max(c.detected_at for c in conflicts),
    )


def _figure(
    claim: Claim,
    conflicts: Sequence[Conflict],
    claims: Mapping[int, Claim],
    urls: Mapping[int, str | None],
    since: datetime | None,
) -> Figure:
    brought = [c for c in conflicts if c.claim_id == claim.id]
    found_since = since is None or any(c.detected_at > since for c in brought)
    recorded_since = since is None or claim.recorded_at > since
    return Figure(
        claim=claim,
        value=format_value(claim.claim),
        speaker=claim.claim.speaker or UNSOURCED,
        relay=claim.claim.relay,
        stated_at=claim.stated_at,
        url=urls.get(claim.id),
        disagreements=tuple(_disagreement(c, claims[c.other_claim_id]) for c in brought),
        is_new=recorded_since or (found_since and bool(brought)),
    )


def _disagreement(conflict: Conflict, other: Claim) -> Disagreement:
    return Disagreement(
        kind=conflict.kind,
        other_claim_id=other.id,
        other_value=format_value(other.claim),
        other_speaker=other.claim.speaker or UNSOURCED,
        other_stated_at=other.stated_at,
    )


def _by_value(figure: Figure) -> tuple[int, float, datetime, int]:
    numbers = figure.numbers
    if not numbers or figure.claim.claim.modifier is Modifier.RATIO:
        return (1, 0.0, figure.stated_at, figure.claim_id)
    return (0, min(numbers), figure.stated_at, figure.claim_id)


def _quantity(members: Sequence[Claim]) -> str:
    """The quantity most of the dispute's assertions are about, in words."""
    asserted = [c for c in members if c.claim.polarity is Polarity.ASSERTS] or list(members)
    measures = Counter((c.claim.measure, c.claim.scope) for c in asserted)
    (measure, scope), _count = measures.most_common(1)[0]
    return quantity_words(measure, scope)


def stated_numbers(claim: NewClaim) -> tuple[float, ...]:
    if claim.polarity is Polarity.DENIES or claim.modifier is Modifier.RATIO:
        return ()
    return tuple(n for n in (claim.low, claim.value, claim.high) if n is not None)


def bound_of(claim: NewClaim) -> str | None:
    """ "above" for "at least"/"more than", "below" for "up to"/"at most"/"less than"."""
    if claim.modifier in _LOWER_BOUNDS:
        return "above"
    if claim.modifier in _UPPER_BOUNDS:
        return "below"
    return None


def number(value: float) -> str:
    """ "1,500", "2.5" in English; "1 500", "2,5" in Russian and Ukrainian."""
    return format_number(value)


def times(ratio: float) -> str:
    """8.0 -> "×8", 2.5 -> "×2.5", 13.3 -> "×13": the sign of a multiple claim's figure, the
    same in every language."""
    if ratio >= 10:
        return f"×{format_integer(round(ratio))}"
    return f"×{format_number(round(ratio, 1))}"
