"""One `claimwatch run` per SQLite file, as real processes: a second runner is refused, a
SIGKILLed one blocks nobody, one-shot commands still work beside a runner; PostgreSQL takes
several runners."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path

import pytest

from tests.cli.run_process import CLAIMWATCH, RunProcess, claimwatch_run, run_environment
from tests.fakebotapi import FakeBotAPI

pytestmark = pytest.mark.timeout(120)

TOKEN = "123456:TEST-token-for-claimwatch-lock"
CHAT = 601
UP = "receiving Telegram updates by long polling"


def environment(workdir: Path, fake: FakeBotAPI, database_url: str) -> dict[str, str]:
    (workdir / "sources.toml").write_text("# no sources: nothing to poll\n")
    return run_environment(
        TELEGRAM_BOT_TOKEN=TOKEN,
        CLAIMWATCH_TELEGRAM_API_URL=fake.url,
        CLAIMWATCH_DATABASE_URL=database_url,
        CLAIMWATCH_SOURCES=str(workdir / "sources.toml"),
    )


async def one_shot(env: dict[str, str], workdir: Path, *args: str) -> tuple[int, str]:
    """A one-shot command's exit status and output."""
    process = await asyncio.create_subprocess_exec(
        CLAIMWATCH, *args, env=env, cwd=workdir, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )  # fmt: skip
    output, _ = await asyncio.wait_for(process.communicate(), 30)
    return process.returncode or 0, output.decode()


async def answers(fake: FakeBotAPI, text: str) -> bool:
    fake.push_update(fake.message(CHAT, text))
    return (await fake.wait_for("sendMessage", lambda c: c.chat_id == CHAT, timeout=20)).ok


async def stopped(run: RunProcess) -> int:
    run.process.send_signal(signal.SIGTERM)
    return await run.exit_code()


async def test_a_second_runner_on_one_sqlite_file_is_refused_and_a_killed_one_blocks_nobody(
    workdir: Path,
) -> None:
    database = workdir / "data" / "cw.db"
    async with FakeBotAPI(token=TOKEN) as fake:
        env = environment(workdir, fake, f"sqlite+aiosqlite:///{database}")
        async with claimwatch_run(env, cwd=workdir) as first:
            await first.wait_for(UP)
            async with (
                claimwatch_run(env, cwd=workdir) as second,
                claimwatch_run(env, "--fetch-only", cwd=workdir) as worker,
            ):
                refused, worker_refused, (listed, listing) = await asyncio.gather(
                    second.exit_code(),
                    worker.exit_code(),
                    one_shot(env, workdir, "sources", "list"),
                )
            assert await answers(fake, "/start")  # the first runner is untouched
            first.process.kill()  # SIGKILL: no chance to release anything
            assert await first.exit_code() == -signal.SIGKILL
        async with claimwatch_run(env, cwd=workdir) as third:
            await third.wait_for(UP)
            assert await answers(fake, "/help")
            assert await stopped(third) == 0
    message = f"another claimwatch run is using {database} (pid {first.process.pid}); stop it first"
    assert refused == 2 and message in second.output, second.output
    assert worker_refused == 2 and message in worker.output, worker.output
    assert "Traceback" not in second.output + worker.output
    assert listed == 0, listing  # one-shot commands work beside the runner


async def test_several_runners_share_a_postgresql_database(
    workdir: Path, postgres_database_url: str
) -> None:
    async with FakeBotAPI(token=TOKEN) as fake:
        env = environment(workdir, fake, postgres_database_url)
        async with claimwatch_run(env, cwd=workdir) as bot:
            await bot.wait_for(UP)  # not both at once: their first start seeds the same rows
            async with claimwatch_run(env, "--fetch-only", cwd=workdir) as worker:
                await worker.wait_for("fetch worker is running")
                assert await answers(fake, "/start")
                assert await asyncio.gather(stopped(worker), stopped(bot)) == [0, 0]
