"""The database: an async engine, units of work, migrations (Alembic loaded only to migrate).

    db = await Database.open("sqlite+aiosqlite:///data/claimwatch.db")
    await db.upgrade()
    async with db.transaction() as tx:      # commits on success, rolls back on an exception
        source = await tx.sources.add(NewSource(url), now)
    await db.close()

The caller owns the transaction; repositories never commit. Every SQLAlchemy or driver error
leaving this module is a storage.errors.StorageError.
"""

from __future__ import annotations

import re
import sys
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import event, text
from sqlalchemy.engine import URL, Connection, make_url
from sqlalchemy.exc import (
    ArgumentError,
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
)
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from storage import migrations
from storage.errors import (
    DatabaseUnavailableError,
    IntegrityViolationError,
    SchemaMissingError,
    StorageError,
)
from storage.repositories import (
    ChatRepository,
    ClaimRepository,
    ItemRepository,
    OutboxRepository,
    SourceRepository,
    TopicRepository,
)

SQLITE_BUSY_TIMEOUT_MS = 15_000
POSTGRES_CONNECT_TIMEOUT_SECONDS = 10
MIGRATION_LOCK_KEY = 0x636C6D77  # "clmw": one migrator at a time on PostgreSQL
SEEDING_LOCK_KEY = 0x636C7364  # "clsd": one process at a time syncs the watchlist and sources file
EXPECTED_URLS = "sqlite+aiosqlite:///FILE or postgresql+asyncpg://USER:PASSWORD@HOST:PORT/DB"
_ASYNC_DRIVERS = {
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
}
_MISSING_TABLE = re.compile(r"no such table|relation \S+ does not exist", re.IGNORECASE)


class Transaction:
    """One unit of work: the repositories, all sharing one session and one transaction.

    ``after_commit`` defers in-memory changes until the writes they mirror are committed;
    ``savepoint`` undoes one part's writes (and its deferred changes) without the rest.
    """

    def __init__(
        self, session: AsyncSession, translate: Callable[[BaseException], StorageError]
    ) -> None:
        self.sources = SourceRepository(session)
        self.items = ItemRepository(session)
        self.topics = TopicRepository(session)
        self.claims = ClaimRepository(session)
        self.chats = ChatRepository(session)
        self.outbox = OutboxRepository(session)
        self._session = session
        self._translate = translate
        self._after_commit: list[Callable[[], None]] = []

    def after_commit(self, action: Callable[[], None]) -> None:
        """Run ``action`` once the transaction committed; never if it rolls back."""
        self._after_commit.append(action)

    @asynccontextmanager
    async def savepoint(self) -> AsyncIterator[None]:
        """A nested unit (SAVEPOINT): if the block raises, its writes and the ``after_commit``
        actions it added are undone, the rest of the transaction stays, and the error goes on
        (a database error as StorageError)."""
        actions = len(self._after_commit)
        await self._begin_before_savepoint()
        try:
            async with self._session.begin_nested():
                yield
        except BaseException as exc:
            del self._after_commit[actions:]
            if isinstance(exc, SQLAlchemyError):
                raise self._translate(exc) from exc
            raise

    async def _begin_before_savepoint(self) -> None:
        """SQLite's driver begins a transaction only before a write, and a SAVEPOINT outside
        one is a transaction of its own that its RELEASE commits: begin first (IMMEDIATE: a
        transaction with savepoints writes, so take the write lock now, waiting as a write
        does)."""
        connection = await self._session.connection()
        if connection.dialect.name != "sqlite":
            return
        raw = await connection.get_raw_connection()
        if not raw.driver_connection.in_transaction:  # type: ignore[union-attr]
            await connection.exec_driver_sql("BEGIN IMMEDIATE")

    async def wait_for_other_seeders(self) -> None:
        """Hold the seeding lock until this transaction ends: processes that start together
        (``docker compose up --scale``) sync the watchlist and the sources file one after the
        other, so the second reads what the first wrote instead of inserting it again.
        PostgreSQL: an advisory lock; SQLite: its write lock, taken before the first read."""
        connection = await self._session.connection()
        if connection.dialect.name == "sqlite":
            await self._begin_before_savepoint()
        else:
            await connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": SEEDING_LOCK_KEY}
            )

    def committed(self) -> None:
        """The transaction committed: run the deferred actions, in order."""
        actions, self._after_commit = self._after_commit, []
        for action in actions:
            action()


class Database:
    """An engine and its sessions. Open with ``await Database.open(url)``, close when done."""

    def __init__(self, engine: AsyncEngine, where: str, password: str | None) -> None:
        self._engine = engine
        self._sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=True)
        self._password = password
        self.where = where  # a description without the password, for messages and logs

    @classmethod
    async def open(cls, url: str, *, search_path: str | None = None) -> Database:
        """Create the engine (connections open lazily). ``search_path``: PostgreSQL schema."""
        parsed = _async_url(url)
        return cls(_create_engine(parsed, search_path), describe(parsed), parsed.password)

    @property
    def engine_name(self) -> str:
        """The SQLAlchemy dialect: sqlite or postgresql."""
        return self._engine.dialect.name

    async def close(self) -> None:
        await self._engine.dispose()

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[Transaction]:
        """A unit of work: committed when the block ends, rolled back if it raises.

        Database errors surface as StorageError when they leave the block.
        """
        async with self._sessions() as session:
            try:
                await session.connection()  # connect now: an unreachable database fails here
            except Exception as exc:
                raise self._unavailable(exc) from exc
            tx = Transaction(session, self._translate)
            try:
                yield tx
                await session.commit()
            except SQLAlchemyError as exc:
                raise self._translate(exc) from exc
        tx.committed()

    async def ping(self) -> None:
        """Raise DatabaseUnavailableError unless the database answers a trivial query."""
        async with self._connection() as connection:
            await connection.execute(text("SELECT 1"))

    async def upgrade(self, revision: str = "head") -> None:
        if revision == "head" and await self._at_newest_revision():
            return  # what Alembic would find, without the time it takes to load
        await self._migrate(lambda connection: migrations.upgrade(connection, revision))

    async def downgrade(self, revision: str) -> None:
        await self._migrate(lambda connection: migrations.downgrade(connection, revision))

    async def current_revision(self) -> str | None:
        async with self._connection() as connection:
            revision: str | None = await connection.run_sync(migrations.current_revision)
        return revision

    async def _at_newest_revision(self) -> bool:
        async with self._connection() as connection:
            newest: bool = await connection.run_sync(migrations.is_at_newest)
        return newest

    async def _migrate(self, step: Callable[[Connection], None]) -> None:
        sqlite = self.engine_name == "sqlite"
        async with self._connection() as connection:
            if sqlite:  # a batch table copy must not fire ON DELETE CASCADE
                await connection.exec_driver_sql("PRAGMA foreign_keys=OFF")
            else:
                await connection.execute(
                    text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY}
                )
            try:
                await connection.run_sync(step)
                await connection.commit()
            finally:
                if sqlite:
                    await connection.exec_driver_sql("PRAGMA foreign_keys=ON")

    @asynccontextmanager
    async def _connection(self) -> AsyncIterator[AsyncConnection]:
        """A connection, with connecting and using it translated to StorageError."""
        connection = self._engine.connect()
        try:
            await connection.start()
        except Exception as exc:  # driver errors (OSError, asyncpg's) are not all wrapped
            raise self._unavailable(exc) from exc
        try:
            yield connection
        except (SQLAlchemyError, OSError, TimeoutError) as exc:
            raise self._translate(exc) from exc
        except Exception as exc:
            if not _is_migration_error(exc):
                raise
            raise StorageError(f"{self.where}: migrations: {self._scrub(str(exc))}") from exc
        finally:
            await connection.close()

    def _unavailable(self, exc: BaseException) -> StorageError:
        if isinstance(exc, StorageError):
            return exc
        return DatabaseUnavailableError(self.where, _explain(self._reason(exc)))

    def _translate(self, exc: BaseException) -> StorageError:
        original = getattr(exc, "orig", None)
        if isinstance(original, StorageError):  # raised by a column type while binding
            return original
        reason = self._reason(exc)
        if isinstance(exc, IntegrityError):
            return IntegrityViolationError(f"{self.where}: {reason}")
        if _MISSING_TABLE.search(reason):
            return SchemaMissingError(self.where, reason)
        if isinstance(exc, OperationalError | InterfaceError | OSError | TimeoutError):
            return DatabaseUnavailableError(self.where, _explain(reason))
        return StorageError(f"{self.where}: {reason}")

    def _reason(self, exc: BaseException) -> str:
        return self._scrub(_first_line(getattr(exc, "orig", None) or exc))

    def _scrub(self, message: str) -> str:
        return message.replace(self._password, "***") if self._password else message


def describe(url: URL) -> str:
    """Name a database for a person, never with its password."""
    if url.get_backend_name() == "sqlite":
        return f"SQLite database {url.database or ':memory:'}"
    host = f"{url.host or 'localhost'}:{url.port or 5432}"
    user = f" as {url.username}" if url.username else ""
    return f"PostgreSQL database {url.database or '(default)'} on {host}{user}"


def _async_url(url: str) -> URL:
    try:
        parsed = make_url(url.strip())
    except ArgumentError:  # its message repeats the URL, password included
        raise DatabaseUnavailableError(
            "database URL", f"not a database URL; expected {EXPECTED_URLS}"
        ) from None
    driver = _ASYNC_DRIVERS.get(parsed.drivername)
    if driver is None:
        raise DatabaseUnavailableError(
            "database URL", f"unsupported driver {parsed.drivername!r}; expected {EXPECTED_URLS}"
        )
    return parsed.set(drivername=driver)


def _create_engine(url: URL, search_path: str | None) -> AsyncEngine:
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url)
        event.listen(engine.sync_engine, "connect", _configure_sqlite)
        return engine
    settings = {"application_name": "claimwatch"}
    if search_path:
        settings["search_path"] = search_path
    return create_async_engine(
        url,
        pool_pre_ping=True,
        connect_args={"timeout": POSTGRES_CONNECT_TIMEOUT_SECONDS, "server_settings": settings},
    )


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    """Every SQLite connection: foreign keys enforced, WAL so readers never block the writer."""
    cursor = dbapi_connection.cursor()
    for pragma in (
        "foreign_keys=ON",
        f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}",
        "journal_mode=WAL",
        "synchronous=NORMAL",
    ):
        cursor.execute(f"PRAGMA {pragma}")
    cursor.close()


def _is_migration_error(exc: BaseException) -> bool:
    """Alembic's CommandError (a revision it cannot find, several heads), told apart without
    importing Alembic: no error is one before Alembic is loaded."""
    alembic_util = sys.modules.get("alembic.util")
    return alembic_util is not None and isinstance(exc, alembic_util.CommandError)


def _first_line(exc: BaseException) -> str:
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _explain(reason: str) -> str:
    if "unable to open database file" in reason:
        return "cannot open the file: does its directory exist and is it writable?"
    if "database is locked" in reason:
        return "the database stayed locked by another writer; try again"
    if "readonly database" in reason:
        return "the file or its directory is read-only"
    return f"cannot connect: {reason}"
