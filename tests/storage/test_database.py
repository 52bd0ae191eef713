"""Database: opening, units of work, engine settings, error translation, instants in UTC."""

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta, timezone

import pytest

from storage.db import Database
from storage.errors import (
    DatabaseUnavailableError,
    IntegrityViolationError,
    NaiveDatetimeError,
    SchemaMissingError,
    StorageError,
)
from storage.records import NewItem, NewSource

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
KYIV = timezone(timedelta(hours=3))


def new_item(guid: str) -> NewItem:
    return NewItem(guid, None, "title", "text", T0, "en", "hash")


async def test_ping_answers(database):
    await database.ping()


async def test_commit_on_success_rollback_on_exception(database):
    async with database.transaction() as tx:
        await tx.sources.add(NewSource("https://kept.example/feed"), T0)
    with pytest.raises(RuntimeError):
        async with database.transaction() as tx:
            await tx.sources.add(NewSource("https://lost.example/feed"), T0)
            raise RuntimeError("the caller failed")
    async with database.transaction() as tx:
        assert [h.source.url for h in await tx.sources.list_health()] == [
            "https://kept.example/feed"
        ]


@pytest.mark.parametrize(
    "instant",
    [
        pytest.param(T0, id="utc"),
        pytest.param(T0.astimezone(KYIV), id="utc+3"),
        pytest.param(
            datetime(2024, 3, 31, 1, 30, tzinfo=timezone(timedelta(hours=-5))), id="utc-5"
        ),
        pytest.param(datetime(2024, 10, 18, 12, 0, 0, 123456, tzinfo=UTC), id="microseconds"),
    ],
)
async def test_instants_come_back_aware_utc(database, instant):
    async with database.transaction() as tx:
        added = await tx.sources.add(NewSource("https://a.example/feed"), instant)
    async with database.transaction() as tx:
        source = await tx.sources.get(added.id)
    assert source is not None
    assert source.created_at == instant
    assert source.created_at.tzinfo is UTC
    assert added.created_at.tzinfo is UTC


async def test_instants_compare_by_instant_not_by_wall_clock(database):
    """Due-ness is decided in SQL: a zone other than UTC must not shift it."""
    async with database.transaction() as tx:
        await tx.sources.add(NewSource("https://a.example/feed"), T0)
        one_hour_before_in_kyiv = (T0 - timedelta(hours=1)).astimezone(KYIV)  # wall clock later
        assert (
            await tx.sources.lease_due(one_hour_before_in_kyiv, 10, timedelta(minutes=5), "w") == []
        )
        assert (
            len(await tx.sources.lease_due(T0.astimezone(KYIV), 10, timedelta(minutes=5), "w")) == 1
        )


async def test_naive_datetime_is_refused(database):
    with pytest.raises(NaiveDatetimeError):
        async with database.transaction() as tx:
            await tx.sources.add(NewSource("https://a.example/feed"), datetime(2024, 10, 18, 12))


async def test_foreign_keys_are_enforced(database):
    with pytest.raises(IntegrityViolationError) as caught:
        async with database.transaction() as tx:
            await tx.items.add_new(404, [new_item("g")], T0)
    assert isinstance(caught.value, StorageError)


async def test_sqlite_uses_wal(sqlite_database, tmp_path):
    await sqlite_database.ping()
    with sqlite3.connect(tmp_path / "claimwatch.db") as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("not a url", "not a database URL"),
        ("mysql://user:hunter2@db/claimwatch", "unsupported driver 'mysql'"),
        ("postgresql+asyncpg://user:hunter2@127.0.0.1:1/claimwatch", "127.0.0.1:1"),
    ],
    ids=["garbage", "mysql", "refused-port-1"],
)
async def test_unusable_url_is_reported_without_password(url, expected):
    with pytest.raises(DatabaseUnavailableError) as caught:
        database = await Database.open(url)
        try:
            await database.ping()
        finally:
            await database.close()
    assert expected in str(caught.value)
    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("layout", ["missing-directory", "directory-is-a-file"])
async def test_unusable_sqlite_location_is_reported(tmp_path, layout):
    if layout == "missing-directory":
        path = tmp_path / "nowhere" / "claimwatch.db"
    else:
        (tmp_path / "plain-file").write_text("")
        path = tmp_path / "plain-file" / "claimwatch.db"
    database = await Database.open(f"sqlite+aiosqlite:///{path}")
    with pytest.raises(DatabaseUnavailableError) as caught:
        await database.upgrade()
    await database.close()
    # aiosqlite stops the failed connection's thread without awaiting it; let it finish
    # before this test's event loop closes.
    await asyncio.sleep(0.05)
    assert str(path) in str(caught.value)
    assert "directory" in str(caught.value)


async def test_plain_driver_names_get_the_async_driver(tmp_path):
    database = await Database.open(f"sqlite:///{tmp_path / 'plain.db'}")
    assert database.engine_name == "sqlite"
    await database.ping()
    await database.close()


async def test_unmigrated_database_says_to_upgrade(empty_target):
    database = await empty_target.open()
    try:
        with pytest.raises(SchemaMissingError, match="claimwatch db upgrade"):
            async with database.transaction() as tx:
                await tx.sources.list_health()
    finally:
        await database.close()
