"""The claims ledger and the conflicts found between its claims."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, Select, and_, delete, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import NotFoundError
from storage.orm import ClaimRow, ConflictRow, TopicRow, as_utc
from storage.records import (
    Claim,
    ClaimOrigin,
    Conflict,
    ConflictKind,
    Modifier,
    NewClaim,
    Polarity,
)
from storage.repositories.batches import in_chunks

# Claims carry their topic's name (NewClaim.topic), so every read joins it in.
_WITH_TOPIC_NAME = select(ClaimRow, TopicRow.name).join(TopicRow, TopicRow.id == ClaimRow.topic_id)


def to_claim(row: ClaimRow, topic_name: str) -> Claim:
    return Claim(
        id=row.id,
        topic_id=row.topic_id,
        item_id=row.item_id,
        origin=ClaimOrigin(row.origin),
        stated_at=as_utc(row.stated_at),
        recorded_at=as_utc(row.recorded_at),
        claim=NewClaim(
            topic=topic_name,
            sentence=row.sentence,
            measure=row.measure,
            scope=row.scope,
            modifier=Modifier(row.modifier),
            polarity=Polarity(row.polarity),
            value=row.value,
            low=row.low,
            high=row.high,
            speaker=row.speaker,
            relay=row.relay,
            unsourced=row.unsourced,
        ),
        added_by=row.added_by,
    )


def to_conflict(row: ConflictRow) -> Conflict:
    return Conflict(
        id=row.id,
        claim_id=row.claim_id,
        other_claim_id=row.other_claim_id,
        kind=ConflictKind(row.kind),
        reason=row.reason,
        detected_at=as_utc(row.detected_at),
    )


class ClaimRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(
        self,
        claim: NewClaim,
        *,
        topic_id: int,
        item_id: int | None,
        origin: ClaimOrigin,
        stated_at: datetime,
        added_by: int | None = None,
        recorded_at: datetime | None = None,
    ) -> Claim:
        """Record a claim. The caller resolved ``claim.topic`` (a name) to ``topic_id``.

        ``recorded_at`` is when claimwatch learnt of it (digest windows use it); without it
        the claim counts as recorded when it was stated.
        """
        topic = await self._session.get(TopicRow, topic_id)
        if topic is None:
            raise NotFoundError("topic", topic_id)
        row = ClaimRow(
            topic_id=topic_id,
            item_id=item_id,
            origin=origin.value,
            stated_at=stated_at,
            recorded_at=stated_at if recorded_at is None else recorded_at,
            sentence=claim.sentence,
            measure=claim.measure,
            scope=claim.scope,
            modifier=claim.modifier.value,
            polarity=claim.polarity.value,
            value=claim.value,
            low=claim.low,
            high=claim.high,
            speaker=claim.speaker,
            relay=claim.relay,
            unsourced=claim.unsourced,
            added_by=added_by,
        )
        self._session.add(row)
        await self._session.flush()
        return to_claim(row, topic.name)

    async def get(self, claim_id: int) -> Claim | None:
        query = _WITH_TOPIC_NAME.where(ClaimRow.id == claim_id)
        found = (await self._session.execute(query)).one_or_none()
        return None if found is None else to_claim(*found)

    async def get_many(self, claim_ids: Collection[int]) -> dict[int, Claim]:
        """The claims with these ids, by id; ids with no claim are left out."""
        found: dict[int, Claim] = {}
        for chunk in in_chunks(sorted(set(claim_ids))):
            result = await self._session.execute(_WITH_TOPIC_NAME.where(ClaimRow.id.in_(chunk)))
            found.update((row.id, to_claim(row, name)) for row, name in result)
        return found

    async def recorded_between(
        self, after: datetime, until: datetime, topic_ids: Collection[int]
    ) -> list[Claim]:
        """Claims about these topics recorded in (after, until], oldest first: a digest window."""
        if not topic_ids:
            return []
        query = _WITH_TOPIC_NAME.where(
            ClaimRow.recorded_at > after,
            ClaimRow.recorded_at <= until,
            ClaimRow.topic_id.in_(list(topic_ids)),
        ).order_by(ClaimRow.recorded_at, ClaimRow.id)
        return [to_claim(*found) for found in (await self._session.execute(query))]

    async def remove(self, claim_id: int) -> bool:
        """Remove a claim and its conflicts; False if there was none."""
        removed = await self._session.scalars(
            delete(ClaimRow).where(ClaimRow.id == claim_id).returning(ClaimRow.id)
        )
        return removed.one_or_none() is not None

    async def all_for_ledger(self) -> list[Claim]:
        """Every claim, oldest statement first: to rebuild the in-memory conflict index."""
        query = _WITH_TOPIC_NAME.order_by(ClaimRow.stated_at, ClaimRow.id)
        return [to_claim(*found) for found in (await self._session.execute(query))]

    async def add_conflict(
        self, claim_id: int, other_claim_id: int, kind: ConflictKind, reason: str, now: datetime
    ) -> Conflict:
        """Record that ``claim_id`` contradicts ``other_claim_id``; a pair is recorded once
        (in either order), and recording it again returns the conflict on record."""
        existing = await self._session.scalars(
            select(ConflictRow).where(_pair(claim_id, other_claim_id))
        )
        row = existing.first()
        if row is None:
            row = ConflictRow(
                claim_id=claim_id,
                other_claim_id=other_claim_id,
                kind=kind.value,
                reason=reason,
                detected_at=now,
            )
            self._session.add(row)
            await self._session.flush()
        return to_conflict(row)

    async def conflicts_of(self, claim_id: int) -> list[Conflict]:
        """The conflicts this claim takes part in, on either side, oldest first."""
        query = (
            select(ConflictRow)
            .where(or_(ConflictRow.claim_id == claim_id, ConflictRow.other_claim_id == claim_id))
            .order_by(ConflictRow.detected_at, ConflictRow.id)
        )
        return [to_conflict(row) for row in await self._session.scalars(query)]

    async def conflicts_touching(self, claim_ids: Collection[int]) -> list[Conflict]:
        """The conflicts with one of these claims on either side, oldest first: a step of the
        walk that gathers a dispute (the claims joined by conflicts)."""
        found: dict[int, Conflict] = {}
        for chunk in in_chunks(sorted(set(claim_ids))):
            query = select(ConflictRow).where(
                or_(ConflictRow.claim_id.in_(chunk), ConflictRow.other_claim_id.in_(chunk))
            )
            found.update((row.id, to_conflict(row)) for row in await self._session.scalars(query))
        return sorted(found.values(), key=lambda c: (c.detected_at, c.id))

    async def list_conflicts(self, topic_ids: Collection[int] | None = None) -> list[Conflict]:
        """Conflicts, newest first; with ``topic_ids``, those about these topics."""
        query = select(ConflictRow).order_by(ConflictRow.detected_at.desc(), ConflictRow.id.desc())
        if topic_ids is not None:
            query = _about_topics(query, topic_ids)
        return [to_conflict(row) for row in await self._session.scalars(query)]

    async def conflicts_after(
        self, conflict_id: int | None, topic_ids: Collection[int], *, limit: int | None = None
    ) -> list[Conflict]:
        """Conflicts with an id above ``conflict_id`` (None: all) whose newer claim is about
        these topics, by id: the ones a chat has not yet considered for alerts."""
        query = _about_topics(select(ConflictRow), topic_ids).order_by(ConflictRow.id)
        if conflict_id is not None:
            query = query.where(ConflictRow.id > conflict_id)
        if limit is not None:
            query = query.limit(limit)
        return [to_conflict(row) for row in await self._session.scalars(query)]

    async def conflicts_detected_between(
        self, after: datetime, until: datetime, topic_ids: Collection[int]
    ) -> list[Conflict]:
        """Conflicts detected in (after, until] whose newer claim is about these topics,
        oldest first: a digest window."""
        query = (
            _about_topics(select(ConflictRow), topic_ids)
            .where(ConflictRow.detected_at > after, ConflictRow.detected_at <= until)
            .order_by(ConflictRow.detected_at, ConflictRow.id)
        )
        return [to_conflict(row) for row in await self._session.scalars(query)]

    async def max_conflict_id(self) -> int | None:
        """The newest conflict's id; None while there are none."""
        newest: int | None = await self._session.scalar(select(func.max(ConflictRow.id)))
        return newest

    async def list(
        self, topic_ids: Collection[int] | None = None, limit: int | None = None, offset: int = 0
    ) -> list[Claim]:
        """Claims, most recently stated first; with ``topic_ids``, those about these topics.

        ``offset`` skips that many first (a page of ``limit`` after it).
        """
        query = _WITH_TOPIC_NAME.order_by(ClaimRow.stated_at.desc(), ClaimRow.id.desc())
        if topic_ids is not None:
            query = query.where(ClaimRow.topic_id.in_(list(topic_ids)))
        if limit is not None:
            query = query.limit(limit)
        if offset:
            query = query.offset(offset)
        return [to_claim(*found) for found in (await self._session.execute(query))]


def _about_topics(query: Select[ConflictRow], topic_ids: Collection[int]) -> Select[ConflictRow]:
    """Conflicts whose newer claim (``claim_id``) is about one of ``topic_ids``."""
    return query.join(ClaimRow, ClaimRow.id == ConflictRow.claim_id).where(
        ClaimRow.topic_id.in_(list(topic_ids))
    )


def _pair(claim_id: int, other_claim_id: int) -> ColumnElement[bool]:
    return or_(
        and_(ConflictRow.claim_id == claim_id, ConflictRow.other_claim_id == other_claim_id),
        and_(ConflictRow.claim_id == other_claim_id, ConflictRow.other_claim_id == claim_id),
    )
