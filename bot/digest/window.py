"""What the digests of one run of the digest job share, loaded and built once, not once a chat.

Every chat of one digest time and timezone is due at the same run of the job, with the same
window (since its digest of the day before, until now), and most follow the same topics. What a
topic shows in a window depends on nothing of a chat (``bot.digest.build.TopicWindow``: its
active disputes, ledger changes and stories), so it is read and built once a topic and window:
the window's items with their mentions, claims and disputes are read for the topics no chat
before asked for (an item on two topics is read once), their stories clustered, and the
sources' names read once. A chat's digest is then its topics' windows, capped:
exactly what it would get alone. One ``SharedWindows`` lives for one run: what arrives later
is the next run's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from bot.analysis.story_features import LEAD_CHARS
from bot.digest.build import TopicWindow, topic_windows
from bot.digest.gather import claim_ids_of, gather_disputes
from storage.db import Transaction
from storage.records import Item, Topic


@dataclass
class _Window:
    """One window's records read so far, and the topic windows built from them."""

    items: dict[int, Item] = field(default_factory=dict)
    mentioned: defaultdict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    built: dict[int, TopicWindow] = field(default_factory=dict)


class SharedWindows:
    """The topic windows and source names the digests of one job run share."""

    def __init__(self) -> None:
        self._windows: dict[tuple[datetime, datetime], _Window] = {}
        self._names: dict[int, str] | None = None

    async def topic_windows(
        self, tx: Transaction, topics: Sequence[Topic], since: datetime, until: datetime
    ) -> dict[int, TopicWindow]:
        """The windows (since, until] of these topics, by topic id: those no digest of this run
        asked for yet are read and built now."""
        window = self._windows.setdefault((since, until), _Window())
        unread = [topic for topic in topics if topic.id not in window.built]
        if unread:
            window.built.update(await self._build(tx, window, unread, since, until))
        return {topic.id: window.built[topic.id] for topic in topics}

    async def _build(
        self, tx: Transaction, window: _Window, topics: Sequence[Topic], since: datetime,
        until: datetime,
    ) -> dict[int, TopicWindow]:  # fmt: skip
        topic_ids = [topic.id for topic in topics]
        items, item_topics = await self._items(tx, window, since, until, topic_ids)
        claims = await tx.claims.recorded_between(since, until, topic_ids)
        found = await tx.claims.conflicts_detected_between(since, until, topic_ids)
        disputes = await gather_disputes(tx, claim_ids_of(found))
        claim_items = disputes.items | await tx.items.get_many(
            {c.item_id for c in claims if c.item_id is not None}
        )
        return topic_windows(
            topics, since=since, until=until, items=items, item_topics=item_topics,
            source_names=await self.source_names(tx), claims=claims,
            conflicts=disputes.conflicts, conflict_claims=disputes.claims,
            claim_items=claim_items,
        )  # fmt: skip

    async def _items(
        self, tx: Transaction, window: _Window, since: datetime, until: datetime,
        topic_ids: Collection[int],
    ) -> tuple[list[Item], dict[int, set[int]]]:  # fmt: skip
        """The items first seen in (since, until] that mention one of ``topic_ids``, oldest
        first, and the ids of the topics each mentions (by item id); the mentions of an item
        another topic read before are not read again. Of each text, only what clustering
        reads (``LEAD_CHARS``): the window's items are shown as stories, never as texts."""
        found = await tx.items.since_first_seen(
            since, topic_ids, until=until, text_chars=LEAD_CHARS
        )
        new = [item for item in found if item.id not in window.items]
        for mention in await tx.topics.mentions_of_items([item.id for item in new]):
            window.mentioned[mention.item_id].add(mention.topic_id)
        window.items.update((item.id, item) for item in new)
        items = [window.items[item.id] for item in found]
        return items, {item.id: set(window.mentioned[item.id]) for item in items}

    async def source_names(self, tx: Transaction) -> dict[int, str]:
        """Every source's display name, by id."""
        if self._names is None:
            self._names = await tx.sources.display_names()
        return self._names
