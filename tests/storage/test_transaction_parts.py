"""Transaction.savepoint and after_commit: a part undone alone, the whole still atomic, and
in-memory changes only after a commit."""

from datetime import UTC, datetime

import pytest

from storage.errors import DuplicateError, StorageError
from storage.records import NewSource

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)


class Boom(Exception):
    pass


async def source_urls(database):
    async with database.transaction() as tx:
        return [row.source.url for row in await tx.sources.list_health()]


async def test_a_savepoint_first_in_a_transaction_does_not_commit_it(database):
    """SQLite's driver would make the SAVEPOINT a transaction of its own, committed at RELEASE."""
    with pytest.raises(Boom):
        async with database.transaction() as tx:
            async with tx.savepoint():
                await tx.sources.add(NewSource("https://a.example/feed"), T0)
            raise Boom
    assert await source_urls(database) == []


async def test_a_failed_savepoint_undoes_its_part_and_its_deferred_actions(database):
    done: list[str] = []
    async with database.transaction() as tx:
        await tx.sources.add(NewSource("https://a.example/feed"), T0)
        tx.after_commit(lambda: done.append("a"))
        with pytest.raises(StorageError):
            async with tx.savepoint():
                tx.after_commit(lambda: done.append("b"))
                await tx.sources.add(NewSource("https://b.example/feed"), T0)
                await tx.sources.add(NewSource("https://b.example/feed"), T0)  # duplicate
        assert done == []  # nothing before the commit
        tx.after_commit(lambda: done.append("c"))
    assert done == ["a", "c"]
    assert await source_urls(database) == ["https://a.example/feed"]


async def test_nothing_deferred_runs_when_the_transaction_rolls_back(database):
    done: list[str] = []
    with pytest.raises(DuplicateError):
        async with database.transaction() as tx:
            tx.after_commit(lambda: done.append("a"))
            await tx.sources.add(NewSource("https://a.example/feed"), T0)
            await tx.sources.add(NewSource("https://a.example/feed"), T0)
    assert done == [] and await source_urls(database) == []
