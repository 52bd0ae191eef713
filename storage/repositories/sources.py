"""Sources and their scheduling state: what is due, who holds the lease, how the last fetch went."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from storage.errors import DuplicateError, NotFoundError
from storage.orm import ItemRow, SourceRow, as_utc, as_utc_or_none
from storage.records import NewSource, Source, SourceHealth, SourceKind, SourceStatus


def to_source(row: SourceRow) -> Source:
    return Source(
        id=row.id,
        url=row.url,
        name=row.name,
        kind=SourceKind(row.kind),
        title=row.title,
        interval=timedelta(seconds=row.interval_seconds),
        status=SourceStatus(row.status),
        created_at=as_utc(row.created_at),
        next_check_at=as_utc(row.next_check_at),
        last_checked_at=as_utc_or_none(row.last_checked_at),
        last_success_at=as_utc_or_none(row.last_success_at),
        error_count=row.error_count,
        last_error=row.last_error,
        failing_since=as_utc_or_none(row.failing_since),
        etag=row.etag,
        last_modified=row.last_modified,
        added_by_chat_id=row.added_by_chat_id,
    )


class SourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self._session = session

    async def add(self, new: NewSource, now: datetime) -> Source:
        """Add a source, due at once. DuplicateError if its URL is already a source.

        ``new.added_by_chat_id`` records which group's admins added it (None: the operator).
        """
        if await self._row_by_url(new.url) is not None:
            raise DuplicateError("source", new.url)
        row = SourceRow(**_new_row(new, now))
        self._session.add(row)
        await self._session.flush()
        return to_source(row)

    async def ensure(self, new: NewSource, now: datetime) -> tuple[Source, bool]:
        """The source with this URL, added if missing; True when it was added.

        A source that has moved since (a permanent redirect, a feed discovered on a web page) is
        still found by the address it was added as, so a sources file can be re-read at every start.
        """
        found = await self._session.scalars(
            select(SourceRow).where(or_(SourceRow.url == new.url, SourceRow.added_as == new.url))
        )
        row = found.first()
        if row is not None:
            return to_source(row), False
        return await self.add(new, now), True

    async def ensure_many(self, news: Sequence[NewSource], now: datetime) -> int:
        """``ensure`` for many sources at once (an OPML import); returns how many were added.

        A few statements whatever the count (one ``ensure`` each took 20,000 round trips): the
        addresses on record are read once, the new sources inserted in one batch. A URL given
        twice is added once.
        """
        known = await self._session.execute(select(SourceRow.url, SourceRow.added_as))
        taken = {address for row in known for address in row if address is not None}
        rows: dict[str, dict[str, Any]] = {}
        for new in news:
            if new.url not in taken and new.url not in rows:
                rows[new.url] = _new_row(new, now)
        if rows:
            await self._session.execute(insert(SourceRow), list(rows.values()))
        return len(rows)

    async def get(self, source_id: int) -> Source | None:
        row = await self._session.get(SourceRow, source_id)
        return None if row is None else to_source(row)

    async def get_by_url(self, url: str) -> Source | None:
        row = await self._row_by_url(url)
        return None if row is None else to_source(row)

    async def list_health(self) -> list[SourceHealth]:
        """Every source with its item count, in id order (one query)."""
        counts = (
            select(SourceRow, func.count(ItemRow.id))
            .outerjoin(ItemRow, ItemRow.source_id == SourceRow.id)
            .group_by(SourceRow.id)
            .order_by(SourceRow.id)
        )
        result = await self._session.execute(counts)
        return [SourceHealth(source=to_source(row), items=count) for row, count in result]

    async def display_names(self) -> dict[int, str]:
        """Every source's name as a digest shows it, by id: without ``list_health``'s count of
        items, which reads the whole items table."""
        query = select(SourceRow.id, SourceRow.name, SourceRow.title, SourceRow.url)
        result = await self._session.execute(query)
        return {id_: name or title or url for id_, name, title, url in result}

    async def remove(self, source_id: int) -> bool:
        """Remove a source with its items (the foreign keys cascade); False if there was none."""
        row = await self._session.get(SourceRow, source_id)
        if row is None:
            return False
        await self._session.delete(row)
        await self._session.flush()
        return True

    async def lease_due(
        self,
        now: datetime,
        limit: int | None,
        lease_for: timedelta,
        owner: str,
        *,
        due_or_not: bool = False,
    ) -> list[Source]:
        """Lease up to ``limit`` (None: all) due sources to ``owner`` until ``now + lease_for``.

        Due: not paused, next_check_at reached (``due_or_not``: whenever it is), lease free or
        expired. A lease always ends ``lease_for`` after ``now``, so the sources of a worker
        that dies are due again then. On PostgreSQL the candidates are locked with SKIP LOCKED,
        so concurrent workers never lease the same source; SQLite runs the single UPDATE under
        its one-writer lock.
        """
        due = (
            select(SourceRow.id)
            .where(
                SourceRow.status != SourceStatus.PAUSED.value,
                or_(SourceRow.lease_until.is_(None), SourceRow.lease_until <= now),
            )
            .order_by(SourceRow.next_check_at, SourceRow.id)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
        if not due_or_not:
            due = due.where(SourceRow.next_check_at <= now)
        leased = await self._session.scalars(
            update(SourceRow)
            .where(SourceRow.id.in_(due.scalar_subquery()))
            .values(lease_owner=owner, lease_until=now + lease_for)
            .returning(SourceRow)
            .execution_options(populate_existing=True)
        )
        sources = [to_source(row) for row in leased.all()]
        return sorted(sources, key=lambda source: (source.next_check_at, source.id))

    async def record_success(
        self,
        source_id: int,
        now: datetime,
        *,
        next_check_at: datetime,
        etag: str | None,
        last_modified: str | None,
        kind: SourceKind | None = None,
        title: str | None = None,
        item_errors: str | None = None,
    ) -> Source:
        """A fetch worked: errors cleared, status active, lease released. ``item_errors``
        (items stored without their analysis) becomes ``last_error``, counted as no error."""
        row = await self._row(source_id)
        _mark_healthy(row, now, next_check_at)
        row.last_error = item_errors
        row.etag, row.last_modified = etag, last_modified
        if kind is not None:
            row.kind = kind.value
        if title is not None:
            row.title = title
        return to_source(row)

    async def record_not_modified(
        self, source_id: int, now: datetime, next_check_at: datetime
    ) -> Source:
        """The server answered 304: a success that changes nothing else."""
        row = await self._row(source_id)
        _mark_healthy(row, now, next_check_at)
        return to_source(row)

    async def record_failure(
        self,
        source_id: int,
        now: datetime,
        *,
        error: str,
        next_check_at: datetime,
        pause: bool = False,
    ) -> Source:
        """A fetch failed: counted, the first failure's time kept, lease released."""
        row = await self._row(source_id)
        row.error_count += 1
        row.last_error = error
        row.failing_since = row.failing_since or now
        row.status = (SourceStatus.PAUSED if pause else SourceStatus.FAILING).value
        row.last_checked_at = now
        row.next_check_at = next_check_at
        _release(row)
        return to_source(row)

    async def postpone(self, source_id: int, next_check_at: datetime) -> Source:
        """Release the lease and check again later, counting nothing (our network was down)."""
        row = await self._row(source_id)
        row.next_check_at = next_check_at
        _release(row)
        return to_source(row)

    async def move(self, source_id: int, new_url: str) -> Source:
        """Follow a permanent redirect. DuplicateError if another source has that URL."""
        row = await self._row(source_id)
        other = await self._row_by_url(new_url)
        if other is not None and other.id != source_id:
            raise DuplicateError("source", new_url)
        row.url = new_url
        return to_source(row)

    async def pause(self, source_id: int) -> Source:
        row = await self._row(source_id)
        row.status = SourceStatus.PAUSED.value
        return to_source(row)

    async def resume(self, source_id: int, now: datetime) -> Source:
        """Active and due at once, with a fresh error count (the pause rule counts anew)."""
        row = await self._row(source_id)
        row.status = SourceStatus.ACTIVE.value
        row.next_check_at = now
        row.error_count = 0
        row.failing_since = None
        return to_source(row)

    async def count_by_status(self) -> dict[SourceStatus, int]:
        """How many sources each status has, every status present."""
        result = await self._session.execute(
            select(SourceRow.status, func.count()).group_by(SourceRow.status)
        )
        counts = dict.fromkeys(SourceStatus, 0)
        for status, count in result:
            counts[SourceStatus(status)] = count
        return counts

    async def count_added_by(self, chat_id: int) -> int:
        """How many sources the chat added (one count over sources, no item read)."""
        count = await self._session.scalar(
            select(func.count()).select_from(SourceRow).where(SourceRow.added_by_chat_id == chat_id)
        )
        return count or 0

    async def count_due(self, now: datetime) -> int:
        """Sources waiting to be fetched: not paused and ``next_check_at`` reached (leased or
        not, so a fetch in progress still counts)."""
        count = await self._session.scalar(
            select(func.count())
            .select_from(SourceRow)
            .where(SourceRow.status != SourceStatus.PAUSED.value, SourceRow.next_check_at <= now)
        )
        return count or 0

    async def _row(self, source_id: int) -> SourceRow:
        row = await self._session.get(SourceRow, source_id)
        if row is None:
            raise NotFoundError("source", source_id)
        return row

    async def _row_by_url(self, url: str) -> SourceRow | None:
        found = await self._session.scalars(select(SourceRow).where(SourceRow.url == url))
        return found.one_or_none()


def _mark_healthy(row: SourceRow, now: datetime, next_check_at: datetime) -> None:
    row.status = SourceStatus.ACTIVE.value
    row.error_count = 0
    row.last_error = None
    row.failing_since = None
    row.last_checked_at = now
    row.last_success_at = now
    row.next_check_at = next_check_at
    _release(row)


def _release(row: SourceRow) -> None:
    row.lease_owner = None
    row.lease_until = None


def _new_row(new: NewSource, now: datetime) -> dict[str, Any]:
    """The columns of a source just added: due at once, no errors."""
    return {
        "url": new.url,
        "added_as": new.url,
        "name": new.name,
        "kind": new.kind.value,
        "interval_seconds": int(new.interval.total_seconds()),
        "status": SourceStatus.ACTIVE.value,
        "created_at": now,
        "next_check_at": now,
        "error_count": 0,
        "added_by_chat_id": new.added_by_chat_id,
    }
