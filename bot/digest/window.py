"""What the digests of one run of the digest job share, loaded once instead of once a chat.

Every chat of one digest time and timezone is due at the same run of the job, with the same
window (since its digest of the day before, until now), and most follow the same topics. The
items of a window are read once per topic (with their mentions), the stories of a topic's
items are clustered once (``SharedStories``), and the sources' names are read once. A chat gets
exactly what it would have read alone: the window's items that mention one of its topics,
oldest first, each with every topic it mentions. One ``SharedWindows`` lives for one run: what
arrives later is the next run's.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import datetime

from bot.digest.build import SharedStories
from storage.db import Transaction
from storage.records import Item


@dataclass
class _WindowItems:
    """The items of one window read so far: those of the topics in ``topics_read``."""

    items: dict[int, Item] = field(default_factory=dict)
    mentioned: defaultdict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    topics_read: set[int] = field(default_factory=set)


class SharedWindows:
    """The items, stories and source names the digests of one job run share."""

    def __init__(self) -> None:
        self.stories = SharedStories()
        self._windows: dict[tuple[datetime, datetime], _WindowItems] = {}
        self._names: dict[int, str] | None = None

    async def items(
        self, tx: Transaction, since: datetime, until: datetime, topic_ids: Collection[int]
    ) -> tuple[list[Item], dict[int, set[int]]]:
        """The items first seen in (since, until] that mention one of ``topic_ids``, oldest
        first, and the ids of the topics each mentions (by item id)."""
        window = self._windows.setdefault((since, until), _WindowItems())
        unread = set(topic_ids) - window.topics_read
        if unread:
            found = await tx.items.since_first_seen(since, unread, until=until)
            new = [item for item in found if item.id not in window.items]
            for mention in await tx.topics.mentions_of_items([item.id for item in new]):
                window.mentioned[mention.item_id].add(mention.topic_id)
            window.items.update((item.id, item) for item in new)
            window.topics_read |= unread
        wanted = set(topic_ids)
        items = sorted(
            (item for item in window.items.values() if window.mentioned[item.id] & wanted),
            key=lambda item: (item.first_seen_at, item.id),
        )
        return items, {item.id: set(window.mentioned[item.id]) for item in items}

    async def source_names(self, tx: Transaction) -> dict[int, str]:
        """Every source's display name, by id."""
        if self._names is None:
            self._names = await tx.sources.display_names()
        return self._names
