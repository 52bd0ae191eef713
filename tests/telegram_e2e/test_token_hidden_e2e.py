"""Error pages that echo the request path (``/bot<token>/sendMessage``) put the token in the
text of python-telegram-bot's errors: neither the admins' notices nor the outbox keep it."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from bot.app.services import open_services
from bot.chat.commands import ChatBot
from bot.chat.telegram import build_application
from bot.chat.telegram_sender import TelegramSender
from bot.digest.deliver import Outbox
from storage.records import ChatKind, OutboxKind
from tests.fakebotapi import Fault
from tests.telegram_e2e.e2e_harness import ADMIN_ID, TOKEN, WATCHLIST, bot_settings
from tests.telegram_e2e.test_commands_e2e import USER, say

SECRET = TOKEN.partition(":")[2]


async def test_an_error_page_echoing_the_token_is_reported_to_the_admins_without_it(fake, bot):
    fake.fail("sendMessage", Fault.error_page(400), chat_id=USER)
    assert (await say(fake, USER, "/help")).status == 400
    notice = await fake.wait_for("sendMessage", lambda c: c.chat_id == ADMIN_ID)
    assert "BadRequest: Bad Request (400), not a Bot API answer" in notice.text
    assert SECRET not in notice.text


async def test_the_outbox_keeps_no_token_from_an_error_page(fake, sqlite_database):
    now = datetime.now(UTC)
    async with sqlite_database.transaction() as tx:
        await tx.chats.subscribe(USER, ChatKind.PRIVATE, None, timezone="UTC",
                                 digest_time=time(8), now=now)  # fmt: skip
        await tx.outbox.enqueue(USER, OutboxKind.NOTICE, "hello", now)
    fake.fail("sendMessage", Fault.error_page(502), chat_id=USER)
    async with open_services(bot_settings(fake), sqlite_database, WATCHLIST, ()) as services:
        app = build_application(services, ChatBot(services))
        async with app:
            report = await Outbox(sqlite_database, TelegramSender(app), lambda: now).drain()
    async with sqlite_database.transaction() as tx:
        (waiting,) = await tx.outbox.due(now + timedelta(hours=1), 10)
    assert report.retrying == 1
    assert waiting.last_error == "network: Bad Gateway (502), not a Bot API answer"
    assert SECRET not in waiting.last_error
