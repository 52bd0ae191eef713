"""Wires the services and the scheduled jobs, and runs them until a stop signal."""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot import jobs
from bot.config_files import SourceSpec, Watchlist
from bot.services import open_services
from bot.settings import Settings
from storage.db import Database

log = logging.getLogger(__name__)
POLL_EVERY_SECONDS = 30  # the tick; each source keeps its own interval in the database


async def run_bot(
    settings: Settings, watchlist: Watchlist, source_specs: tuple[SourceSpec, ...]
) -> int:
    """Run until SIGINT or SIGTERM; returns the process exit status."""
    db = await Database.open(settings.database_url)
    scheduler = AsyncIOScheduler(timezone=UTC)
    try:
        await db.upgrade()
        async with (
            open_services(settings, db, watchlist, source_specs) as services,
            _stop_signals() as stopped,
        ):
            scheduler.add_job(
                jobs.poll_sources, "interval", args=[services], seconds=POLL_EVERY_SECONDS,
                next_run_time=datetime.now(UTC), max_instances=1, coalesce=True,
                id="poll_sources",
            )  # fmt: skip
            scheduler.start()
            try:
                log.info("claimwatch is running; press Ctrl-C to stop")
                await stopped.wait()
                log.info("stopping")
            finally:
                scheduler.shutdown(wait=False)  # before the services it uses are closed
    finally:
        await db.close()
    log.info("claimwatch stopped")
    return 0


@asynccontextmanager
async def _stop_signals() -> AsyncIterator[asyncio.Event]:
    """An event set by SIGINT (Ctrl-C) or SIGTERM while the block runs."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        yield stop
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
