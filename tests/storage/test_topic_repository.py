"""Topics: the watchlist sync, chat-made topics, mentions."""

from dataclasses import dataclass
from datetime import UTC, datetime

import pytest

from storage.errors import DuplicateError
from storage.records import Mention, NewItem, NewSource

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Spec:
    name: str
    aliases: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


async def test_sync_watchlist_inserts_updates_and_removes_dropped_entries(database):
    async with database.transaction() as tx:
        first = await tx.topics.sync_watchlist(
            [Spec("DPRK troops", ("North Korea",), ("South Korea",)), Spec("Grain deal")]
        )
        chat_made = await tx.topics.add("Drones", ["UAV"], created_by_chat_id=-100123)
    async with database.transaction() as tx:
        second = await tx.topics.sync_watchlist([Spec("DPRK troops", ("КНДР", "DPRK"))])
        topics = await tx.topics.list()
    assert [t.name for t in first] == ["DPRK troops", "Grain deal"]
    assert first[0].aliases == ("North Korea",) and first[0].exclude == ("South Korea",)
    assert second[0].id == first[0].id
    assert (second[0].aliases, second[0].exclude) == (("КНДР", "DPRK"), ())
    assert [t.name for t in topics] == ["DPRK troops", "Drones"]  # by name; chat's topic stays
    assert topics[1] == chat_made


async def test_sync_watchlist_adopts_a_chat_topic_of_the_same_name(database):
    async with database.transaction() as tx:
        made = await tx.topics.add("Drones", ["UAV"], created_by_chat_id=42)
        (synced,) = await tx.topics.sync_watchlist([Spec("Drones", ("drone",))])
    assert (synced.id, synced.created_by_chat_id, synced.aliases) == (made.id, None, ("drone",))


async def test_add_get_remove(database):
    async with database.transaction() as tx:
        topic = await tx.topics.add("Drones", ["UAV", "БПЛА"], 42, exclude=["toy"])
        assert topic.aliases == ("UAV", "БПЛА") and topic.exclude == ("toy",)
        assert await tx.topics.get_by_name("Drones") == topic
        assert await tx.topics.get(topic.id) == topic
        with pytest.raises(DuplicateError, match="Drones"):
            await tx.topics.add("Drones", [], None)
        assert await tx.topics.remove(topic.id) is True
        assert await tx.topics.remove(topic.id) is False
        assert await tx.topics.get_by_name("Drones") is None


async def test_names_are_one_topic_only_when_equal_after_folding(database):
    async with database.transaction() as tx:
        talks = await tx.topics.add("Iran talks 2024", [], 42)
        later = await tx.topics.add("Iran talks 2025", [], 42)  # near-identical: its own topic
        for same in ("iran  TALKS 2024", " Iran talks\t2024 ", "Ｉｒａｎ talks 2024"):
            assert await tx.topics.get_by_name(same) == talks
            with pytest.raises(DuplicateError):
                await tx.topics.add(same, [], 7)
        assert await tx.topics.get_by_name("IRAN TALKS 2025") == later
        assert await tx.topics.get_by_name("Iran talks 2026") is None
        assert [t.name for t in await tx.topics.list()] == ["Iran talks 2024", "Iran talks 2025"]


async def test_sync_watchlist_matches_names_after_folding(database):
    async with database.transaction() as tx:
        made = await tx.topics.add("gaza  ceasefire", ["truce"], created_by_chat_id=42)
        (synced,) = await tx.topics.sync_watchlist([Spec("Gaza ceasefire", ("Gaza truce",))])
        (again,) = await tx.topics.sync_watchlist([Spec("Gaza Ceasefire 2025")])
        topics = await tx.topics.list()
    assert (synced.id, synced.name, synced.created_by_chat_id) == (made.id, "Gaza ceasefire", None)
    assert again.id != made.id  # another name: the old watchlist topic went, a new one came
    assert [t.name for t in topics] == ["Gaza Ceasefire 2025"]


async def test_mentions_are_recorded_once_and_read_back(database):
    async with database.transaction() as tx:
        source = await tx.sources.add(NewSource("https://news.example/feed"), T0)
        added = await tx.items.add_new(
            source.id, [NewItem("g", None, None, "text", T0, None, "h")], T0
        )
        item = added.new[0]
        troops = await tx.topics.add("Troops", [], None)
        drones = await tx.topics.add("Drones", [], None)
        mentions = [
            Mention(item.id, troops.id, 70.0, "troops"),
            Mention(item.id, drones.id, 95.5, "UAV"),
        ]
        assert await tx.topics.add_mentions(mentions) == 2
        assert await tx.topics.add_mentions([*mentions, mentions[0]]) == 0
        assert await tx.topics.add_mentions([]) == 0
        found = await tx.topics.mentions_of_item(item.id)
        await tx.topics.remove(drones.id)
        after_removal = await tx.topics.mentions_of_item(item.id)
    assert found == [mentions[1], mentions[0]]  # strongest first
    assert after_removal == [mentions[0]]
