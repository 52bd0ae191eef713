"""Building a chat's digest and alerts: pure, from records the caller loaded for one window.

A digest covers the window (``since``, ``until``] of arrival time, topic by topic, in the chat's
topic order. Each topic section lists, in this priority:

1. disputes active in the window (a conflict found in it): each once, however many pairs of
   claims conflict, with every figure by value, the spread, how each figure disagrees, and
   which figures are new;
2. ledger changes: the claims recorded in the window that no dispute above shows, as a new
   figure, a denial or an unsourced claim;
3. stories: the window's items on the topic, clustered across sources, most covered first.

``size`` caps the entries of the whole digest in that priority (every dispute before any
change, every change before any story, stories by coverage across topics); ``more`` counts the
entries cut. An alert is, for a batch of new conflicts, each dispute they touch with the
figures that are new in it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.analysis.stories import Story, cluster_stories
from bot.digest.claim_line import quantity_of
from bot.digest.disputes import Dispute, Figure, build_disputes
from storage.records import Claim, Conflict, Item, Polarity, Topic


class ChangeKind(StrEnum):
    NEW_FIGURE = "new figure"
    DENIAL = "denial"
    UNSOURCED = "unsourced"


@dataclass(frozen=True, slots=True)
class LedgerChange:
    """A claim recorded in the window that is in no dispute shown, with its report's link."""

    kind: ChangeKind
    claim: Claim
    url: str | None

    @property
    def quantity(self) -> str:
        return quantity_of(self.claim.claim)


@dataclass(frozen=True, slots=True)
class TopicSection:
    topic: str
    disputes: tuple[Dispute, ...]
    changes: tuple[LedgerChange, ...]
    stories: tuple[Story, ...]

    @property
    def entries(self) -> int:
        return len(self.disputes) + len(self.changes) + len(self.stories)


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

    @property
    def most_active(self) -> Dispute | None:
        """The dispute with the most new figures (then the most figures): the one to chart."""
        disputes = [d for section in self.sections for d in section.disputes]
        return max(disputes, key=lambda d: d.activity, default=None)


@dataclass(frozen=True, slots=True)
class AlertEntry:
    """A dispute a batch of conflicts touched, with the figures the batch brought into it."""

    dispute: Dispute
    new: tuple[Figure, ...]

    @property
    def on_record(self) -> tuple[Figure, ...]:
        return self.dispute.others_than(f.claim_id for f in self.new)


@dataclass(frozen=True, slots=True)
class Alert:
    """New figures in disputes on a chat's topics, by topic, sent at once."""

    entries: tuple[AlertEntry, ...]

    @property
    def is_empty(self) -> bool:
        return not self.entries


@dataclass(frozen=True, slots=True)
class TopicWindow:
    """What one topic can show in a window before a digest's cap: the disputes active in it
    (most recently active first), the ledger changes no dispute of it shows (oldest first) and
    its stories (most covered first). Nothing in it depends on a chat, so the digests of one
    job run build it once a topic and window (see ``bot.digest.window``)."""

    disputes: tuple[Dispute, ...]
    changes: tuple[LedgerChange, ...]
    stories: tuple[Story, ...]


def topic_windows(
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
) -> dict[int, TopicWindow]:
    """Each topic's window (by topic id).

    ``items`` were first seen in the window and ``item_topics`` maps each item id to the ids of
    the topics it mentions; ``claims`` were recorded in the window; ``conflicts`` are those of
    the disputes the window's conflicts belong to (older ones too: a dispute is shown whole),
    and ``conflict_claims`` holds every claim they name (by id); ``claim_items`` holds the
    items claims came from (by id), for links.
    """
    links = _Links(claim_items, items)
    topic_ids = {topic.id for topic in topics}
    disputes: defaultdict[int, list[Dispute]] = defaultdict(list)
    for dispute in build_disputes(
        conflict_claims, conflicts, links.of_claims(conflict_claims.values()), since=since
    ):
        if dispute.topic_id in topic_ids and _active(dispute, since, until):
            disputes[dispute.topic_id].append(dispute)
    shown = {figure.claim_id for found in disputes.values() for d in found for figure in d.figures}
    changes: defaultdict[int, list[LedgerChange]] = defaultdict(list)
    for change in _changes(topic_ids, claims, shown, links):
        changes[change.claim.topic_id].append(change)
    stories = _stories_by_topic(topics, items, item_topics, source_names)
    return {
        topic.id: TopicWindow(
            tuple(disputes[topic.id]), tuple(changes[topic.id]), tuple(stories[topic.id])
        )
        for topic in topics
    }


def digest_of(
    topics: Sequence[Topic],
    windows: Mapping[int, TopicWindow],
    *,
    since: datetime | None,
    until: datetime,
    size: int,
) -> Digest:
    """The digest of a chat following ``topics`` (only those are shown), from their windows
    (``topic_windows``), in the order one window of them all would give."""
    mine = [windows[topic.id] for topic in topics]
    disputes = sorted(
        (d for window in mine for d in window.disputes),
        key=lambda d: (d.last_activity_at, d.id),
        reverse=True,
    )
    changes = sorted(
        (c for window in mine for c in window.changes),
        key=lambda c: (c.claim.stated_at, c.claim.id),
    )
    stories = {topic.id: list(windows[topic.id].stories) for topic in topics}
    return _capped(topics, disputes, changes, stories, size=size, since=since, until=until)


def build_alert(
    new_conflicts: Sequence[Conflict],
    claims: Mapping[int, Claim],
    items: Mapping[int, Item],
    topics: Sequence[Topic],
    *,
    known_conflicts: Sequence[Conflict] = (),
) -> Alert:
    """The alert for a batch of ``new_conflicts`` on ``topics`` (the chat's): each dispute they
    touch, in topic order, with the figures they brought. ``known_conflicts`` are the other
    conflicts of those disputes, so the figures on record are shown too; ``claims`` holds every
    claim named (by id), ``items`` the items claims came from."""
    links = _Links(items, ())
    new_ids = {c.id for c in new_conflicts}
    every = {c.id: c for c in (*known_conflicts, *new_conflicts)}
    disputes = build_disputes(claims, list(every.values()), links.of_claims(claims.values()))
    order = {topic.id: n for n, topic in enumerate(topics)}
    entries = []
    for dispute in sorted(disputes, key=lambda d: (order.get(d.topic_id, 0), d.last_activity_at)):
        brought = {c.claim_id for c in dispute.conflicts if c.id in new_ids}
        if dispute.topic_id in order and brought:
            new = tuple(f for f in dispute.figures if f.claim_id in brought)
            entries.append(AlertEntry(dispute, new))
    return Alert(tuple(entries))


def _active(dispute: Dispute, since: datetime | None, until: datetime) -> bool:
    """A conflict of the dispute was found in the window."""
    return any(
        (since is None or conflict.detected_at > since) and conflict.detected_at <= until
        for conflict in dispute.conflicts
    )


class _Links:
    """The link of a claim: the URL of the item it came from, when there is one."""

    def __init__(self, claim_items: Mapping[int, Item], items: Iterable[Item]) -> None:
        self._urls = {item.id: item.url for item in items}
        self._urls.update((item_id, item.url) for item_id, item in claim_items.items())

    def of(self, claim: Claim) -> str | None:
        return self._urls.get(claim.item_id) if claim.item_id is not None else None

    def of_claims(self, claims: Iterable[Claim]) -> dict[int, str | None]:
        return {claim.id: self.of(claim) for claim in claims}


def _changes(
    topic_ids: Collection[int], claims: Sequence[Claim], shown: Collection[int], links: _Links
) -> list[LedgerChange]:
    """The claims recorded in the window on the chat's topics that no dispute shows, oldest
    first."""
    return [
        _change(claim, links)
        for claim in sorted(claims, key=lambda c: (c.stated_at, c.id))
        if claim.topic_id in topic_ids and claim.id not in shown
    ]


def _change(claim: Claim, links: _Links) -> LedgerChange:
    facts = claim.claim
    if facts.polarity is Polarity.DENIES:
        kind = ChangeKind.DENIAL
    elif facts.unsourced or not facts.speaker:
        kind = ChangeKind.UNSOURCED
    else:
        kind = ChangeKind.NEW_FIGURE
    return LedgerChange(kind=kind, claim=claim, url=links.of(claim))


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
    disputes: list[Dispute],
    changes: list[LedgerChange],
    stories: Mapping[int, list[Story]],
    *,
    size: int,
    since: datetime | None,
    until: datetime,
) -> Digest:
    """Keep ``size`` entries: disputes first (the most active first), then changes, then the
    most covered stories."""
    budget = max(size, 0)
    ranked_disputes = sorted(disputes, key=lambda d: d.activity, reverse=True)
    kept_disputes = {d.id for d in ranked_disputes[:budget]}
    kept_changes = changes[: budget - len(kept_disputes)]
    budget -= len(kept_disputes) + len(kept_changes)
    ranked = sorted(
        ((topic_id, n) for topic_id, found in stories.items() for n in range(len(found))),
        key=lambda key: _story_rank(stories[key[0]][key[1]]),
    )
    kept_stories = set(ranked[:budget])
    sections = []
    for topic in topics:
        section = TopicSection(
            topic=topic.name,
            disputes=tuple(
                d for d in ranked_disputes if d.topic_id == topic.id and d.id in kept_disputes
            ),
            changes=tuple(c for c in kept_changes if c.claim.topic_id == topic.id),
            stories=tuple(
                story
                for n, story in enumerate(stories.get(topic.id, ()))
                if (topic.id, n) in kept_stories
            ),
        )
        if section.entries:
            sections.append(section)
    total = len(disputes) + len(changes) + len(ranked)
    kept = len(kept_disputes) + len(kept_changes) + len(kept_stories)
    return Digest(sections=tuple(sections), more=total - kept, since=since, until=until)


def _story_rank(story: Story) -> tuple[int, int, datetime]:
    return (-story.coverage, -len(story.items), story.first_seen_at)
