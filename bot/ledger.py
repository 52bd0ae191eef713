"""The claim ledger kept in the database: the analysis of new items, persisted with them.

The analyzer holds the ledger in memory (indexed by topic and measure) and names claims with
strings: a stored claim by its database id, a fresh one as "item<id>#<n>". This module maps one
to the other, so conflicts are stored between database ids, and rebuilds the ledger at start.

Topics are the watchlist's plus those chats added with ``/track`` (kept in the database, so a
restart keeps matching them, and other workers on the same database pick them up with
``refresh_topics`` before each poll). A claim removed with ``/claims remove`` stays in the in-memory
index until the next restart, but no conflict with it is stored any more.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from bot.analysis import Analysis, Analyzer, FoundConflict, Ledger, LedgerEntry
from bot.analysis.moments import DEFAULT_WINDOW
from bot.config_files import TopicSpec, Watchlist
from storage.db import Database, Transaction
from storage.records import (
    AddedItems,
    Claim,
    ClaimOrigin,
    Item,
    Mention,
    NewClaim,
    Source,
    Topic,
)

log = logging.getLogger(__name__)


@dataclass
class ClaimLedger:
    watchlist: Watchlist
    conflict_window: timedelta | None = DEFAULT_WINDOW  # see bot/analysis/moments.py
    analyzer: Analyzer = field(init=False)
    _db_ids: dict[str, int] = field(default_factory=dict)  # ledger id -> claims.id
    _topic_ids: dict[str, int] = field(default_factory=dict)
    _chat_topics: dict[str, TopicSpec] = field(default_factory=dict)  # by name
    _removed: set[int] = field(default_factory=set)  # claims.id removed since the start

    def __post_init__(self) -> None:
        self.analyzer = Analyzer(self.watchlist, Ledger(window=self.conflict_window))

    async def load(self, db: Database, now: datetime) -> None:
        """Sync the watchlist's topics and claims on record, then rebuild the ledger (with
        the topics chats added)."""
        async with db.transaction() as tx:
            await tx.topics.sync_watchlist(self.watchlist.topics)
            self._use_topics(await tx.topics.list())
            stored = await tx.claims.all_for_ledger()
            on_record = {c.claim.sentence for c in stored if c.origin is ClaimOrigin.WATCHLIST}
            for spec in self.watchlist.claims:
                claim = self.analyzer.claim_from_sentence(spec.topic, spec.text)
                if claim is None:
                    log.warning("watchlist claim states no figure or denial: %r", spec.text)
                elif claim.sentence not in on_record:
                    stored.append(await self._store(tx, claim, None, ClaimOrigin.WATCHLIST, now))
        self.analyzer.ledger = Ledger(
            (LedgerEntry(str(c.id), c.claim, c.stated_at, _timeless(c)) for c in stored),
            window=self.conflict_window,
        )
        self._db_ids = {str(c.id): c.id for c in stored}
        log.info("claim ledger ready: %d topics, %d claims", len(self._topic_ids), len(stored))

    async def analyze_items(self, tx: Transaction, source: Source, added: AddedItems) -> None:
        """Mentions, claims and conflicts of newly stored items, in the same transaction."""
        for item in added.new:
            analysis = self.analyzer.analyze(
                item.text, item_ref=f"item{item.id}", stated_at=item.published_at,
                title=item.title, lang=item.lang,
            )  # fmt: skip
            await self._store_analysis(tx, item, analysis)

    async def refresh_topics(self, db: Database) -> bool:
        """Match the topics chats added or removed through other processes sharing the database.

        One query; the matcher is rebuilt only when the chat-made topics changed. Whether they had.
        """
        async with db.transaction() as tx:
            topics = await tx.topics.list()
        if _chat_made(topics) == self._chat_made():
            return False
        self._use_topics(topics)
        log.info("topics changed in the database: now matching %d", len(self._topic_ids))
        return True

    def add_topic(self, topic: Topic) -> None:
        """A topic a chat added (stored already): matched in every item analysed from now on."""
        self._topic_ids[topic.name] = topic.id
        self._chat_topics[topic.name] = _spec(topic)
        self._match_topics()

    def remove_topic(self, name: str) -> None:
        """Stop matching a topic a chat added (its stored claims stay in the index)."""
        if self._chat_topics.pop(name, None) is not None:
            self._topic_ids.pop(name, None)
            self._match_topics()

    def forget_claim(self, claim_id: int) -> None:
        """A claim was removed from the database: never store a conflict with it again."""
        self._removed.add(claim_id)

    async def add_statement(
        self, tx: Transaction, topic: str, sentence: str, *, added_by: int | None, now: datetime
    ) -> tuple[Claim | None, list[FoundConflict]]:
        """A claim stated in a chat (``/claims add``): parsed, stored and compared."""
        claim = self.analyzer.claim_from_sentence(topic, sentence)
        if claim is None:
            return None, []
        stored = await self._store(tx, claim, None, ClaimOrigin.CHAT, now, added_by)
        self._db_ids[str(stored.id)] = stored.id
        conflicts = self.analyzer.record(str(stored.id), claim, now)
        conflicts = [
            c for c in conflicts if self._db_ids.get(c.other_claim_id) not in self._removed
        ]
        await self._store_conflicts(tx, conflicts, now)
        return stored, conflicts

    def _use_topics(self, topics: Sequence[Topic]) -> None:
        self._topic_ids = {topic.name: topic.id for topic in topics}
        self._chat_topics = {t.name: _spec(t) for t in topics if t.created_by_chat_id is not None}
        self._match_topics()

    def _chat_made(self) -> frozenset[tuple[int, TopicSpec]]:
        return frozenset((self._topic_ids[name], spec) for name, spec in self._chat_topics.items())

    def _match_topics(self) -> None:
        self.analyzer.set_topics([*self.watchlist.topics, *self._chat_topics.values()])

    async def _store_analysis(self, tx: Transaction, item: Item, analysis: Analysis) -> None:
        mentions = [
            Mention(item.id, self._topic_ids[m.topic], m.score, m.evidence)
            for m in analysis.topics
            if m.topic in self._topic_ids
        ]
        await tx.topics.add_mentions(mentions)
        for identified in analysis.claims:
            if identified.claim.topic not in self._topic_ids:
                continue  # a topic removed while the item was being stored
            stored = await self._store(
                tx, identified.claim, item.id, ClaimOrigin.ITEM, item.published_at,
                recorded_at=item.first_seen_at,
            )  # fmt: skip
            self._db_ids[identified.claim_id] = stored.id
        await self._store_conflicts(tx, analysis.conflicts, item.first_seen_at)

    async def _store(
        self,
        tx: Transaction,
        claim: NewClaim,
        item_id: int | None,
        origin: ClaimOrigin,
        stated_at: datetime,
        added_by: int | None = None,
        *,
        recorded_at: datetime | None = None,
    ) -> Claim:
        """``recorded_at`` defaults to ``stated_at`` (a claim made now, in a chat or a file)."""
        return await tx.claims.add(
            claim, topic_id=self._topic_ids[claim.topic], item_id=item_id, origin=origin,
            stated_at=stated_at, added_by=added_by, recorded_at=recorded_at,
        )  # fmt: skip

    async def _store_conflicts(
        self, tx: Transaction, conflicts: list[FoundConflict], now: datetime
    ) -> None:
        for conflict in conflicts:
            new, old = (
                self._db_ids.get(conflict.claim_id),
                self._db_ids.get(conflict.other_claim_id),
            )
            if new is not None and old is not None and not {new, old} & self._removed:
                await tx.claims.add_conflict(new, old, conflict.kind, conflict.reason, now)


def _chat_made(topics: Sequence[Topic]) -> frozenset[tuple[int, TopicSpec]]:
    """What decides whether the matcher must be rebuilt: each chat-made topic's id and words."""
    return frozenset((t.id, _spec(t)) for t in topics if t.created_by_chat_id is not None)


def _spec(topic: Topic) -> TopicSpec:
    return TopicSpec(topic.name, topic.aliases, topic.exclude)


def _timeless(claim: Claim) -> bool:
    """The watchlist's claims and those added in chat are compared whatever the gap."""
    return claim.origin is not ClaimOrigin.ITEM
