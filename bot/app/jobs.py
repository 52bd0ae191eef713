"""Scheduled callbacks: thin, logged, and never allowed to take the scheduler down."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.app.services import Services, utc_now
from bot.digest.compose import Charts, queue_alerts, queue_digest
from bot.digest.deliver import Outbox
from bot.digest.timing import digest_due
from bot.digest.window import SharedWindows
from bot.ingest.poll import Result

log = logging.getLogger(__name__)

POLL_EVERY = timedelta(seconds=30)  # the tick; each source keeps its own interval
DELIVER_EVERY = timedelta(seconds=5)
DIGESTS_EVERY = timedelta(minutes=1)  # digests due and alerts batched, once a minute


@dataclass(frozen=True, slots=True)
class Recurring:
    name: str
    every: timedelta
    run: Callable[[], Awaitable[None]]


class RunningJobs:
    """The jobs in flight, so that a shutdown lets them finish before the database closes."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def track(self, job: Recurring) -> Recurring:
        async def run() -> None:
            task = asyncio.current_task()
            assert task is not None
            self._tasks.add(task)
            try:
                await job.run()
            except asyncio.CancelledError:  # the shutdown gave up waiting: not an error
                log.info("%s interrupted by the shutdown", job.name)
            finally:
                self._tasks.discard(task)

        return Recurring(job.name, job.every, run)

    async def finish(self, grace: timedelta = timedelta(seconds=10)) -> None:
        """Wait up to ``grace`` for the jobs in flight, then cancel what is left."""
        if not self._tasks:
            return
        _done, late = await asyncio.wait(set(self._tasks), timeout=grace.total_seconds())
        for task in late:
            task.cancel()
        if late:
            await asyncio.wait(late)


def poll_job(services: Services) -> Recurring:
    """Fetching and analysing the due sources: the only job of a scale-out worker."""

    async def poll() -> None:
        await poll_sources(services)

    return Recurring("poll_sources", POLL_EVERY, poll)


def recurring(
    services: Services, outbox: Outbox, *, clock: Callable[[], datetime] = utc_now
) -> list[Recurring]:
    """Every job the running bot schedules, whatever the scheduler; ``clock`` says when digests
    and alerts are due."""

    async def deliver() -> None:
        await deliver_outbox(outbox)

    async def digests_and_alerts() -> None:
        await send_due_digests(services, outbox, clock())
        await send_alerts(services, outbox, clock())
        await deliver_outbox(outbox)

    return [
        poll_job(services),
        Recurring("digests_and_alerts", DIGESTS_EVERY, digests_and_alerts),
        Recurring("deliver", DELIVER_EVERY, deliver),
    ]


async def poll_sources(services: Services) -> None:
    """Fetch the sources that are due; one failing source never stops the others.

    First the topics chats added through other workers on the same database join the matcher.
    """
    try:
        await services.ledger.refresh_topics(services.db)
    except Exception:  # stale topics for one more tick beat no poll at all
        log.exception("reloading the topics failed; matching the known ones")
    try:
        report = await services.ingestor.poll()
    except Exception:  # a database outage, a bug: log it, the next tick tries again
        log.exception("polling sources failed; retrying at the next tick")
        return
    if report.sources and not report.network_down:  # an outage was said in one line already
        log.info(
            "polled %d sources: %d new items, %d failed",
            len(report.sources), report.new_items, report.count(Result.FAILED),
        )  # fmt: skip


async def deliver_outbox(outbox: Outbox) -> None:
    """Send the messages that are due; a failure is recorded per message, never raised."""
    try:
        await outbox.drain()
    except Exception:
        log.exception("delivering messages failed; retrying at the next tick")


async def send_due_digests(services: Services, outbox: Outbox, now: datetime) -> int:
    """Queue the scheduled digest of every chat whose local digest time has come (at most one a
    day, one after downtime); one chat's failure never stops the others. Chats queued."""
    try:
        async with services.db.transaction() as tx:
            chats = await tx.chats.list_active()
    except Exception:
        log.exception("could not list the chats for digests; retrying in a minute")
        return 0
    queued = 0
    charts = Charts() if services.settings.digest_chart else None
    shared = SharedWindows()  # chats of one digest time share their window's items and stories
    for chat in chats:
        if not outbox.accepts(chat.chat_id) or not digest_due(
            now, chat.timezone, chat.digest_time, chat.last_digest_at, chat.created_at
        ):
            continue
        try:
            messages = await queue_digest(services.db, chat, now, charts=charts, shared=shared)
        except Exception:
            log.exception("the digest of chat %d failed; retrying in a minute", chat.chat_id)
            continue
        if messages is not None:
            queued += 1
            log.info("digest for chat %d queued (%d messages)", chat.chat_id, messages)
    return queued


async def send_alerts(services: Services, outbox: Outbox, now: datetime) -> int:
    """Queue one alert per chat about conflicts recorded since its last check. Messages queued."""
    try:
        async with services.db.transaction() as tx:
            chats = [
                c for c in await tx.chats.list_active() if c.alerts and outbox.accepts(c.chat_id)
            ]
        return await queue_alerts(services.db, chats, now, services.settings.alerts_per_hour)
    except Exception:
        log.exception("alerts failed; retrying in a minute")
        return 0
