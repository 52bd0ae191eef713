"""Ingestion, top to bottom: lease due sources, retrieve each, store what is new, in one poll.

    lease due sources  ->  retrieve (fetch + normalize), many at once, bounded globally and
    per host  ->  one transaction per source: new items, edits, analysis, scheduling state

Items a source pushes (posts of a channel the bot administers) take the same store-and-analyze
path through ``add_pushed``, without touching the source's schedule.

An expected failure (a dead feed) is a recorded outcome, never an exception that stops the
poll. Each item is analysed under a savepoint: an item whose analysis fails (any exception)
is stored without its analysis, the others of the source keep theirs, and the failure is the
source's ``last_error`` (not counted as a failed fetch: the feed itself was fine). When every
source of a poll fails to connect at all, the network is ours: the sources are postponed
without counting a failure and the poll as a whole backs off.
"""

from __future__ import annotations

import asyncio
import logging
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from urllib.parse import urlsplit

from bot.ingest import schedule
from bot.ingest.retrieval import Failed, NotModified, Outcome, Retrieved, Retriever
from storage.db import Database, Transaction
from storage.errors import DuplicateError, StorageError
from storage.records import AddedItems, Item, NewItem, NewSource, Source

log = logging.getLogger(__name__)

# Called inside the source's transaction for each item just stored, so analysis results
# commit (or roll back) together with the items.
Analyze = Callable[[Transaction, Source, Item], Awaitable[None]]
Clock = Callable[[], datetime]
ITEM_ERRORS_NAMED = 3  # in a source's last_error; the rest are counted


class Result(StrEnum):
    NEW = "new"  # fetched, with new or edited items
    UNCHANGED = "unchanged"  # fetched (or 304), nothing new
    FAILED = "failed"
    POSTPONED = "postponed"  # our network was down: not counted against the source


@dataclass(frozen=True, slots=True)
class SourceReport:
    source_id: int
    name: str
    result: Result
    new_items: int = 0
    edited_items: int = 0
    reason: str | None = None
    item_errors: tuple[str, ...] = ()  # items not stored, or stored without their analysis


@dataclass(frozen=True, slots=True)
class StoredItems:
    """What a source's transaction stored: the items, and why some were not stored or not
    analysed."""

    added: AddedItems
    failures: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PollReport:
    sources: tuple[SourceReport, ...]
    network_down: bool = False

    def count(self, result: Result) -> int:
        return sum(report.result is result for report in self.sources)

    @property
    def new_items(self) -> int:
        return sum(report.new_items for report in self.sources)


@dataclass(frozen=True, slots=True)
class IngestLimits:
    concurrency: int = 16  # sources fetched at once
    per_host: int = 2  # of those, at most this many on one host
    batch: int = 200  # sources leased by one poll
    lease_for: timedelta = timedelta(minutes=10)


@dataclass
class Ingestor:
    db: Database
    retriever: Retriever
    clock: Clock
    worker: str = "claimwatch"
    limits: IngestLimits = field(default_factory=IngestLimits)
    analyze: Analyze | None = None
    on_progress: Callable[[SourceReport], None] | None = None
    _outages: int = 0
    _writing: asyncio.Lock = field(default_factory=asyncio.Lock)

    async def poll(self, *, every: bool = False) -> PollReport:
        """Fetch the due sources once (or, with ``every``, each source that is not paused, due
        or not, however many).

        Every fetch sends the source's stored validators, ``every`` too: a feed unchanged since
        answers 304, recorded as a success with nothing new. Outcomes are stored as they
        arrive, except connection failures: those wait for the end of the poll, which decides
        whether the sources failed or the network did.
        """
        now = self.clock()
        async with self.db.transaction() as tx:
            sources = await tx.sources.lease_due(
                now,
                None if every else self.limits.batch,
                self.limits.lease_for,
                self.worker,
                due_or_not=every,
            )
        if not sources:
            return PollReport(())
        settled = await self._fetch_and_store(sources)
        reports = [item for item in settled if isinstance(item, SourceReport)]
        unreachable = [item for item in settled if not isinstance(item, SourceReport)]
        if len(unreachable) == len(sources) > 1:
            return await self._postpone_all(sources)
        if self._outages:
            log.info("sources can be reached again: the network is back")
        self._outages = 0
        for source, failed in unreachable:
            reports.append(await self.record(source, failed))
        return PollReport(tuple(reports))

    async def _fetch_and_store(
        self, sources: Sequence[Source]
    ) -> list[SourceReport | tuple[Source, Failed]]:
        everything = asyncio.Semaphore(self.limits.concurrency)
        hosts: defaultdict[str, asyncio.Semaphore] = defaultdict(
            lambda: asyncio.Semaphore(self.limits.per_host)
        )

        async def one(source: Source) -> SourceReport | tuple[Source, Failed]:
            async with everything, hosts[urlsplit(source.url).hostname or source.url]:
                outcome = await self.retriever.retrieve(
                    source.url,
                    now=self.clock(),
                    etag=source.etag,
                    last_modified=source.last_modified,
                    first_time=source.last_success_at is None,
                )
            if isinstance(outcome, Failed) and outcome.connection_level:
                return source, outcome
            return await self.record(source, outcome)

        return list(await asyncio.gather(*(one(source) for source in sources)))

    async def _postpone_all(self, sources: Sequence[Source]) -> PollReport:
        """Every source failed to connect: postpone them all, uncounted, and say so once, in
        one line (a first run on a machine without network shows that line, not 30 errors);
        the polls that follow while it lasts say it at DEBUG only."""
        self._outages += 1
        wait = schedule.network_backoff(self._outages)
        minutes = max(1, round(wait.total_seconds() / 60))
        log.log(
            logging.WARNING if self._outages == 1 else logging.DEBUG,
            "no source could be reached (%d tried): no network? claimwatch keeps running and "
            "retries in %d min",
            len(sources), minutes,
        )  # fmt: skip
        later = self.clock() + wait
        async with self.db.transaction() as tx:
            for source in sources:
                await tx.sources.postpone(source.id, later)
        reports = tuple(
            SourceReport(s.id, s.display_name, Result.POSTPONED, reason="network down")
            for s in sources
        )
        return PollReport(reports, network_down=True)

    async def record(
        self, source: Source, outcome: Retrieved | NotModified | Failed
    ) -> SourceReport:
        """Store one retrieval's outcome: items and analysis, or the failure and its backoff.

        A database error storing it is the source's failure (counted, with its backoff) when
        that much can still be stored; never an exception. One source's transaction at a
        time: SQLite has a single writer, and a transaction left waiting while the event loop
        parses other feeds would hold that lock for everyone.
        """
        async with self._writing:
            try:
                return await self._record(source, outcome)
            except StorageError as exc:
                log.error("source %d: could not store its outcome: %s", source.id, exc)
                return await self._record_storage_error(source, f"database: {exc}")
            except Exception as exc:  # a bug met by one source is not every source's
                log.exception("source %d: storing its outcome failed", source.id)
                return await self._record_storage_error(source, f"{type(exc).__name__}: {exc}")

    async def _record_storage_error(self, source: Source, reason: str) -> SourceReport:
        failed = Failed(reason[:500])
        try:
            async with self.db.transaction() as tx:
                report = await self._apply_failure(tx, source, failed, self.clock())
        except StorageError as again:  # the database is gone: its lease expires, the poll goes on
            log.error("source %d: could not record the failure either: %s", source.id, again)
            report = SourceReport(
                source.id, source.display_name, Result.FAILED, reason=failed.reason
            )
        if self.on_progress is not None:
            self.on_progress(report)
        return report

    async def find_source(self, url: str) -> Source | None:
        """The source stored under ``url`` (see ``retrieval.source_address``), if any."""
        async with self.db.transaction() as tx:
            return await tx.sources.get_by_url(url)

    async def add_pushed(self, source: Source, items: Sequence[NewItem]) -> SourceReport:
        """Store items the source pushed (a channel's posts sent to the bot) and analyze them.

        The same path as a fetched item, under the same writing lock; the source's schedule is
        left alone: its next fetch still reads whatever was not pushed.
        """
        async with self._writing, self.db.transaction() as tx:
            stored = await self._add_items(tx, source, items, self.clock())
        return _stored(source, stored)

    async def add_source(self, new: NewSource, outcome: Outcome, *, added_at: datetime) -> Source:
        """Add a source together with its first fetch's outcome, in one transaction: when any
        of it cannot be stored, nothing is (the StorageError, or DuplicateError, is raised).
        Items the database refuses one by one, or whose analysis fails, are left out alone."""
        async with self._writing:
            async with self.db.transaction() as tx:
                source = await tx.sources.add(new, added_at)
                await self._apply(tx, source, outcome, self.clock())
            await self._after_applied(source, outcome)
        return source

    async def _record(self, source: Source, outcome: Outcome) -> SourceReport:
        now = self.clock()
        async with self.db.transaction() as tx:
            report = await self._apply(tx, source, outcome, now)
        await self._after_applied(source, outcome)
        if self.on_progress is not None:
            self.on_progress(report)
        return report

    async def _apply(
        self, tx: Transaction, source: Source, outcome: Outcome, now: datetime
    ) -> SourceReport:
        """Store an outcome in ``tx``: items and analysis, or the failure and its backoff."""
        if isinstance(outcome, Failed):
            return await self._apply_failure(tx, source, outcome, now)
        if isinstance(outcome, NotModified):
            next_at = schedule.after_success(now, source.interval, *outcome.hints)
            await tx.sources.record_not_modified(source.id, now, next_at)
            return SourceReport(source.id, source.display_name, Result.UNCHANGED)
        next_at = schedule.after_success(now, source.interval, *outcome.hints)
        stored = await self._add_items(tx, source, outcome.items, now)
        await tx.sources.record_success(
            source.id, now, next_check_at=next_at, etag=outcome.etag,
            last_modified=outcome.last_modified, kind=outcome.kind, title=outcome.title,
            item_errors=_item_errors(stored.failures),
        )  # fmt: skip
        return _stored(source, stored)

    async def _apply_failure(
        self, tx: Transaction, source: Source, failed: Failed, now: datetime
    ) -> SourceReport:
        check = schedule.after_failure(
            now,
            source.interval,
            consecutive_errors=source.error_count + 1,
            failing_since=source.failing_since,
            retry_after=failed.retry_after,
            gone=failed.gone,
        )
        await tx.sources.record_failure(
            source.id, now, error=failed.reason, next_check_at=check.at, pause=check.pause
        )
        if check.pause:
            log.warning("source %d (%s) paused: %s", source.id, source.url, failed.reason)
        else:
            log.info("source %d (%s) failed: %s", source.id, source.url, failed.reason)
        return SourceReport(source.id, source.display_name, Result.FAILED, reason=failed.reason)

    async def _after_applied(self, source: Source, outcome: Outcome) -> None:
        """What follows a stored fetch outside its transaction: a move, a note."""
        if isinstance(outcome, Retrieved):
            await self._follow_move(source, outcome)
            if outcome.note:
                log.info("source %d: %s", source.id, outcome.note)

    async def _add_items(
        self, tx: Transaction, source: Source, items: Sequence[NewItem], now: datetime
    ) -> StoredItems:
        """New and edited items; each new one analysed in the same transaction."""
        added, refused = await _add_each(tx, source, items, now)
        if self.analyze is None:
            return StoredItems(added, refused)
        return StoredItems(
            added, refused + await _analyze_each(self.analyze, tx, source, added.new)
        )

    async def _follow_move(self, source: Source, retrieved: Retrieved) -> None:
        if not retrieved.moved_to or retrieved.moved_to == source.url:
            return
        try:
            async with self.db.transaction() as tx:
                await tx.sources.move(source.id, retrieved.moved_to)
            log.info("source %d moved: %s -> %s", source.id, source.url, retrieved.moved_to)
        except DuplicateError:
            log.warning(
                "source %d moved to %s, which is already another source; keeping %s",
                source.id, retrieved.moved_to, source.url,
            )  # fmt: skip


async def _add_each(
    tx: Transaction, source: Source, items: Sequence[NewItem], now: datetime
) -> tuple[AddedItems, tuple[str, ...]]:
    """Store the items in one go; if the database refuses that, one by one (each under a
    savepoint), so an item it refuses loses only itself. Why the refused ones were."""
    try:
        async with tx.savepoint():
            return await tx.items.add_new(source.id, items, now), ()
    except Exception as exc:  # any: the one by one below finds the item that failed
        log.warning("source %d: storing its items failed (%s); one by one", source.id, exc)
    new: list[Item] = []
    edited: list[Item] = []
    refused: list[str] = []
    for item in items:
        try:
            async with tx.savepoint():
                added = await tx.items.add_new(source.id, [item], now)
        except Exception as exc:  # whatever refuses one item is that item's
            refused.append(f"item {item.guid!r}: not stored: {exc}"[:300])
            continue
        new.extend(added.new)
        edited.extend(added.edited)
    return AddedItems(new, edited), tuple(refused)


async def _analyze_each(
    analyze: Analyze, tx: Transaction, source: Source, items: Sequence[Item]
) -> tuple[str, ...]:
    """Analyse items one by one, each under a savepoint: one item's failure undoes only its
    own analysis. Why the failed ones failed."""
    failures: list[str] = []
    for item in items:
        try:
            async with tx.savepoint():
                await analyze(tx, source, item)
        except Exception as exc:  # any failure of one item is that item's, not the feed's
            reason = f"item {item.guid!r}: analysis failed: {type(exc).__name__}: {exc}"
            log.warning("source %d: %s", source.id, reason[:500])
            log.debug("source %d: item %d failed so", source.id, item.id, exc_info=True)
            failures.append(reason[:300])
    return tuple(failures)


def _stored(source: Source, stored: StoredItems) -> SourceReport:
    added = stored.added
    result = Result.NEW if added.new or added.edited else Result.UNCHANGED
    return SourceReport(
        source.id, source.display_name, result, len(added.new), len(added.edited),
        item_errors=stored.failures,
    )  # fmt: skip


def _item_errors(failures: Sequence[str]) -> str | None:
    """The source's last_error after a fetch that worked but some items' analysis did not."""
    if not failures:
        return None
    named = "; ".join(failures[:ITEM_ERRORS_NAMED])
    more = len(failures) - ITEM_ERRORS_NAMED
    return named + (f"; and {more} more items" if more > 0 else "")
