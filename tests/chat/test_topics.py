"""/topics, /track and /untrack; a chat's new topic is matched in items from then on."""

from datetime import timedelta

import pytest

from bot.chat.limits import ALIAS_CHARS, ALIASES_PER_TOPIC, TOPICS_PER_CHAT
from bot.ledger.claim_ledger import ClaimLedger
from storage.records import ChatKind
from tests.chat.chat_harness import AID, NK, START, WATCHLIST, Conversation, store_item

GROUP = -100555


async def topic_names(services, chat_id):
    async with services.db.transaction() as tx:
        return [t.name for t in await tx.chats.topics_of(chat_id)]


async def mentioned(services, item_id):
    async with services.db.transaction() as tx:
        ids = {m.topic_id for m in await tx.topics.mentions_of_item(item_id)}
        return {t.name for t in await tx.topics.list() if t.id in ids}


async def test_topics_lists_what_the_chat_follows_with_aliases(private):
    await private.send("/start")
    text = await private.text("/topics")
    assert "every topic (2)" in text
    assert f"<b>{NK.name}</b>: North Korea, North Korean" in text
    assert AID.name in text and "/track" in text


async def test_track_adds_a_topic_that_new_items_are_matched_against(services_on_both):
    from bot.chat.commands import ChatBot

    services = services_on_both
    chat = Conversation(ChatBot(services), services)
    await chat.send("/start")
    text = await chat.text("/track Gaza ceasefire: Gaza truce, перемирие в Газе")
    assert "Added the topic <b>Gaza ceasefire</b>" in text and "Gaza truce" in text
    assert await topic_names(services, chat.chat_id) == [
        "Gaza ceasefire", NK.name, AID.name,
    ]  # fmt: skip
    listing = await chat.text("/topics")
    assert "follows 3 topics" in listing and "перемирие в Газе" in listing

    item = await store_item(services, "Talks on a Gaza truce resumed in Cairo on Monday.")
    assert await mentioned(services, item) == {"Gaza ceasefire"}

    # a restart keeps matching it: the ledger loads chat-made topics from the database
    restarted = ClaimLedger(WATCHLIST)
    await restarted.load(services.db, START + timedelta(hours=1))
    matches = restarted.analyzer.match_topics("Перемирие в Газе продлили.")
    assert [m.topic for m in matches] == ["Gaza ceasefire"]


async def test_track_follows_an_existing_topic_by_its_name_folded(private, services):
    await private.send("/start")
    await private.send("/untrack US aid to Ukraine")
    assert await topic_names(services, private.chat_id) == [NK.name]
    text = await private.text("/track  us AID   to ukraine")
    assert f"now follows <b>{AID.name}</b>" in text
    assert "already" in await private.text(f"/track {AID.name}")
    assert "already" in await private.text("/track ＵＳ aid to Ukraine")  # NFKC: full width
    kept = await private.text(f"/track {NK.name}: Kim")
    assert "already" in kept
    async with services.db.transaction() as tx:
        assert (await tx.topics.get_by_name(NK.name)).aliases == NK.aliases


async def test_a_near_identical_name_is_a_new_topic_beside_the_old_one(private, services):
    await private.send("/start")
    await private.send("/track Iran talks 2024: Iran nuclear talks")

    text = await private.text("/track Iran talks 2025: Iran talks in Oman, Muscat talks")

    assert "Added the topic <b>Iran talks 2025</b>" in text
    assert "named alike: <b>Iran talks 2024</b>" in text
    assert await topic_names(services, private.chat_id) == [
        "Iran talks 2024", "Iran talks 2025", NK.name, AID.name,
    ]  # fmt: skip
    misspelt = await private.text("/track us aid to ukriane")  # a typo is a name too
    assert "Added the topic <b>us aid to ukriane</b>" in misspelt
    assert f"named alike: <b>{AID.name}</b>" in misspelt
    async with services.db.transaction() as tx:
        kept = await tx.topics.get_by_name("Iran talks 2024")
        assert kept is not None and kept.aliases == ("Iran nuclear talks",)


async def test_untrack_drops_only_the_topic_of_that_name(private, services):
    await private.send("/start")
    await private.send("/track Iran talks 2024")
    await private.send("/track Iran talks 2025")

    dropped = await private.text("/untrack  IRAN talks 2025")
    missed = await private.text("/untrack Iran talks 2026")

    assert "no longer follows <b>Iran talks 2025</b>" in dropped
    assert "no topic called <b>Iran talks 2026</b>" in missed
    assert "Did you mean <b>Iran talks 2024</b>?" in missed
    assert await topic_names(services, private.chat_id) == ["Iran talks 2024", NK.name, AID.name]


async def test_track_with_aliases_of_a_topic_another_chat_follows_keeps_them(bot, services):
    first = Conversation(bot, services, chat_id=1)
    second = Conversation(bot, services, chat_id=2)
    for chat in (first, second):
        await chat.send("/start")
    await first.send("/track Gaza: Газа")
    await second.send("/untrack Gaza")
    text = await second.text("/track Gaza: Hamas, Israel")
    assert "now follows <b>Gaza</b>" in text and "aliases stay" in text
    async with services.db.transaction() as tx:
        assert (await tx.topics.get_by_name("Gaza")).aliases == ("Газа",)


async def test_untrack_stops_following_and_suggests_on_a_miss(private, services):
    await private.send("/start")
    assert "no longer follows <b>US aid to Ukraine</b>" in await private.text(
        "/untrack US aid to Ukraine"
    )
    assert await topic_names(services, private.chat_id) == [NK.name]
    miss = await private.text("/untrack North Korea")
    assert "no topic called <b>North Korea</b>" in miss and f"<b>{NK.name}</b>?" in miss
    assert "/topics lists" in await private.text("/untrack Weather")


async def test_only_group_admins_change_the_topics(bot, services):
    admin = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP)
    member = Conversation(bot, services, chat_id=GROUP, kind=ChatKind.GROUP, admin=False)
    await admin.send("/start")
    for line in ("/track Gaza", "/untrack US aid to Ukraine"):
        assert "Only this group's admins" in await member.text(line)
    assert "every topic (2)" in await member.text("/topics")  # reading is open to all
    assert await topic_names(services, GROUP) == [NK.name, AID.name]


@pytest.mark.parametrize(
    ("line", "wanted"),
    [
        ("/track " + "n" * (ALIAS_CHARS + 1), f"at most {ALIAS_CHARS} characters"),
        ("/track Gaza: " + "a" * (ALIAS_CHARS + 1), f"at most {ALIAS_CHARS} characters"),
        (
            "/track Gaza: " + ", ".join(f"a{n}" for n in range(ALIASES_PER_TOPIC + 1)),
            f"at most {ALIASES_PER_TOPIC} aliases",
        ),
        ("/track Gaza: ---", "letter or digit"),
        ("/untrack", "Name the topic"),
    ],
)
async def test_topic_limits(private, services, line, wanted):
    await private.send("/start")
    assert wanted in await private.text(line)
    assert await topic_names(services, private.chat_id) == [NK.name, AID.name]


async def test_a_chat_follows_and_creates_at_most_so_many_topics(private, services):
    await private.send("/start")
    async with services.db.transaction() as tx:
        for n in range(TOPICS_PER_CHAT - 2):
            topic = await tx.topics.add(f"Topic {n}", [], private.chat_id)
            await tx.chats.follow(private.chat_id, topic.id)
    assert f"follows {TOPICS_PER_CHAT} topics" in await private.text("/track One more")
    async with services.db.transaction() as tx:
        for n in range(2):  # made by the chat, no longer followed
            await tx.topics.add(f"Old topic {n}", [], private.chat_id)
    await private.send("/untrack US aid to Ukraine")
    assert f"has added {TOPICS_PER_CHAT} topics" in await private.text("/track One more")
    assert "now follows" in await private.text("/track US aid to Ukraine")
    assert len(await topic_names(services, private.chat_id)) == TOPICS_PER_CHAT


async def test_hostile_topic_names_are_escaped(private):
    await private.send("/start")
    text = await private.text('/track <script>alert(1)</script> & "x": <b>bold</b>, a<i')
    assert "<script>" not in text and "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in text
    listing = await private.text("/topics")
    assert "<b>bold</b>" not in listing and "&lt;b&gt;bold&lt;/b&gt;" in listing
    assert "a&lt;i" in listing


async def test_a_topic_removed_from_the_database_is_no_longer_mentioned(private, services):
    await private.send("/start")
    await private.send("/track Gaza ceasefire: Gaza truce")
    first = await store_item(services, "A Gaza truce was agreed.", guid="1")
    assert await mentioned(services, first) == {"Gaza ceasefire"}
    async with services.db.transaction() as tx:
        topic = await tx.topics.get_by_name("Gaza ceasefire")
        assert topic is not None
        await tx.topics.remove(topic.id)
    assert await services.ledger.refresh_topics(services.db)  # as the poll job does
    second = await store_item(services, "The Gaza truce held; North Korea said nothing.", guid="2")
    assert await mentioned(services, second) == {NK.name}  # the watchlist's topics stay
