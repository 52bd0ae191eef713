"""The outbox: messages written before they are sent and marked after (at most one resend)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import NotFoundError
from storage.orm import OutboxRow, as_utc, as_utc_or_none
from storage.records import OutboxKind, OutboxMessage

_PENDING = (OutboxRow.sent_at.is_(None), OutboxRow.dropped.is_(False))


def to_message(row: OutboxRow) -> OutboxMessage:
    return OutboxMessage(
        id=row.id,
        chat_id=row.chat_id,
        kind=OutboxKind(row.kind),
        text=row.text,
        created_at=as_utc(row.created_at),
        not_before_at=as_utc(row.not_before_at),
        attempts=row.attempts,
        sent_at=as_utc_or_none(row.sent_at),
        last_error=row.last_error,
    )


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self, chat_id: int, kind: OutboxKind, text: str, now: datetime
    ) -> OutboxMessage:
        """Write a message to send as soon as possible."""
        row = OutboxRow(
            chat_id=chat_id,
            kind=kind.value,
            text=text,
            created_at=now,
            not_before_at=now,
            attempts=0,
            dropped=False,
        )
        self._session.add(row)
        await self._session.flush()
        return to_message(row)

    async def due(self, now: datetime, limit: int) -> list[OutboxMessage]:
        """Unsent, not dropped messages whose time has come, oldest first."""
        query = (
            select(OutboxRow)
            .where(*_PENDING, OutboxRow.not_before_at <= now)
            .order_by(OutboxRow.not_before_at, OutboxRow.id)
            .limit(limit)
        )
        return [to_message(row) for row in await self._session.scalars(query)]

    async def mark_sent(self, message_id: int, now: datetime) -> None:
        row = await self._row(message_id)
        row.attempts += 1
        row.sent_at = now

    async def record_failure(self, message_id: int, error: str, retry_at: datetime) -> None:
        """A send failed for a reason that may pass (RetryAfter, a network error)."""
        row = await self._row(message_id)
        row.attempts += 1
        row.last_error = error
        row.not_before_at = retry_at

    async def drop(self, message_id: int, error: str) -> None:
        """Never send it (the chat is gone, the text was refused); kept for the record."""
        row = await self._row(message_id)
        row.attempts += 1
        row.last_error = error
        row.dropped = True

    async def count_pending(self) -> int:
        """Messages still to send, due or not."""
        count = await self._session.scalar(
            select(func.count()).select_from(OutboxRow).where(*_PENDING)
        )
        return count or 0

    async def _row(self, message_id: int) -> OutboxRow:
        row = await self._session.get(OutboxRow, message_id)
        if row is None:
            raise NotFoundError("outbox message", message_id)
        return row
