"""Shared database fixtures: a migrated ``Database`` on SQLite and, when configured, PostgreSQL.

    database         migrated, empty; parametrized: sqlite (a file in tmp_path) and postgresql
    sqlite_database  migrated, empty SQLite only: for suites that just need a real database
    empty_target     where an unmigrated database lives (both engines), for migration tests
    services         the bot's services on ``sqlite_database``, with the suite's ``settings``
    http_server      a loopback HTTP server (tests/httpserver.py)

PostgreSQL runs when CLAIMWATCH_TEST_POSTGRES_URL names a server (e.g.
postgresql+asyncpg://postgres@127.0.0.1:5432/test); unset, those cases skip. Set but
unreachable, they fail under CI=true and skip otherwise.

Speed and isolation: the schema is migrated once a session (SQLite: a template file copied per
test; PostgreSQL: a schema of this session's own, emptied before each test). Schemas are named
after the test process and dropped when it ends; those of processes no longer running are swept
at start, so an interrupted run never breaks the next one, two runs at once never collide, and
nothing outside them (such as tables in ``public``) is touched.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import uuid
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from bot.app.services import Services, open_services
from bot.settings import Settings
from storage.db import Database
from storage.errors import StorageError
from storage.orm import Base
from tests.chat.chat_harness import WATCHLIST
from tests.httpserver import http_server as http_server

__all__ = ["http_server"]

POSTGRES_URL_VARIABLE = "CLAIMWATCH_TEST_POSTGRES_URL"
ENGINES = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgresql", id="postgresql", marks=pytest.mark.postgres),
]
# Every table but alembic_version, children first: emptied before each PostgreSQL test.
TABLES = [table.name for table in reversed(Base.metadata.sorted_tables)]


@dataclass(frozen=True)
class DatabaseTarget:
    """Where a test database lives: a URL, plus the PostgreSQL schema standing for a database."""

    url: str
    search_path: str | None = None

    @property
    def engine_name(self) -> str:
        return "sqlite" if self.url.startswith("sqlite") else "postgresql"

    async def open(self) -> Database:
        return await Database.open(self.url, search_path=self.search_path)

    def raw_engine(self) -> AsyncEngine:
        """A plain SQLAlchemy engine on the same database, to look under storage's hood."""
        if self.search_path is None:
            return create_async_engine(self.url)
        settings = {"search_path": self.search_path}
        return create_async_engine(self.url, connect_args={"server_settings": settings})


def sqlite_target(directory: Path, name: str = "claimwatch.db") -> DatabaseTarget:
    return DatabaseTarget(f"sqlite+aiosqlite:///{directory / name}")


async def migrated(target: DatabaseTarget) -> Database:
    database = await target.open()
    await database.upgrade()
    return database


# --- SQLite ------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once; tests get copies."""
    target = sqlite_target(tmp_path_factory.mktemp("sqlite-template"))

    async def make() -> None:
        await (await migrated(target)).close()  # closing checkpoints the WAL into the file

    asyncio.run(make())
    return Path(target.url.removeprefix("sqlite+aiosqlite:///"))


@pytest.fixture
async def sqlite_database(sqlite_template: Path, tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated, empty SQLite database in a file of this test's own."""
    shutil.copyfile(sqlite_template, tmp_path / "claimwatch.db")
    database = await sqlite_target(tmp_path).open()
    yield database
    await database.close()


# --- PostgreSQL --------------------------------------------------------------------------------


SCHEMA_PREFIX = "claimwatch_test_"


def _schema_prefix() -> str:
    """Schemas of this process: two test runs at once (a developer's and CI's) never collide."""
    return f"{SCHEMA_PREFIX}{os.getpid()}"


def _is_stale(schema: str) -> bool:
    """A schema left behind by a test process that is no longer running."""
    pid = schema.removeprefix(SCHEMA_PREFIX).split("_", 1)[0]
    if not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


async def _admin(url: str, *statements: str) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()


async def _drop_schemas(url: str, prefix: str, *, only_stale: bool = False) -> None:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            found = await connection.execute(
                text("SELECT nspname FROM pg_namespace WHERE left(nspname, :n) = :prefix"),
                {"n": len(prefix), "prefix": prefix},
            )
            for (schema,) in found.all():
                if not only_stale or _is_stale(schema):
                    await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """The server under test, after checking that it answers."""
    url = os.environ.get(POSTGRES_URL_VARIABLE)
    if not url:
        pytest.skip(f"{POSTGRES_URL_VARIABLE} is unset: PostgreSQL cases skipped")

    async def ping() -> None:
        database = await Database.open(url)
        try:
            await database.ping()
        finally:
            await database.close()

    try:
        asyncio.run(ping())
    except StorageError as exc:
        message = f"{POSTGRES_URL_VARIABLE} is set but PostgreSQL is unreachable: {exc}"
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return url


@pytest.fixture(scope="session")
def postgres_schema(postgres_url: str) -> Iterator[str]:
    """This session's migrated schema; schemas of test runs no longer running dropped first."""
    prefix = _schema_prefix()
    schema = f"{prefix}_shared"

    async def create() -> None:
        await _drop_schemas(postgres_url, SCHEMA_PREFIX, only_stale=True)
        await _admin(postgres_url, f'CREATE SCHEMA "{schema}"')
        database = await migrated(DatabaseTarget(postgres_url, schema))
        await database.close()

    asyncio.run(create())
    yield schema
    asyncio.run(_drop_schemas(postgres_url, prefix))


# --- Both --------------------------------------------------------------------------------------


@pytest.fixture(params=ENGINES)
def database_target(
    request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path
) -> DatabaseTarget:
    """Where this test's migrated, empty database lives, once on each engine.

    Synchronous on purpose: the PostgreSQL fixtures it may pull in run their own event loop.
    """
    if request.param == "sqlite":
        shutil.copyfile(sqlite_template, tmp_path / "claimwatch.db")
        return sqlite_target(tmp_path)
    url, schema = (
        request.getfixturevalue("postgres_url"),
        request.getfixturevalue("postgres_schema"),
    )
    # DELETE beats TRUNCATE on tables this small (TRUNCATE rewrites every table's files); ids
    # restart at 1 as on a fresh database, so no test depends on the ones before it.
    emptied = [f'DELETE FROM "{schema}".{table}' for table in TABLES]
    restarted = [
        f"SELECT setval(pg_get_serial_sequence('\"{schema}\".{table}', column_name), 1, false) "
        f"FROM information_schema.columns WHERE table_schema = '{schema}' "
        f"AND table_name = '{table}' AND column_name = 'id'"
        for table in TABLES
    ]
    asyncio.run(_admin(url, *emptied, *restarted))
    return DatabaseTarget(url, schema)


@pytest.fixture
async def database(database_target: DatabaseTarget) -> AsyncIterator[Database]:
    """A migrated, empty database, once on each engine."""
    database = await database_target.open()
    yield database
    await database.close()


@pytest.fixture(params=ENGINES)
def empty_target(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[DatabaseTarget]:
    """Where a database with no schema at all lives, once on each engine."""
    if request.param == "sqlite":
        yield sqlite_target(tmp_path)
        return
    url = request.getfixturevalue("postgres_url")
    request.getfixturevalue("postgres_schema")  # its setup sweeps leftovers of this prefix
    schema = f"{_schema_prefix()}_{uuid.uuid4().hex[:8]}"
    asyncio.run(_admin(url, f'CREATE SCHEMA "{schema}"'))
    yield DatabaseTarget(url, schema)
    asyncio.run(_admin(url, f'DROP SCHEMA "{schema}" CASCADE'))


# --- The bot's services ------------------------------------------------------------------------


@pytest.fixture
async def services(settings: Settings, sqlite_database: Database) -> AsyncIterator[Services]:
    """Real services on a real SQLite database; the suite's conftest defines ``settings``."""
    async with open_services(settings, sqlite_database, WATCHLIST, ()) as ready:
        yield ready
