"""/status for the bot's admins, and /digest: the digest now, without moving its window."""

from datetime import timedelta

from storage.records import NewSource, OutboxKind
from tests.chat.chat_harness import ADMIN_ID, START, Conversation, store_item


async def test_status_is_for_bot_admins_and_sums_up_the_bot(bot, services):
    async with services.db.transaction() as tx:
        ok = await tx.sources.add(NewSource("https://example.org/ok.xml"), START)
        bad = await tx.sources.add(NewSource("https://example.org/<bad>.xml"), START)
        await tx.sources.record_success(
            ok.id, START, next_check_at=START + timedelta(hours=1), etag=None, last_modified=None
        )
        for _ in range(3):
            await tx.sources.record_failure(
                bad.id, START, error="timed out <30s>", next_check_at=START
            )
        await tx.outbox.enqueue(ADMIN_ID, OutboxKind.DIGEST, "hello", START - timedelta(hours=2))
        await tx.outbox.enqueue(ADMIN_ID, OutboxKind.ALERT, "conflict", START)
    admin = Conversation(bot, services, chat_id=ADMIN_ID, user_id=ADMIN_ID)
    await admin.send("/start")
    text = await admin.text("/status")
    assert "Sources: 2 — 1 active, 1 failing, 0 paused; 1 due now" in text
    assert "Outbox: 1 digest, 1 alert waiting, the oldest from 2024-10-23 10:00" in text
    assert "Chats: 1 active" in text and "Last scheduled digest: never" in text
    assert "#2" in text and "3 errors: timed out &lt;30s&gt;" in text

    async with services.db.transaction() as tx:
        for message in await tx.outbox.due(START, 10):
            await tx.outbox.mark_sent(message.id, START)
    assert "Outbox: nothing waiting; 0 messages failed" in await admin.text("/status")

    stranger = Conversation(bot, services)
    assert "Only the bot's admins can use /status" in await stranger.text("/status")


async def test_digest_shows_the_chats_new_stories_and_keeps_its_window(private, services):
    await private.send("/start")
    assert "Nothing new on your topics" in await private.text("/digest")
    await store_item(services, "Pyongyang sent more North Korean troops.", title="<Troops> & co",
                     at=START - timedelta(hours=1), guid="a")  # fmt: skip
    await store_item(services, "The weather in Kyiv is fine.", title="Weather", guid="b")
    await store_item(services, "US aid reached Kyiv.", title="Aid", guid="c", url="javascript:x")
    text = await private.text("/digest")
    assert '<a href="https://example.org/news/1">' in text and "&lt;Troops&gt; &amp; co" in text
    assert "Aid" in text and "javascript:" not in text  # no link but http(s)
    assert "Weather" not in text
    assert text == await private.text("/digest")  # asking again: the same window

    async with services.db.transaction() as tx:
        await tx.chats.mark_digest_sent(private.chat_id, START + timedelta(minutes=1))
    assert "Nothing new" in await private.text("/digest")
