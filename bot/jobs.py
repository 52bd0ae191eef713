"""Scheduled callbacks: thin, logged, and never allowed to take the scheduler down."""

from __future__ import annotations

import logging

from bot.ingest import Result
from bot.services import Services

log = logging.getLogger(__name__)


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
