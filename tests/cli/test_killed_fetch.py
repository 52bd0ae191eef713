"""A `claimwatch fetch --all` killed with SIGKILL mid-fetch leases its sources for the normal
lease time only: once it has passed, the next poll fetches them again.

The fetch runs as a real process against a loopback server that never answers; the second
fetch runs in the test with a clock set past the lease, instead of waiting ten minutes.
"""

import asyncio
import math
import signal
import subprocess
import threading
from datetime import UTC, datetime, timedelta

from bot.fetch import FetchPolicy, make_client
from bot.ingest.poll import IngestLimits, Ingestor, Result
from bot.ingest.retrieval import Retriever
from storage.db import Database
from storage.records import NewSource
from tests.cli.own_database import own_database_url as own_database_url
from tests.cli.test_cli import CLAIMWATCH, run_cli
from tests.httpserver import RecordedRequest, Reply

FEED = b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title></channel></rss>'
LEASE = IngestLimits().lease_for


async def add_sources(own_database_url: str, urls: list[str]) -> None:
    db = await Database.open(own_database_url)
    try:
        async with db.transaction() as tx:
            for url in urls:
                await tx.sources.add(NewSource(url), datetime.now(UTC))
    finally:
        await db.close()


async def poll_at(own_database_url: str, at: datetime, *, every: bool = False) -> list[Result]:
    db = await Database.open(own_database_url)
    policy = FetchPolicy(read_timeout=timedelta(seconds=5))
    try:
        async with make_client(policy, allow_private_networks=True) as client:
            retriever = Retriever(client=client, policy=policy, preview_base="")
            ingestor = Ingestor(db=db, retriever=retriever, clock=lambda: at, worker="second")
            report = await ingestor.poll(every=every)
        return [source.result for source in report.sources]
    finally:
        await db.close()


def test_a_killed_fetch_all_releases_its_sources_within_the_lease(
    own_database_url, web, monkeypatch, capsys
):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", own_database_url)
    assert run_cli(capsys, "db", "upgrade")[0] == 0
    asked = threading.Event()

    def never_answer(request: RecordedRequest) -> Reply:
        asked.set()
        return Reply(delay=math.inf)

    urls = [web.route(f"/slow-{n}.xml", never_answer) for n in range(3)]
    asyncio.run(add_sources(own_database_url, urls))

    process = subprocess.Popen(
        [CLAIMWATCH, "fetch", "--all"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        assert asked.wait(timeout=60), "the fetch never reached the server"
        killed_at = datetime.now(UTC)
    finally:
        process.send_signal(signal.SIGKILL)
        process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL

    for n in range(3):
        web.route(f"/slow-{n}.xml", Reply(body=FEED))
    # within the lease the sources stay the dead fetch's, even for --all ...
    assert (
        asyncio.run(poll_at(own_database_url, killed_at + timedelta(minutes=1), every=True)) == []
    )
    # ... and once it has passed they are due again for an ordinary poll
    after_lease = killed_at + LEASE + timedelta(seconds=5)
    assert asyncio.run(poll_at(own_database_url, after_lease)) == [Result.UNCHANGED] * 3
