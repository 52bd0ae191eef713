"""Decide, then apply: the in-memory ledger and the database agree after a failed store.

A real trigger makes the database refuse claims; whatever the failure undoes in the database
must not stay in the ledger, and a later claim never conflicts with a claim that does not
exist, nor with itself.
"""

from datetime import timedelta

from bot.config.files import ClaimSpec, TopicSpec, Watchlist
from bot.ledger.claim_ledger import ClaimLedger
from storage.errors import StorageError
from storage.records import NewSource
from tests.httpserver import Reply
from tests.ingest.loopback_feeds import START, rss
from tests.refused_writes import refused_inserts

TOPIC = "North Korean troops in Russia"
WATCHLIST = Watchlist(
    topics=(TopicSpec(TOPIC, ("North Korea", "North Korean")),),
    claims=(
        ClaimSpec(
            TOPIC, "South Korea's NIS said about 1,500 North Korean troops had arrived in Russia."
        ),
    ),
)
TWELVE = (
    "1",
    "DIU",
    "Ukraine's defence intelligence said 12,000 North Korean troops had arrived in Russia.",
)
THREE = ("2", "WH", "The White House said 3,000 North Korean troops had arrived in Russia.")


async def assert_ledger_matches_database(database, ledger: ClaimLedger) -> None:
    async with database.transaction() as tx:
        claims, conflicts = await tx.claims.list(), await tx.claims.list_conflicts()
    assert len(ledger.analyzer.ledger) == len(claims), "the ledger holds claims never stored"
    ids = {claim.id for claim in claims}
    for conflict in conflicts:
        assert {conflict.claim_id, conflict.other_claim_id} <= ids
        assert conflict.claim_id != conflict.other_claim_id, "a claim conflicts with itself"


async def test_a_failed_store_leaves_the_ledger_as_the_database(
    database, database_target, http_server, pipeline, clock
):
    ledger = ClaimLedger(WATCHLIST)
    await ledger.load(database, START)
    pipeline.analyze = ledger.analyze_item
    url = http_server.route("/feed.xml", Reply(body=rss(TWELVE)))
    async with database.transaction() as tx:
        await tx.sources.add(NewSource(url), START)

    async with refused_inserts(database_target, "claims", "NEW.item_id IS NOT NULL"):
        await pipeline.poll()
    await assert_ledger_matches_database(database, ledger)

    # the store works again; the feed now has a second report, and the lease has lapsed
    http_server.route("/feed.xml", Reply(body=rss(TWELVE, THREE)))
    clock.advance(timedelta(hours=1))
    await pipeline.poll()
    await assert_ledger_matches_database(database, ledger)
    async with database.transaction() as tx:
        by_value = {c.claim.value: c for c in await tx.claims.list()}
        conflicts = await tx.claims.conflicts_of(by_value[3000].id)
    assert by_value[1500].id in {c.other_claim_id for c in conflicts}


async def test_a_chat_claim_whose_transaction_fails_is_not_on_record(database, database_target):
    ledger = ClaimLedger(WATCHLIST)
    await ledger.load(database, START)
    sentence = "The White House said 3,000 North Korean troops had arrived in Russia."
    async with refused_inserts(database_target, "conflicts"):
        try:
            async with database.transaction() as tx:
                await ledger.add_statement(tx, TOPIC, sentence, added_by=1, now=START)
        except StorageError:
            pass
        else:
            raise AssertionError("the trigger should have refused the conflict")
    await assert_ledger_matches_database(database, ledger)

    async with database.transaction() as tx:
        stored, conflicts = await ledger.add_statement(tx, TOPIC, sentence, added_by=1, now=START)
    assert stored is not None and len(conflicts) == 1
    await assert_ledger_matches_database(database, ledger)


async def test_claims_of_one_transaction_are_compared_before_it_commits(
    database, http_server, pipeline
):
    """Two reports in one feed: the second conflicts with the first, still uncommitted."""
    ledger = ClaimLedger(Watchlist(topics=WATCHLIST.topics))
    await ledger.load(database, START)
    pipeline.analyze = ledger.analyze_item
    url = http_server.route("/feed.xml", Reply(body=rss(TWELVE, THREE)))
    async with database.transaction() as tx:
        await tx.sources.add(NewSource(url), START)
    await pipeline.poll()
    async with database.transaction() as tx:
        claims, conflicts = await tx.claims.list(), await tx.claims.list_conflicts()
    assert sorted(c.claim.value for c in claims) == [3000, 12000]
    assert len(conflicts) == 1
    await assert_ledger_matches_database(database, ledger)


async def test_watchlist_claims_are_compared_with_each_other_once(database):
    """The issue's example: two claims on record before anything is fetched conflict."""
    compared = Watchlist(
        topics=WATCHLIST.topics,
        claims=(
            ClaimSpec(
                TOPIC, "South Korea's NIS: about 1,500 North Korean troops have arrived in Russia."
            ),
            ClaimSpec(
                TOPIC, "The White House said 3,000 North Korean soldiers arrived in eastern Russia."
            ),
        ),
    )
    for _ in range(2):  # a restart neither repeats the conflict nor forgets it
        ledger = ClaimLedger(compared)
        await ledger.load(database, START)
        await assert_ledger_matches_database(database, ledger)
        async with database.transaction() as tx:
            claims, conflicts = await tx.claims.list(), await tx.claims.list_conflicts()
        by_value = {c.claim.value: c.id for c in claims}
        assert [(c.claim_id, c.other_claim_id) for c in conflicts] == [
            (by_value[3000], by_value[1500])
        ]
