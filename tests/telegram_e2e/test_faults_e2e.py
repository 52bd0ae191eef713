"""Telegram failing in every documented way: the bot recovers, loses nothing, never crashes."""

from __future__ import annotations

import asyncio
import socket
from datetime import UTC, datetime, time, timedelta

import httpx

from bot.app.services import open_services
from bot.chat.commands import ChatBot
from bot.chat.telegram import build_application, webhook_secret
from bot.chat.telegram_sender import TelegramSender
from bot.digest.deliver import Outbox
from storage.records import ChatKind, OutboxKind
from tests.fakebotapi import Fault
from tests.telegram_e2e.e2e_harness import (
    ADMIN_ID,
    TOKEN,
    WATCHLIST,
    RunningBot,
    bot_settings,
    eventually,
)
from tests.telegram_e2e.test_commands_e2e import GROUP, USER, say


async def _chat(bot: RunningBot, chat_id: int):
    async with bot.db.transaction() as tx:
        return await tx.chats.get(chat_id)


async def test_429_is_retried_by_the_rate_limiter(fake, bot):
    fake.fail("sendMessage", Fault.too_many_requests(1))
    fake.push_update(fake.message(USER, "/help"))
    first = await fake.wait_for("sendMessage")
    second = await fake.wait_for("sendMessage", timeout=10)
    assert first.status == 429 and second.ok and "/claims" in second.text


async def test_403_on_a_reply_deactivates_the_chat(fake, bot):
    await say(fake, USER, "/start")
    fake.fail("sendMessage", Fault.forbidden())
    failed = await say(fake, USER, "/help")
    assert failed.status == 403

    async def deactivated() -> bool:
        chat = await _chat(bot, USER)
        return chat is not None and not chat.active

    await eventually(deactivated)


async def test_refused_html_is_resent_as_plain_text(fake, bot):
    fake.fail("sendMessage", Fault.bad_request("Bad Request: can't parse entities: test"))
    refused = await say(fake, USER, "/help")
    plain = await fake.wait_for("sendMessage", lambda c: c.chat_id == USER)
    assert refused.status == 400
    assert plain.ok and "parse_mode" not in plain.params and "<b>" not in plain.text


async def test_a_server_error_is_logged_and_the_next_command_works(fake, bot, caplog):
    fake.fail("sendMessage", Fault.server_error(502))
    assert (await say(fake, USER, "/help")).status == 502
    assert (await say(fake, USER, "/help")).ok
    assert TOKEN not in caplog.text


async def test_other_errors_are_reported_to_the_admins(fake, bot):
    fake.fail(
        "sendMessage", Fault.bad_request("Bad Request: message thread not found"), chat_id=USER
    )
    await say(fake, USER, "/help")
    notice = await fake.wait_for("sendMessage", lambda c: c.chat_id == ADMIN_ID)
    assert "BadRequest" in notice.text and TOKEN not in notice.text


async def test_a_slow_answer_does_not_hold_up_other_chats(fake, bot):
    fake.fail("sendMessage", Fault.slow(3), chat_id=USER)
    fake.push_update(fake.message(USER, "/help"))
    other = await say(fake, 777, "/help")
    assert other.ok
    slow = await fake.wait_for("sendMessage", lambda c: c.chat_id == USER, timeout=10)
    assert slow.ok and fake.calls.index(slow) > fake.calls.index(other)


async def test_removal_from_a_group_and_a_migration(fake, bot):
    fake.set_member(GROUP, 602, "administrator")
    await say(fake, GROUP, "/start", user_id=602, chat_type="group", chat_title="desk")
    fake.push_update(fake.migrate(GROUP, GROUP - 1))

    async def moved() -> bool:
        chat = await _chat(bot, GROUP - 1)
        return chat is not None and chat.active and await _chat(bot, GROUP) is None

    await eventually(moved)
    fake.push_update(fake.my_chat_member(GROUP - 1, "supergroup", "member", "kicked"))

    async def gone() -> bool:
        chat = await _chat(bot, GROUP - 1)
        return chat is not None and not chat.active

    await eventually(gone)


async def test_a_restart_in_the_middle_keeps_everything(fake, sqlite_database):
    settings = bot_settings(fake)
    async with RunningBot(settings, sqlite_database, fake):
        await say(fake, USER, "/start")
        await say(fake, USER, "/track Kursk offensive: Kursk, Курск")
        await say(fake, USER, "/settings time 06:15")
    fake.push_update(fake.message(USER, "/topics"))  # arrives while the bot is down
    async with RunningBot(settings, sqlite_database, fake):
        topics = await fake.wait_for("sendMessage", lambda c: c.chat_id == USER, timeout=10)
        assert "Kursk offensive" in topics.text
        assert "06:15" in (await say(fake, USER, "/settings")).text
    assert sum("Kursk offensive" in text for text in fake.sent_to(USER)) == 2


async def test_webhook_mode(fake, sqlite_database):
    port = _free_port()
    settings = bot_settings(
        fake,
        CLAIMWATCH_WEBHOOK_URL="https://bot.example.org/claimwatch/hook",
        CLAIMWATCH_WEBHOOK_LISTEN="127.0.0.1",
        CLAIMWATCH_WEBHOOK_PORT=str(port),
    )
    running = RunningBot(settings, sqlite_database, fake)
    await running.start(polling=False)
    try:
        registered = await fake.wait_for("setWebhook", timeout=10)
        assert registered.params["url"] == "https://bot.example.org/claimwatch/hook"
        secret = registered.params["secret_token"]
        update = fake.message(USER, "/help")
        update["update_id"] = 1
        local = f"http://127.0.0.1:{port}/claimwatch/hook"

        async def listening() -> bool:  # setWebhook comes just before the server listens
            try:
                _reader, writer = await asyncio.open_connection("127.0.0.1", port)
            except OSError:
                return False
            writer.close()
            return True

        await eventually(listening)
        async with httpx.AsyncClient() as client:
            forged = await client.post(local, json=update)
            assert forged.status_code == 403
            sent = await client.post(
                local, json=update, headers={"X-Telegram-Bot-Api-Secret-Token": secret}
            )
            assert sent.status_code == 200
        reply = await fake.wait_for("sendMessage", lambda c: c.chat_id == USER)
        assert "/claims" in reply.text
        assert running.services is not None and secret == webhook_secret(running.services)
    finally:
        await running.stop()


async def test_outbox_messages_reach_telegram_with_every_fault_handled(fake, sqlite_database):
    """The outbox drained once by hand, with a real Application that is not polling."""
    async with sqlite_database.transaction() as tx:
        for chat_id in (USER, 802, 803, 804, 805):
            await tx.chats.subscribe(chat_id, ChatKind.PRIVATE, None, timezone="UTC",
                                     digest_time=time(8), now=_now())  # fmt: skip
            await tx.outbox.enqueue(chat_id, OutboxKind.NOTICE, f"<b>hello</b> {chat_id}", _now())
    fake.fail("sendMessage", Fault.forbidden(), chat_id=802)
    fake.fail("sendMessage", Fault.bad_request("Bad Request: can't parse entities: x"), chat_id=803)
    fake.fail("sendMessage", Fault.server_error(500), chat_id=804)
    fake.fail("sendMessage", Fault.too_many_requests(1), times=3, chat_id=805)
    async with open_services(bot_settings(fake), sqlite_database, WATCHLIST, ()) as services:
        app = build_application(services, ChatBot(services))
        async with app:
            report = await Outbox(sqlite_database, TelegramSender(app), _now).drain()
    assert (report.sent, report.retrying, report.dropped, report.chats_deactivated) == (2, 2, 1, 1)
    assert "<b>hello</b> 501" in fake.sent_to(USER)
    assert "hello 803" in fake.sent_to(803)  # plain text the second time
    async with sqlite_database.transaction() as tx:
        blocked = await tx.chats.get(802)
        assert blocked is not None and not blocked.active
        assert await tx.outbox.count_pending() == 2  # 804 and 805 wait for their retry
        assert await tx.outbox.due(_now(), 10) == []
        assert len(await tx.outbox.due(_now() + timedelta(seconds=31), 10)) == 2


def _now() -> datetime:
    return datetime.now(UTC)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])
