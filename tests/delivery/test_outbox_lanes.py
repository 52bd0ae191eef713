"""The Outbox sends each chat's messages in order, a gap apart, while the next batch is already
taken: the other chats' messages go out meanwhile, and a chat whose message failed sends nothing
more in the drain, even what a later batch brought."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from bot.digest.deliver import Outbox, RetryLaterError
from storage.db import Database
from storage.records import OutboxKind

NOW = datetime(2026, 6, 1, 8, 0, tzinfo=UTC)
GAP = timedelta(milliseconds=60)


class RecordingSender:
    """Remembers what went where and when; refuses the texts in ``refused`` (RetryLaterError)."""

    def __init__(self, refused: frozenset[str] = frozenset()) -> None:
        self.sent: list[tuple[int, str, float]] = []
        self.refused = refused

    async def send_html(self, chat_id: int, thread_id: int | None, text: str) -> None:
        await asyncio.sleep(0.002)  # a round trip
        if text in self.refused:
            raise RetryLaterError("flood control", timedelta(seconds=5))
        self.sent.append((chat_id, text, asyncio.get_running_loop().time()))

    async def send_plain(self, chat_id: int, thread_id: int | None, text: str) -> None:
        await self.send_html(chat_id, thread_id, text)

    async def send_photo(
        self, chat_id: int, thread_id: int | None, photo: bytes, caption: str, *, html: bool
    ) -> None:
        await self.send_html(chat_id, thread_id, caption)


async def _queue(db: Database, messages: list[tuple[int, str]]) -> None:
    async with db.transaction() as tx:
        for chat_id, text in messages:
            await tx.outbox.enqueue(chat_id, OutboxKind.DIGEST, text, NOW)


async def test_other_chats_go_out_while_a_chat_waits_its_gap(sqlite_database: Database):
    chats = range(1, 7)
    await _queue(sqlite_database, [(c, f"{c}-{part}") for c in chats for part in ("text", "chart")])
    sender = RecordingSender()
    outbox = Outbox(sqlite_database, sender, lambda: NOW, batch=4, per_chat_gap=GAP)
    report = await outbox.drain()
    assert report.sent == 12
    order = [text for _, text, _ in sender.sent]
    for chat in chats:
        mine = [(text, at) for c, text, at in sender.sent if c == chat]
        assert [text for text, _ in mine] == [f"{chat}-text", f"{chat}-chart"]
        assert mine[1][1] - mine[0][1] >= GAP.total_seconds() - 0.002  # the loop's clock
    # the second batch (chats 3 and 4) was taken while chat 1 waited for its chart's turn
    assert order.index("3-text") < order.index("1-chart")


async def test_a_failed_chat_holds_what_a_later_batch_brings(sqlite_database: Database):
    await _queue(sqlite_database, [(7, "7-a"), (7, "7-b"), (8, "8-a"), (7, "7-c"), (8, "8-b")])
    sender = RecordingSender(refused=frozenset({"7-a"}))
    outbox = Outbox(sqlite_database, sender, lambda: NOW, batch=2, per_chat_gap=GAP)
    report = await outbox.drain()
    assert [text for _, text, _ in sender.sent] == ["8-a", "8-b"]
    assert report.sent == 2 and report.retrying == 3
    async with sqlite_database.transaction() as tx:
        waiting = await tx.outbox.due(NOW + timedelta(minutes=1), 10)
    assert [m.text for m in waiting] == ["7-a", "7-b", "7-c"]
