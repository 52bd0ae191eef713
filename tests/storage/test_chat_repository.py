"""Chats: subscribing, settings, the topics a chat follows, group migration."""

from datetime import UTC, datetime, time, timedelta

import pytest

from storage.errors import NotFoundError
from storage.records import (
    ChatKind,
    ClaimOrigin,
    ConflictKind,
    Modifier,
    NewClaim,
    OutboxKind,
    Polarity,
)

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
GROUP, SUPERGROUP = -4012345678, -1002012345678  # Telegram ids beyond 32 bits


async def subscribe(tx, chat_id=GROUP, kind=ChatKind.GROUP, title="Analysts", **extra):
    return await tx.chats.subscribe(
        chat_id, kind, title, timezone="Europe/Kyiv", digest_time=time(8, 0), now=T0, **extra
    )


async def add_conflicts(tx, count):
    """``count`` conflicts between two fresh claims of a fresh topic; their ids, ascending."""
    topic = await tx.topics.add(f"Ledger {count}", [], None)
    claims = [
        await tx.claims.add(
            NewClaim(topic.name, "s", "troops", "x", Modifier.EXACT, Polarity.ASSERTS, value=n),
            topic_id=topic.id,
            item_id=None,
            origin=ClaimOrigin.CHAT,
            stated_at=T0,
        )
        for n in range(count + 1)
    ]
    return [
        (await tx.claims.add_conflict(c.id, claims[0].id, ConflictKind.NUMERIC, "r", T0)).id
        for c in claims[1:]
    ]


@pytest.fixture
async def topic_ids(database):
    async with database.transaction() as tx:
        return [(await tx.topics.add(name, [], None)).id for name in ("A", "B", "C")]


async def test_subscribe_creates_a_chat_following_every_topic(database, topic_ids):
    async with database.transaction() as tx:
        chat = await subscribe(tx)
    assert (chat.chat_id, chat.kind, chat.title, chat.timezone, chat.digest_time) == (
        GROUP,
        ChatKind.GROUP,
        "Analysts",
        "Europe/Kyiv",
        time(8, 0),
    )
    assert chat.active and chat.alerts and chat.follows_all_topics
    assert chat.topic_ids == frozenset(topic_ids)
    assert chat.created_at == T0 and chat.last_digest_at is None
    assert (chat.thread_id, chat.empty_digest, chat.last_alert_conflict_id) == (None, True, None)


async def test_unsubscribe_keeps_settings_and_subscribe_reactivates(database):
    async with database.transaction() as tx:
        await subscribe(tx)
        await tx.chats.update_settings(GROUP, digest_size=3, alerts=False)
        assert await tx.chats.unsubscribe(GROUP) is True
        assert await tx.chats.unsubscribe(GROUP) is False
        assert await tx.chats.list_active() == []
        back = await subscribe(tx, title="Renamed")
    assert back.active and (back.digest_size, back.alerts, back.title) == (3, False, "Renamed")


async def test_deactivate_and_forget(database):
    async with database.transaction() as tx:
        await subscribe(tx)
        assert await tx.chats.deactivate(GROUP) is True
        assert (await tx.chats.get(GROUP)).active is False
        assert await tx.chats.forget(GROUP) is True
        assert await tx.chats.forget(GROUP) is False
        assert await tx.chats.get(GROUP) is None


@pytest.mark.parametrize(
    ("settings", "expected"),
    [
        ({"timezone": "Asia/Seoul"}, ("Asia/Seoul", time(8, 0), True, 10, True)),
        ({"digest_time": time(21, 30)}, ("Europe/Kyiv", time(21, 30), True, 10, True)),
        ({"alerts": False, "digest_size": 5}, ("Europe/Kyiv", time(8, 0), False, 5, True)),
        ({"empty_digest": False}, ("Europe/Kyiv", time(8, 0), True, 10, False)),
        ({}, ("Europe/Kyiv", time(8, 0), True, 10, True)),
    ],
)
async def test_update_settings_changes_only_what_is_given(database, settings, expected):
    async with database.transaction() as tx:
        await subscribe(tx)
        chat = await tx.chats.update_settings(GROUP, **settings)
        stored = await tx.chats.get(GROUP)
    assert chat == stored
    assert (
        chat.timezone,
        chat.digest_time,
        chat.alerts,
        chat.digest_size,
        chat.empty_digest,
    ) == expected


@pytest.mark.parametrize(
    ("first", "again", "expected"),
    [
        (None, None, None),
        (7, None, 7),  # a re-subscription from outside a forum topic keeps the topic
        (7, 9, 9),
        (None, 9, 9),
    ],
)
async def test_subscribe_stores_the_forum_topic(database, first, again, expected):
    async with database.transaction() as tx:
        chat = await subscribe(tx, kind=ChatKind.SUPERGROUP, thread_id=first)
        back = await subscribe(tx, kind=ChatKind.SUPERGROUP, thread_id=again)
        stored = await tx.chats.get(GROUP)
    assert chat.thread_id == first
    assert back.thread_id == stored.thread_id == expected


async def test_a_new_chat_has_considered_every_conflict_on_record(database):
    async with database.transaction() as tx:
        first = await subscribe(tx, chat_id=1)
        conflict_ids = await add_conflicts(tx, 3)
        second = await subscribe(tx, chat_id=2)
    assert first.last_alert_conflict_id is None
    assert second.last_alert_conflict_id == max(conflict_ids)


async def test_reactivation_skips_conflicts_found_meanwhile_but_resubscribing_does_not(database):
    async with database.transaction() as tx:
        await subscribe(tx)
        (early,) = await add_conflicts(tx, 1)
        still_active = await subscribe(tx)
        await tx.chats.unsubscribe(GROUP)
        meanwhile = await add_conflicts(tx, 2)
        back = await subscribe(tx)
    assert still_active.last_alert_conflict_id is None
    assert back.last_alert_conflict_id == max(meanwhile) > early


async def test_mark_alerts_checked_only_moves_forward(database):
    async with database.transaction() as tx:
        await subscribe(tx)
        await tx.chats.mark_alerts_checked(GROUP, 5)
        assert (await tx.chats.get(GROUP)).last_alert_conflict_id == 5
        await tx.chats.mark_alerts_checked(GROUP, 3)
        assert (await tx.chats.get(GROUP)).last_alert_conflict_id == 5
        await tx.chats.mark_alerts_checked(GROUP, 8)
        assert (await tx.chats.get(GROUP)).last_alert_conflict_id == 8


async def test_last_digest_run_and_count_active(database):
    async with database.transaction() as tx:
        assert await tx.chats.last_digest_run() is None
        assert await tx.chats.count_active() == 0
        for chat_id in (1, 2, 3):
            await subscribe(tx, chat_id=chat_id)
        await tx.chats.unsubscribe(3)
        assert await tx.chats.last_digest_run() is None
        await tx.chats.mark_digest_sent(1, T0 + timedelta(days=1))
        await tx.chats.mark_digest_sent(2, T0 + timedelta(days=2))
        await tx.chats.mark_digest_sent(3, T0 + timedelta(days=3))  # counts though inactive
        assert await tx.chats.count_active() == 2
    async with database.transaction() as tx:  # read back in a new session: from the database
        latest = await tx.chats.last_digest_run()
    assert latest == T0 + timedelta(days=3) and latest.tzinfo is not None


async def test_first_follow_change_copies_all_topics(database, topic_ids):
    a, b, c = topic_ids
    async with database.transaction() as tx:
        await subscribe(tx)
        assert await tx.chats.unfollow(GROUP, b) is True
        chat = await tx.chats.get(GROUP)
        new_topic = await tx.topics.add("D", [], None)  # not followed: the list is the chat's own
        assert [t.name for t in await tx.chats.topics_of(GROUP)] == ["A", "C"]
        assert await tx.chats.unfollow(GROUP, b) is False
        assert await tx.chats.follow(GROUP, new_topic.id) is True
        assert await tx.chats.follow(GROUP, new_topic.id) is False
        final = await tx.chats.get(GROUP)
    assert not chat.follows_all_topics and chat.topic_ids == {a, c}
    assert final.topic_ids == {a, c, new_topic.id}


async def test_following_while_following_all_freezes_the_list(database, topic_ids):
    async with database.transaction() as tx:
        await subscribe(tx)
        assert await tx.chats.follow(GROUP, topic_ids[0]) is False  # already followed
        await tx.topics.add("D", [], None)
        chat = await tx.chats.get(GROUP)
    assert not chat.follows_all_topics and chat.topic_ids == set(topic_ids)


async def test_topics_of_a_chat_following_all_is_every_topic(database, topic_ids):
    async with database.transaction() as tx:
        await subscribe(tx)
        assert [t.id for t in await tx.chats.topics_of(GROUP)] == topic_ids


async def test_list_active_carries_each_chats_topics(database, topic_ids):
    async with database.transaction() as tx:
        await subscribe(tx)
        await subscribe(tx, chat_id=42, kind=ChatKind.PRIVATE, title=None)
        await subscribe(tx, chat_id=43, kind=ChatKind.PRIVATE, title=None)
        await tx.chats.unfollow(42, topic_ids[0])
        await tx.chats.unsubscribe(43)
        active = await tx.chats.list_active()
    assert [(c.chat_id, c.topic_ids) for c in active] == [
        (GROUP, frozenset(topic_ids)),
        (42, frozenset(topic_ids[1:])),
    ]


async def test_mark_digest_sent(database):
    async with database.transaction() as tx:
        await subscribe(tx)
        await tx.chats.mark_digest_sent(GROUP, T0 + timedelta(hours=20))
        assert (await tx.chats.get(GROUP)).last_digest_at == T0 + timedelta(hours=20)


async def test_migrate_moves_chat_topics_and_unsent_messages(database, topic_ids):
    async with database.transaction() as tx:
        await subscribe(tx, thread_id=3)  # kept as it is, though basic groups have no topics
        await tx.chats.unfollow(GROUP, topic_ids[2])
        await tx.chats.update_settings(GROUP, digest_size=4, empty_digest=False)
        await tx.chats.mark_alerts_checked(GROUP, 12)
        sent = await tx.outbox.enqueue(GROUP, OutboxKind.DIGEST, "old digest", T0)
        await tx.outbox.mark_sent(sent.id, T0)
        pending = await tx.outbox.enqueue(GROUP, OutboxKind.ALERT, "alert", T0, thread_id=3)
        moved = await tx.chats.migrate(GROUP, SUPERGROUP)
        again = await tx.chats.migrate(GROUP, SUPERGROUP)
        due = await tx.outbox.due(T0, 10)
        assert await tx.chats.get(GROUP) is None
    assert moved == again
    assert (moved.chat_id, moved.kind, moved.digest_size) == (SUPERGROUP, ChatKind.SUPERGROUP, 4)
    assert moved.topic_ids == set(topic_ids[:2])
    assert (moved.thread_id, moved.empty_digest, moved.last_alert_conflict_id) == (3, False, 12)
    assert [(m.id, m.chat_id, m.thread_id) for m in due] == [(pending.id, SUPERGROUP, 3)]


async def test_migrate_onto_an_existing_chat_keeps_the_new_one(database):
    async with database.transaction() as tx:
        await subscribe(tx)
        await subscribe(tx, chat_id=SUPERGROUP, kind=ChatKind.SUPERGROUP, title="New")
        moved = await tx.chats.migrate(GROUP, SUPERGROUP)
        assert await tx.chats.get(GROUP) is None
    assert moved.title == "New"


@pytest.mark.parametrize(
    "verb",
    [
        lambda chats: chats.update_settings(1, alerts=False),
        lambda chats: chats.follow(1, 1),
        lambda chats: chats.unfollow(1, 1),
        lambda chats: chats.topics_of(1),
        lambda chats: chats.mark_digest_sent(1, T0),
        lambda chats: chats.mark_alerts_checked(1, 1),
    ],
    ids=[
        "update_settings",
        "follow",
        "unfollow",
        "topics_of",
        "mark_digest_sent",
        "mark_alerts_checked",
    ],
)
async def test_verbs_on_an_unknown_chat_raise_not_found(database, verb):
    async with database.transaction() as tx:
        with pytest.raises(NotFoundError, match="no chat 1"):
            await verb(tx.chats)


async def test_follow_an_unknown_topic_raises_not_found(database):
    async with database.transaction() as tx:
        await subscribe(tx)
        with pytest.raises(NotFoundError, match="no topic 999"):
            await tx.chats.follow(GROUP, 999)
