"""Wires the services, the chat and the scheduled jobs, and runs them until a stop signal.

With a bot token: python-telegram-bot's Application (long polling, or a webhook), the jobs on
the APScheduler scheduler inside its JobQueue. Without one: the terminal chat, the same jobs on
an APScheduler asyncio scheduler of their own; ``schedule`` sets them up alike in every mode.
While the Bot API cannot be reached at start, the log-in is
retried with backoff and the sources are fetched meanwhile (an outage of Telegram is no reason to
miss the news); the JobQueue takes over once the bot is logged in.
"""

from __future__ import annotations

import asyncio
import logging
import math
import signal
from collections.abc import AsyncIterator, Iterable, Iterator
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from datetime import UTC, timedelta
from typing import TYPE_CHECKING

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.app import jobs
from bot.app.services import Services, open_services, utc_now
from bot.chat.commands import ChatBot
from bot.chat.console import CONSOLE_CHAT_ID, TerminalChat, TerminalSender, terminal_lines
from bot.config.files import SourceSpec, Watchlist
from bot.digest.deliver import Outbox
from bot.settings import Settings, reveal
from storage.db import Database

if TYPE_CHECKING:
    from bot.chat.telegram_sender import TelegramApp

log = logging.getLogger(__name__)

FIRST_RETRY = timedelta(seconds=1)  # short: a restarting proxy or Bot API server is back soon
LONGEST_RETRY = timedelta(seconds=60)


async def run_bot(
    settings: Settings,
    watchlist: Watchlist,
    source_specs: tuple[SourceSpec, ...],
    *,
    fetch_only: bool = False,
) -> int:
    """Run until SIGINT or SIGTERM (or /quit in the terminal chat); the exit status."""
    db = await Database.open(reveal(settings.database_url))
    try:
        await db.upgrade()
        async with (
            open_services(settings, db, watchlist, source_specs) as services,
            _stop_signals() as stopped,
        ):
            if fetch_only:
                await serve_fetcher(services, stopped)
            elif settings.telegram_bot_token:
                await serve_telegram(services, stopped)
            else:
                await serve_terminal(services, stopped)
    finally:
        await db.close()
    log.info("claimwatch stopped")
    return 0


async def serve_telegram(services: Services, stopped: asyncio.Event) -> None:
    """The Telegram bot with its jobs on the Application's JobQueue, until ``stopped``."""
    from bot.chat.telegram import build_application, run_telegram
    from bot.chat.telegram_sender import TelegramSender

    app = build_application(services, ChatBot(services))
    if not await _log_in(app, services, stopped):
        return
    outbox = Outbox(services.db, TelegramSender(app), utc_now,
                    except_chat_id=CONSOLE_CHAT_ID)  # fmt: skip
    assert app.job_queue is not None  # it starts and stops with the Application
    # a run the event loop delayed still runs, however late (so it always has with Telegram)
    schedule(app.job_queue.scheduler, jobs.recurring(services, outbox), misfire_grace_time=None)
    log.info("claimwatch is running with Telegram; press Ctrl-C to stop")
    await run_telegram(app, services, stopped)


async def serve_terminal(services: Services, stopped: asyncio.Event) -> None:
    """The terminal chat, with the jobs on an asyncio scheduler, until ``stopped`` or /quit."""
    terminal = TerminalChat(services, ChatBot(services))
    outbox = Outbox(services.db, TerminalSender(terminal), utc_now,
                    only_chat_id=CONSOLE_CHAT_ID, per_chat_gap=timedelta(0))  # fmt: skip
    reading = asyncio.create_task(terminal.run(terminal_lines(), stopped.set))
    async with scheduled(jobs.recurring(services, outbox)):
        log.info("claimwatch is running with the terminal chat; press Ctrl-C to stop")
        try:
            await stopped.wait()
            log.info("stopping")
        finally:
            reading.cancel()
            await asyncio.wait([reading])  # a reply cancelled mid-transaction unwinds first


async def _log_in(app: TelegramApp, services: Services, stopped: asyncio.Event) -> bool:
    """Log in to the Bot API, retrying with backoff while it cannot be reached, one line each
    time; the sources are fetched from the first failure on. False when stopped first."""
    from bot.chat.telegram import BotAPIUnreachableError, log_in

    delays = backoff(FIRST_RETRY, LONGEST_RETRY)
    fetching_meanwhile = False
    async with AsyncExitStack() as meanwhile:
        while True:
            try:
                await log_in(app, services.settings)
                return True
            except BotAPIUnreachableError as exc:
                wait = exc.retry_after or next(delays)
                log.warning("Bot API unreachable at %s: %s; retrying in %d s", exc.where,
                            exc.reason, math.ceil(wait.total_seconds()))  # fmt: skip
            if not fetching_meanwhile:
                await meanwhile.enter_async_context(fetching(services))
                fetching_meanwhile = True
            if await _stopped_within(stopped, wait):
                return False


def backoff(first: timedelta, longest: timedelta) -> Iterator[timedelta]:
    """first, twice that, ... up to longest, then longest for ever."""
    delay = first
    while True:
        yield delay
        delay = min(delay * 2, longest)


async def _stopped_within(stopped: asyncio.Event, wait: timedelta) -> bool:
    try:
        await asyncio.wait_for(stopped.wait(), wait.total_seconds())
    except TimeoutError:
        return False
    return True


async def serve_fetcher(services: Services, stopped: asyncio.Event) -> None:
    """A scale-out worker: only the fetch-and-analyse job. Workers share the due sources through
    leases in the database (PostgreSQL's SKIP LOCKED), so any number can run beside the bot."""
    async with fetching(services):
        log.info("claimwatch fetch worker is running; press Ctrl-C to stop")
        await stopped.wait()


def fetching(services: Services) -> AbstractAsyncContextManager[None]:
    """The poll job on an asyncio scheduler of its own while the block runs."""
    return scheduled([jobs.poll_job(services)])


def schedule(
    scheduler: AsyncIOScheduler,
    recurring: Iterable[jobs.Recurring],
    *,
    misfire_grace_time: int | None = 1,  # APScheduler's own default
) -> None:
    """The jobs on an APScheduler scheduler, alike in every mode: the first run at once (not one
    interval later), one run of a job at a time, the runs missed meanwhile coalesced into one."""
    for job in recurring:
        scheduler.add_job(
            job.run, "interval", seconds=job.every.total_seconds(), next_run_time=utc_now(),
            max_instances=1, coalesce=True, misfire_grace_time=misfire_grace_time, id=job.name,
        )  # fmt: skip


@asynccontextmanager
async def scheduled(recurring: Iterable[jobs.Recurring]) -> AsyncIterator[None]:
    """The jobs on an asyncio scheduler of their own while the block runs; at the end no new run
    starts and the runs in flight finish (or are cancelled after a grace) before it is left,
    so before the services close."""
    running = jobs.RunningJobs()
    scheduler = AsyncIOScheduler(timezone=UTC)
    schedule(scheduler, map(running.track, recurring))
    scheduler.start()
    try:
        yield
    finally:
        scheduler.pause()
        await running.finish()
        scheduler.shutdown(wait=False)


@asynccontextmanager
async def _stop_signals() -> AsyncIterator[asyncio.Event]:
    """An event set by SIGINT (Ctrl-C) or SIGTERM while the block runs."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(sig, stop.set)
    try:
        yield stop
    finally:
        for sig in (signal.SIGINT, signal.SIGTERM):
            loop.remove_signal_handler(sig)
