"""Scheduled callbacks: thin, logged, and never allowed to take the scheduler down."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from bot.digest.deliver import Outbox
from bot.ingest import Result
from bot.services import Services

log = logging.getLogger(__name__)

POLL_EVERY = timedelta(seconds=30)  # the tick; each source keeps its own interval
DELIVER_EVERY = timedelta(seconds=5)


@dataclass(frozen=True, slots=True)
class Recurring:
    name: str
    every: timedelta
    run: Callable[[], Awaitable[None]]

    def as_ptb_callback(self) -> Callable[[Any], Coroutine[Any, Any, None]]:
        """The same job as python-telegram-bot's JobQueue calls it (with a context)."""

        async def callback(_context: Any) -> None:
            await self.run()

        return callback


def recurring(services: Services, outbox: Outbox) -> list[Recurring]:
    """Every job the running bot schedules, whatever the scheduler."""

    async def poll() -> None:
        await poll_sources(services)

    async def deliver() -> None:
        await deliver_outbox(outbox)

    return [
        Recurring("poll_sources", POLL_EVERY, poll),
        Recurring("deliver", DELIVER_EVERY, deliver),
    ]


async def poll_sources(services: Services) -> None:
    """Fetch the sources that are due; one failing source never stops the others."""
    try:
        report = await services.ingestor.poll()
    except Exception:  # a database outage, a bug: log it, the next tick tries again
        log.exception("polling sources failed; retrying at the next tick")
        return
    if report.sources:
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
