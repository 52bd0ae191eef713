"""Claims ledger and conflicts."""

from datetime import UTC, datetime, timedelta

import pytest

from storage.errors import NotFoundError
from storage.records import (
    ClaimOrigin,
    ConflictKind,
    Modifier,
    NewClaim,
    NewItem,
    NewSource,
    Polarity,
)

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
TOPIC = "North Korean troops in Russia"
FETCHED_AT = T0 + timedelta(hours=3)  # NIS's claim was published at T0, fetched later
DAY = timedelta(days=1)


def claim(value, speaker, *, modifier=Modifier.APPROX, polarity=Polarity.ASSERTS, **extra):
    return NewClaim(
        topic=TOPIC,
        sentence=f"{speaker}: about {value} North Korean troops have arrived in Russia.",
        measure="troops",
        scope="arrived in Russia",
        modifier=modifier,
        polarity=polarity,
        value=value,
        speaker=speaker,
        **extra,
    )


@pytest.fixture
async def ledger(database):
    """A topic, an item, and three claims on record (ids by speaker)."""
    async with database.transaction() as tx:
        topic = await tx.topics.add(TOPIC, ["DPRK"], None)
        other = await tx.topics.add("Grain deal", [], None)
        source = await tx.sources.add(NewSource("https://news.example/feed"), T0)
        (item,) = (
            await tx.items.add_new(source.id, [NewItem("g", None, None, "t", T0, None, "h")], T0)
        ).new
        nis = await tx.claims.add(
            claim(1500, "NIS", relay="Reuters"),
            topic_id=topic.id,
            item_id=item.id,
            origin=ClaimOrigin.ITEM,
            stated_at=T0,
            recorded_at=FETCHED_AT,
        )
        kyiv = await tx.claims.add(
            claim(None, "HUR", modifier=Modifier.RANGE, low=10000, high=12000),
            topic_id=topic.id,
            item_id=None,
            origin=ClaimOrigin.CHAT,
            stated_at=T0 + timedelta(days=2),
            added_by=777000111222,
        )
        grain = await tx.claims.add(
            claim(3, "Ministry", unsourced=True),
            topic_id=other.id,
            item_id=None,
            origin=ClaimOrigin.WATCHLIST,
            stated_at=T0 + timedelta(days=1),
        )
    return {"topic": topic, "other": other, "item": item, "NIS": nis, "HUR": kyiv, "grain": grain}


async def test_add_and_get_round_trip(database, ledger):
    nis, hur = ledger["NIS"], ledger["HUR"]
    assert (nis.topic_id, nis.item_id, nis.origin) == (
        ledger["topic"].id,
        ledger["item"].id,
        "item",
    )
    assert nis.claim == claim(1500, "NIS", relay="Reuters")
    assert hur.claim.low == 10000 and hur.claim.high == 12000 and hur.added_by == 777000111222
    async with database.transaction() as tx:
        assert await tx.claims.get(nis.id) == nis
        assert await tx.claims.get(hur.id) == hur
        assert await tx.claims.get(hur.id + 100) is None
        with pytest.raises(NotFoundError, match="topic"):
            await tx.claims.add(
                claim(1, "X"), topic_id=999, item_id=None, origin=ClaimOrigin.CHAT, stated_at=T0
            )


async def test_list_orders_and_filters(database, ledger):
    async with database.transaction() as tx:
        everything = await tx.claims.list()
        about_troops = await tx.claims.list(topic_ids=[ledger["topic"].id])
        latest = await tx.claims.list(limit=1)
        ledger_order = await tx.claims.all_for_ledger()
    assert [c.claim.speaker for c in everything] == ["HUR", "Ministry", "NIS"]
    assert [c.claim.speaker for c in about_troops] == ["HUR", "NIS"]
    assert [c.claim.speaker for c in latest] == ["HUR"]
    assert [c.claim.speaker for c in ledger_order] == ["NIS", "Ministry", "HUR"]
    assert ledger_order[0].claim.topic == TOPIC


async def test_conflicts_are_idempotent_per_pair(database, ledger):
    nis, hur = ledger["NIS"], ledger["HUR"]
    at = T0 + timedelta(days=2)
    async with database.transaction() as tx:
        conflict = await tx.claims.add_conflict(
            hur.id, nis.id, ConflictKind.NUMERIC, "HUR 10,000-12,000 vs NIS about 1,500", at
        )
        again = await tx.claims.add_conflict(hur.id, nis.id, ConflictKind.NUMERIC, "x", at)
        reversed_pair = await tx.claims.add_conflict(nis.id, hur.id, ConflictKind.NUMERIC, "y", at)
        of_nis = await tx.claims.conflicts_of(nis.id)
        of_grain = await tx.claims.conflicts_of(ledger["grain"].id)
    assert conflict == again == reversed_pair
    assert (conflict.claim_id, conflict.other_claim_id, conflict.kind) == (
        hur.id,
        nis.id,
        "numeric",
    )
    assert conflict.detected_at == at
    assert of_nis == [conflict] and of_grain == []


async def test_list_conflicts_by_topic_and_removal_cascades(database, ledger):
    async with database.transaction() as tx:
        conflict = await tx.claims.add_conflict(
            ledger["HUR"].id, ledger["NIS"].id, ConflictKind.NUMERIC, "r", T0
        )
        assert await tx.claims.list_conflicts() == [conflict]
        assert await tx.claims.list_conflicts([ledger["topic"].id]) == [conflict]
        assert await tx.claims.list_conflicts([ledger["other"].id]) == []
        assert await tx.claims.remove(ledger["NIS"].id) is True
        assert await tx.claims.remove(ledger["NIS"].id) is False
        assert await tx.claims.list_conflicts() == []


async def test_removing_the_source_removes_its_claims(database, ledger):
    async with database.transaction() as tx:
        await tx.sources.remove(ledger["item"].source_id)
        assert [c.claim.speaker for c in await tx.claims.list()] == ["HUR", "Ministry"]


async def test_recorded_at_defaults_to_stated_at(database, ledger):
    nis, hur = ledger["NIS"], ledger["HUR"]
    assert (nis.stated_at, nis.recorded_at) == (T0, FETCHED_AT)
    assert hur.recorded_at == hur.stated_at == T0 + 2 * DAY
    async with database.transaction() as tx:
        assert (await tx.claims.get(nis.id)).recorded_at == FETCHED_AT


@pytest.mark.parametrize(
    ("after", "until", "topics", "expected"),
    [
        (T0 - DAY, T0, ["topic"], []),  # stated in the window, but recorded after it
        (T0, FETCHED_AT, ["topic"], ["NIS"]),
        (FETCHED_AT, T0 + 2 * DAY, ["topic"], ["HUR"]),  # after excluded, until included
        (T0, T0 + 2 * DAY, ["topic", "other"], ["NIS", "Ministry", "HUR"]),
        (T0, T0 + 2 * DAY, ["other"], ["Ministry"]),
        (T0, T0 + 2 * DAY, [], []),
    ],
)
async def test_recorded_between_is_a_window_of_recording_time(
    database, ledger, after, until, topics, expected
):
    async with database.transaction() as tx:
        found = await tx.claims.recorded_between(after, until, [ledger[t].id for t in topics])
    assert [c.claim.speaker for c in found] == expected


async def test_get_many_by_id(database, ledger):
    nis, grain = ledger["NIS"], ledger["grain"]
    async with database.transaction() as tx:
        found = await tx.claims.get_many([grain.id, nis.id, nis.id, grain.id + 1000])
        assert await tx.claims.get_many([]) == {}
    assert found == {nis.id: nis, grain.id: grain}
    assert found[grain.id].claim.topic == "Grain deal"


@pytest.fixture
async def conflicts(database, ledger):
    """Two conflicts: about the grain deal (found first), then about the troops."""
    async with database.transaction() as tx:
        assert await tx.claims.max_conflict_id() is None
        later = await tx.claims.add(
            claim(5, "Port", unsourced=True),
            topic_id=ledger["other"].id,
            item_id=None,
            origin=ClaimOrigin.CHAT,
            stated_at=T0 + DAY + timedelta(hours=1),
        )
        grain = await tx.claims.add_conflict(
            later.id, ledger["grain"].id, ConflictKind.NUMERIC, "5 vs 3", later.stated_at
        )
        troops = await tx.claims.add_conflict(
            ledger["HUR"].id, ledger["NIS"].id, ConflictKind.NUMERIC, "12k vs 1.5k", T0 + 2 * DAY
        )
    return {"grain": grain, "troops": troops}


@pytest.mark.parametrize(
    ("checked", "topics", "limit", "expected"),
    [
        (None, ["topic", "other"], None, ["grain", "troops"]),
        ("grain", ["topic", "other"], None, ["troops"]),
        ("troops", ["topic", "other"], None, []),
        (None, ["topic"], None, ["troops"]),
        (None, ["other"], None, ["grain"]),
        (None, ["topic", "other"], 1, ["grain"]),
        (None, [], None, []),
    ],
)
async def test_conflicts_after_a_conflict_id(
    database, ledger, conflicts, checked, topics, limit, expected
):
    after = None if checked is None else conflicts[checked].id
    async with database.transaction() as tx:
        found = await tx.claims.conflicts_after(after, [ledger[t].id for t in topics], limit=limit)
    assert found == [conflicts[name] for name in expected]


@pytest.mark.parametrize(
    ("after", "until", "topics", "expected"),
    [
        (T0, T0 + 2 * DAY, ["topic", "other"], ["grain", "troops"]),
        (T0 + DAY + timedelta(hours=1), T0 + 2 * DAY, ["topic", "other"], ["troops"]),
        (T0, T0 + 2 * DAY - timedelta(seconds=1), ["topic", "other"], ["grain"]),
        (T0, T0 + 2 * DAY, ["topic"], ["troops"]),
        (T0, T0 + 2 * DAY, [], []),
    ],
)
async def test_conflicts_detected_between(
    database, ledger, conflicts, after, until, topics, expected
):
    async with database.transaction() as tx:
        found = await tx.claims.conflicts_detected_between(
            after, until, [ledger[t].id for t in topics]
        )
    assert found == [conflicts[name] for name in expected]


async def test_max_conflict_id_is_the_newest(database, conflicts):
    async with database.transaction() as tx:
        assert await tx.claims.max_conflict_id() == conflicts["troops"].id


@pytest.mark.parametrize(
    ("topics", "limit", "offset", "expected"),
    [
        (None, None, 1, ["Ministry", "NIS"]),
        (None, 1, 1, ["Ministry"]),
        (None, 2, 0, ["HUR", "Ministry"]),
        (["topic"], None, 1, ["NIS"]),
        (None, None, 3, []),
    ],
)
async def test_list_pages_with_offset(database, ledger, topics, limit, offset, expected):
    topic_ids = None if topics is None else [ledger[t].id for t in topics]
    async with database.transaction() as tx:
        found = await tx.claims.list(topic_ids=topic_ids, limit=limit, offset=offset)
    assert [c.claim.speaker for c in found] == expected


@pytest.mark.parametrize(
    ("sides", "expected"),
    [
        (["NIS"], ["troops"]),
        (["HUR", "NIS"], ["troops"]),
        (["grain"], ["grain"]),
        (["grain", "HUR"], ["grain", "troops"]),  # oldest first
        ([], []),
    ],
)
async def test_conflicts_touching_claims_on_either_side(
    database, ledger, conflicts, sides, expected
):
    async with database.transaction() as tx:
        found = await tx.claims.conflicts_touching([ledger[name].id for name in sides])
    assert found == [conflicts[name] for name in expected]
