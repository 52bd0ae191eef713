"""The claims ledger and the conflicts found between its claims."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from sqlalchemy import ColumnElement, and_, delete, or_, select
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

# Claims carry their topic's name (NewClaim.topic), so every read joins it in.
_WITH_TOPIC_NAME = select(ClaimRow, TopicRow.name).join(TopicRow, TopicRow.id == ClaimRow.topic_id)


def to_claim(row: ClaimRow, topic_name: str) -> Claim:
    return Claim(
        id=row.id,
        topic_id=row.topic_id,
        item_id=row.item_id,
        origin=ClaimOrigin(row.origin),
        stated_at=as_utc(row.stated_at),
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
    ) -> Claim:
        """Record a claim. The caller resolved ``claim.topic`` (a name) to ``topic_id``."""
        topic = await self._session.get(TopicRow, topic_id)
        if topic is None:
            raise NotFoundError("topic", topic_id)
        row = ClaimRow(
            topic_id=topic_id,
            item_id=item_id,
            origin=origin.value,
            stated_at=stated_at,
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

    async def list_conflicts(self, topic_ids: Collection[int] | None = None) -> list[Conflict]:
        """Conflicts, newest first; with ``topic_ids``, those about these topics."""
        query = select(ConflictRow).order_by(ConflictRow.detected_at.desc(), ConflictRow.id.desc())
        if topic_ids is not None:
            query = query.join(ClaimRow, ClaimRow.id == ConflictRow.claim_id).where(
                ClaimRow.topic_id.in_(list(topic_ids))
            )
        return [to_conflict(row) for row in await self._session.scalars(query)]

    async def list(
        self, topic_ids: Collection[int] | None = None, limit: int | None = None
    ) -> list[Claim]:
        """Claims, most recently stated first; with ``topic_ids``, those about these topics."""
        query = _WITH_TOPIC_NAME.order_by(ClaimRow.stated_at.desc(), ClaimRow.id.desc())
        if topic_ids is not None:
            query = query.where(ClaimRow.topic_id.in_(list(topic_ids)))
        if limit is not None:
            query = query.limit(limit)
        return [to_claim(*found) for found in (await self._session.execute(query))]


def _pair(claim_id: int, other_claim_id: int) -> ColumnElement[bool]:
    return or_(
        and_(ConflictRow.claim_id == claim_id, ConflictRow.other_claim_id == other_claim_id),
        and_(ConflictRow.claim_id == other_claim_id, ConflictRow.other_claim_id == claim_id),
    )
