"""When digests go out: each chat at its local time, once a day, whatever the restarts, the
downtime or the daylight-saving changes. The clock is the test's; the messages reach the fake
Bot API through the real Application."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from datetime import UTC, datetime, time, timedelta
from typing import Protocol

from storage.db import Database
from tests.digest_e2e.digest_world import START, Clock, World, every, open_world, subscribe
from tests.fakebotapi import FakeBotAPI, Fault

KYIV, NEW_YORK, TOKYO = 501, 502, 503
ZONES = {KYIV: ("Europe/Kyiv", time(8, 0)), NEW_YORK: ("America/New_York", time(7, 30)),
         TOKYO: ("Asia/Tokyo", time(21, 10))}  # fmt: skip
TEN_MINUTES = timedelta(minutes=10)
HALF_HOURS = timedelta(minutes=30)  # enough where every digest time is on the hour or half


class Target(Protocol):
    """The ``database_target`` fixture: where the test's database lives."""

    async def open(self) -> Database: ...


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def subscribe_three(world: World, at: datetime) -> None:
    for chat_id, (zone, digest_time) in ZONES.items():
        await subscribe(world.db, chat_id, zone, digest_time, at)


async def step_through(
    world: World, instants: Iterable[datetime], chat_ids: Iterable[int] = ZONES
) -> dict[int, list[datetime]]:
    """Run the digest job at each instant; when each chat received a message."""
    received: dict[int, list[datetime]] = {chat_id: [] for chat_id in chat_ids}
    counts = {chat_id: len(world.fake.sent_to(chat_id)) for chat_id in received}
    for now in instants:
        if not await world.digests_at(now):
            continue
        for chat_id in counts:
            arrived = len(world.fake.sent_to(chat_id))
            received[chat_id] += [now] * (arrived - counts[chat_id])
            counts[chat_id] = arrived
    return received


async def test_each_chat_gets_one_digest_a_day_at_its_local_time(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await subscribe_three(world, START)
        received = await step_through(world, every(TEN_MINUTES, START, START + timedelta(days=2)))
    # 08:00 in Kyiv is 05:00 UTC (EEST), 07:30 in New York 11:30 UTC (EDT), 21:10 in Tokyo
    # 12:10 UTC (JST), on 23 and 24 October 2024
    assert received == {
        KYIV: [utc("2024-10-23 05:00"), utc("2024-10-24 05:00")],
        NEW_YORK: [utc("2024-10-23 11:30"), utc("2024-10-24 11:30")],
        TOKYO: [utc("2024-10-23 12:10"), utc("2024-10-24 12:10")],
    }
    # Nothing was new: the one-line digest, its window in the chat's own time
    assert fake.sent_to(KYIV)[1] == "Nothing new on your topics since 23 Oct 2024, 08:00 EEST."
    assert fake.sent_to(NEW_YORK)[1] == "Nothing new on your topics since 23 Oct 2024, 07:30 EDT."
    assert fake.sent_to(TOKYO)[1] == "Nothing new on your topics since 23 Oct 2024, 21:10 JST."
    sends = [call for call in fake.calls if call.method == "sendMessage"]
    assert len(sends) == 6
    assert all(call.ok and call.params["parse_mode"] == "HTML" for call in sends)


async def test_minute_steps_send_at_the_very_minute(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    """A chat whose digest time is not on a ten-minute step: stepping minute by minute."""
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await subscribe(world.db, KYIV, "Europe/Kyiv", time(7, 43), START)
        minutes = every(timedelta(minutes=1), utc("2024-10-23 04:00"), utc("2024-10-23 05:00"))
        received = await step_through(world, minutes, [KYIV])
        assert received == {KYIV: [utc("2024-10-23 04:43")]}
        assert (await world.chat(KYIV)).last_digest_at == utc("2024-10-23 04:43")


async def test_the_same_minute_again_and_a_restart_send_nothing_more(
    fake: FakeBotAPI, database: Database
) -> None:
    """On both engines: the digest window moves in the database, not in memory."""
    due = utc("2024-10-23 05:00")
    async with open_world(fake, database, Clock(START)) as world:
        await subscribe_three(world, START)
        assert await world.digests_at(due) == 1
        assert await world.digests_at(due) == 0
        assert await world.digests_at(due + timedelta(seconds=30)) == 0
    assert len(fake.sent_to(KYIV)) == 1
    async with open_world(fake, database, Clock(due)) as restarted:  # new Services, same database
        assert await restarted.digests_at(due) == 0
        assert await restarted.digests_at(due + timedelta(minutes=1)) == 0
        received = await step_through(restarted, every(TEN_MINUTES, due, utc("2024-10-24 06:00")))
    assert received == {
        KYIV: [utc("2024-10-24 05:00")],
        NEW_YORK: [utc("2024-10-23 11:30")],
        TOKYO: [utc("2024-10-23 12:10")],
    }
    assert len(fake.sent_to(KYIV)) == 2


@asynccontextmanager
async def two_workers(
    fake: FakeBotAPI, database: Database, target: Target
) -> AsyncIterator[tuple[World, World]]:
    """Two processes on one database, each with its own connections (PostgreSQL's scale-out)."""
    other = await target.open()
    try:
        async with (
            open_world(fake, database, Clock(START)) as one,
            open_world(fake, other, Clock(START)) as two,
        ):
            yield one, two
    finally:
        await other.close()


async def test_two_workers_at_the_same_minute_queue_each_digest_once(
    fake: FakeBotAPI, database: Database, database_target: Target
) -> None:
    due = utc("2024-10-23 05:00")
    async with two_workers(fake, database, database_target) as (one, two):
        await subscribe_three(one, START)
        queued = await asyncio.gather(one.queue_digests(due), two.queue_digests(due))
        assert sorted(queued) == [0, 1]
        await one.drain()
        await two.drain()
    assert fake.sent_to(KYIV) == ["Nothing new on your topics since 22 Oct 2024, 08:00 EEST."]


async def test_two_workers_draining_at_once_send_each_message_once(
    fake: FakeBotAPI, database: Database, database_target: Target
) -> None:
    due = utc("2024-10-23 05:00")
    async with two_workers(fake, database, database_target) as (one, two):
        await subscribe_three(one, START)
        assert await one.queue_digests(due) == 1
        two.clock.now = due
        fake.fail("sendMessage", Fault.slow(0.5), chat_id=KYIV)  # time for the other to look
        await asyncio.gather(one.drain(), two.drain())
    assert fake.sent_to(KYIV) == ["Nothing new on your topics since 22 Oct 2024, 08:00 EEST."]


async def test_three_days_down_then_one_digest_at_start(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        await subscribe_three(world, START)
        await step_through(world, every(TEN_MINUTES, START, utc("2024-10-24 00:00")))
        assert {chat_id: len(fake.sent_to(chat_id)) for chat_id in ZONES} == dict.fromkeys(ZONES, 1)
    back = utc("2024-10-27 03:00")  # down from 24 Oct 00:00: three days of digests missed
    async with open_world(fake, sqlite_database, Clock(back)) as world:
        assert await world.digests_at(back) == 3
        received = await step_through(world, every(TEN_MINUTES, back, utc("2024-10-28 03:00")))
    assert {chat_id: len(fake.sent_to(chat_id)) for chat_id in ZONES} == dict.fromkeys(ZONES, 3)
    assert fake.sent_to(KYIV)[1] == "Nothing new on your topics since 23 Oct 2024, 08:00 EEST."
    # from then on the daily rhythm again: 08:00 in Kyiv is 06:00 UTC after the autumn change
    assert received == {
        KYIV: [utc("2024-10-27 06:00")],
        NEW_YORK: [utc("2024-10-27 11:30")],
        TOKYO: [utc("2024-10-27 12:10")],
    }


async def test_one_digest_a_day_across_both_daylight_saving_changes(
    fake: FakeBotAPI, sqlite_database: Database
) -> None:
    """Kyiv's clocks: back from 04:00 to 03:00 on 27 Oct 2024 (03:30 happens twice), forward
    from 03:00 to 04:00 on 30 Mar 2025 (03:30 never happens)."""
    early, late = 601, 602
    spans = {
        "autumn": (utc("2024-10-25 12:00"), utc("2024-10-29 12:00")),
        "spring": (utc("2025-03-28 12:00"), utc("2025-04-01 12:00")),
    }
    received: defaultdict[int, list[datetime]] = defaultdict(list)
    async with open_world(fake, sqlite_database, Clock(START)) as world:
        for chat_id, digest_time in ((early, time(3, 30)), (late, time(9, 0))):
            await subscribe(world.db, chat_id, "Europe/Kyiv", digest_time, spans["autumn"][0])
        for first, last in spans.values():
            steps = every(HALF_HOURS, first, last)
            for chat_id, instants in (await step_through(world, steps, (early, late))).items():
                received[chat_id] += instants
    assert received[early] == [
        utc("2024-10-26 00:30"),  # 03:30 EEST
        utc("2024-10-27 00:30"),  # the first 03:30, still EEST; not again at 01:30 UTC
        utc("2024-10-28 01:30"),  # 03:30 EET
        utc("2024-10-29 01:30"),
        # the spring span comes after months without the job: one digest at its start
        utc("2025-03-28 12:00"),
        utc("2025-03-29 01:30"),  # 03:30 EET
        utc("2025-03-30 01:30"),  # 03:30 is skipped: 04:30 EEST, an hour later by the clock
        utc("2025-03-31 00:30"),  # 03:30 EEST
        utc("2025-04-01 00:30"),
    ]
    assert received[late] == [
        utc("2024-10-26 06:00"),  # 09:00 EEST
        utc("2024-10-27 07:00"),  # 09:00 EET
        utc("2024-10-28 07:00"),
        utc("2024-10-29 07:00"),
        utc("2025-03-28 12:00"),
        utc("2025-03-29 07:00"),  # 09:00 EET
        utc("2025-03-30 06:00"),  # 09:00 EEST
        utc("2025-03-31 06:00"),
        utc("2025-04-01 06:00"),
    ]
    assert len(fake.sent_to(early)) == len(fake.sent_to(late)) == 9
