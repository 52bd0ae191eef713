"""The long-lived parts every entry point shares, built once from the settings and closed once."""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.config.files import SourceSpec, Watchlist
from bot.fetch import FetchPolicy, make_client
from bot.ingest.parsers import ParserPool
from bot.ingest.poll import IngestLimits, Ingestor
from bot.ingest.retrieval import PARSE_JOBS, Retriever, source_address
from bot.ledger.claim_ledger import ClaimLedger
from bot.settings import Settings
from storage.db import Database
from storage.records import NewSource

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Services:
    settings: Settings
    db: Database
    retriever: Retriever
    ingestor: Ingestor
    ledger: ClaimLedger


@asynccontextmanager
async def open_services(
    settings: Settings, db: Database, watchlist: Watchlist, sources: Sequence[SourceSpec]
) -> AsyncIterator[Services]:
    """One shared HTTP client, the parser pool and the pipeline around them, for the lifetime
    of the block (the pool's processes stop when it ends).

    First the sources file's sources are added (idempotently: a source that has moved since is
    still known by the address it was added as), the watchlist's topics and claims on record are
    synced, and the in-memory claim ledger is rebuilt from the database.
    """
    await add_listed_sources(db, sources)
    ledger = ClaimLedger(watchlist, settings.conflict_window)
    await ledger.load(db, utc_now())
    policy = FetchPolicy()
    parsers = ParserPool(settings.parse_workers, preload=PARSE_JOBS)
    try:
        async with make_client(
            policy, allow_private_networks=settings.allow_private_networks
        ) as client:
            retriever = Retriever(
                client=client,
                policy=policy,
                preview_base=settings.telegram_preview_url,
                parsers=parsers,
            )
            ingestor = Ingestor(
                db=db, retriever=retriever, clock=utc_now, worker=_worker_name(),
                analyze=ledger.analyze_item, limits=IngestLimits(lease_for=settings.source_lease),
            )  # fmt: skip
            yield Services(settings, db, retriever, ingestor, ledger)
    finally:
        await asyncio.to_thread(parsers.close)  # waits for running jobs: not on the loop


async def add_listed_sources(db: Database, sources: Sequence[SourceSpec]) -> None:
    added = 0
    async with db.transaction() as tx:
        await tx.wait_for_other_seeders()
        for spec in sources:
            new = NewSource(source_address(spec.url), name=spec.name, interval=spec.interval)
            added += (await tx.sources.ensure(new, utc_now()))[1]
    if added:
        log.info("%d new sources from the sources file", added)


def _worker_name() -> str:
    """Who holds a lease: unique per process, readable in the database."""
    return f"{socket.gethostname()}:{os.getpid()}"
