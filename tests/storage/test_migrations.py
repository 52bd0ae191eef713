"""Alembic: the hand-written revisions build the schema the ORM describes, and undo it."""

from datetime import UTC, datetime, time
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import func, insert, inspect, select, text
from sqlalchemy.engine import Connection

from storage.errors import StorageError
from storage.migrations import head_revision
from storage.orm import Base

HEAD = "0004_chat_language"


def snapshot(connection: Connection) -> dict[str, Any]:
    """Every table's columns, keys, indexes and constraints, comparable with ==."""
    inspector = inspect(connection)
    tables: dict[str, Any] = {}
    for table in sorted(inspector.get_table_names()):
        tables[table] = {
            "columns": [
                (c["name"], str(c["type"]), c["nullable"]) for c in inspector.get_columns(table)
            ],
            "primary_key": inspector.get_pk_constraint(table),
            "foreign_keys": sorted(
                (
                    fk["name"],
                    tuple(fk["constrained_columns"]),
                    fk["referred_table"],
                    str(fk["options"]),
                )
                for fk in inspector.get_foreign_keys(table)
            ),
            "indexes": sorted(
                (i["name"], tuple(i["column_names"]), bool(i["unique"]))
                for i in inspector.get_indexes(table)
            ),
            "unique": sorted(
                (u["name"], tuple(u["column_names"]))
                for u in inspector.get_unique_constraints(table)
            ),
        }
    return tables


def differences_from_orm(connection: Connection) -> list[Any]:
    return compare_metadata(MigrationContext.configure(connection), Base.metadata)


async def inspect_target(target, look):
    engine = target.raw_engine()
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(look)
    finally:
        await engine.dispose()


async def test_upgrade_builds_what_the_orm_describes(empty_target):
    database = await empty_target.open()
    try:
        assert await database.current_revision() is None
        await database.upgrade()
        assert await database.current_revision() == head_revision() == HEAD
    finally:
        await database.close()
    assert await inspect_target(empty_target, differences_from_orm) == []


async def test_downgrade_to_base_and_upgrade_again_gives_the_same_schema(empty_target):
    database = await empty_target.open()
    try:
        await database.upgrade()
        first = await inspect_target(empty_target, snapshot)
        await database.downgrade("base")
        assert await database.current_revision() is None
        assert set(await inspect_target(empty_target, snapshot)) <= {"alembic_version"}
        await database.upgrade("head")
        again = await inspect_target(empty_target, snapshot)
    finally:
        await database.close()
    assert again == first
    assert {"sources", "items", "outbox", "chat_topics"} <= set(first)


async def test_upgrade_twice_is_harmless(empty_target):
    database = await empty_target.open()
    try:
        await database.upgrade()
        await database.upgrade()
        assert await database.current_revision() == head_revision()
    finally:
        await database.close()


async def test_unknown_revision_is_a_storage_error(database):
    with pytest.raises(StorageError, match="nonexistent"):
        await database.downgrade("nonexistent")
    assert await database.current_revision() == head_revision()


# --- 0002: chat threads and digest settings, who added a source, when a claim was recorded ----

STATED_AT = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
CHAT = -1002012345678


def insert_rows_of_0001(connection: Connection) -> None:
    """One row in each table 0002 changes, written with 0001's columns only."""
    tables = Base.metadata.tables
    connection.execute(insert(tables["topics"]).values(id=1, name="T", aliases=[], exclude=[]))
    connection.execute(
        insert(tables["claims"]).values(
            id=1, topic_id=1, origin="chat", stated_at=STATED_AT, sentence="s", measure="troops",
            scope="arrived", modifier="exact", polarity="asserts", value=3000.0, unsourced=False,
        )
    )  # fmt: skip
    connection.execute(
        insert(tables["chats"]).values(
            chat_id=CHAT, kind="supergroup", timezone="UTC", digest_time=time(8, 0), alerts=True,
            digest_size=10, active=True, follows_all_topics=True, created_at=STATED_AT,
        )
    )  # fmt: skip
    connection.execute(
        insert(tables["sources"]).values(
            id=1, url="https://news.example/feed", kind="rss", interval_seconds=900,
            status="active", created_at=STATED_AT, next_check_at=STATED_AT, error_count=0,
        )
    )  # fmt: skip
    connection.execute(
        insert(tables["outbox"]).values(
            id=1, chat_id=CHAT, kind="digest", text="x", created_at=STATED_AT,
            not_before_at=STATED_AT, attempts=0, dropped=False,
        )
    )  # fmt: skip


def row_counts(connection: Connection) -> dict[str, int]:
    tables = ("topics", "claims", "chats", "sources", "outbox")
    return {
        t: connection.execute(select(func.count()).select_from(text(t))).scalar_one()
        for t in tables
    }


def outbox_index_sql(connection: Connection) -> str | None:
    """SQLite: the statement that made the partial outbox index (None elsewhere)."""
    if connection.dialect.name != "sqlite":
        return None
    found = connection.exec_driver_sql(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'ix_outbox_due'"
    )
    return str(found.scalar_one())


async def write_with_target(target, write):
    engine = target.raw_engine()
    try:
        async with engine.begin() as connection:
            await connection.run_sync(write)
    finally:
        await engine.dispose()


async def test_0002_gives_existing_rows_values(empty_target):
    database = await empty_target.open()
    try:
        await database.upgrade("0001_initial")
        await write_with_target(empty_target, insert_rows_of_0001)
        await database.upgrade(HEAD)
        async with database.transaction() as tx:
            chat = await tx.chats.get(CHAT)
            claim = await tx.claims.get(1)
            source = await tx.sources.get(1)
            (message,) = await tx.outbox.due(STATED_AT, 10)
    finally:
        await database.close()
    assert (chat.thread_id, chat.empty_digest, chat.last_alert_conflict_id) == (None, True, None)
    assert claim.recorded_at == claim.stated_at == STATED_AT
    assert source.added_by_chat_id is None and message.thread_id is None


async def test_0002_downgrade_restores_0001_and_keeps_the_rows(empty_target):
    database = await empty_target.open()
    try:
        await database.upgrade("0001_initial")
        schema_0001 = await inspect_target(empty_target, snapshot)
        index_0001 = await inspect_target(empty_target, outbox_index_sql)
        await write_with_target(empty_target, insert_rows_of_0001)
        await database.upgrade("head")
        schema_0002 = await inspect_target(empty_target, snapshot)
        await database.downgrade("0001_initial")
        assert await database.current_revision() == "0001_initial"
        assert await inspect_target(empty_target, snapshot) == schema_0001
        assert await inspect_target(empty_target, outbox_index_sql) == index_0001
        assert set((await inspect_target(empty_target, row_counts)).values()) == {1}
        await database.upgrade("head")
        assert await inspect_target(empty_target, snapshot) == schema_0002
    finally:
        await database.close()
    assert index_0001 is None or "WHERE" in index_0001  # still partial after the table copies
    for unchanged in ("foreign_keys", "unique", "primary_key"):  # the SQLite table copy kept them
        assert schema_0002["claims"][unchanged] == schema_0001["claims"][unchanged]
    assert "CASCADE" in str(schema_0002["claims"]["foreign_keys"])
    claim_columns = {(name, nullable) for name, _, nullable in schema_0002["claims"]["columns"]}
    assert ("recorded_at", False) in claim_columns
    assert ("ix_claims_recorded_at", ("recorded_at",), False) in schema_0002["claims"]["indexes"]
    chat_columns = [c[0] for c in schema_0002["chats"]["columns"]]
    assert chat_columns[chat_columns.index("thread_id") :][:3] == [
        "thread_id",
        "empty_digest",
        "last_alert_conflict_id",
    ]


# --- 0003: a picture in the outbox ---------------------------------------------------------


def insert_a_picture(connection: Connection) -> None:
    outbox = Base.metadata.tables["outbox"]
    connection.execute(
        insert(outbox).values(
            id=2, chat_id=CHAT, kind="digest", text="caption", created_at=STATED_AT,
            not_before_at=STATED_AT, attempts=0, dropped=False, photo=b"\x89PNG picture",
        )
    )  # fmt: skip


async def test_0003_keeps_messages_as_text_and_downgrades_to_0002(empty_target):
    database = await empty_target.open()
    try:
        await database.upgrade("0001_initial")
        await write_with_target(empty_target, insert_rows_of_0001)
        await database.upgrade("0002_chat_threads_and_digest")
        schema_0002 = await inspect_target(empty_target, snapshot)
        index_0002 = await inspect_target(empty_target, outbox_index_sql)
        await database.upgrade("head")
        await write_with_target(empty_target, insert_a_picture)
        async with database.transaction() as tx:
            text, picture = await tx.outbox.due(STATED_AT, 10)
        assert text.photo is None  # the message written before stays text
        assert (picture.photo, picture.text) == (b"\x89PNG picture", "caption")
        await database.downgrade("0002_chat_threads_and_digest")
        assert await inspect_target(empty_target, snapshot) == schema_0002
        assert await inspect_target(empty_target, outbox_index_sql) == index_0002
        assert (await inspect_target(empty_target, row_counts))["outbox"] == 2
    finally:
        await database.close()


# --- 0004: a chat's language ---------------------------------------------------------------


def follow_topic_1(connection: Connection) -> None:
    connection.execute(insert(Base.metadata.tables["chat_topics"]).values(chat_id=CHAT, topic_id=1))


async def test_0004_gives_existing_chats_english_and_downgrades_to_0003(empty_target):
    database = await empty_target.open()
    try:
        await database.upgrade("0001_initial")
        await write_with_target(empty_target, insert_rows_of_0001)
        await database.upgrade("0003_outbox_photo")
        await write_with_target(empty_target, follow_topic_1)
        schema_0003 = await inspect_target(empty_target, snapshot)
        await database.upgrade("head")
        async with database.transaction() as tx:
            assert (await tx.chats.get(CHAT)).language == "en"
            await tx.chats.update_settings(CHAT, language="uk")
        async with database.transaction() as tx:
            chat = await tx.chats.get(CHAT)
        assert (chat.language, chat.topic_ids) == ("uk", frozenset({1}))
        await database.downgrade("0003_outbox_photo")
        assert await inspect_target(empty_target, snapshot) == schema_0003
        counts = await inspect_target(empty_target, row_counts)
        assert counts["chats"] == 1
        links = await inspect_target(
            empty_target,
            lambda c: c.execute(text("SELECT count(*) FROM chat_topics")).scalar_one(),
        )
        assert links == 1  # the table copy dropped no chat's topics
    finally:
        await database.close()
