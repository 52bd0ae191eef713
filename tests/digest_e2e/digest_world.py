"""The digest and alert jobs, a real python-telegram-bot Application and the fake Bot API, with a
clock the test moves.

    async with open_world(fake, db, Clock(START)) as world:
        await subscribe(world.db, USER, "Europe/Kyiv", time(8), START)
        await publish(world.services, WIRE, [Report(...)], at=START)
        await world.digests_at(START + timedelta(hours=6))   # queue what is due, then deliver
        fake.sent_to(USER)

The Application is initialized (``async with app``) but not polling: nothing runs unless the
test calls it. ``Services`` can be reopened on the same database (``reopen``): a restart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, time, timedelta

from bot.app.jobs import send_alerts, send_due_digests
from bot.app.services import Services, open_services
from bot.chat.commands import ChatBot
from bot.chat.telegram import build_application
from bot.chat.telegram_sender import TelegramApp, TelegramSender
from bot.config.files import ClaimSpec, TopicSpec, Watchlist
from bot.digest.deliver import DeliveryReport, Outbox
from bot.normalize import content_hash
from storage.db import Database
from storage.records import ChatKind, Item, NewItem, NewSource, Subscriber
from tests.fakebotapi import Call, FakeBotAPI
from tests.telegram_e2e.e2e_harness import bot_settings

START = datetime(2024, 10, 23, 0, 0, tzinfo=UTC)  # the Wednesday the NIS figure was reported
NK = TopicSpec(
    "North Korean troops in Russia",
    ("North Korea", "North Korean", "DPRK", "КНДР", "Північна Корея", "северокорейских"),
    ("South Korea",),
)
AID = TopicSpec("US aid to Ukraine", ("US aid", "American aid"))
NIS_CLAIM = "South Korea's NIS said about 1,500 North Korean troops had arrived in Russia."
WATCHLIST = Watchlist(topics=(NK, AID), claims=(ClaimSpec(NK.name, NIS_CLAIM),))


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now


@dataclass
class World:
    """Everything a digest goes through, from the database to the fake Bot API."""

    services: Services
    app: TelegramApp
    outbox: Outbox
    clock: Clock
    fake: FakeBotAPI
    reports: list[DeliveryReport] = field(default_factory=list)

    @property
    def db(self) -> Database:
        return self.services.db

    async def digests_at(self, now: datetime) -> int:
        """The minute job's digest half at ``now``, then a drain. Chats whose digest was queued."""
        queued = await self.queue_digests(now)
        await self.drain()
        return queued

    async def queue_digests(self, now: datetime) -> int:
        """The digests due at ``now`` written to the outbox, not sent yet."""
        self.clock.now = now
        return await send_due_digests(self.services, self.outbox, now)

    async def alerts_at(self, now: datetime) -> int:
        """The minute job's alert half at ``now``, then a drain. Alert messages queued."""
        self.clock.now = now
        queued = await send_alerts(self.services, self.outbox, now)
        await self.drain()
        return queued

    async def drain(self, at: datetime | None = None) -> DeliveryReport:
        if at is not None:
            self.clock.now = at
        report = await self.outbox.drain()
        self.reports.append(report)
        return report

    async def chat(self, chat_id: int) -> Subscriber:
        async with self.db.transaction() as tx:
            found = await tx.chats.get(chat_id)
        assert found is not None, f"no chat {chat_id}"
        return found


@asynccontextmanager
async def open_world(
    fake: FakeBotAPI, db: Database, clock: Clock, **settings: str
) -> AsyncIterator[World]:
    """Services (with ``settings`` as environment overrides) and an initialized Application."""
    async with open_services(bot_settings(fake, **settings), db, WATCHLIST, ()) as services:
        app = build_application(services, ChatBot(services))
        async with app:
            yield World(services, app, Outbox(db, TelegramSender(app), clock), clock, fake)


async def subscribe(
    db: Database,
    chat_id: int,
    timezone: str,
    digest_time: time,
    now: datetime,
    *,
    kind: ChatKind = ChatKind.PRIVATE,
    thread_id: int | None = None,
) -> Subscriber:
    async with db.transaction() as tx:
        return await tx.chats.subscribe(chat_id, kind, f"chat {chat_id}", timezone=timezone,
                                        digest_time=digest_time, now=now,
                                        thread_id=thread_id)  # fmt: skip


@dataclass(frozen=True)
class Report:
    """One item as an outlet published it."""

    guid: str
    title: str
    text: str
    url: str
    lang: str = "en"


@dataclass(frozen=True)
class Outlet:
    name: str
    feed_url: str


async def publish(
    services: Services, outlet: Outlet, reports: Sequence[Report], *, at: datetime
) -> list[Item]:
    """Items first seen ``at``, stored and analysed in one transaction, as ingestion does."""
    async with services.db.transaction() as tx:
        source = await tx.sources.get_by_url(outlet.feed_url)
        if source is None:
            source = await tx.sources.add(NewSource(outlet.feed_url, name=outlet.name), at)
        new = [
            NewItem(
                guid=r.guid,
                url=r.url,
                title=r.title,
                text=r.text,
                lang=r.lang,
                published_at=at - timedelta(minutes=5),  # the window counts arrival, not this
                content_hash=content_hash(r.text, fallback=r.title),
            )
            for r in reports
        ]
        added = await tx.items.add_new(source.id, new, at)
        await services.ledger.analyze_items(tx, source, added)
    return added.new


def sends_to(fake: FakeBotAPI, chat_id: int) -> list[Call]:
    """Every sendMessage to the chat, answered with an error or not, in order."""
    return [c for c in fake.calls if c.method == "sendMessage" and c.chat_id == chat_id]


def every(step: timedelta, start: datetime, end: datetime) -> list[datetime]:
    """The instants start, start + step, ... before ``end``."""
    count = int((end - start) / step)
    return [start + n * step for n in range(count)]
