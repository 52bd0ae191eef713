"""`claimwatch run` with a token, as a process, against the fake Bot API: the token is never
printed, a rejected token ends the run with a clear message, an unreachable API is waited for
while the sources are fetched."""

from __future__ import annotations

import signal
import socket
from pathlib import Path

import pytest

from tests.cli.run_process import claimwatch_run, run_environment
from tests.fakebotapi import FakeBotAPI, Fault
from tests.httpserver import LoopbackServer, Reply

pytestmark = pytest.mark.timeout(90)

TOKEN = "123456:TEST-token-for-claimwatch-run"
SECRET = TOKEN.partition(":")[2]  # the part that must never show, in any encoding
CHAT = 501
REJECTED = "the Bot API rejected TELEGRAM_BOT_TOKEN"
FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>
<link>http://127.0.0.1/</link><description>news</description>
<item><title>Talks resume</title><link>http://127.0.0.1/1</link><guid>w-1</guid>
<description>Talks resumed on Monday.</description></item></channel></rss>"""


def environment(workdir: Path, api_url: str, **extra: str) -> dict[str, str]:
    sources = workdir / "sources.toml"
    if not sources.exists():
        sources.write_text("# no sources: nothing to poll\n")
    return run_environment(
        TELEGRAM_BOT_TOKEN=TOKEN,
        CLAIMWATCH_TELEGRAM_API_URL=api_url,
        CLAIMWATCH_DATABASE_URL=f"sqlite+aiosqlite:///{workdir / 'data' / 'cw.db'}",
        CLAIMWATCH_SOURCES=str(sources),
        **extra,
    )


def assert_token_hidden(output: str) -> None:
    assert SECRET not in output and TOKEN not in output, output


async def test_a_token_the_bot_api_rejects_ends_the_run_with_status_2(workdir: Path) -> None:
    async with (
        FakeBotAPI(token="123456:ANOTHER-token-the-api-knows") as fake,  # 401 for ours
        claimwatch_run(environment(workdir, fake.url), cwd=workdir) as run,
    ):
        code = await run.exit_code()
    assert code == 2
    assert REJECTED in run.output and "Unauthorized" in run.output
    assert_token_hidden(run.output)
    assert "Traceback" not in run.output


async def test_a_rejecting_error_page_that_echoes_the_token_is_not_printed(
    workdir: Path,
) -> None:
    async with FakeBotAPI(token=TOKEN) as fake:
        fake.fail("getMe", Fault.error_page(401))
        env = environment(workdir, fake.url, CLAIMWATCH_LOG_LEVEL="DEBUG")
        async with claimwatch_run(env, cwd=workdir) as run:
            code = await run.exit_code()
        page = await fake.wait_for("getMe")
    assert page.status == 401 and code == 2
    assert REJECTED in run.output
    assert_token_hidden(run.output)


async def test_an_error_page_at_start_is_retried_and_the_bot_comes_up(workdir: Path) -> None:
    async with FakeBotAPI(token=TOKEN) as fake:
        fake.fail("getMe", Fault.error_page(502))
        env = environment(workdir, fake.url)
        async with claimwatch_run(env, cwd=workdir) as run:
            retry = await run.wait_for("Bot API unreachable at")
            await run.wait_for("receiving Telegram updates by long polling")
            fake.push_update(fake.message(CHAT, "/start"))
            reply = await fake.wait_for("sendMessage", lambda c: c.chat_id == CHAT, timeout=20)
            run.process.send_signal(signal.SIGTERM)
            code = await run.exit_code()
    assert f"Bot API unreachable at {fake.url}: Bad Gateway (502), not a Bot API answer; " \
        "retrying in 1 s" in retry  # fmt: skip
    assert reply.ok and code == 0
    assert_token_hidden(run.output)
    assert "Traceback" not in run.output


def _closed_port() -> int:
    """A loopback port nothing listens on (yet)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_an_unreachable_bot_api_is_waited_for_while_the_sources_are_fetched(
    workdir: Path,
) -> None:
    port = _closed_port()
    async with LoopbackServer() as web:
        feed = web.route("/feed.xml", Reply(body=FEED, headers={"Content-Type": "text/xml"}))
        (workdir / "sources.toml").write_text(f'[[sources]]\nurl = "{feed}"\n')
        env = environment(
            workdir, f"http://127.0.0.1:{port}", CLAIMWATCH_ALLOW_PRIVATE_NETWORKS="true"
        )
        async with claimwatch_run(env, cwd=workdir) as run:
            first = await run.wait_for("Bot API unreachable at")
            await run.wait_for("polled 1 sources: 1 new items")  # Telegram down, news still read
            async with FakeBotAPI(token=TOKEN, port=port) as fake:
                await run.wait_for("receiving Telegram updates by long polling")
                fake.push_update(fake.message(CHAT, "/start"))
                reply = await fake.wait_for("sendMessage", lambda c: c.chat_id == CHAT, 20)
                run.process.send_signal(signal.SIGTERM)
                code = await run.exit_code()
    assert first.rstrip().endswith("retrying in 1 s")
    assert f"Bot API unreachable at http://127.0.0.1:{port}: " in first
    assert web.requests_to("/feed.xml") and reply.ok and code == 0
    assert_token_hidden(run.output)
    assert "Traceback" not in run.output


async def test_a_stop_while_waiting_for_the_bot_api_ends_the_run_cleanly(workdir: Path) -> None:
    env = environment(workdir, f"http://127.0.0.1:{_closed_port()}")
    async with claimwatch_run(env, cwd=workdir) as run:
        await run.wait_for("retrying in 1 s")
        await run.wait_for("retrying in 2 s")  # the backoff doubles
        run.process.send_signal(signal.SIGTERM)
        code = await run.exit_code()
    assert code == 0 and "claimwatch stopped" in run.output
    assert "Traceback" not in run.output
    assert_token_hidden(run.output)
