"""Adding, removing and resuming sources by hand: `claimwatch sources` and the chat's `/sources`.

A source is fetched once before it is stored, so a typo or a dead feed is refused with the
reason instead of failing quietly in the background; nothing is stored when that first fetch
fails (unless forced), nor when its items cannot be stored (the source and its first items are
one transaction; a StorageError then says why). What it turned out to be (kind, title, items)
is part of the answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from bot.app.services import Services
from bot.config.files import DEFAULT_INTERVAL
from bot.ingest.retrieval import Failed, Outcome, source_address
from storage.db import Database
from storage.errors import DuplicateError
from storage.records import NewSource, Source, SourceHealth, SourceStatus


@dataclass(frozen=True, slots=True)
class SourceAdded:
    source: Source  # as stored after its first fetch (it may have moved to a feed's address)
    outcome: Outcome


@dataclass(frozen=True, slots=True)
class SourceRefused:
    address: str
    reason: str
    duplicate: bool = False  # already a source (else: the first fetch failed)


class Removal(StrEnum):
    REMOVED = "removed"
    NOT_FOUND = "not found"
    NOT_YOURS = "not yours"  # added by the operator or by another group


async def add_source(
    services: Services,
    reference: str,
    *,
    now: datetime,
    name: str | None = None,
    interval: timedelta = DEFAULT_INTERVAL,
    force: bool = False,
    added_by_chat_id: int | None = None,
    most_per_chat: int | None = None,
    on_fetch: Callable[[str], None] | None = None,
) -> SourceAdded | SourceRefused:
    """Fetch ``reference`` once and store it with what the fetch found.

    A group (``added_by_chat_id``) may have added at most ``most_per_chat`` sources. ``on_fetch``
    is told the address just before the (possibly slow) fetch starts.
    """
    address = source_address(reference)
    async with services.db.transaction() as tx:
        if await tx.sources.get_by_url(address) is not None:
            return SourceRefused(address, "already a source", duplicate=True)
        if added_by_chat_id is not None and most_per_chat is not None:
            added = await tx.sources.count_added_by(added_by_chat_id)
            if added >= most_per_chat:
                return SourceRefused(
                    address, f"this chat has added {most_per_chat} sources, the most it may"
                )
    if on_fetch is not None:
        on_fetch(address)
    outcome = await services.retriever.retrieve(address, now=now, first_time=True)
    if isinstance(outcome, Failed) and not force:
        return SourceRefused(address, outcome.reason)
    new = NewSource(address, name=name, interval=interval, added_by_chat_id=added_by_chat_id)
    try:  # one transaction: a source whose first items cannot be stored is not added
        source = await services.ingestor.add_source(new, outcome, added_at=now)
    except DuplicateError:  # added meanwhile by someone else
        return SourceRefused(address, "already a source", duplicate=True)
    async with services.db.transaction() as tx:
        stored = await tx.sources.get(source.id)
    return SourceAdded(stored or source, outcome)


async def remove_source(
    services: Services, source_id: int, *, only_added_by: int | None = None
) -> Removal:
    """Remove a source with its items; with ``only_added_by``, only one that chat added."""
    async with services.db.transaction() as tx:
        source = await tx.sources.get(source_id)
        if source is None:
            return Removal.NOT_FOUND
        if only_added_by is not None and source.added_by_chat_id != only_added_by:
            return Removal.NOT_YOURS
        await tx.sources.remove(source_id)
    return Removal.REMOVED


async def list_sources(services: Services) -> list[SourceHealth]:
    async with services.db.transaction() as tx:
        return await tx.sources.list_health()


class Resumption(StrEnum):
    RESUMED = "resumed"
    NOT_PAUSED = "not paused"  # nothing to do: it is fetched already
    NOT_FOUND = "not found"
    NOT_YOURS = "not yours"  # added by the operator or by another group


async def resume_source(
    db: Database, source_id: int, *, now: datetime, only_added_by: int | None = None
) -> Resumption:
    """Fetch a paused source again from the next poll, its error count starting anew; with
    ``only_added_by``, only one that chat added."""
    async with db.transaction() as tx:
        source = await tx.sources.get(source_id)
        if source is None:
            return Resumption.NOT_FOUND
        if only_added_by is not None and source.added_by_chat_id != only_added_by:
            return Resumption.NOT_YOURS
        if source.status is not SourceStatus.PAUSED:
            return Resumption.NOT_PAUSED
        await tx.sources.resume(source_id, now)
    return Resumption.RESUMED
