"""Real write failures for tests: a database trigger that refuses some inserts into a table.

    async with refused_inserts(database_target, "claims", "NEW.item_id IS NOT NULL"):
        ...   # every insert of an item's claim fails in the database itself

    asyncio.run(refuse_inserts(database_url, "claims", "NEW.value = 4444"))   # sync tests

The trigger is created through a separate engine (on a ``DatabaseTarget`` of tests/conftest.py
or a database URL) on SQLite (``RAISE(ABORT, ...)``) and on PostgreSQL (a PL/pgSQL function
raising an exception): the project's code runs unchanged and meets a failure the database
really reports.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

REFUSAL = "refused by a trigger of the test"


@asynccontextmanager
async def refused_inserts(
    target: Any, table: str, when: str = "TRUE", *, event: str = "INSERT"
) -> AsyncIterator[None]:
    """Inserts (or ``event``: UPDATE) into ``table`` whose new row satisfies ``when`` (SQL on
    ``NEW``) fail."""
    await refuse_inserts(target, table, when, event=event)
    yield
    await allow_inserts(target, table, event=event)


async def refuse_inserts(
    target: Any, table: str, when: str = "TRUE", *, event: str = "INSERT"
) -> None:
    name = f"refuse_{event.lower()}_{table}"
    if _is_sqlite(target):
        await _run(
            target,
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} WHEN {when} "
            f"BEGIN SELECT RAISE(ABORT, '{REFUSAL}'); END",
        )
    else:
        await _run(
            target,
            f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS "
            f"$$ BEGIN RAISE EXCEPTION '{REFUSAL}'; END $$",
            f"CREATE TRIGGER {name} BEFORE {event} ON {table} FOR EACH ROW WHEN ({when}) "
            f"EXECUTE FUNCTION {name}()",
        )


async def allow_inserts(target: Any, table: str, *, event: str = "INSERT") -> None:
    name = f"refuse_{event.lower()}_{table}"
    if _is_sqlite(target):
        await _run(target, f"DROP TRIGGER {name}")
    else:
        await _run(target, f"DROP TRIGGER {name} ON {table}", f"DROP FUNCTION {name}()")


def _is_sqlite(target: Any) -> bool:
    url = target if isinstance(target, str) else target.url
    return str(url).startswith("sqlite")


def _engine(target: Any) -> AsyncEngine:
    return create_async_engine(target) if isinstance(target, str) else target.raw_engine()


async def _run(target: Any, *statements: str) -> None:
    engine = _engine(target)
    try:
        async with engine.begin() as connection:
            for statement in statements:
                await connection.execute(text(statement))
    finally:
        await engine.dispose()
