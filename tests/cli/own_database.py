"""A database of the test's own for CLI tests that leave triggers, sources or items behind:
SQLite in the test's directory, or a PostgreSQL database created for the test and dropped
after it (the shared ``database_url`` of tests/cli/conftest.py lives for the whole session).

    from tests.cli.own_database import own_database_url as own_database_url   # then use the fixture
"""

import asyncio
import os
import uuid

import pytest


async def _admin(url: str, sql: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(url.replace("postgresql+asyncpg://", "postgresql://"))
    try:
        await connection.execute(sql)
    finally:
        await connection.close()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def own_database_url(request, workdir):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{workdir / 'data' / 'cw.db'}"
        return
    admin_url = os.environ.get("CLAIMWATCH_TEST_POSTGRES_URL")
    if not admin_url:
        pytest.skip("CLAIMWATCH_TEST_POSTGRES_URL is not set: PostgreSQL half skipped")
    name = f"claimwatch_own_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(admin_url, f"CREATE DATABASE {name}"))
    yield f"{admin_url.rpartition('/')[0]}/{name}"
    asyncio.run(_admin(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
