"""Posts of a channel the bot administers, through the real Application: the channel's source
gets them as items, analyzed like fetched posts, and stored once whichever way they came."""

from __future__ import annotations

import html
from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from bot.app.services import utc_now
from bot.ingest.retrieval import source_address
from storage.db import Database
from storage.records import Item, NewSource
from tests.fakebotapi import FakeBotAPI
from tests.httpserver import LoopbackServer, RecordedRequest, Reply
from tests.telegram_e2e.e2e_harness import NK, RunningBot, bot_settings, eventually

CHANNEL_ID = -1001234567890
POST = (
    "Ukraine's defence intelligence said 12,000 North Korean troops had arrived in Russia, "
    "including 500 officers."
)
CORRECTED = POST.replace("12,000", "11,000")


class PreviewPages:
    """``/s/somechannel`` on a loopback server: the channel's web preview, posts settable."""

    def __init__(self, server: LoopbackServer) -> None:
        self.posts: list[tuple[int, datetime, str]] = []
        self.url = server.url("/s/somechannel")
        server.route("/s/somechannel", self.page)

    def page(self, _request: RecordedRequest) -> Reply:
        blocks = "".join(_post_html(*post) for post in self.posts)
        info = (
            '<div class="tgme_channel_info"><div class="tgme_channel_info_header_title">'
            "<span>Some channel</span></div></div>"
        )
        return Reply(body=f"<html><body>{info}{blocks}</body></html>".encode())


def _post_html(post_id: int, posted_at: datetime, text: str) -> str:
    return (
        '<div class="tgme_widget_message_wrap">'
        f'<div class="tgme_widget_message" data-post="SomeChannel/{post_id}">'
        f'<div class="tgme_widget_message_text js-message_text">{html.escape(text)}</div>'
        '<div class="tgme_widget_message_footer"><span class="tgme_widget_message_meta">'
        f'<a class="tgme_widget_message_date" href="https://t.me/SomeChannel/{post_id}">'
        f'<time datetime="{posted_at.isoformat()}">now</time></a></span></div></div></div>'
    )


@pytest.fixture
async def preview() -> AsyncIterator[tuple[LoopbackServer, PreviewPages]]:
    async with LoopbackServer() as server:
        yield server, PreviewPages(server)


@pytest.fixture
async def channel_bot(
    fake: FakeBotAPI,
    sqlite_database: Database,
    preview: tuple[LoopbackServer, PreviewPages],
) -> AsyncIterator[RunningBot]:
    """The bot with @somechannel as a source (added as @name), its preview on loopback."""
    server, _ = preview
    async with sqlite_database.transaction() as tx:
        await tx.sources.add(NewSource(source_address("@somechannel")), utc_now())
    settings = bot_settings(fake, CLAIMWATCH_TELEGRAM_PREVIEW_URL=server.base_url)
    async with RunningBot(settings, sqlite_database, fake) as running:
        yield running


async def test_a_channel_post_is_stored_once_and_its_claim_enters_the_ledger(
    fake, channel_bot, preview
):
    server, pages = preview
    update = fake.channel_post(CHANNEL_ID, POST, chat_title="Some channel", username="SomeChannel")
    fake.push_update(update)
    await eventually(lambda: _has_items(channel_bot.db, 1))
    [item] = await _items(channel_bot.db)
    post = update["channel_post"]
    assert item.guid == str(post["message_id"])
    assert item.url == f"https://t.me/SomeChannel/{post['message_id']}"
    assert item.text == POST
    await _assert_in_ledger(channel_bot.db, item)

    # The same post again, then on the preview page: recognised, not added a second time.
    fake.push_update(update)
    pages.posts.append((post["message_id"], datetime.fromtimestamp(post["date"], UTC), POST))
    assert channel_bot.services is not None
    report = await channel_bot.services.ingestor.poll(every=True)
    assert [(r.new_items, r.edited_items) for r in report.sources] == [(0, 0)]
    assert server.requests_to("/s/somechannel")
    await fake.wait_idle()
    await channel_bot.stop()  # handles every update already delivered
    assert [i.id for i in await _items(channel_bot.db)] == [item.id]
    await _assert_in_ledger(channel_bot.db, item)


async def test_an_edited_post_updates_its_item(fake, channel_bot):
    update = fake.channel_post(CHANNEL_ID, POST, username="somechannel")
    fake.push_update(update)
    await eventually(lambda: _has_items(channel_bot.db, 1))
    post = update["channel_post"]
    fake.push_update({"edited_channel_post": post | {"text": CORRECTED, "edit_date": post["date"]}})

    async def corrected() -> bool:
        return [i.text for i in await _items(channel_bot.db)] == [CORRECTED]

    await eventually(corrected)
    async with channel_bot.db.transaction() as tx:
        [item] = await tx.items.list()
        assert [old for _, _, old in await tx.items.edits_of(item.id)] == [POST]


async def test_posts_of_other_channels_are_ignored_and_commands_still_work(fake, channel_bot):
    fake.push_update(fake.channel_post(-1009, POST, username="otherchannel"))
    fake.push_update(fake.channel_post(-1008, POST))  # a private channel: no public name
    fake.push_update(fake.channel_post(CHANNEL_ID, "/help", username="somechannel"))
    reply = await fake.wait_for("sendMessage", lambda c: c.chat_id == CHANNEL_ID)
    assert "/claims" in (reply.text or "")
    await fake.wait_idle()
    await channel_bot.stop()
    assert await _items(channel_bot.db) == []


async def _items(db: Database) -> list[Item]:
    async with db.transaction() as tx:
        return await tx.items.list(limit=100)


async def _has_items(db: Database, count: int) -> bool:
    return len(await _items(db)) == count


async def _assert_in_ledger(db: Database, item: Item) -> None:
    """The post's claim is stored once, with its topic, and conflicts with the NIS figure."""
    async with db.transaction() as tx:
        claims = await tx.claims.list()
        conflicts = await tx.claims.list_conflicts()
        mentions = await tx.topics.mentions_of_item(item.id)
        topic = await tx.topics.get_by_name(NK.name)
    assert topic is not None and [m.topic_id for m in mentions] == [topic.id]
    from_post = [c for c in claims if c.item_id == item.id and c.claim.value == 12000]
    assert len(from_post) == 1
    nis = next(c for c in claims if c.claim.value == 1500)
    assert any({c.claim_id, c.other_claim_id} == {from_post[0].id, nis.id} for c in conflicts)
