"""Digests at scale: delivery against Telegram's limits, and building a digest per chat.

Delivery. N subscribers (default 10,000) each get their scheduled digest, queued by
``bot.app.jobs.send_due_digests`` (the real compose, render and outbox writes, over a small
database: 40 items of the last day on 3 topics, so that every digest is one message) and sent by
the real ``Outbox`` through ``TelegramSender`` and the Application of ``build_application`` (its
rate limiter, bot/chat/send_pace.py, included) to the fake Bot API of the test suite, run in a
process of its own with ``enforce_limits=True``: 30 messages a second overall and 1 a second per
chat, answered with 429 and ``retry_after`` as Telegram does. The outbox is drained until
nothing is pending; when flood control postpones messages, the Outbox's clock is moved to the
next retry instead of sleeping. The rate is what the fake accepted: messages over the time from
the first to the last accepted sendMessage or sendPhoto (a digest's chart follows it as a
photo), as a ratio of 30/s (the goal is at least 0.95). Two options are there to diagnose a low
rate, not to measure the bot as it is: ``--smooth-rate R`` sends through an AIORateLimiter
without burst (one message every 1/R s) instead of the Application's, and ``--pace R`` spaces
the Outbox's sends 1/R s apart (a wrapper of its sender).

Build. A database holding 100,000 items (from the saved real feeds in
../shared/corpora/real-feeds beside the repository, or synthetic texts without them) of 200
sources, first seen over 30 days, each mentioning one of 10 topics (a fifth of them a second
one), and 10,000 claims (a tenth of them in a conflict with an earlier claim of their topic).
Times ``compose_digest(db, chat, until=now)`` plus ``render_html`` for chats following 1, 3 and
10 topics, with a one-day window: median and p95 over 50 chats each, twice: each chat alone
(``alone``: nothing shared, as an on-demand /digest) and the 50 chats one after another sharing
one ``SharedWindows`` (``shared``: as the digest job composes the chats due at one run, with
the same window; the first chat pays for reading and clustering what the others reuse). A
second table times the steps of ``compose_digest`` apart (the same repository calls in the same
order, then the pure build and the rendering) on a few chats composed alone, to show where the
time goes.

Each measurement runs in a fresh process on a fresh database (SQLite: a file in a temporary
folder; PostgreSQL: a schema created for the run and dropped after it). Peak MiB is the
process's maximum resident set (getrusage); the build also reports tracemalloc's peak for one
10-topic digest. At full scale on 2 cores the delivery takes about 12 minutes per engine (most
of it sending at about 23 messages a second), the build about 4 minutes per engine.

    .venv/bin/python benchmarks/digest_bench.py                     # SQLite, full scale
    .venv/bin/python benchmarks/digest_bench.py --postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/digest_bench.py --subscribers 1000 --items 10000 --claims 1000
    .venv/bin/python benchmarks/digest_bench.py --only delivery --subscribers 2000 --smooth-rate 29
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

FEEDS = ROOT.parent / "shared" / "corpora" / "real-feeds" / "sites"
TOKEN = "123456:TEST-token-for-claimwatch-bench"
TELEGRAM_RATE = 30.0  # messages a second, overall
GOAL = 0.95
MIB = 1024 * 1024
TOPIC_NAMES = (
    "North Korean troops in Russia",
    "Kursk offensive",
    "Black Sea grain corridor",
    "Zaporizhzhia nuclear plant",
    "Drone strikes on refineries",
    "Prisoner exchanges",
    "Air defence deliveries",
    "Mobilisation in Russia",
    "Attacks on the energy grid",
    "Sanctions on Russian oil",
)
MEASURES = ("troops", "killed", "wounded", "missiles", "drones", "people", "USD", "refugees")
SCOPES = ("", "arrived in Russia", "in Kursk", "killed in action", "deployed")
SPEAKERS = tuple(f"speaker {n}" for n in range(50))
_SYNTHETIC_WORDS = sorted(  # for synthetic texts when the corpus is absent
    {word.lower() for phrase in (*TOPIC_NAMES, *MEASURES, *SCOPES) for word in phrase.split()}
)


@dataclass(frozen=True)
class Scale:
    """What the database holds before digests are built."""

    items: int
    claims: int
    sources: int
    days: int
    topics: int
    second_topic: float = 0.2  # share of items mentioning a second topic
    conflicts: float = 0.1  # share of claims contradicting an earlier claim of their topic


# The small database behind the delivery run: enough for a digest of one full message.
DELIVERY_SCALE = Scale(items=40, claims=12, sources=20, days=1, topics=3)


# --- the fake Bot API, in a process of its own ------------------------------------------------


async def serve_fake() -> dict[str, Any]:
    """Serve the fake until a line arrives on stdin; the sendMessage calls it answered."""
    from tests.fakebotapi import FakeBotAPI

    async with FakeBotAPI(token=TOKEN, enforce_limits=True) as fake:
        print(json.dumps({"url": fake.url}), flush=True)
        await asyncio.get_running_loop().run_in_executor(None, sys.stdin.readline)
        summary = summarize_sends(fake.calls)
    summary["fake_cpu"] = time.process_time()
    return summary


def summarize_sends(calls: Sequence[Any]) -> dict[str, Any]:
    """Accepted sendMessage and sendPhoto calls (a digest's chart is a photo) over time, 429s,
    and the densest one-second window."""
    sends = [call for call in calls if call.method in ("sendMessage", "sendPhoto")]  # charts too
    accepted = sorted(call.received_at.timestamp() for call in sends if call.ok)
    chats = [call.chat_id for call in sends if call.ok]
    densest, start = 0, 0
    for end, at in enumerate(accepted):
        while accepted[start] <= at - 1.0:
            start += 1
        densest = max(densest, end - start + 1)
    gaps = [b - a for a, b in itertools.pairwise(accepted)]
    # how near the sends came to a 429: the shortest time 31 sends in a row (accepted or not)
    # took to arrive; under a second, the fake refused the last
    tried = sorted(call.received_at.timestamp() for call in sends)
    over = int(TELEGRAM_RATE)
    runs = [tried[n + over] - tried[n] for n in range(len(tried) - over)]
    return {
        "accepted": len(accepted),
        "chats": len(set(chats)),
        "limited": sum(1 for call in sends if call.status == 429),
        "failed": sum(1 for call in sends if not call.ok and call.status != 429),
        "span": accepted[-1] - accepted[0] if len(accepted) > 1 else 0.0,
        "densest": densest,
        "longest_gap": max(gaps, default=0.0),
        "gaps_over_half_second": sum(1 for gap in gaps if gap > 0.5),
        "seconds_lost_in_gaps": sum(gap for gap in gaps if gap > 0.5),
        "tightest_31": min(runs, default=0.0),
    }


# --- databases and data -----------------------------------------------------------------------


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MIB  # Linux: KiB


@asynccontextmanager
async def fresh_database(engine: str, postgres_url: str | None) -> AsyncIterator[Any]:
    """A migrated, empty database for one run; dropped afterwards."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from storage.db import Database

    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="claimwatch-bench-") as folder:
            database = await Database.open(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
            try:
                await database.upgrade()
                yield database
            finally:
                await database.close()
        return
    assert postgres_url is not None
    schema = f"claimwatch_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(postgres_url)
    try:
        async with admin.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        database = await Database.open(postgres_url, search_path=schema)
        try:
            await database.upgrade()
            yield database
        finally:
            await database.close()
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


def load_templates(wanted: int) -> tuple[list[Any], str]:
    """Items of the saved real feeds (at most ``wanted``), or synthetic ones without them."""
    from bot.normalize import ParsedFeed, parse_feed

    templates: list[Any] = []
    index = FEEDS / "INDEX.tsv"
    if index.is_file():
        fetched_at = datetime.now(UTC)
        for line in index.read_text(encoding="utf-8").splitlines():
            name = line.split("\t", 1)[0]
            if not line.strip() or line.startswith("#") or not (FEEDS / name).is_file():
                continue
            try:
                parsed = parse_feed(
                    (FEEDS / name).read_bytes(), url=f"https://feeds.example/{name}",
                    fetched_at=fetched_at,
                )  # fmt: skip
            except Exception:  # a page that is no feed: the corpus keeps a few
                continue
            if isinstance(parsed, ParsedFeed):
                templates.extend(item for item in parsed.items if item.text.strip())
            if len(templates) >= wanted:
                return templates[:wanted], f"{len(templates[:wanted])} real feed items"
    if templates:
        return templates, f"{len(templates)} real feed items, reused"
    return synthetic_templates(min(wanted, 5000)), "synthetic texts (no ../shared corpus)"


def synthetic_templates(count: int) -> list[Any]:
    from storage.records import NewItem

    rng = random.Random(7)
    made = []
    for n in range(count):
        title = " ".join(rng.choices(_SYNTHETIC_WORDS, k=8)).capitalize()
        text = ". ".join(" ".join(rng.choices(_SYNTHETIC_WORDS, k=12)) for _ in range(6))
        made.append(NewItem(f"t{n}", None, title, text, None, "en", f"hash{n}"))
    return made


@dataclass(frozen=True)
class Filled:
    topics: list[Any]  # storage.records.Topic, in TOPIC_NAMES order
    seconds: float
    mentions: int
    conflicts: int


def topic_specs(count: int) -> list[Any]:
    from bot.config.files import TopicSpec

    names = [*TOPIC_NAMES, *(f"Topic {n}" for n in range(len(TOPIC_NAMES), count))][:count]
    return [TopicSpec(name, (name.split()[0],)) for name in names]


async def fill(db: Any, scale: Scale, until: datetime, templates: list[Any]) -> Filled:
    """Sources, topics, items first seen over ``scale.days`` days before ``until`` (a day per
    transaction, in 15-minute batches of a few sources each), their mentions, then claims and
    conflicts spread over the same days, 1,000 a transaction."""
    from storage.records import NewSource

    started = time.perf_counter()
    rng = random.Random(1)
    start = until - timedelta(days=scale.days)
    async with db.transaction() as tx:
        sources = [
            await tx.sources.add(
                NewSource(f"https://news{n}.example/feed", name=f"News {n}"), start
            )
            for n in range(scale.sources)
        ]
        topics = await tx.topics.sync_watchlist(topic_specs(scale.topics))
    by_day_topic: defaultdict[tuple[int, int], list[int]] = defaultdict(list)
    mentions = 0
    slots = scale.days * 96  # 15-minute batches
    for day in range(scale.days):
        async with db.transaction() as tx:
            for slot in range(day * 96, (day + 1) * 96):
                first = slot * scale.items // slots
                last = (slot + 1) * scale.items // slots
                seen_at = start + timedelta(minutes=15 * slot + 1)
                mentions += await _add_batch(
                    tx, range(first, last), seen_at, rng.sample(sources, min(3, len(sources))),
                    topics, templates, scale, rng, by_day_topic, day,
                )  # fmt: skip
    conflicts = await _add_claims(db, scale, start, topics, by_day_topic, rng)
    return Filled(topics, time.perf_counter() - started, mentions, conflicts)


async def _add_batch(
    tx: Any,
    numbers: range,
    seen_at: datetime,
    sources: list[Any],
    topics: list[Any],
    templates: list[Any],
    scale: Scale,
    rng: random.Random,
    by_day_topic: defaultdict[tuple[int, int], list[int]],
    day: int,
) -> int:
    from storage.records import Mention

    per_source: defaultdict[int, list[Any]] = defaultdict(list)
    for n in numbers:
        template = templates[n % len(templates)]
        source = sources[n % len(sources)]
        per_source[source.id].append(
            replace(
                template,
                guid=f"bench-{n}",
                url=f"https://news{source.id}.example/{n}",
                published_at=seen_at - timedelta(minutes=rng.randint(0, 180)),
            )
        )
    found = []
    for source_id, items in per_source.items():
        added = await tx.items.add_new(source_id, items, seen_at)
        for item in added.new:
            chosen = {rng.randrange(scale.topics)}
            if rng.random() < scale.second_topic:
                chosen.add(rng.randrange(scale.topics))
            for index in chosen:
                topic = topics[index]
                found.append(Mention(item.id, topic.id, 80.0, topic.name.split()[0]))
                by_day_topic[(day, topic.id)].append(item.id)
    return int(await tx.topics.add_mentions(found))


async def _add_claims(
    db: Any,
    scale: Scale,
    start: datetime,
    topics: list[Any],
    by_day_topic: defaultdict[tuple[int, int], list[int]],
    rng: random.Random,
) -> int:
    from storage.records import ClaimOrigin, ConflictKind, Modifier, NewClaim, Polarity

    span = timedelta(days=scale.days)
    earlier: defaultdict[int, list[Any]] = defaultdict(list)  # topic id -> its claims so far
    conflicts = 0
    for first in range(0, scale.claims, 1000):
        async with db.transaction() as tx:
            for n in range(first, min(first + 1000, scale.claims)):
                recorded_at = start + span * ((n + 0.5) / scale.claims)
                topic = topics[rng.randrange(len(topics))]
                day = min(int((recorded_at - start) / timedelta(days=1)), scale.days - 1)
                items = by_day_topic.get((day, topic.id))
                speaker = rng.choice(SPEAKERS)
                value = float(rng.choice((1, 10, 100, 1000)) * rng.randint(1, 99))
                claim = NewClaim(
                    topic.name, f"{speaker} said {value:,.0f} were counted.",
                    rng.choice(MEASURES), rng.choice(SCOPES), rng.choice(list(Modifier)[:3]),
                    Polarity.ASSERTS, value, speaker=speaker, unsourced=rng.random() < 0.05,
                )  # fmt: skip
                stored = await tx.claims.add(
                    claim,
                    topic_id=topic.id,
                    item_id=rng.choice(items) if items and rng.random() < 0.8 else None,
                    origin=ClaimOrigin.ITEM,
                    stated_at=recorded_at - timedelta(minutes=rng.randint(0, 360)),
                    recorded_at=recorded_at,
                )
                previous = earlier[topic.id]
                if previous and rng.random() < scale.conflicts:
                    other = rng.choice(previous[-50:])
                    kind = rng.choice(list(ConflictKind))
                    reason = f"{speaker} says {value:,.0f}; {other.claim.speaker} said otherwise"
                    await tx.claims.add_conflict(stored.id, other.id, kind, reason, recorded_at)
                    conflicts += 1
                previous.append(stored)
    return conflicts


# --- delivery ---------------------------------------------------------------------------------


async def subscribe_chats(db: Any, count: int, at: datetime, first_id: int = 1) -> None:
    from storage.records import ChatKind

    for first in range(first_id, first_id + count, 1000):
        async with db.transaction() as tx:
            for chat_id in range(first, min(first + 1000, first_id + count)):
                await tx.chats.subscribe(
                    chat_id, ChatKind.PRIVATE, None, timezone="UTC",
                    digest_time=clock_time(8, 0), now=at,
                )  # fmt: skip


class PacedSender:
    """For diagnosis only (``--pace``): the Outbox's sender with sends spaced 1/rate seconds
    apart, as an Outbox that paced itself would send."""

    def __init__(self, sender: Any, rate: float) -> None:
        self._sender, self._interval = sender, 1.0 / rate
        self._next_at = 0.0

    async def _turn(self) -> None:
        now = asyncio.get_running_loop().time()
        at = max(now, self._next_at)
        self._next_at = at + self._interval  # no await before this: the turns stay unique
        if at > now:
            await asyncio.sleep(at - now)

    async def send_html(self, chat_id: int, thread_id: int | None, text: str) -> None:
        await self._turn()
        await self._sender.send_html(chat_id, thread_id, text)

    async def send_plain(self, chat_id: int, thread_id: int | None, text: str) -> None:
        await self._turn()
        await self._sender.send_plain(chat_id, thread_id, text)

    async def send_photo(
        self, chat_id: int, thread_id: int | None, photo: bytes, caption: str, *, html: bool
    ) -> None:
        await self._turn()
        await self._sender.send_photo(chat_id, thread_id, photo, caption, html=html)


def smooth_application(settings: Any, rate: float) -> Any:
    """For diagnosis only (``--smooth-rate``): an Application like ``build_application``'s as far
    as sending goes, but whose AIORateLimiter has no burst: one send every 1/rate seconds."""
    from telegram.ext import AIORateLimiter, ApplicationBuilder

    limiter = AIORateLimiter(overall_max_rate=1, overall_time_period=1 / rate, max_retries=2)
    return (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .base_url(f"{settings.telegram_api_url}/bot")
        .rate_limiter(limiter)
        .build()
    )


async def measure_delivery(spec: dict[str, Any]) -> dict[str, Any]:
    """Queue every subscriber's digest, then drain the outbox to the fake Bot API."""
    from bot.app.jobs import send_due_digests
    from bot.app.services import open_services
    from bot.chat.commands import ChatBot
    from bot.chat.telegram import build_application
    from bot.chat.telegram_sender import TelegramSender
    from bot.config.files import Watchlist
    from bot.digest.deliver import DeliveryReport, Outbox
    from bot.settings import load_settings

    templates, _ = load_templates(DELIVERY_SCALE.items)
    settings = load_settings(
        environ={"TELEGRAM_BOT_TOKEN": TOKEN, "CLAIMWATCH_TELEGRAM_API_URL": spec["fake_url"]},
        env_file=None,
    )
    async with fresh_database(spec["engine"], spec.get("postgres_url")) as db:
        now = datetime.now(UTC)
        await fill(db, DELIVERY_SCALE, now, templates)
        await subscribe_chats(db, spec["subscribers"], now - timedelta(days=2))
        watchlist = Watchlist(tuple(topic_specs(DELIVERY_SCALE.topics)))
        async with open_services(settings, db, watchlist, ()) as services:
            app = build_application(services, ChatBot(services))
            if spec.get("smooth_rate"):
                app = smooth_application(services.settings, spec["smooth_rate"])
            async with app:
                skipped = timedelta(0)  # how far the Outbox's clock was moved ahead

                def clock() -> datetime:
                    return datetime.now(UTC) + skipped

                sender: Any = TelegramSender(app)
                if spec.get("pace"):
                    sender = PacedSender(sender, spec["pace"])
                outbox = Outbox(db, sender, clock, concurrency=spec["concurrency"])
                started = time.perf_counter()
                queued = await send_due_digests(services, outbox, datetime.now(UTC))
                queue_seconds = time.perf_counter() - started
                async with db.transaction() as tx:
                    messages = await tx.outbox.count_pending()
                setup_mib = peak_mib()
                total = DeliveryReport()
                drains, jumps = 0, 0
                started, cpu = time.perf_counter(), time.process_time()
                while True:
                    report = await outbox.drain()
                    drains += 1
                    total.sent += report.sent
                    total.retrying += report.retrying
                    total.dropped += report.dropped
                    async with db.transaction() as tx:
                        pending = await tx.outbox.count_pending()
                        next_due = await tx.outbox.due(clock() + timedelta(days=1), 1)
                    if not pending:
                        break
                    if report.sent == 0 and next_due and next_due[0].not_before_at > clock():
                        skipped += next_due[0].not_before_at - clock()  # no sleeping: jump
                        jumps += 1
                deliver_seconds = time.perf_counter() - started
                deliver_cpu = time.process_time() - cpu
    return {
        "queued_chats": queued,
        "messages": messages,
        "queue_seconds": queue_seconds,
        "deliver_seconds": deliver_seconds,
        "deliver_cpu": deliver_cpu,
        "sent": total.sent,
        "retrying": total.retrying,
        "dropped": total.dropped,
        "drains": drains,
        "clock_jumps": jumps,
        "clock_skipped": skipped.total_seconds(),
        "setup_mib": setup_mib,
        "peak_mib": peak_mib(),
    }


# --- build ------------------------------------------------------------------------------------


async def make_chats(db: Any, topics: list[Any], follow: int, count: int, first_id: int) -> list:
    """``count`` chats following ``follow`` topics each (a random choice; all of them for the
    full list, as a new chat does)."""
    rng = random.Random(first_id)
    await subscribe_chats(db, count, datetime.now(UTC) - timedelta(days=60), first_id)
    chats = []
    async with db.transaction() as tx:
        for chat_id in range(first_id, first_id + count):
            if follow < len(topics):
                kept = {topic.id for topic in rng.sample(topics, follow)}
                await tx.chats.follow(chat_id, topics[0].id)  # makes the list its own
                for topic in topics:
                    if topic.id not in kept:
                        await tx.chats.unfollow(chat_id, topic.id)
            chats.append(await tx.chats.get(chat_id))
    return chats


async def compose_and_render(
    db: Any, chat: Any, until: datetime, shared: Any = None
) -> tuple[float, list[str], Any]:
    from bot.digest.compose import compose_digest
    from bot.digest.render import render_html

    started = time.perf_counter()
    digest = await compose_digest(db, chat, until=until, shared=shared)
    messages = render_html(digest, ZoneInfo(chat.timezone))
    return time.perf_counter() - started, messages, digest


async def compose_in_steps(db: Any, chat: Any, until: datetime) -> dict[str, float]:
    """``compose_digest``'s steps timed apart: the same calls in the same order (keep in step
    with bot/digest/window.py), then the pure build and the rendering."""
    from bot.digest.build import digest_of, topic_windows
    from bot.digest.compose import FIRST_WINDOW
    from bot.digest.gather import gather_disputes
    from bot.digest.render import render_html

    start = until - FIRST_WINDOW
    steps: dict[str, float] = {}
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        steps[name] = steps.get(name, 0.0) + now - mark
        mark = now

    async with db.transaction() as tx:
        lap("begin")
        topics = await tx.chats.topics_of(chat.chat_id)
        topic_ids = [topic.id for topic in topics]
        lap("topics_of")
        items = await tx.items.since_first_seen(start, topic_ids, until=until)
        item_topics: defaultdict[int, set[int]] = defaultdict(set)
        for mention in await tx.topics.mentions_of_items([item.id for item in items]):
            item_topics[mention.item_id].add(mention.topic_id)
        lap("items and their mentions")
        claims = await tx.claims.recorded_between(start, until, topic_ids)
        lap("claims.recorded_between")
        window = await tx.claims.conflicts_detected_between(start, until, topic_ids)
        lap("claims.conflicts_detected_between")
        ids = {i for c in window for i in (c.claim_id, c.other_claim_id)}
        disputes = await gather_disputes(tx, ids)
        conflicts, conflict_claims = disputes.conflicts, disputes.claims
        lap("gather_disputes")
        claim_items = disputes.items | await tx.items.get_many(
            {c.item_id for c in claims if c.item_id is not None}
        )
        lap("items.get_many")
        names = await tx.sources.display_names()
        lap("sources.display_names")
    lap("commit")
    windows = topic_windows(
        topics, since=start, until=until, items=items, item_topics=item_topics,
        source_names=names, claims=claims, conflicts=conflicts,
        conflict_claims=conflict_claims, claim_items=claim_items,
    )  # fmt: skip
    lap("topic_windows (pure)")
    digest = digest_of(topics, windows, since=start, until=until, size=chat.digest_size)
    lap("digest_of (pure)")
    render_html(digest, ZoneInfo(chat.timezone))
    lap("render_html (pure)")
    steps["items in window"] = len(items)
    steps["claims in window"] = len(claims)
    steps["conflicts in window"] = len(window)
    steps["conflicts of its disputes"] = len(conflicts)
    return steps


async def measure_build(spec: dict[str, Any]) -> dict[str, Any]:
    from bot.digest.window import SharedWindows

    scale = Scale(**spec["scale"])
    templates, corpus = load_templates(min(scale.items, 20_000))
    result: dict[str, Any] = {"corpus": corpus, "rows": [], "steps": {}}
    async with fresh_database(spec["engine"], spec.get("postgres_url")) as db:
        until = datetime.now(UTC).replace(microsecond=0)
        filled = await fill(db, scale, until, templates)
        del templates
        result.update(
            fill_seconds=filled.seconds, mentions=filled.mentions, conflicts=filled.conflicts
        )
        result["setup_mib"] = peak_mib()
        first_id = 1
        for follow in spec["follow"]:
            follow = min(follow, scale.topics)
            chats = await make_chats(db, filled.topics, follow, spec["chats"], first_id)
            first_id += spec["chats"]
            await compose_and_render(db, chats[0], until)  # warm-up: caches, compiled queries
            for mode in ("alone", "shared"):
                shared = SharedWindows() if mode == "shared" else None
                seconds, sizes, entries = [], [], []
                for chat in chats:
                    took, messages, digest = await compose_and_render(db, chat, until, shared)
                    seconds.append(took)
                    sizes.append(len(messages))
                    entries.append(
                        sum(section.entries for section in digest.sections) + digest.more
                    )
                ordered = sorted(seconds)
                result["rows"].append(
                    {
                        "follow": follow,
                        "mode": mode,
                        "chats": len(chats),
                        "median": statistics.median(ordered),
                        "mean": statistics.fmean(ordered),
                        "p95": ordered[max(0, round(0.95 * len(ordered)) - 1)],
                        "max": ordered[-1],
                        "messages": statistics.median(sizes),
                        "entries": statistics.median(entries),
                    }
                )
            print(f"  {spec['engine']}: {follow} topics done", file=sys.stderr, flush=True)
            steps: defaultdict[str, list[float]] = defaultdict(list)
            for chat in chats[: spec["step_chats"]]:
                for name, value in (await compose_in_steps(db, chat, until)).items():
                    steps[name].append(value)
            result["steps"][str(follow)] = {k: statistics.median(v) for k, v in steps.items()}
        tracemalloc.start()
        await compose_and_render(db, chats[0], until)
        result["tracemalloc_mib"] = tracemalloc.get_traced_memory()[1] / MIB
        tracemalloc.stop()
    result["peak_mib"] = peak_mib()
    return result


# --- the parent: run every part, print the tables ---------------------------------------------


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        stdout=subprocess.PIPE,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"the {spec['task']} run on {spec.get('engine')} failed (see above)")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def run_delivery(spec: dict[str, Any]) -> dict[str, Any]:
    """The fake Bot API in one process, the bot in another; both results merged."""
    fake = subprocess.Popen(
        [sys.executable, __file__, "--child", json.dumps({"task": "fake"})],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert fake.stdin is not None and fake.stdout is not None
    try:
        spec["fake_url"] = json.loads(fake.stdout.readline())["url"]
        result = run_child(spec)
        out, _ = fake.communicate("stop\n", timeout=120)
    finally:
        if fake.poll() is None:
            fake.kill()
    result["fake"] = json.loads(out.strip().splitlines()[-1])
    return result


def child(spec: dict[str, Any]) -> None:
    if spec["task"] == "fake":
        result = asyncio.run(serve_fake())
    elif spec["task"] == "delivery":
        result = asyncio.run(measure_delivery(spec))
    else:
        result = asyncio.run(measure_build(spec))
    print(json.dumps(result), flush=True)


def print_delivery(rows: list[tuple[str, dict[str, Any]]]) -> None:
    print(
        "\n| engine | subscribers | messages | queue s | deliver s | span s | rate /s"
        " | ratio to 30/s | 429s | RetryLaterError | dropped | longest gap s | bot CPU s"
        " | peak MiB |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for engine, result in rows:
        fake = result["fake"]
        rate = (fake["accepted"] - 1) / fake["span"] if fake["span"] else 0.0
        verdict = "" if rate / TELEGRAM_RATE >= GOAL else f" (below {GOAL})"
        print(
            f"| {engine} | {result['queued_chats']:,} | {fake['accepted']:,}"
            f" | {result['queue_seconds']:.1f} | {result['deliver_seconds']:.1f}"
            f" | {fake['span']:.1f} | {rate:.2f} | {rate / TELEGRAM_RATE:.3f}{verdict}"
            f" | {fake['limited']} | {result['retrying']} | {result['dropped']}"
            f" | {fake['longest_gap']:.2f} | {result['deliver_cpu']:.1f}"
            f" | {result['peak_mib']:.0f} |"
        )
    for engine, result in rows:
        fake = result["fake"]
        print(
            f"\n{engine}: {result['messages']:,} messages queued for {result['queued_chats']:,}"
            f" chats; the fake accepted {fake['accepted']:,} sends to {fake['chats']:,} chats,"
            f" at most {fake['densest']} in any second; {fake['gaps_over_half_second']} pauses"
            f" over 0.5 s between accepted sends ({fake['seconds_lost_in_gaps']:.1f} s in all);"
            f" 31 sends in a row arrived over {fake['tightest_31']:.3f} s at the least;"
            f" {result['drains']} drains, the Outbox clock moved ahead {result['clock_jumps']}"
            f" times ({result['clock_skipped']:.0f} s); the fake's CPU {fake['fake_cpu']:.1f} s"
        )


def print_build(rows: list[tuple[str, dict[str, Any]]], scale: Scale) -> None:
    print(
        f"\nDatabase: {scale.items:,} items of {scale.sources} sources over {scale.days} days,"
        f" {scale.topics} topics, {scale.claims:,} claims; one-day window, until the newest item."
    )
    print(
        "\n| engine | topics followed | chats | composed | median ms | mean ms | p95 ms | max ms"
        " | entries | messages | fill s | peak MiB |"
    )
    print("|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for engine, result in rows:
        for row in result["rows"]:
            print(
                f"| {engine} | {row['follow']} | {row['chats']} | {row['mode']}"
                f" | {1000 * row['median']:.0f} | {1000 * row['mean']:.0f}"
                f" | {1000 * row['p95']:.0f} | {1000 * row['max']:.0f} | {row['entries']:.0f}"
                f" | {row['messages']:.0f} | {result['fill_seconds']:.0f}"
                f" | {result['peak_mib']:.0f} |"
            )
    for engine, result in rows:
        print(
            f"\n{engine}: texts from {result['corpus']}; {result['mentions']:,} mentions,"
            f" {result['conflicts']:,} conflicts; peak {result['setup_mib']:.0f} MiB after the"
            f" fill; tracemalloc peak of one 10-topic digest {result['tracemalloc_mib']:.1f} MiB"
        )
        steps = result["steps"]
        follows = list(steps)
        print(f"\nSteps of compose_digest on {engine}, median ms over a few chats:\n")
        print("| step | " + " | ".join(f"{f} topics" for f in follows) + " |")
        print("|---|" + "---:|" * len(follows))
        for name in steps[follows[0]]:
            counted = name.endswith("in window") or name == "conflicts of its disputes"
            cells = [
                f"{steps[f][name]:.0f}" if counted else f"{1000 * steps[f][name]:.1f}"
                for f in follows
            ]
            print(f"| {name} | " + " | ".join(cells) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--subscribers", type=int, default=10_000, help="default 10,000")
    parser.add_argument("--items", type=int, default=100_000, help="default 100,000")
    parser.add_argument("--claims", type=int, default=10_000, help="default 10,000")
    parser.add_argument("--sources", type=int, default=200, help="default 200")
    parser.add_argument("--days", type=int, default=30, help="days of items, default 30")
    parser.add_argument("--topics", type=int, default=10, help="default 10")
    parser.add_argument(
        "--follow", default="1,3,10", help="topics the chats follow, comma-separated (1,3,10)"
    )
    parser.add_argument("--chats", type=int, default=50, help="chats timed per row, default 50")
    parser.add_argument(
        "--second-topic",
        type=float,
        default=0.2,
        help="share of items mentioning a second topic (default 0.2)",
    )
    parser.add_argument(
        "--concurrency", type=int, default=8, help="the Outbox's concurrency (default 8, its own)"
    )
    parser.add_argument(
        "--smooth-rate",
        type=float,
        metavar="R",
        help="diagnosis: send through an AIORateLimiter without burst, R messages a second,"
        " instead of the one build_application configures",
    )
    parser.add_argument(
        "--pace",
        type=float,
        metavar="R",
        help="diagnosis: space the Outbox's sends 1/R seconds apart (a wrapper of its sender)",
    )
    parser.add_argument("--only", choices=("delivery", "build"), help="run one part only")
    parser.add_argument(
        "--postgres-url",
        metavar="URL",
        help="also run on this PostgreSQL server (postgresql+asyncpg://USER@HOST:PORT/DB), in a"
        " schema created for the run and dropped after it",
    )
    parser.add_argument(
        "--no-sqlite", action="store_true", help="skip SQLite (with --postgres-url)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return
    engines = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres_url else [])
    if not engines:
        sys.exit("nothing to run: --no-sqlite without --postgres-url")
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    if args.only != "build":
        delivered = []
        for engine in engines:
            print(f"delivery on {engine}: {args.subscribers:,} chats", file=sys.stderr)
            spec = {
                "task": "delivery", "engine": engine, "postgres_url": args.postgres_url,
                "subscribers": args.subscribers, "concurrency": args.concurrency,
                "smooth_rate": args.smooth_rate, "pace": args.pace,
            }  # fmt: skip
            delivered.append((engine, run_delivery(spec)))
        limiter = (
            f"an AIORateLimiter without burst at {args.smooth_rate:g}/s (--smooth-rate)"
            if args.smooth_rate
            else "build_application's rate limiter"
        )
        if args.pace:
            limiter += f", the Outbox's sends paced at {args.pace:g}/s (--pace)"
        print(
            f"\nDelivery: {args.subscribers:,} digests through the Outbox (concurrency"
            f" {args.concurrency}) and {limiter} to the fake Bot API (30/s, 1/s a chat)"
        )
        print_delivery(delivered)
    if args.only != "delivery":
        scale = Scale(
            args.items, args.claims, args.sources, args.days, args.topics, args.second_topic
        )
        built = []
        for engine in engines:
            print(f"build on {engine}: filling {args.items:,} items", file=sys.stderr)
            spec = {
                "task": "build", "engine": engine, "postgres_url": args.postgres_url,
                "scale": scale.__dict__, "chats": args.chats, "step_chats": 5,
                "follow": [int(f) for f in args.follow.split(",") if f.strip()],
            }  # fmt: skip
            built.append((engine, run_child(spec)))
        print_build(built, scale)


if __name__ == "__main__":
    main()
