"""Ingestion end to end: real loopback servers, the real client, a real database."""

import re
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from httpserver import LoopbackServer
from httpserver import http_server as http_server

from bot.fetch import FetchPolicy, make_client
from bot.ingest import Ingestor
from bot.retrieval import Retriever

START = datetime(2024, 10, 23, 12, 0, tzinfo=UTC)
POLICY = FetchPolicy(read_timeout=timedelta(seconds=2), total_timeout=timedelta(seconds=10))
CORPORA = Path(__file__).resolve().parents[3] / "shared" / "corpora"

__all__ = ["http_server"]


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
async def pipeline(database, http_server: LoopbackServer, clock: Clock) -> AsyncIterator[Ingestor]:
    async with make_client(POLICY) as client:
        retriever = Retriever(
            client=client,
            policy=POLICY,
            allow_private_networks=True,
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


def older_page(page: bytes, shift: int) -> bytes:
    """The same page with every post id lowered by ``shift``: a page further back in time."""
    return re.sub(
        rb"(campcode/|before=)(\d+)", lambda m: m[1] + str(int(m[2]) - shift).encode(), page
    )


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss(*entries: tuple[str, str, str], ttl: int | None = None) -> bytes:
    items = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><description>{text}</description>"
        "<pubDate>Wed, 23 Oct 2024 10:00:00 GMT</pubDate></item>"
        for guid, title, text in entries
    )
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{ttl_tag}'
        f"{items}</channel></rss>"
    ).encode()
