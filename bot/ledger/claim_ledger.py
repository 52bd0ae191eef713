"""The claim ledger kept in the database: the analysis of new items, persisted with them.

The analyzer compares against the ledger in memory (indexed by topic and measure) without
changing it. Decide, then apply: an item's claims and conflicts are stored in its transaction,
and its claims join the in-memory ledger only when that transaction commits, so the ledger and
the database always agree (a failed store leaves no claim behind in memory). In the ledger a
claim is named by its database id; a fresh claim of the item being stored by "item<id>#<n>".
Claims stored earlier in the same, uncommitted transaction are compared as ``pending``.

At start the ledger is rebuilt from the database, and the claims of the watchlist are compared
with the claims on record before them (each other included), storing the conflicts once.

Topics are the watchlist's plus those chats added with ``/track`` (kept in the database, so a
restart keeps matching them, and other workers on the same database pick them up with
``refresh_topics`` before each poll). A claim removed with ``/claims remove`` stays in the in-memory
index until the next restart, but no conflict with it is stored any more.
"""

from __future__ import annotations

import logging
import weakref
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from bot.analysis import Analysis, Analyzer, FoundConflict, Ledger, LedgerEntry
from bot.analysis.moments import DEFAULT_WINDOW
from bot.config.files import TopicSpec, Watchlist
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
    _topic_ids: dict[str, int] = field(default_factory=dict)
    _chat_topics: dict[str, TopicSpec] = field(default_factory=dict)  # by name
    _removed: set[int] = field(default_factory=set)  # claims.id removed since the start
    # Claims stored in a transaction not yet committed, compared with the next items in it.
    _pending: weakref.WeakKeyDictionary[Transaction, list[LedgerEntry]] = field(
        default_factory=weakref.WeakKeyDictionary
    )

    def __post_init__(self) -> None:
        self.analyzer = Analyzer(self.watchlist, Ledger(window=self.conflict_window))

    async def load(self, db: Database, now: datetime) -> None:
        """Sync the watchlist's topics and claims on record, compare the watchlist's claims
        with those before them, then rebuild the ledger (with the topics chats added)."""
        async with db.transaction() as tx:
            await tx.wait_for_other_seeders()
            await tx.topics.sync_watchlist(self.watchlist.topics)
            self._use_topics(await tx.topics.list())
            stored = await tx.claims.all_for_ledger()
            on_record = {c.claim.sentence for c in stored if c.origin is ClaimOrigin.WATCHLIST}
            for spec in self.watchlist.claims:
                claim = self.analyzer.claim_from_sentence(spec.topic, spec.text)
                if claim is None:
                    log.warning("watchlist claim states no figure or denial: %r", spec.text)
                elif claim.sentence not in on_record:
                    on_record.add(claim.sentence)
                    stored.append(await self._store(tx, claim, None, ClaimOrigin.WATCHLIST, now))
            ledger = await self._rebuild(tx, stored, now)
        self.analyzer.ledger = ledger
        log.info("claim ledger ready: %d topics, %d claims", len(self._topic_ids), len(stored))

    async def _rebuild(self, tx: Transaction, stored: Sequence[Claim], now: datetime) -> Ledger:
        """The ledger of ``stored`` (oldest first); each watchlist claim is compared with the
        claims before it and its conflicts stored (a pair on record already stays as it is,
        so a restart adds nothing)."""
        ledger = Ledger(window=self.conflict_window)
        for claim in stored:
            entry = LedgerEntry(str(claim.id), claim.claim, claim.stated_at, _timeless(claim))
            if claim.origin is ClaimOrigin.WATCHLIST:
                await self._store_conflicts(tx, ledger.record(entry), {}, now)
            else:
                ledger.add(entry)
        return ledger

    async def analyze_items(self, tx: Transaction, source: Source, added: AddedItems) -> None:
        """Mentions, claims and conflicts of newly stored items, in the same transaction."""
        for item in added.new:
            await self.analyze_item(tx, source, item)

    async def analyze_item(self, tx: Transaction, source: Source, item: Item) -> None:
        """Mentions, claims and conflicts of one newly stored item, in its transaction; its
        claims join the ledger once the transaction commits."""
        pending = self._pending.setdefault(tx, [])
        analysis = self.analyzer.analyze(
            item.text, item_ref=f"item{item.id}", stated_at=item.published_at,
            title=item.title, lang=item.lang, pending=pending,
        )  # fmt: skip
        entries = await self._store_analysis(tx, item, analysis)
        tx.after_commit(partial(self._put_on_record, entries))
        pending.extend(entries)

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

    def forget_claim(self, claim_id: int) -> None:
        """A claim was removed from the database: never store a conflict with it again."""
        self._removed.add(claim_id)

    async def add_statement(
        self, tx: Transaction, topic: str, sentence: str, *, added_by: int | None, now: datetime
    ) -> tuple[Claim | None, list[FoundConflict]]:
        """A claim stated in a chat (``/claims add``): parsed, stored and compared; on record
        once ``tx`` commits."""
        claim = self.analyzer.claim_from_sentence(topic, sentence)
        if claim is None:
            return None, []
        stored = await self._store(tx, claim, None, ClaimOrigin.CHAT, now, added_by)
        entry = LedgerEntry(str(stored.id), claim, now, timeless=True)  # the analyst's claim
        found = self.analyzer.ledger.conflicts_of_all([entry], pending=self._pending.get(tx, ()))
        conflicts = [c for c in found if _db_id(c.other_claim_id, {}) not in self._removed]
        await self._store_conflicts(tx, conflicts, {}, now)
        tx.after_commit(partial(self._put_on_record, [entry]))
        self._pending.setdefault(tx, []).append(entry)
        return stored, conflicts

    def _use_topics(self, topics: Sequence[Topic]) -> None:
        self._topic_ids = {topic.name: topic.id for topic in topics}
        self._chat_topics = {t.name: _spec(t) for t in topics if t.created_by_chat_id is not None}
        self._match_topics()

    def _chat_made(self) -> frozenset[tuple[int, TopicSpec]]:
        return frozenset((self._topic_ids[name], spec) for name, spec in self._chat_topics.items())

    def _match_topics(self) -> None:
        self.analyzer.set_topics([*self.watchlist.topics, *self._chat_topics.values()])

    async def _store_analysis(
        self, tx: Transaction, item: Item, analysis: Analysis
    ) -> list[LedgerEntry]:
        """Store an item's mentions, claims and conflicts; its claims as they go on record."""
        mentions = [
            Mention(item.id, self._topic_ids[m.topic], m.score, m.evidence)
            for m in analysis.topics
            if m.topic in self._topic_ids
        ]
        await tx.topics.add_mentions(mentions)
        fresh: dict[str, int] = {}  # "item<id>#<n>" -> claims.id
        for identified in analysis.claims:
            if identified.claim.topic not in self._topic_ids:
                continue  # a topic removed while the item was being stored
            stored = await self._store(
                tx, identified.claim, item.id, ClaimOrigin.ITEM, item.published_at,
                recorded_at=item.first_seen_at,
            )  # fmt: skip
            fresh[identified.claim_id] = stored.id
        await self._store_conflicts(tx, analysis.conflicts, fresh, item.first_seen_at)
        return [
            LedgerEntry(str(fresh[entry.claim_id]), entry.claim, entry.stated_at)
            for entry in analysis.entries
            if entry.claim_id in fresh
        ]

    def _put_on_record(self, entries: Sequence[LedgerEntry]) -> None:
        for entry in entries:
            self.analyzer.ledger.add(entry)

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
        self,
        tx: Transaction,
        conflicts: Sequence[FoundConflict],
        fresh: Mapping[str, int],
        now: datetime,
    ) -> None:
        for conflict in conflicts:
            new, old = _db_id(conflict.claim_id, fresh), _db_id(conflict.other_claim_id, fresh)
            if new is not None and old is not None and not {new, old} & self._removed:
                await tx.claims.add_conflict(new, old, conflict.kind, conflict.reason, now)


def _db_id(ledger_id: str, fresh: Mapping[str, int]) -> int | None:
    """The claims.id a ledger id names: a fresh claim's, or the id itself; None for a claim
    that was not stored (its topic was removed meanwhile)."""
    if ledger_id in fresh:
        return fresh[ledger_id]
    return int(ledger_id) if ledger_id.isdigit() else None


def _chat_made(topics: Sequence[Topic]) -> frozenset[tuple[int, TopicSpec]]:
    """What decides whether the matcher must be rebuilt: each chat-made topic's id and words."""
    return frozenset((t.id, _spec(t)) for t in topics if t.created_by_chat_id is not None)


def _spec(topic: Topic) -> TopicSpec:
    return TopicSpec(topic.name, topic.aliases, topic.exclude)


def _timeless(claim: Claim) -> bool:
    """The watchlist's claims and those added in chat are compared whatever the gap."""
    return claim.origin is not ClaimOrigin.ITEM
