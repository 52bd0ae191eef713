"""Processes that start together (``docker compose up --scale fetcher=3``) seed the database
once: the watchlist's topics and claims and the sources file's sources are each stored once."""

import asyncio
from datetime import UTC, datetime

from bot.app.services import add_listed_sources
from bot.config.files import ClaimSpec, SourceSpec, TopicSpec, Watchlist
from bot.ledger.claim_ledger import ClaimLedger

NOW = datetime(2026, 12, 2, 8, tzinfo=UTC)
TOPICS = tuple(TopicSpec(f"Topic {n}", (f"alias{n}",)) for n in range(8))
WATCHLIST = Watchlist(
    topics=TOPICS,
    claims=tuple(
        ClaimSpec(topic.name, f"Officials said {n},000 people were evacuated in {topic.name}.")
        for n, topic in enumerate(TOPICS, 1)
    ),
)
SOURCES = [SourceSpec(f"https://feeds{n}.example.org/rss") for n in range(20)]
STARTING = 4


async def test_runners_starting_together_store_the_watchlist_and_sources_once(database_target):
    databases = [await database_target.open() for _ in range(STARTING)]
    try:
        await asyncio.gather(*(ClaimLedger(WATCHLIST).load(db, NOW) for db in databases))
        await asyncio.gather(*(add_listed_sources(db, SOURCES) for db in databases))
        async with databases[0].transaction() as tx:
            topics, claims = await tx.topics.list(), await tx.claims.list()
            sources = await tx.sources.list_health()
    finally:
        for db in databases:
            await db.close()
    assert sorted(t.name for t in topics) == sorted(t.name for t in TOPICS)
    assert len(claims) == len(WATCHLIST.claims)
    assert len(sources) == len(SOURCES)
