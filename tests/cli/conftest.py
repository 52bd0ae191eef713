"""CLI tests run `claimwatch` in-process in a scratch working directory with a clean environment."""

import asyncio
import os
import shutil
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def workdir(tmp_path, monkeypatch):
    """A directory like a fresh checkout: config/ copied (but no sources listed: the shipped
    ones are on the internet), no .env, no claimwatch settings."""
    for name in list(os.environ):
        if name.startswith(("CLAIMWATCH_", "TELEGRAM_BOT_TOKEN")) and "_TEST_" not in name:
            monkeypatch.delenv(name)
    shutil.copytree(ROOT / "config", tmp_path / "config")
    (tmp_path / "config" / "sources.toml").write_text("# no sources yet\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _postgres_admin_url() -> str | None:
    return os.environ.get("CLAIMWATCH_TEST_POSTGRES_URL")


@pytest.fixture(scope="session")
def postgres_database_url():
    """A scratch PostgreSQL database of its own, dropped at the end; skips without PostgreSQL."""
    admin_url = _postgres_admin_url()
    if not admin_url:
        pytest.skip("CLAIMWATCH_TEST_POSTGRES_URL is not set: PostgreSQL half skipped")
    import asyncpg

    plain = admin_url.replace("postgresql+asyncpg://", "postgresql://")
    name = f"claimwatch_cli_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(plain)
        try:
            await connection.execute(sql)
        finally:
            await connection.close()

    try:
        asyncio.run(admin(f"CREATE DATABASE {name}"))
    except (OSError, asyncpg.PostgresError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL at {admin_url} is unreachable under CI: {exc}")
        pytest.skip(f"PostgreSQL unreachable: {exc}")
    base, _, _ = admin_url.rpartition("/")
    yield f"{base}/{name}"
    asyncio.run(admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, workdir):
    if request.param == "sqlite":
        return f"sqlite+aiosqlite:///{workdir / 'data' / 'cw.db'}"
    return request.getfixturevalue("postgres_database_url")


@pytest.fixture
def web(monkeypatch):
    """A loopback HTTP server running in a thread of its own, for commands that fetch."""
    import threading

    from tests.httpserver import LoopbackServer

    monkeypatch.setenv("CLAIMWATCH_ALLOW_PRIVATE_NETWORKS", "true")
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    server = LoopbackServer()
    asyncio.run_coroutine_threadsafe(server.__aenter__(), loop).result(10)
    monkeypatch.setenv("CLAIMWATCH_TELEGRAM_PREVIEW_URL", server.base_url)
    yield server
    asyncio.run_coroutine_threadsafe(server.__aexit__(None, None, None), loop).result(10)
    loop.call_soon_threadsafe(loop.stop)
    thread.join(10)
    loop.close()
