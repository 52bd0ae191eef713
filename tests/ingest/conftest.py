"""Ingestion end to end: real loopback servers, the real client, a real database."""

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.fetch import make_client
from bot.ingest.poll import Ingestor
from bot.ingest.retrieval import Retriever
from tests.httpserver import LoopbackServer
from tests.ingest.loopback_feeds import POLICY, Clock

CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"


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
