"""Digests composed one after another in one job run share the window's items and stories, and
each says exactly what it says composed alone: whichever topics the chats before it read."""

from __future__ import annotations

from datetime import time, timedelta
from zoneinfo import ZoneInfo

from bot.digest.compose import compose_digest
from bot.digest.render import render_html
from bot.digest.window import SharedWindows
from storage.db import Database
from tests.digest_e2e.digest_reports import publish_coverage, publish_stories
from tests.digest_e2e.digest_world import AID, NK, START, Clock, open_world, subscribe
from tests.fakebotapi import FakeBotAPI

BOTH, AID_ONLY, NK_ONLY = 601, 602, 603
UNTIL = START + timedelta(hours=5)


async def test_a_shared_window_gives_each_chat_the_digest_it_gets_alone(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        for chat_id in (BOTH, AID_ONLY, NK_ONLY):
            await subscribe(world.db, chat_id, "Europe/Kyiv", time(8), START)
        await publish_coverage(world.services, START + timedelta(hours=1))
        await publish_stories(
            world.services, ["Sudzha", "Lgov", "Rylsk"], START + timedelta(hours=2),
            prefix="US aid:",
        )  # fmt: skip
        async with world.db.transaction() as tx:
            topics = {topic.name: topic.id for topic in await tx.topics.list()}
            await tx.chats.follow(AID_ONLY, topics[AID.name])
            await tx.chats.unfollow(AID_ONLY, topics[NK.name])
            await tx.chats.follow(NK_ONLY, topics[NK.name])
            await tx.chats.unfollow(NK_ONLY, topics[AID.name])
        chats = [await world.chat(chat_id) for chat_id in (AID_ONLY, BOTH, NK_ONLY)]

        alone = [await compose_digest(world.db, chat, until=UNTIL) for chat in chats]
        shared = SharedWindows()  # AID read first, then NK for the chat that follows both
        together = [await compose_digest(world.db, c, until=UNTIL, shared=shared) for c in chats]

    kyiv = ZoneInfo("Europe/Kyiv")
    assert [render_html(d, kyiv) for d in together] == [render_html(d, kyiv) for d in alone]
    assert together == alone
    by_topic = {
        (chat.chat_id, section.topic): section.stories
        for chat, digest in zip(chats, together, strict=True)
        for section in digest.sections
    }
    assert {topic for _, topic in by_topic} == {NK.name, AID.name}  # both topics have stories
    for topic, only in ((AID.name, AID_ONLY), (NK.name, NK_ONLY)):
        pairs = zip(by_topic[BOTH, topic], by_topic[only, topic], strict=True)
        assert all(mine is theirs for mine, theirs in pairs)  # clustered once
