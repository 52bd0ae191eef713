"""The terminal chat on real services and a real SQLite database; `claimwatch run` in a
scratch working directory like a fresh checkout."""

import asyncio
import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.app.services import Services
from bot.settings import Settings, load_settings
from tests.console.console_transcript import Terminal
from tests.httpserver import LoopbackServer

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return load_settings(
        environ={
            "CLAIMWATCH_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'claimwatch.db'}",
            "CLAIMWATCH_ALLOW_PRIVATE_NETWORKS": "true",
            "CLAIMWATCH_TIMEZONE": "UTC",
            "CLAIMWATCH_DIGEST_TIME": "08:00",
        },
        env_file=None,
    )


@pytest.fixture
def terminal(services: Services) -> Terminal:
    return Terminal(services)


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    """A directory like a fresh checkout: config/ copied (no sources listed), no .env."""
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "config" / "sources.toml").write_text("# no sources yet\n")
    return tmp_path


@pytest.fixture
def loopback() -> Iterator[LoopbackServer]:
    """A loopback HTTP server in a thread of its own, for a `claimwatch run` process to fetch
    from while the test waits on it."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = LoopbackServer()
    asyncio.run_coroutine_threadsafe(server.__aenter__(), loop).result(10)
    yield server
    asyncio.run_coroutine_threadsafe(server.__aexit__(None, None, None), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()
