"""Items: idempotent ingestion by (source, guid), edits, listing, digest windows."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from storage.records import Mention, NewItem, NewSource

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
T1 = T0 + timedelta(hours=1)


def new_item(guid, *, title="Title", text="Text", published_at=T0, content_hash=None):
    return NewItem(
        guid=guid,
        url=f"https://news.example/{guid}",
        title=title,
        text=text,
        published_at=published_at,
        lang="en",
        content_hash=content_hash or f"hash-{guid}",
        author="Reporter",
        forwarded_from=None,
    )


@pytest.fixture
async def source_id(database):
    async with database.transaction() as tx:
        return (await tx.sources.add(NewSource("https://news.example/feed"), T0)).id


async def add(database, source_id, items, now=T0):
    async with database.transaction() as tx:
        return await tx.items.add_new(source_id, items, now)


async def test_add_new_inserts_unseen_items_with_ids(database, source_id):
    added = await add(database, source_id, [new_item("a"), new_item("b", published_at=None)])
    assert [i.guid for i in added.new] == ["a", "b"] and added.edited == []
    a, b = added.new
    assert a.id != b.id and a.source_id == source_id
    assert (a.published_at, a.first_seen_at) == (T0, T0)
    assert b.published_at == b.first_seen_at == T0  # undated: dated when first seen
    async with database.transaction() as tx:
        assert await tx.items.get(a.id) == a


async def test_add_new_is_idempotent(database, source_id):
    items = [new_item("a"), new_item("b")]
    await add(database, source_id, items)
    again = await add(database, source_id, items, now=T1)
    assert (again.new, again.edited) == ([], [])
    async with database.transaction() as tx:
        assert len(await tx.items.list(source_id)) == 2


async def test_same_guid_in_two_sources_is_two_items(database, source_id):
    async with database.transaction() as tx:
        other = (await tx.sources.add(NewSource("https://other.example/feed"), T0)).id
    assert len((await add(database, source_id, [new_item("a")])).new) == 1
    assert len((await add(database, other, [new_item("a")])).new) == 1


async def test_repeated_guid_in_one_fetch_counts_once(database, source_id):
    added = await add(database, source_id, [new_item("a"), new_item("a", text="later copy")])
    assert [(i.guid, i.text) for i in added.new] == [("a", "Text")]


@pytest.mark.parametrize(
    ("change", "edited"),
    [
        ({"title": "New title"}, True),
        ({"text": "Corrected text"}, True),
        ({"title": None}, True),
        ({"published_at": T1}, False),
        ({"content_hash": "other"}, False),
    ],
    ids=["title", "text", "title-removed", "date-only", "hash-only"],
)
async def test_edits_are_recorded_only_when_title_or_text_change(
    database, source_id, change, edited
):
    (original,) = (await add(database, source_id, [new_item("a")])).new
    changed = replace(new_item("a"), **change)
    result = await add(database, source_id, [changed, new_item("b")], now=T1)
    assert [i.guid for i in result.new] == ["b"]
    async with database.transaction() as tx:
        history = await tx.items.edits_of(original.id)
        stored = await tx.items.get(original.id)
    if edited:
        (item,) = result.edited
        assert (item.id, item.title, item.text, item.edited_at) == (
            original.id,
            changed.title,
            changed.text,
            T1,
        )
        assert stored == item
        assert history == [(T1, "Title", "Text")]
    else:
        assert result.edited == [] and history == [] and stored == original


async def test_a_large_feed_goes_in_at_once(database, source_id):
    feed = [new_item(f"entry-{n}") for n in range(700)]  # more than one IN chunk
    first = await add(database, source_id, feed)
    second = await add(database, source_id, [*feed[:-1], new_item("entry-699", text="edit")])
    assert len(first.new) == 700 and [i.guid for i in first.new][:2] == ["entry-0", "entry-1"]
    assert second.new == [] and [i.guid for i in second.edited] == ["entry-699"]


async def test_list_is_newest_first_and_filters(database, source_id):
    dated = [new_item(f"g{h}", published_at=T0 + timedelta(hours=h)) for h in range(4)]
    await add(database, source_id, dated)
    async with database.transaction() as tx:
        other = (await tx.sources.add(NewSource("https://other.example/feed"), T0)).id
        await tx.items.add_new(other, [new_item("x", published_at=T0 + timedelta(days=1))], T0)
        everything = await tx.items.list()
        mine = await tx.items.list(source_id=source_id)
        recent = await tx.items.list(source_id=source_id, since=T0 + timedelta(hours=2))
        newest = await tx.items.list(limit=1)
    assert [i.guid for i in everything] == ["x", "g3", "g2", "g1", "g0"]
    assert [i.guid for i in mine] == ["g3", "g2", "g1", "g0"]
    assert [i.guid for i in recent] == ["g3", "g2"]
    assert [i.guid for i in newest] == ["x"]


async def test_find_by_content_hash_across_sources(database, source_id):
    async with database.transaction() as tx:
        other = (await tx.sources.add(NewSource("https://other.example/feed"), T0)).id
    await add(database, source_id, [new_item("a", content_hash="same")])
    await add(database, other, [new_item("b", content_hash="same")], now=T1)
    async with database.transaction() as tx:
        found = await tx.items.find_by_content_hash("same")
        assert await tx.items.find_by_content_hash("none") == []
    assert [(i.guid, i.source_id) for i in found] == [("a", source_id), ("b", other)]


async def test_since_first_seen_uses_arrival_time_and_topics(database, source_id):
    old = (await add(database, source_id, [new_item("old")], now=T0)).new[0]
    backdated = replace(new_item("late"), published_at=T0 - timedelta(days=3))
    late, unrelated = (await add(database, source_id, [backdated, new_item("x")], now=T1)).new
    async with database.transaction() as tx:
        topic = await tx.topics.add("Troops", ["troops"], None)
        other = await tx.topics.add("Weather", ["rain"], None)
        await tx.topics.add_mentions(
            [
                Mention(old.id, topic.id, 90.0, "troops"),
                Mention(late.id, topic.id, 80.0, "troops"),
                Mention(unrelated.id, other.id, 70.0, "rain"),
            ]
        )
        window = await tx.items.since_first_seen(T0, [topic.id])
        both = await tx.items.since_first_seen(T0 - timedelta(seconds=1), [topic.id, other.id])
        closed = await tx.items.since_first_seen(T0 - timedelta(seconds=1), [topic.id], until=T0)
        assert await tx.items.since_first_seen(T0, []) == []
    assert [i.guid for i in window] == ["late"]
    assert [i.guid for i in both] == ["old", "late", "x"]
    assert [i.guid for i in closed] == ["old"]


async def test_get_many_by_id(database, source_id):
    a, b = (await add(database, source_id, [new_item("a"), new_item("b")])).new
    async with database.transaction() as tx:
        found = await tx.items.get_many([b.id, a.id, b.id, b.id + 1000])
        assert await tx.items.get_many([]) == {}
    assert found == {a.id: a, b.id: b}


async def test_get_many_beyond_one_statements_parameters(database, source_id):
    added = (await add(database, source_id, [new_item(f"g{n}") for n in range(1201)])).new
    async with database.transaction() as tx:
        found = await tx.items.get_many([item.id for item in added])
    assert found == {item.id: item for item in added}


async def test_since_first_seen_can_read_only_the_start_of_each_text(database, source_id):
    text = "Війська 🚀 " + "ï" * 50  # letters of two bytes and four: characters are counted
    item = (await add(database, source_id, [replace(new_item("lead"), text=text)])).new[0]
    async with database.transaction() as tx:
        topic = await tx.topics.add("Troops", ["troops"], None)
        await tx.topics.add_mentions([Mention(item.id, topic.id, 90.0, "troops")])
        [lead] = await tx.items.since_first_seen(
            T0 - timedelta(seconds=1), [topic.id], text_chars=9
        )
        [whole] = await tx.items.since_first_seen(T0 - timedelta(seconds=1), [topic.id])
    assert lead.text == text[:9] == "Війська 🚀"
    assert whole == replace(lead, text=text)
