"""The running bot (``serve_telegram`` with its JobQueue) back after days of downtime: the
digest it owes goes out at start, not a job interval later."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from storage.db import Database
from storage.records import ChatKind
from tests.fakebotapi import FakeBotAPI
from tests.telegram_e2e.e2e_harness import RunningBot, bot_settings

CHAT = 501


async def test_a_digest_owed_after_downtime_goes_out_at_start(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    now = datetime.now(UTC)
    async with sqlite_database.transaction() as tx:
        await tx.chats.subscribe(CHAT, ChatKind.PRIVATE, "analyst", timezone="UTC",
                                 digest_time=time(8), now=now - timedelta(days=4))  # fmt: skip
        await tx.chats.mark_digest_sent(CHAT, now - timedelta(days=3))
    async with RunningBot(bot_settings(fake), sqlite_database, fake):
        digest = await fake.wait_for("sendMessage", lambda c: c.chat_id == CHAT, timeout=3)
    assert digest.ok and digest.text is not None
    assert digest.text.startswith("<b>Digest</b>")  # the window of the downtime, whole
