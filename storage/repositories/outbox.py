"""The outbox: messages written before they are sent and marked after (at most one resend)."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
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
        thread_id=row.thread_id,
        photo=row.photo,
    )


class OutboxRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def enqueue(
        self,
        chat_id: int,
        kind: OutboxKind,
        text: str,
        now: datetime,
        *,
        thread_id: int | None = None,
        not_before_at: datetime | None = None,
        photo: bytes | None = None,
    ) -> OutboxMessage:
        """Write a message to send as soon as possible, or not before ``not_before_at``;
        ``thread_id`` is the forum topic of the chat to send it into; with ``photo`` (a PNG)
        the message is that picture, ``text`` its caption."""
        row = OutboxRow(
            chat_id=chat_id,
            kind=kind.value,
            text=text,
            created_at=now,
            not_before_at=now if not_before_at is None else not_before_at,
            attempts=0,
            dropped=False,
            thread_id=thread_id,
            photo=photo,
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

    async def lease_due(
        self,
        now: datetime,
        limit: int,
        lease_for: timedelta,
        *,
        only_chat_id: int | None = None,
        except_chat_id: int | None = None,
    ) -> list[OutboxMessage]:
        """Take up to ``limit`` due messages to send, hiding them from other senders until
        ``now + lease_for`` (a sender that dies sends them late, never loses them).

        On PostgreSQL the rows are locked with SKIP LOCKED, so two workers never take the same
        message; SQLite runs the single UPDATE under its one-writer lock. ``only_chat_id`` and
        ``except_chat_id`` keep a transport to the chats it reaches (the terminal chat, or not).
        """
        scope: list[ColumnElement[bool]] = []
        if only_chat_id is not None:
            scope.append(OutboxRow.chat_id == only_chat_id)
        if except_chat_id is not None:
            scope.append(OutboxRow.chat_id != except_chat_id)
        due = (
            select(OutboxRow.id)
            .where(*_PENDING, OutboxRow.not_before_at <= now, *scope)
            .order_by(OutboxRow.not_before_at, OutboxRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        leased = await self._session.scalars(
            update(OutboxRow)
            .where(OutboxRow.id.in_(due.scalar_subquery()))
            .values(not_before_at=now + lease_for)
            .returning(OutboxRow)
            .execution_options(populate_existing=True)
        )
        return sorted((to_message(row) for row in leased.all()), key=lambda m: m.id)

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

    async def count_created_since(self, chat_id: int, kind: OutboxKind, since: datetime) -> int:
        """Messages of this kind written for the chat at or after ``since``, sent or not:
        what a rate limit ("at most N alerts an hour") counts."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(OutboxRow)
            .where(
                OutboxRow.chat_id == chat_id,
                OutboxRow.kind == kind.value,
                OutboxRow.created_at >= since,
            )
        )
        return count or 0

    async def pending_summary(self) -> dict[OutboxKind, int]:
        """Messages still to send, by kind, every kind present."""
        result = await self._session.execute(
            select(OutboxRow.kind, func.count()).where(*_PENDING).group_by(OutboxRow.kind)
        )
        counts = dict.fromkeys(OutboxKind, 0)
        for kind, count in result:
            counts[OutboxKind(kind)] = count
        return counts

    async def oldest_pending_at(self) -> datetime | None:
        """When the oldest message still to send was written; None if none is waiting."""
        oldest = await self._session.scalar(select(func.min(OutboxRow.created_at)).where(*_PENDING))
        return as_utc_or_none(oldest)

    async def failed_recently(self, since: datetime) -> int:
        """Messages written at or after ``since`` that failed and were not delivered: dropped,
        or unsent with a failed attempt on record (a retry that later worked is not counted)."""
        failed = or_(
            OutboxRow.dropped.is_(True),
            and_(
                OutboxRow.sent_at.is_(None),
                OutboxRow.attempts > 0,
                OutboxRow.last_error.is_not(None),
            ),
        )
        count = await self._session.scalar(
            select(func.count()).select_from(OutboxRow).where(failed, OutboxRow.created_at >= since)
        )
        return count or 0

    async def _row(self, message_id: int) -> OutboxRow:
        row = await self._session.get(OutboxRow, message_id)
        if row is None:
            raise NotFoundError("outbox message", message_id)
        return row
