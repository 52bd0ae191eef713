"""The claim ledger persisted: watchlist claims at start, claims and conflicts of fetched items."""

from datetime import timedelta

from bot.config.files import ClaimSpec, TopicSpec, Watchlist
from bot.ledger.claim_ledger import ClaimLedger
from storage.records import ClaimOrigin, ConflictKind, NewSource
from tests.httpserver import Reply
from tests.ingest.loopback_feeds import START, rss

WATCHLIST = Watchlist(
    topics=(TopicSpec("North Korean troops in Russia", ("North Korea", "North Korean", "КНДР")),),
    claims=(
        ClaimSpec(
            "North Korean troops in Russia",
            "South Korea's NIS said about 1,500 North Korean troops had arrived in Russia.",
        ),
    ),
)
REPORT = (
    "Ukraine's defence intelligence said 12,000 North Korean troops had arrived in Russia, "
    "including 500 officers."
)


async def claims_and_conflicts(database):
    async with database.transaction() as tx:
        return await tx.claims.list(), await tx.claims.list_conflicts()


async def test_watchlist_claims_enter_the_ledger_once(database):
    for _ in range(2):  # a restart must not repeat them
        await ClaimLedger(WATCHLIST).load(database, START)
    claims, _ = await claims_and_conflicts(database)
    assert [(c.origin, c.claim.value) for c in claims] == [(ClaimOrigin.WATCHLIST, 1500)]
    assert "NIS" in claims[0].claim.speaker


async def test_fetched_claims_are_stored_with_their_conflicts(
    database, http_server, pipeline, clock
):
    ledger = ClaimLedger(WATCHLIST)
    await ledger.load(database, START)
    pipeline.analyze = ledger.analyze_item
    url = http_server.route("/feed.xml", Reply(body=rss(("1", "Troops", REPORT))))
    async with database.transaction() as tx:
        await tx.sources.add(NewSource(url), START)
    await pipeline.poll()

    claims, conflicts = await claims_and_conflicts(database)
    by_value = {c.claim.value: c for c in claims}
    assert by_value[12000].item_id is not None and by_value[12000].claim.measure
    [conflict] = [c for c in conflicts if c.claim_id == by_value[12000].id]
    assert conflict.other_claim_id == by_value[1500].id
    assert conflict.kind is ConflictKind.NUMERIC
    assert "NIS" in conflict.reason
    async with database.transaction() as tx:
        [item] = await tx.items.list()
        mentions = await tx.topics.mentions_of_item(item.id)
    assert len(mentions) == 1 and mentions[0].score > 80

    # a restart rebuilds the ledger from the database: a new report conflicts with stored claims
    restarted = ClaimLedger(WATCHLIST)
    await restarted.load(database, clock.now)
    pipeline.analyze = restarted.analyze_item
    later = "The White House said 3,000 North Korean troops had arrived in Russia."
    http_server.route("/feed.xml", Reply(body=rss(("1", "Troops", REPORT), ("2", "WH", later))))
    clock.advance(timedelta(hours=1))
    await pipeline.poll()
    claims, conflicts = await claims_and_conflicts(database)
    white_house = next(c for c in claims if c.claim.value == 3000)
    others = {c.other_claim_id for c in conflicts if c.claim_id == white_house.id}
    assert by_value[12000].id in others or by_value[1500].id in others
