"""The real bot (python-telegram-bot Application, services, jobs) against the fake Bot API.

    async with RunningBot(settings, database) as bot:
        fake.push_update(fake.message(CHAT, "/start"))
        reply = await fake.wait_for("sendMessage", lambda c: c.chat_id == CHAT)

``RunningBot`` can be stopped and started again on the same database: a restart in the middle.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from types import TracebackType

from bot.app.runner import serve_telegram
from bot.app.services import Services, open_services
from bot.config.files import ClaimSpec, TopicSpec, Watchlist
from bot.settings import Settings, load_settings
from storage.db import Database
from tests.fakebotapi import FakeBotAPI

TOKEN = "123456:TEST-token-for-claimwatch-e2e"
ADMIN_ID = 7
NK = TopicSpec("North Korean troops in Russia", ("North Korea", "North Korean", "DPRK", "КНДР"))
WATCHLIST = Watchlist(
    topics=(NK,),
    claims=(ClaimSpec(NK.name, "The NIS said about 1,500 North Korean troops arrived in Russia."),),
)


def bot_settings(fake: FakeBotAPI, **extra: str) -> Settings:
    return load_settings(
        environ={
            "TELEGRAM_BOT_TOKEN": fake.token,
            "CLAIMWATCH_TELEGRAM_API_URL": fake.url,
            "CLAIMWATCH_ADMIN_IDS": str(ADMIN_ID),
            "CLAIMWATCH_ALLOW_PRIVATE_NETWORKS": "true",
            # parse on a thread: a bot's first poll then ends as fast as it did before parser
            # processes, which tests that poll again right after start rely on (the pool has
            # tests of its own: tests/test_parsers.py, tests/ingest/test_parser_processes.py)
            "CLAIMWATCH_PARSE_WORKERS": "0",
            **extra,
        },
        env_file=None,
    )


class RunningBot:
    """``serve_telegram`` in a task, stopped the way SIGTERM stops it."""

    def __init__(self, settings: Settings, db: Database, fake: FakeBotAPI) -> None:
        self.settings, self.db, self.fake = settings, db, fake
        self.services: Services | None = None
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._services_cm: object = None

    async def __aenter__(self) -> RunningBot:
        await self.start()
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    async def start(self, *, polling: bool = True) -> None:
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._serve())
        await self.fake.wait_for("setMyCommands", timeout=10)
        if polling:
            await self.fake.wait_polling(timeout=10)

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.wait_for(self._task, timeout=15)
            self._task = None

    async def _serve(self) -> None:
        async with open_services(self.settings, self.db, WATCHLIST, ()) as services:
            self.services = services
            await serve_telegram(services, self._stop)


async def eventually(check: Callable[[], Awaitable[bool]], timeout: float = 5.0) -> None:  # noqa: ASYNC109
    """Await a state change nothing announces (a row the bot updates after an error)."""
    deadline = asyncio.get_running_loop().time() + timeout
    while not await check():
        assert asyncio.get_running_loop().time() < deadline, "the state never changed"
        await asyncio.sleep(0.02)
