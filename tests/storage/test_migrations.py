"""Alembic: the hand-written revisions build the schema the ORM describes, and undo it."""

from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect
from sqlalchemy.engine import Connection

from storage.errors import StorageError
from storage.migrations import head_revision
from storage.orm import Base


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
        assert await database.current_revision() == head_revision() == "0001_initial"
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
