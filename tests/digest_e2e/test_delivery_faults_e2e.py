"""A scheduled digest meeting every way Telegram refuses a message: it is retried, deferred,
dropped or resent as the failure says, one chat's trouble never touches the others, and a chat
that subscribed from a forum topic gets its digest in that topic."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

from telegram import Update

from storage.db import Database
from storage.records import ChatKind, OutboxKind
from tests.digest_e2e.digest_reports import GUR_12000, KYIV_INDEPENDENT, PLACES, publish_stories
from tests.digest_e2e.digest_world import (
    START,
    Clock,
    World,
    open_world,
    publish,
    sends_to,
    subscribe,
)
from tests.fakebotapi import FakeBotAPI, Fault
from tests.telegram_e2e.e2e_harness import TOKEN

DIGEST_AT = START + timedelta(hours=5)  # 08:00 in Kyiv
FAULTY, CALM, OTHER = 501, 502, 503
KYIV = ZoneInfo("Europe/Kyiv")


async def kyiv_chats(world: World, *chat_ids: int, size: int = 100) -> None:
    for chat_id in chat_ids:
        await subscribe(world.db, chat_id, "Europe/Kyiv", time(8), START)
        async with world.db.transaction() as tx:
            await tx.chats.update_settings(chat_id, digest_size=size)


async def pending_texts(db: Database, chat_id: int) -> list[str]:
    async with db.transaction() as tx:
        due = await tx.outbox.due(DIGEST_AT + timedelta(days=1), 100)
    return [message.text for message in due if message.chat_id == chat_id]


async def test_a_server_error_is_retried_after_the_backoff_and_arrives_once_in_order(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await kyiv_chats(world, FAULTY, CALM)
        await publish_stories(world.services, PLACES, START + timedelta(hours=1))
        fake.fail("sendMessage", Fault.server_error(502), chat_id=FAULTY)
        assert await world.digests_at(DIGEST_AT) == 2
        digest = await pending_texts(world.db, FAULTY)
        assert len(digest) >= 3  # the first message failed, the others wait behind it
        assert [c.status for c in sends_to(fake, FAULTY)] == [502]
        assert fake.sent_to(CALM) == digest  # the other chat got the same digest at once

        assert (await world.drain(at=DIGEST_AT + timedelta(seconds=29))).sent == 0
        assert len(sends_to(fake, FAULTY)) == 1
        report = await world.drain(at=DIGEST_AT + timedelta(seconds=31))
        assert report.sent == len(digest)
        assert fake.sent_to(FAULTY) == digest  # each once, in order
        assert (await world.drain(at=DIGEST_AT + timedelta(hours=2))).sent == 0


async def test_flood_control_waits_as_long_as_telegram_says(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    """python-telegram-bot's rate limiter retries twice, waiting retry_after each time; then the
    outbox defers the message by retry_after."""
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await kyiv_chats(world, FAULTY)
        fake.fail("sendMessage", Fault.too_many_requests(1), times=3, chat_id=FAULTY)
        await world.digests_at(DIGEST_AT)
        refused = sends_to(fake, FAULTY)
        assert [c.status for c in refused] == [429, 429, 429]
        gaps = [later.received_at - earlier.received_at for earlier, later in pairwise(refused)]
        assert all(gap >= timedelta(seconds=1) for gap in gaps)
        assert (await world.drain(at=DIGEST_AT + timedelta(milliseconds=900))).sent == 0
        assert (await world.drain(at=DIGEST_AT + timedelta(seconds=1))).sent == 1
    assert fake.sent_to(FAULTY) == ["Nothing new on your topics since 22 Oct 2024, 08:00 EEST."]


async def test_a_chat_that_blocked_the_bot_is_deactivated_and_the_others_get_theirs(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await kyiv_chats(world, CALM, FAULTY, OTHER)
        await publish_stories(world.services, PLACES, START + timedelta(hours=1))
        fake.fail("sendMessage", Fault.forbidden(), chat_id=FAULTY)
        assert await world.digests_at(DIGEST_AT) == 3
        assert [c.status for c in sends_to(fake, FAULTY)] == [403]  # the rest was dropped
        assert not (await world.chat(FAULTY)).active
        assert await pending_texts(world.db, FAULTY) == []
        assert len(fake.sent_to(CALM)) >= 3 and fake.sent_to(OTHER) == fake.sent_to(CALM)

        assert await world.digests_at(DIGEST_AT + timedelta(days=1)) == 2  # not to the blocked
    assert len(sends_to(fake, FAULTY)) == 1
    assert fake.sent_to(CALM)[-1].startswith("Nothing new on your topics since 23 Oct 2024")
    assert fake.sent_to(OTHER)[-1] == fake.sent_to(CALM)[-1]


async def test_refused_html_is_sent_again_as_plain_text(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await kyiv_chats(world, FAULTY)
        await publish(world.services, KYIV_INDEPENDENT, [GUR_12000], at=START + timedelta(hours=1))
        refusal = "can't parse entities: Unsupported start tag 'b' at byte offset 0"
        fake.fail("sendMessage", Fault.bad_request(refusal), chat_id=FAULTY)
        assert (await world.digests_at(DIGEST_AT)) == 1
    refused, plain = sends_to(fake, FAULTY)
    assert refused.status == 400 and refused.params["parse_mode"] == "HTML"
    assert plain.ok and "parse_mode" not in plain.params
    assert plain.text is not None and refused.text is not None
    assert plain.text.startswith("Digest: 22 Oct 2024, 08:00 EEST")
    assert "<" not in plain.text and f"source ({GUR_12000.url})" in plain.text
    assert plain.text.count("\n") == refused.text.count("\n")  # the same lines, without markup


async def test_a_chat_subscribed_from_a_forum_topic_gets_its_digest_there(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    forum, admin, topic = -1001234, 777, 42
    fake.set_member(forum, admin, "administrator")
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        start = fake.message(forum, "/start", user_id=admin, chat_type="supergroup",
                             message_thread_id=topic, is_topic_message=True)  # fmt: skip
        await world.app.process_update(Update.de_json(start | {"update_id": 1}, world.app.bot))
        welcome = await fake.wait_for("sendMessage", lambda c: c.chat_id == forum)
        assert welcome.ok and welcome.params.get("message_thread_id") == topic
        chat = await world.chat(forum)
        assert chat.kind is ChatKind.SUPERGROUP and chat.thread_id == topic
        async with world.db.transaction() as tx:
            await tx.chats.update_settings(forum, timezone="Europe/Kyiv", digest_time=time(8))
        # subscribed just now (the handler's clock is the real one): the next day's 08:00
        tomorrow = (chat.created_at + timedelta(days=1)).astimezone(KYIV)
        at_eight = datetime.combine(tomorrow.date(), time(8), KYIV).astimezone(UTC)
        assert await world.digests_at(at_eight) == 1
    digest = sends_to(fake, forum)[-1]
    assert digest is not welcome and digest.ok
    assert digest.params["message_thread_id"] == topic
    # the watchlist's claims are recorded at the real time of the test run, so whether they
    # fall in this digest's window depends on the hour: either digest is a digest
    assert digest.text is not None
    assert digest.text.startswith(("Nothing new on your topics since", "<b>Digest</b>: "))


async def test_a_chat_gets_a_message_a_second_while_the_other_chats_get_theirs(
    sqlite_database: Database,
) -> None:
    """Telegram's one message a second in a chat, kept by the outbox: no 429 from a fake that
    enforces it, and each chat's second message waits without holding up the others' first."""
    chats = (601, 602, 603, 604)
    strict = FakeBotAPI(token=TOKEN, enforce_limits=True)
    async with strict, open_world(strict, sqlite_database, Clock(START)) as world:
        await kyiv_chats(world, *chats)
        async with world.db.transaction() as tx:
            for chat_id in chats:
                for text in ("first", "second"):
                    await tx.outbox.enqueue(chat_id, OutboxKind.DIGEST, text, START)
        assert (await world.drain(at=START)).sent == 2 * len(chats)
    for chat_id in chats:
        calls = sends_to(strict, chat_id)
        assert [c.status for c in calls] == [200, 200]
        assert calls[1].received_at - calls[0].received_at >= timedelta(seconds=0.95)
    firsts = [sends_to(strict, chat_id)[0].received_at for chat_id in chats]
    seconds = [sends_to(strict, chat_id)[1].received_at for chat_id in chats]
    assert max(firsts) < min(seconds)  # every chat's first went out before any chat's second
