"""A poll that parses in parser processes stores every item, even when those processes die."""

from __future__ import annotations

import asyncio
import multiprocessing
from collections.abc import AsyncIterator

import pytest

from bot.fetch import make_client
from bot.ingest.parsers import ParserPool
from bot.ingest.poll import Ingestor, Result
from bot.ingest.retrieval import Retriever
from storage.records import NewSource
from tests.httpserver import LoopbackServer, Reply
from tests.ingest.loopback_feeds import POLICY, START, Clock, rss

FEEDS = {
    f"/feed{n}.xml": rss(*((f"{n}-{k}", f"T{k}", f"<p>Item {k} of feed {n}</p>") for k in range(3)))
    for n in range(6)
}


@pytest.fixture
async def pooled(
    database, http_server: LoopbackServer, clock: Clock
) -> AsyncIterator[tuple[Ingestor, ParserPool]]:
    parsers = ParserPool(2)
    try:
        async with make_client(POLICY, allow_private_networks=True) as client:
            retriever = Retriever(
                client=client, policy=POLICY, preview_base=http_server.base_url, parsers=parsers
            )
            yield Ingestor(db=database, retriever=retriever, clock=clock, worker="test"), parsers
    finally:
        await asyncio.to_thread(parsers.close)


async def stored_texts(database) -> dict[str, str]:
    async with database.transaction() as tx:
        return {item.guid: item.text for item in await tx.items.list(limit=1000)}


async def test_items_parsed_in_processes_are_stored(database, http_server, pooled) -> None:
    ingestor, _ = pooled
    async with database.transaction() as tx:
        for path, body in FEEDS.items():
            await tx.sources.add(NewSource(http_server.route(path, Reply(body=body))), START)
    report = await ingestor.poll()
    assert [r.result for r in report.sources] == [Result.NEW] * len(FEEDS)
    texts = await stored_texts(database)
    assert len(texts) == 3 * len(FEEDS)
    assert texts["5-2"] == "Item 2 of feed 5"


async def test_a_poll_survives_its_parser_processes_being_killed(
    database, http_server, pooled
) -> None:
    ingestor, parsers = pooled
    await parsers.run(len, b"start the processes")
    for process in multiprocessing.active_children():
        process.kill()  # as the OOM killer would
        await asyncio.to_thread(process.join)
    async with database.transaction() as tx:
        for path, body in FEEDS.items():
            await tx.sources.add(NewSource(http_server.route(path, Reply(body=body))), START)
    report = await ingestor.poll()
    assert [r.result for r in report.sources] == [Result.NEW] * len(FEEDS)
    assert len(await stored_texts(database)) == 3 * len(FEEDS)
