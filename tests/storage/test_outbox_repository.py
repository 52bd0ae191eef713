"""Outbox: enqueue, what is due, sent, retried, dropped."""

from datetime import UTC, datetime, timedelta

import pytest

from storage.errors import NotFoundError
from storage.records import OutboxKind

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
CHAT = -1002012345678


async def test_enqueue_and_due_oldest_first(database):
    async with database.transaction() as tx:
        first = await tx.outbox.enqueue(CHAT, OutboxKind.DIGEST, "<b>Digest</b>", T0)
        second = await tx.outbox.enqueue(42, OutboxKind.ALERT, "Alert", T0 + timedelta(seconds=1))
        assert await tx.outbox.due(T0 - timedelta(seconds=1), 10) == []
        assert await tx.outbox.due(T0 + timedelta(seconds=1), 10) == [first, second]
        assert await tx.outbox.due(T0 + timedelta(seconds=1), 1) == [first]
        assert await tx.outbox.count_pending() == 2
    assert (first.chat_id, first.kind, first.text, first.attempts) == (
        CHAT,
        OutboxKind.DIGEST,
        "<b>Digest</b>",
        0,
    )
    assert first.created_at == first.not_before_at == T0 and first.sent_at is None


async def test_mark_sent_takes_it_out_of_the_queue(database):
    async with database.transaction() as tx:
        message = await tx.outbox.enqueue(CHAT, OutboxKind.NOTICE, "hi", T0)
        await tx.outbox.mark_sent(message.id, T0)
        assert await tx.outbox.due(T0, 10) == []
        assert await tx.outbox.count_pending() == 0


async def test_record_failure_postpones(database):
    retry_at = T0 + timedelta(seconds=30)
    async with database.transaction() as tx:
        message = await tx.outbox.enqueue(CHAT, OutboxKind.ALERT, "x", T0)
        await tx.outbox.record_failure(message.id, "RetryAfter 30", retry_at)
        assert await tx.outbox.due(T0, 10) == []
        (again,) = await tx.outbox.due(retry_at, 10)
    assert (again.attempts, again.last_error, again.not_before_at) == (1, "RetryAfter 30", retry_at)


async def test_drop_keeps_the_message_but_never_sends_it(database):
    async with database.transaction() as tx:
        message = await tx.outbox.enqueue(CHAT, OutboxKind.DIGEST, "x", T0)
        await tx.outbox.drop(message.id, "Forbidden: bot was blocked by the user")
        assert await tx.outbox.due(T0 + timedelta(days=1), 10) == []
        assert await tx.outbox.count_pending() == 0


@pytest.mark.parametrize(
    "verb",
    [
        lambda outbox: outbox.mark_sent(5, T0),
        lambda outbox: outbox.record_failure(5, "x", T0),
        lambda outbox: outbox.drop(5, "x"),
    ],
    ids=["mark_sent", "record_failure", "drop"],
)
async def test_verbs_on_a_missing_message_raise_not_found(database, verb):
    async with database.transaction() as tx:
        with pytest.raises(NotFoundError, match="no outbox message 5"):
            await verb(tx.outbox)


async def test_enqueue_into_a_forum_topic_later(database):
    later = T0 + timedelta(minutes=10)
    async with database.transaction() as tx:
        message = await tx.outbox.enqueue(
            CHAT, OutboxKind.ALERT, "x", T0, thread_id=12, not_before_at=later
        )
        assert await tx.outbox.due(later - timedelta(seconds=1), 10) == []
        assert await tx.outbox.due(later, 10) == [message]
    assert (message.thread_id, message.created_at, message.not_before_at) == (12, T0, later)


async def test_count_created_since_counts_one_chats_kind_sent_or_not(database):
    async with database.transaction() as tx:
        for minutes in (0, 30, 50):
            message = await tx.outbox.enqueue(
                CHAT, OutboxKind.ALERT, "x", T0 + timedelta(minutes=minutes)
            )
        await tx.outbox.mark_sent(message.id, T0 + timedelta(minutes=50))
        await tx.outbox.enqueue(CHAT, OutboxKind.DIGEST, "x", T0 + timedelta(minutes=40))
        await tx.outbox.enqueue(42, OutboxKind.ALERT, "x", T0 + timedelta(minutes=40))
        counted = [
            await tx.outbox.count_created_since(CHAT, OutboxKind.ALERT, T0 + timedelta(minutes=m))
            for m in (0, 1, 30, 51)
        ]
    assert counted == [3, 2, 2, 0]


async def test_pending_summary_and_oldest_pending(database):
    async with database.transaction() as tx:
        assert await tx.outbox.pending_summary() == dict.fromkeys(OutboxKind, 0)
        assert await tx.outbox.oldest_pending_at() is None
        sent = await tx.outbox.enqueue(CHAT, OutboxKind.ALERT, "x", T0)
        await tx.outbox.mark_sent(sent.id, T0)
        dropped = await tx.outbox.enqueue(CHAT, OutboxKind.ALERT, "x", T0 + timedelta(minutes=1))
        await tx.outbox.drop(dropped.id, "Forbidden")
        for minutes, kind in (
            (2, OutboxKind.DIGEST),
            (3, OutboxKind.DIGEST),
            (4, OutboxKind.ALERT),
        ):
            await tx.outbox.enqueue(CHAT, kind, "x", T0 + timedelta(minutes=minutes))
        summary = await tx.outbox.pending_summary()
        oldest = await tx.outbox.oldest_pending_at()
    assert summary == {OutboxKind.DIGEST: 2, OutboxKind.ALERT: 1, OutboxKind.NOTICE: 0}
    assert oldest == T0 + timedelta(minutes=2)


async def test_failed_recently_counts_undelivered_failures(database):
    async with database.transaction() as tx:
        ids = [
            (await tx.outbox.enqueue(CHAT, OutboxKind.ALERT, name, T0 + timedelta(minutes=n))).id
            for n, name in enumerate(["old drop", "drop", "retrying", "retried then sent", "ok"])
        ]
        await tx.outbox.drop(ids[0], "Forbidden")
        await tx.outbox.drop(ids[1], "Forbidden")
        await tx.outbox.record_failure(ids[2], "timeout", T0 + timedelta(hours=1))
        await tx.outbox.record_failure(ids[3], "timeout", T0 + timedelta(hours=1))
        await tx.outbox.mark_sent(ids[3], T0 + timedelta(hours=1))
        await tx.outbox.mark_sent(ids[4], T0)
        every = await tx.outbox.failed_recently(T0)
        recent = await tx.outbox.failed_recently(T0 + timedelta(minutes=1))
        none = await tx.outbox.failed_recently(T0 + timedelta(minutes=3))
    assert (every, recent, none) == (3, 2, 0)


@pytest.mark.parametrize(
    ("scope", "leased_chats"),
    [({}, [0, 1, 2]), ({"only_chat_id": 0}, [0]), ({"except_chat_id": 0}, [1, 2])],
)
async def test_lease_due_hides_what_it_took_and_keeps_to_its_chats(database, scope, leased_chats):
    async with database.transaction() as tx:
        for chat_id in (0, 1, 2):
            await tx.outbox.enqueue(chat_id, OutboxKind.DIGEST, f"to {chat_id}", T0)
    async with database.transaction() as tx:
        leased = await tx.outbox.lease_due(T0, 10, timedelta(seconds=10), **scope)
        assert [message.chat_id for message in leased] == leased_chats
        again = await tx.outbox.lease_due(T0, 10, timedelta(seconds=10), **scope)
        assert again == []
        later = await tx.outbox.lease_due(T0 + timedelta(seconds=11), 10, timedelta(seconds=10))
        assert {message.chat_id for message in later} == {0, 1, 2}
