"""Real write failures for tests: a database trigger that refuses some inserts into a table.

    async with refused_inserts(database_target, "claims", "NEW.item_id IS NOT NULL"):
        ...   # every insert of an item's claim fails in the database itself

The trigger is created through a separate engine and dropped when the block ends, on SQLite
(``RAISE(ABORT, ...)``) and on PostgreSQL (a PL/pgSQL function raising an exception): the
project's code runs unchanged and meets a failure the database really reports.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text

REFUSAL = "refused by a trigger of the test"


@asynccontextmanager
async def refused_inserts(target: Any, table: str, when: str = "TRUE") -> AsyncIterator[None]:
    """Inserts into ``table`` whose new row satisfies ``when`` (SQL on ``NEW``) fail.

    ``target``: the test's ``DatabaseTarget`` (tests/conftest.py)."""
    name = f"refuse_{table}"
    if target.engine_name == "sqlite":
        create = [
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} WHEN {when} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END"
        ]
        drop = [f"DROP TRIGGER {name}"]
    else:
        create = [
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$",
            f"CREATE TRIGGER {name} BEFORE INSERT ON {table} FOR EACH ROW WHEN ({when}) "
            f"EXECUTE FUNCTION {name}()",
        ]
        drop = [f"DROP TRIGGER {name} ON {table}", f"DROP FUNCTION {name}()"]
    engine = target.raw_engine()
    try:
        await _run(engine, create)
        yield
        await _run(engine, drop)
    finally:
        await engine.dispose()


async def _run(engine: Any, statements: list[str]) -> None:
    async with engine.begin() as connection:
        for statement in statements:
            await connection.execute(text(statement))
