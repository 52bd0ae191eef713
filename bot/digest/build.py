"""Building a chat's digest and alerts: pure, from records the caller loaded for one window.

A digest covers the window (``since``, ``until``] of arrival time, topic by topic, in the chat's
topic order. Each topic section lists, in this priority:

1. conflicts detected in the window (the quantity, both values with speaker, date and link, the
   kind and the reason); a revision (the same speaker changed its figure) is a ledger change;
2. ledger changes: the claims recorded in the window that no conflict above already shows, as a
   new figure, a revision, a denial or an unsourced claim;
3. stories: the window's items on the topic, clustered across sources, most covered first.

``size`` caps the entries of the whole digest in that priority (every conflict before any
change, every change before any story, stories by coverage across topics); ``more`` counts the
entries cut. An alert is the same conflict entries for a batch of new conflicts.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.analysis.stories import Story, cluster_stories
from bot.analysis.wording import MODIFIER_WORDS
from storage.records import Claim, Conflict, ConflictKind, Item, Modifier, NewClaim, Polarity, Topic

UNSOURCED = "unsourced"


class ChangeKind(StrEnum):
    NEW_FIGURE = "new figure"
    REVISION = "revision"
    DENIAL = "denial"
    UNSOURCED = "unsourced"


@dataclass(frozen=True, slots=True)
class ClaimSide:
    """A claim as a digest line shows it: value, who said it (and who relayed it), when, link."""

    claim_id: int
    value: str  # format_value(): "about 1,500", "10,000–12,000", "×3", "denies"
    speaker: str  # the speaker, or "unsourced"
    relay: str | None
    stated_at: datetime
    url: str | None


@dataclass(frozen=True, slots=True)
class ConflictEntry:
    """Two reports of one quantity that cannot both be true. ``reported`` is the newer claim,
    ``on_record`` the one it contradicts."""

    conflict_id: int
    topic_id: int
    topic: str
    measure: str
    scope: str
    reported: ClaimSide
    on_record: ClaimSide
    kind: ConflictKind
    reason: str
    detected_at: datetime

    @property
    def quantity(self) -> str:
        """What is counted: "troops arrived in Russia"."""
        return f"{self.measure} {self.scope}".strip()


@dataclass(frozen=True, slots=True)
class LedgerChange:
    """A claim recorded in the window; ``previous`` is the figure a revision replaces."""

    kind: ChangeKind
    claim: Claim
    side: ClaimSide
    previous: ClaimSide | None = None

    @property
    def quantity(self) -> str:
        return f"{self.claim.claim.measure} {self.claim.claim.scope}".strip()


@dataclass(frozen=True, slots=True)
class TopicSection:
    topic: str
    conflicts: tuple[ConflictEntry, ...]
    changes: tuple[LedgerChange, ...]
    stories: tuple[Story, ...]

    @property
    def entries(self) -> int:
        return len(self.conflicts) + len(self.changes) + len(self.stories)


@dataclass(frozen=True, slots=True)
class Digest:
    """One chat's digest of the window (``since``, ``until``]; ``since`` is None for a chat's
    first. Sections with nothing to show are left out; ``more`` entries were cut by the cap."""

    sections: tuple[TopicSection, ...]
    more: int
    since: datetime | None
    until: datetime

    @property
    def is_empty(self) -> bool:
        return self.more == 0 and not any(section.entries for section in self.sections)


@dataclass(frozen=True, slots=True)
class Alert:
    """New conflicts on a chat's topics, oldest first, sent at once."""

    conflicts: tuple[ConflictEntry, ...]

    @property
    def is_empty(self) -> bool:
        return not self.conflicts


def build_digest(
    topics: Sequence[Topic],
    *,
    since: datetime | None,
    until: datetime,
    items: Sequence[Item],
    item_topics: Mapping[int, Collection[int]],
    source_names: Mapping[int, str],
    claims: Sequence[Claim],
    conflicts: Sequence[Conflict],
    conflict_claims: Mapping[int, Claim],
    claim_items: Mapping[int, Item],
    size: int,
) -> Digest:
    """The digest of one chat.

    ``items`` were first seen in the window and ``item_topics`` maps each item id to the ids of
    the topics it mentions; ``claims`` were recorded in the window; ``conflicts`` were detected
    in it, and ``conflict_claims`` holds every claim they name (by id); ``claim_items`` holds the
    items claims came from (by id), for links. Only ``topics`` (the chat's) are shown.
    """
    links = _Links(claim_items, items)
    entries = _conflict_entries(conflicts, conflict_claims, topics, links)
    disputes = [e for e in entries if e.kind is not ConflictKind.REVISION]
    revisions = {e.reported.claim_id: e for e in entries if e.kind is ConflictKind.REVISION}
    changes = _changes(topics, claims, disputes, revisions, conflict_claims, links)
    stories = _stories_by_topic(topics, items, item_topics, source_names)
    return _capped(topics, disputes, changes, stories, size=size, since=since, until=until)


def build_alert(
    conflicts: Sequence[Conflict],
    claims: Mapping[int, Claim],
    items: Mapping[int, Item],
    topics: Sequence[Topic],
) -> Alert:
    """The alert for a batch of new ``conflicts``: those on ``topics`` (the chat's), oldest
    first. ``claims`` holds every claim they name (by id), ``items`` the items claims came from."""
    return Alert(tuple(_conflict_entries(conflicts, claims, topics, _Links(items, ()))))


def format_value(claim: NewClaim) -> str:
    """A claim's figure as people write it: "about 1,500", "10,000–12,000", "at least 17,000",
    "×3", "denies"."""
    if claim.polarity is Polarity.DENIES:
        return "denies"
    if claim.modifier is Modifier.RATIO:
        return f"×{_number(claim.value)}" if claim.value is not None else "a multiple"
    prefix = MODIFIER_WORDS.get(claim.modifier, "")
    if claim.low is not None and claim.high is not None and claim.low != claim.high:
        return f"{prefix}{_number(claim.low)}–{_number(claim.high)}"
    value = next((v for v in (claim.value, claim.low, claim.high) if v is not None), None)
    return f"{prefix}{_number(value)}" if value is not None else "no figure"


def _number(value: float) -> str:
    if value == int(value):
        return f"{value:,.0f}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")


class _Links:
    """The link of a claim: the URL of the item it came from, when there is one."""

    def __init__(self, claim_items: Mapping[int, Item], items: Iterable[Item]) -> None:
        self._urls = {item.id: item.url for item in items}
        self._urls.update((item_id, item.url) for item_id, item in claim_items.items())

    def of(self, claim: Claim) -> str | None:
        return self._urls.get(claim.item_id) if claim.item_id is not None else None


def _side(claim: Claim, links: _Links) -> ClaimSide:
    facts = claim.claim
    return ClaimSide(
        claim_id=claim.id,
        value=format_value(facts),
        speaker=facts.speaker or UNSOURCED,
        relay=facts.relay,
        stated_at=claim.stated_at,
        url=links.of(claim),
    )


def _conflict_entries(
    conflicts: Sequence[Conflict],
    claims: Mapping[int, Claim],
    topics: Sequence[Topic],
    links: _Links,
) -> list[ConflictEntry]:
    """Entries of the conflicts on ``topics``, by topic order, then oldest first. A conflict
    whose claims are missing (removed since) is left out."""
    topic_order = {topic.id: position for position, topic in enumerate(topics)}
    names = {topic.id: topic.name for topic in topics}
    entries: list[tuple[int, ConflictEntry]] = []
    for conflict in sorted(conflicts, key=lambda c: (c.detected_at, c.id)):
        reported, on_record = claims.get(conflict.claim_id), claims.get(conflict.other_claim_id)
        if reported is None or on_record is None or reported.topic_id not in topic_order:
            continue
        entry = ConflictEntry(
            conflict_id=conflict.id,
            topic_id=reported.topic_id,
            topic=names[reported.topic_id],
            measure=reported.claim.measure,
            scope=reported.claim.scope or on_record.claim.scope,
            reported=_side(reported, links),
            on_record=_side(on_record, links),
            kind=conflict.kind,
            reason=conflict.reason,
            detected_at=conflict.detected_at,
        )
        entries.append((topic_order[reported.topic_id], entry))
    return [entry for _, entry in sorted(entries, key=lambda pair: pair[0])]


def _changes(
    topics: Sequence[Topic],
    claims: Sequence[Claim],
    disputes: Sequence[ConflictEntry],
    revisions: Mapping[int, ConflictEntry],
    conflict_claims: Mapping[int, Claim],
    links: _Links,
) -> list[LedgerChange]:
    """The claims recorded in the window on ``topics`` that no dispute shows, and the
    revisions detected in it, oldest first."""
    shown = {side.claim_id for e in disputes for side in (e.reported, e.on_record)}
    topic_ids = {topic.id for topic in topics}
    recorded = {claim.id: claim for claim in claims if claim.topic_id in topic_ids}
    for claim_id in revisions:
        if claim_id in conflict_claims:
            recorded.setdefault(claim_id, conflict_claims[claim_id])
    return [
        _change(claim, revisions.get(claim.id), links)
        for claim in sorted(recorded.values(), key=lambda c: (c.stated_at, c.id))
        if claim.id not in shown
    ]


def _change(claim: Claim, revision: ConflictEntry | None, links: _Links) -> LedgerChange:
    facts = claim.claim
    if facts.polarity is Polarity.DENIES:
        kind = ChangeKind.DENIAL
    elif revision is not None:
        kind = ChangeKind.REVISION
    elif facts.unsourced or not facts.speaker:
        kind = ChangeKind.UNSOURCED
    else:
        kind = ChangeKind.NEW_FIGURE
    previous = revision.on_record if revision is not None else None
    return LedgerChange(kind=kind, claim=claim, side=_side(claim, links), previous=previous)


def _stories_by_topic(
    topics: Sequence[Topic],
    items: Sequence[Item],
    item_topics: Mapping[int, Collection[int]],
    source_names: Mapping[int, str],
) -> dict[int, list[Story]]:
    return {
        topic.id: cluster_stories(
            [item for item in items if topic.id in item_topics.get(item.id, ())], source_names
        )
        for topic in topics
    }


def _capped(
    topics: Sequence[Topic],
    conflicts: list[ConflictEntry],
    changes: list[LedgerChange],
    stories: Mapping[int, list[Story]],
    *,
    size: int,
    since: datetime | None,
    until: datetime,
) -> Digest:
    """Keep ``size`` entries: conflicts first, then changes, then the most covered stories."""
    budget = max(size, 0)
    kept_conflicts = conflicts[:budget]
    kept_changes = changes[: budget - len(kept_conflicts)]
    budget -= len(kept_conflicts) + len(kept_changes)
    ranked = sorted(
        ((topic_id, n) for topic_id, found in stories.items() for n in range(len(found))),
        key=lambda key: _story_rank(stories[key[0]][key[1]]),
    )
    kept_stories = set(ranked[:budget])
    sections = []
    for topic in topics:
        section = TopicSection(
            topic=topic.name,
            conflicts=tuple(e for e in kept_conflicts if e.topic_id == topic.id),
            changes=tuple(c for c in kept_changes if c.claim.topic_id == topic.id),
            stories=tuple(
                story
                for n, story in enumerate(stories.get(topic.id, ()))
                if (topic.id, n) in kept_stories
            ),
        )
        if section.entries:
            sections.append(section)
    total = len(conflicts) + len(changes) + len(ranked)
    kept = len(kept_conflicts) + len(kept_changes) + len(kept_stories)
    return Digest(sections=tuple(sections), more=total - kept, since=since, until=until)


def _story_rank(story: Story) -> tuple[int, int, datetime]:
    return (-story.coverage, -len(story.items), story.first_seen_at)
