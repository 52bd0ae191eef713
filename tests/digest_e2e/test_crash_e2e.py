"""The real ``claimwatch run`` killed with SIGKILL in the middle of a digest, then started
again: every message arrives, in order, at most one of them twice (the one in flight)."""

from __future__ import annotations

import asyncio
import itertools
import os
import signal
import sys
from collections.abc import AsyncIterator, Callable, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from storage.db import Database
from storage.records import ChatKind, OutboxKind
from tests.fakebotapi import FakeBotAPI, Fault
from tests.telegram_e2e.e2e_harness import TOKEN

CLAIMWATCH = str(Path(sys.executable).parent / "claimwatch")
CHAT = 501
PARTS = 5
WATCHLIST_TOML = """
[[topics]]
name = "North Korean troops in Russia"
aliases = ["North Korea", "North Korean", "DPRK"]
"""


class WatchedBotAPI(FakeBotAPI):
    """The fake Bot API noting each request as it arrives, before it is answered: a message
    whose sender was killed while waiting for the answer has reached Telegram all the same."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.arrivals: list[tuple[str, Mapping[str, Any]]] = []
        self._arrived = asyncio.Condition()

    async def _answer(self, method: str, params: dict[str, Any]) -> Any:
        async with self._arrived:
            self.arrivals.append((method, dict(params)))
            self._arrived.notify_all()
        return await super()._answer(method, params)

    def texts_to(self, chat_id: int) -> list[str]:
        """The texts of every sendMessage to the chat that arrived, answered or not."""
        return [str(params.get("text")) for method, params in self.arrivals
                if method == "sendMessage" and params.get("chat_id") == chat_id]  # fmt: skip

    async def wait_arrived(self, done: Callable[[], bool], timeout: float) -> None:  # noqa: ASYNC109
        async with asyncio.timeout(timeout), self._arrived:
            await self._arrived.wait_for(done)


@pytest.fixture
async def watched() -> AsyncIterator[WatchedBotAPI]:
    async with WatchedBotAPI(token=TOKEN) as api:
        yield api


def digest_parts() -> list[str]:
    return [
        f"<b>Digest</b> part {n} of {PARTS}\n• North Korean troops: report {n} "
        f'(<a href="https://example.org/{n}">source</a>)'
        for n in range(1, PARTS + 1)
    ]


async def queue_digest(db: Database) -> list[str]:
    """A subscribed chat whose digest is not due, and a digest of five messages in its outbox."""
    now = datetime.now(UTC)
    parts = digest_parts()
    async with db.transaction() as tx:
        not_due_yet = (now - timedelta(hours=2)).time().replace(second=0, microsecond=0)
        await tx.chats.subscribe(CHAT, ChatKind.PRIVATE, "analyst", timezone="UTC",
                                 digest_time=not_due_yet, now=now)  # fmt: skip
        for text in parts:
            await tx.outbox.enqueue(CHAT, OutboxKind.DIGEST, text, now)
    return parts


def run_environment(workdir: Path, fake: FakeBotAPI) -> dict[str, str]:
    (workdir / "watchlist.toml").write_text(WATCHLIST_TOML)
    (workdir / "sources.toml").write_text("# no sources: nothing to poll\n")
    inherited = {name: value for name, value in os.environ.items()
                 if not name.startswith(("CLAIMWATCH_", "TELEGRAM_"))}  # fmt: skip
    return inherited | {
        "TELEGRAM_BOT_TOKEN": fake.token,
        "CLAIMWATCH_TELEGRAM_API_URL": fake.url,
        "CLAIMWATCH_DATABASE_URL": f"sqlite+aiosqlite:///{workdir / 'claimwatch.db'}",
        "CLAIMWATCH_WATCHLIST": str(workdir / "watchlist.toml"),
        "CLAIMWATCH_SOURCES": str(workdir / "sources.toml"),
    }


@asynccontextmanager
async def claimwatch_run(
    workdir: Path, env: dict[str, str], log_name: str
) -> AsyncIterator[asyncio.subprocess.Process]:
    """``claimwatch run`` in ``workdir``, its output in ``log_name``; killed if still running."""
    with (workdir / log_name).open("wb") as log:
        process = await asyncio.create_subprocess_exec(
            CLAIMWATCH, "run", cwd=workdir, env=env, stdout=log, stderr=asyncio.subprocess.STDOUT
        )
        try:
            yield process
        finally:
            if process.returncode is None:
                process.kill()
                await process.wait()


def logs(workdir: Path, names: Sequence[str]) -> str:
    return "\n".join(f"--- {name}\n{(workdir / name).read_text()}" for name in names)


def is_sorted(values: Sequence[int]) -> bool:
    return all(a <= b for a, b in itertools.pairwise(values))


async def test_killed_in_the_middle_of_a_digest_then_restarted(
    watched: WatchedBotAPI, sqlite_database: Database, tmp_path: Path
) -> None:
    parts = await queue_digest(sqlite_database)  # the fixture's file is the bot's database
    env = run_environment(tmp_path, watched)
    watched.fail("sendMessage", Fault.slow(0), times=2, chat_id=CHAT)  # the first two at once
    watched.fail("sendMessage", Fault.slow(60), chat_id=CHAT)  # the third hangs

    async with claimwatch_run(tmp_path, env, "first.log") as first:
        try:
            await watched.wait_arrived(lambda: len(watched.texts_to(CHAT)) >= 3, timeout=20)
        except TimeoutError:
            pytest.fail(f"the third message never arrived\n{logs(tmp_path, ['first.log'])}")
        first.send_signal(signal.SIGKILL)
        assert await first.wait() == -signal.SIGKILL
    assert watched.texts_to(CHAT) == parts[:3]

    async with claimwatch_run(tmp_path, env, "second.log") as second:
        try:
            await watched.wait_arrived(lambda: parts[-1] in watched.texts_to(CHAT), timeout=20)
        except TimeoutError:
            both = logs(tmp_path, ["first.log", "second.log"])
            pytest.fail(f"the digest was not finished\n{both}")
        second.send_signal(signal.SIGTERM)
        assert await asyncio.wait_for(second.wait(), 15) == 0, logs(tmp_path, ["second.log"])

    arrived = [parts.index(text) for text in watched.texts_to(CHAT)]
    assert set(arrived) == set(range(PARTS))  # every message
    assert len(arrived) <= PARTS + 1  # at most one twice: the one in flight at the kill
    assert is_sorted(arrived), arrived  # in order
    assert sorted(set(watched.sent_to(CHAT)), key=parts.index) == parts  # answered, too
    async with sqlite_database.transaction() as tx:
        assert await tx.outbox.count_pending() == 0
    assert "Traceback" not in logs(tmp_path, ["second.log"])
