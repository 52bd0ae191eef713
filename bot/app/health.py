"""How the running bot is doing, for its admins' /status: sources, outbox, chats, digests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.app.services import Services
from storage.records import OutboxKind, Source, SourceStatus

RECENT_FAILURES = timedelta(hours=24)
WORST_SHOWN = 5


@dataclass(frozen=True, slots=True)
class Health:
    sources_by_status: dict[SourceStatus, int]
    sources_due: int
    worst_sources: list[Source]  # failing or paused, most errors first
    outbox_pending: dict[OutboxKind, int]
    outbox_oldest_pending_at: datetime | None
    outbox_failed_recently: int  # messages that failed in the last RECENT_FAILURES
    active_chats: int
    last_digest_at: datetime | None


@dataclass(frozen=True, slots=True)
class Watched:
    sources: int  # of every status
    topics: int


async def count_watched(services: Services) -> Watched:
    """How many sources and topics the bot watches, for the terminal chat's greeting."""
    async with services.db.transaction() as tx:
        sources = sum((await tx.sources.count_by_status()).values())
        return Watched(sources, len(await tx.topics.list()))


async def collect_health(services: Services, now: datetime) -> Health:
    async with services.db.transaction() as tx:
        rows = await tx.sources.list_health()
        return Health(
            sources_by_status=await tx.sources.count_by_status(),
            sources_due=await tx.sources.count_due(now),
            worst_sources=_worst([row.source for row in rows]),
            outbox_pending=await tx.outbox.pending_summary(),
            outbox_oldest_pending_at=await tx.outbox.oldest_pending_at(),
            outbox_failed_recently=await tx.outbox.failed_recently(now - RECENT_FAILURES),
            active_chats=await tx.chats.count_active(),
            last_digest_at=await tx.chats.last_digest_run(),
        )


def _worst(sources: list[Source]) -> list[Source]:
    unwell = [s for s in sources if s.status is not SourceStatus.ACTIVE]
    return sorted(unwell, key=lambda s: (-s.error_count, s.id))[:WORST_SHOWN]
