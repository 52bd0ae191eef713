"""Ingestion end to end: real loopback servers, the real client, a real database."""

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from httpserver import http_server as http_server
from loopback_feeds import Clock

from bot.fetch import FetchPolicy, make_client
from bot.ingest.poll import Ingestor
from bot.ingest.retrieval import Retriever

POLICY = FetchPolicy(read_timeout=timedelta(seconds=2), total_timeout=timedelta(seconds=10))
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"

__all__ = ["http_server"]


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def pipeline(database, http_server: LoopbackServer, clock: Clock) -> AsyncIterator[Ingestor]:
    async with make_client(POLICY, allow_private_networks=True) as client:
        retriever = Retriever(
            client=client,
            policy=POLICY,
            preview_base=http_server.base_url,
            backfill_posts=25,
        )
        yield Ingestor(db=database, retriever=retriever, clock=clock, worker="test")


@pytest.fixture
def telegram_pages() -> Path:
    folder = CORPORA / "telegram-preview"
    if not folder.is_dir():
        pytest.skip(f"the shared Telegram preview corpus is not beside the project ({folder})")
    return folder
