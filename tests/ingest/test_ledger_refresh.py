"""Several workers on one database: a topic a chat adds through one is matched by the others
once they refresh their topics, which the poll job does before every poll."""

import logging
from collections.abc import AsyncIterator
from datetime import time, timedelta

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine

from bot.app import jobs
from bot.app.services import Services, open_services
from bot.config.files import TopicSpec, Watchlist
from bot.ledger.claim_ledger import ClaimLedger
from bot.settings import load_settings
from bot.subscribers.tracking import track_topic
from storage.db import Database
from storage.records import ChatKind, NewItem, NewSource
from tests.ingest.loopback_feeds import START

WATCHLIST = Watchlist(topics=(TopicSpec("North Korean troops in Russia", ("North Korea",)),))
CHAT = 1000
KURSK = "Ukraine's General Staff said 1,200 Russian soldiers were captured in Kursk."
SETTINGS = load_settings(environ={}, env_file=None)


@pytest.fixture
async def second_worker(database_target) -> AsyncIterator[Database]:
    """Another connection pool on the same database, as another process would have."""
    other = await database_target.open()
    yield other
    await other.close()


def matched(ledger: ClaimLedger, text: str) -> list[str]:
    return [match.topic for match in ledger.analyzer.match_topics(text)]


async def test_a_topic_added_through_one_ledger_is_matched_by_the_other_after_a_refresh(
    database, second_worker
):
    first, second = ClaimLedger(WATCHLIST), ClaimLedger(WATCHLIST)
    await first.load(database, START)
    await second.load(second_worker, START)
    async with database.transaction() as tx:
        kursk = await tx.topics.add("Kursk offensive", ["Kursk", "Курськ"], CHAT)
    first.add_topic(kursk)
    assert matched(first, KURSK) == ["Kursk offensive"]
    assert matched(second, KURSK) == []

    assert await second.refresh_topics(second_worker)
    assert matched(second, KURSK) == ["Kursk offensive"]
    assert not await second.refresh_topics(second_worker)  # unchanged: nothing rebuilt
    assert not await first.refresh_topics(database)  # it knew already

    # what the second worker analyzes is stored under the topic's id
    async with second_worker.transaction() as tx:
        source = await tx.sources.add(NewSource("https://example.org/feed"), START)
        item = NewItem("1", None, None, KURSK, START, "en", "hash")
        added = await tx.items.add_new(source.id, [item], START)
        await second.analyze_items(tx, source, added)
        [mention] = await tx.topics.mentions_of_item(added.new[0].id)
        claims = await tx.claims.list(topic_ids=[kursk.id])
    assert mention.topic_id == kursk.id
    assert [c.claim.value for c in claims] == [1200]


async def test_a_topic_removed_through_one_ledger_is_dropped_by_the_other(database, second_worker):
    first, second = ClaimLedger(WATCHLIST), ClaimLedger(WATCHLIST)
    async with database.transaction() as tx:
        kursk = await tx.topics.add("Kursk offensive", ["Kursk"], CHAT)
    await first.load(database, START)
    await second.load(second_worker, START)
    assert matched(second, KURSK) == ["Kursk offensive"]
    async with database.transaction() as tx:
        await tx.topics.remove(kursk.id)
    assert await first.refresh_topics(database)

    assert await second.refresh_topics(second_worker)
    assert matched(second, KURSK) == []
    async with second_worker.transaction() as tx:  # and an item about it stores nothing of it
        source = await tx.sources.add(NewSource("https://example.org/feed"), START)
        item = NewItem("1", None, None, KURSK, START, "en", "hash")
        await second.analyze_items(tx, source, await tx.items.add_new(source.id, [item], START))
        assert await tx.claims.list() == []


@pytest.fixture
async def two_workers(database, second_worker) -> AsyncIterator[tuple[Services, Services]]:
    async with (
        open_services(SETTINGS, database, WATCHLIST, ()) as first,
        open_services(SETTINGS, second_worker, WATCHLIST, ()) as second,
    ):
        yield first, second


async def test_the_poll_job_picks_up_topics_tracked_through_another_worker(two_workers):
    first, second = two_workers
    async with first.db.transaction() as tx:
        await tx.chats.subscribe(
            CHAT, ChatKind.PRIVATE, "Ann", timezone="UTC", digest_time=time(8), now=START
        )
    await track_topic(first, CHAT, "Kursk offensive", ["Kursk"], most_followed=10, most_created=10)
    assert matched(second.ledger, KURSK) == []
    await jobs.poll_sources(second)
    assert matched(second.ledger, KURSK) == ["Kursk offensive"]


async def test_a_failing_refresh_is_logged_and_the_poll_goes_on(database, database_target, caplog):
    async with open_services(SETTINGS, database, WATCHLIST, ()) as services:
        engine = database_target.raw_engine()
        await _rename(engine, "topics", "topics_elsewhere")  # a table that vanished, say
        try:
            with caplog.at_level(logging.INFO, logger="bot.app.jobs"):
                await jobs.poll_sources(services)
        finally:
            await _rename(engine, "topics_elsewhere", "topics")
            await engine.dispose()
    assert "reloading the topics failed" in caplog.text
    assert "polling sources failed" not in caplog.text


async def _rename(engine: AsyncEngine, table: str, new_name: str) -> None:
    async with engine.begin() as connection:
        await connection.execute(text(f"ALTER TABLE {table} RENAME TO {new_name}"))


async def test_the_lease_of_a_poll_is_the_setting(database):
    settings = load_settings(environ={"CLAIMWATCH_SOURCE_LEASE": "2m"}, env_file=None)
    async with open_services(settings, database, WATCHLIST, ()) as services:
        assert services.ingestor.limits.lease_for == timedelta(minutes=2)
    async with open_services(SETTINGS, database, WATCHLIST, ()) as services:
        assert services.ingestor.limits.lease_for == timedelta(minutes=10)
