"""The claim ledger as a chat sees it: pages, search, one claim in full, adding and removing.

A chat sees the claims about the topics it follows (every topic until it has a list of its own,
and also before it subscribed); the command line (``chat_id`` None) sees every topic. Claims
that conflict are shown as their dispute, once: a page or a search lists disputes and the
claims in none, newest first. Claims added in a chat go through the same ledger as fetched
ones, so their conflicts are found and stored the same way.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from rapidfuzz import fuzz, process, utils

from bot.analysis import TopicMatch, interval
from bot.app.services import Services
from bot.digest.claim_line import quantity_of
from bot.digest.disputes import Dispute, dispute_of
from bot.digest.gather import DisputeRecords, gather_disputes
from bot.subscribers.tracking import find_topic
from storage.db import Database, Transaction
from storage.records import Claim, ClaimOrigin, Conflict, Item, Polarity, Topic

SEARCH_SCORE = 80.0  # rapidfuzz partial_ratio (0-100) a claim needs to be found
SUPPORTING_SHOWN = 5
SAME_TOPIC_LOOKED_AT = 500  # recent claims of a topic searched for supporting reports
LISTED_POOL = 2_000  # the most recent claims a listing groups into disputes

TopicFinder = Callable[[str], Sequence[TopicMatch]]  # the ledger's topic matcher


Listed = Dispute | Claim  # a dispute, or a claim in none


@dataclass(frozen=True, slots=True)
class ClaimGroup:
    """Listed together: one dispute, or the claims in none on one quantity of a topic."""

    topic: str
    quantity: str  # in words: "troops arrived in Russia"
    dispute: Dispute | None
    claims: tuple[Claim, ...] = ()  # those in no dispute, in the listing's order


@dataclass(frozen=True, slots=True)
class ClaimList:
    entries: list[Listed]  # newest statement first
    page: int = 0
    has_next: bool = False
    urls: Mapping[int, str | None] = field(default_factory=dict)  # claim id: its report

    @property
    def claims(self) -> list[Claim]:
        """Every claim listed, those of disputes included."""
        return [
            claim
            for entry in self.entries
            for claim in (
                [f.claim for f in entry.figures] if isinstance(entry, Dispute) else [entry]
            )
        ]

    @property
    def conflicts(self) -> list[Conflict]:
        """The conflicts of the disputes listed (a claim in none has none)."""
        return [c for entry in self.entries if isinstance(entry, Dispute) for c in entry.conflicts]

    def groups(self) -> list[ClaimGroup]:
        """Each dispute as a group of its own, and the claims in none grouped quantity by
        quantity (topic and what is counted), in order of first appearance."""
        groups: dict[tuple[str, str] | int, ClaimGroup] = {}
        for entry in self.entries:
            if isinstance(entry, Dispute):
                groups[entry.id] = ClaimGroup(entry.topic, entry.quantity, entry)
                continue
            key = (entry.claim.topic, quantity_of(entry.claim))
            so_far = groups[key].claims if key in groups else ()
            groups[key] = ClaimGroup(*key, dispute=None, claims=(*so_far, entry))
        return list(groups.values())


@dataclass(frozen=True, slots=True)
class ClaimDetails:
    claim: Claim
    item: Item | None  # the item it was extracted from
    source_name: str | None
    supporting: list[Claim]  # the same quantity, with values that agree
    conflicts: list[tuple[Conflict, Claim]]  # each with the other claim
    items: dict[int, Item]  # the items the supporting and conflicting claims come from
    dispute: Dispute | None = None  # the dispute the claim belongs to


class Addition(StrEnum):
    ADDED = "added"
    NO_TOPIC = "no topic"  # which of the chat's topics it is about could not be told
    NOT_PARSED = "not parsed"  # no figure or denial found in it


@dataclass(frozen=True, slots=True)
class ClaimAddition:
    outcome: Addition
    topic: str | None
    statement: str
    claim: Claim | None = None
    conflicts: tuple[tuple[Conflict, Claim], ...] = ()
    topic_names: tuple[str, ...] = ()  # the chat's topics, for an example when NO_TOPIC


class ClaimRemoval(StrEnum):
    REMOVED = "removed"
    NOT_FOUND = "not found"
    NOT_YOURS = "not yours"


async def claims_page(
    db: Database, chat_id: int | None, page: int, size: int, *, pool: int = LISTED_POOL
) -> ClaimList:
    """Page ``page`` (from 0) of the chat's disputes and undisputed claims, ``size`` entries a
    page, newest first (among the ``pool`` most recent claims)."""
    async with db.transaction() as tx:
        topic_ids = await chat_topic_ids(tx, chat_id)
        recent = await tx.claims.list(topic_ids, limit=pool)
        records = await gather_disputes(tx, [claim.id for claim in recent])
    entries = _entries(recent, _disputes(records, topic_ids))
    start = page * size
    shown = entries[start : start + size]
    return ClaimList(shown, page, len(entries) > start + size, _urls(records))


async def search_claims(
    db: Database, chat_id: int | None, text: str, *, pool: int, limit: int
) -> ClaimList:
    """The chat's claims whose sentence, speaker or measure reads like ``text``, best first,
    each claim of a dispute shown as its dispute."""
    async with db.transaction() as tx:
        topic_ids = await chat_topic_ids(tx, chat_id)
        candidates = await tx.claims.list(topic_ids, limit=pool)
        found = process.extract(
            text, [_searchable(c) for c in candidates], scorer=fuzz.partial_ratio,
            processor=utils.default_process, score_cutoff=SEARCH_SCORE, limit=limit,
        )  # fmt: skip
        claims = [candidates[index] for _, _, index in found]
        records = await gather_disputes(tx, [claim.id for claim in claims])
    entries = _entries(claims, _disputes(records, topic_ids), newest_first=False)
    return ClaimList(entries, urls=_urls(records))


async def claim_details(db: Database, claim_id: int) -> ClaimDetails | None:
    async with db.transaction() as tx:
        claim = await tx.claims.get(claim_id)
        if claim is None:
            return None
        item = await tx.items.get(claim.item_id) if claim.item_id is not None else None
        source = await tx.sources.get(item.source_id) if item is not None else None
        same_topic = await tx.claims.list([claim.topic_id], limit=SAME_TOPIC_LOOKED_AT)
        conflicts = await _with_other_claims(tx, claim.id, await tx.claims.conflicts_of(claim.id))
        supporting = [other for other in same_topic if _agree(claim, other)][:SUPPORTING_SHOWN]
        related = [*supporting, *(other for _, other in conflicts)]
        items = await tx.items.get_many({c.item_id for c in related if c.item_id is not None})
        records = await gather_disputes(tx, [claim.id])
    name = source.display_name if source is not None else None
    dispute = dispute_of(claim.id, _disputes(records, None))
    return ClaimDetails(claim, item, name, supporting, conflicts, items, dispute)


async def find_dispute(db: Database, chat_id: int, wanted: str) -> Dispute | None:
    """The dispute of the claim numbered ``wanted`` ("42", "#42"), or else of the best match
    among the chat's claims that reads like ``wanted`` and is disputed."""
    number = wanted.strip().removeprefix("#")
    if number.isascii() and number.isdigit():
        async with db.transaction() as tx:
            records = await gather_disputes(tx, [int(number)])
        return dispute_of(int(number), _disputes(records, None))
    found = await search_claims(db, chat_id, wanted, pool=LISTED_POOL, limit=SUPPORTING_SHOWN * 4)
    return next((entry for entry in found.entries if isinstance(entry, Dispute)), None)


async def add_chat_claim(
    services: Services, chat_id: int, text: str, *, added_by: int | None, now: datetime
) -> ClaimAddition:
    """Parse a statement made in a chat, store it as a claim and find its conflicts.

    The topic: ``<topic>: <statement>`` names it; else the chat's topic the statement mentions;
    else the chat's only topic.
    """
    ledger = services.ledger
    async with services.db.transaction() as tx:
        topics = await _chat_topics(tx, chat_id)
        names = tuple(t.name for t in topics)
        topic, statement = choose_topic(text, topics, ledger.analyzer.match_topics)
        if topic is None:
            return ClaimAddition(Addition.NO_TOPIC, None, statement, topic_names=names)
        stored, _ = await ledger.add_statement(tx, topic, statement, added_by=added_by, now=now)
        if stored is None:
            return ClaimAddition(Addition.NOT_PARSED, topic, statement, topic_names=names)
        conflicts = await _with_other_claims(tx, stored.id, await tx.claims.conflicts_of(stored.id))
    return ClaimAddition(Addition.ADDED, topic, statement, stored, tuple(conflicts), names)


async def remove_claim(
    services: Services,
    claim_id: int,
    *,
    user_id: int | None,
    any_claim: bool,
    chat_claims: bool,
) -> ClaimRemoval:
    """Remove a claim and its conflicts: one's own (added by ``user_id``), any with
    ``any_claim``, or with ``chat_claims`` any claim added in a chat."""
    async with services.db.transaction() as tx:
        claim = await tx.claims.get(claim_id)
        if claim is None:
            return ClaimRemoval.NOT_FOUND
        own = user_id is not None and claim.added_by == user_id
        added_in_chat = chat_claims and claim.origin is ClaimOrigin.CHAT
        if not (own or any_claim or added_in_chat):
            return ClaimRemoval.NOT_YOURS
        await tx.claims.remove(claim_id)
    services.ledger.forget_claim(claim_id)
    return ClaimRemoval.REMOVED


def choose_topic(
    text: str,
    topics: Sequence[Topic],
    match_topics: TopicFinder,
) -> tuple[str | None, str]:
    """Which of ``topics`` the statement ``text`` is about, and the statement itself."""
    prefix, colon, rest = text.partition(":")
    named = find_topic(prefix.strip(), topics) if colon and rest.strip() else None
    if named is not None:
        return named.name, rest.strip()
    names = {t.name for t in topics}
    for match in match_topics(text):
        if match.topic in names:
            return match.topic, text
    return (topics[0].name, text) if len(topics) == 1 else (None, text)


async def chat_topic_ids(tx: Transaction, chat_id: int | None) -> list[int] | None:
    """The topics a chat follows; every topic for a chat that never subscribed; None (every
    topic, those of no watchlist any more too) for the command line."""
    if chat_id is None:
        return None
    return [topic.id for topic in await _chat_topics(tx, chat_id)]


async def _chat_topics(tx: Transaction, chat_id: int) -> list[Topic]:
    if await tx.chats.get(chat_id) is None:
        return await tx.topics.list()
    return await tx.chats.topics_of(chat_id)


async def _with_other_claims(
    tx: Transaction, claim_id: int, conflicts: Collection[Conflict]
) -> list[tuple[Conflict, Claim]]:
    others = {_other(c, claim_id) for c in conflicts}
    claims = await tx.claims.get_many(others)
    return [(c, claims[_other(c, claim_id)]) for c in conflicts if _other(c, claim_id) in claims]


def _disputes(records: DisputeRecords, topic_ids: Collection[int] | None) -> list[Dispute]:
    """The disputes of the records on ``topic_ids`` (None: on any topic)."""
    return [d for d in records.disputes() if topic_ids is None or d.topic_id in topic_ids]


def _urls(records: DisputeRecords) -> dict[int, str | None]:
    """The address of the report each claim of the records comes from."""
    items = records.items
    return {
        claim.id: items[claim.item_id].url
        for claim in records.claims.values()
        if claim.item_id is not None and claim.item_id in items
    }


def _entries(
    claims: Sequence[Claim], disputes: Sequence[Dispute], *, newest_first: bool = True
) -> list[Listed]:
    """Each claim as itself, or as its dispute (once), in the claims' order or newest first."""
    entries: list[Listed] = []
    seen: set[int] = set()
    by_claim = {figure.claim_id: d for d in disputes for figure in d.figures}
    for claim in claims:
        dispute = by_claim.get(claim.id)
        if dispute is None:
            entries.append(claim)
        elif dispute.id not in seen:
            seen.add(dispute.id)
            entries.append(dispute)
    if newest_first:
        entries.sort(key=_newest, reverse=True)
    return entries


def _newest(entry: Listed) -> tuple[datetime, int]:
    if isinstance(entry, Dispute):
        return entry.newest_at, max(f.claim_id for f in entry.figures)
    return entry.stated_at, entry.id


def _other(conflict: Conflict, claim_id: int) -> int:
    return conflict.other_claim_id if conflict.claim_id == claim_id else conflict.claim_id


def _searchable(claim: Claim) -> str:
    facts = claim.claim
    return " ".join(filter(None, (facts.speaker, facts.relay, facts.measure, facts.sentence)))


def _agree(claim: Claim, other: Claim) -> bool:
    """Another report of the same quantity whose values overlap (or another denial)."""
    a, b = claim.claim, other.claim
    if other.id == claim.id or (a.measure, a.scope) != (b.measure, b.scope):
        return False
    if a.polarity is Polarity.DENIES or b.polarity is Polarity.DENIES:
        return a.polarity is b.polarity
    first, second = interval(a), interval(b)
    if first is None or second is None:
        return False
    return first[0] <= second[1] and second[0] <= first[1]
