"""Leasing every source (``fetch --all``) leases for the normal time, never "until forever"."""

from datetime import UTC, datetime, timedelta

from storage.records import NewSource

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)


async def test_leasing_sources_not_yet_due_ends_within_the_lease(database):
    async with database.transaction() as tx:
        for n in range(3):
            await tx.sources.add(NewSource(f"https://news.example/{n}.xml"), T0 + timedelta(days=1))
        leased = await tx.sources.lease_due(T0, None, LEASE, "all", due_or_not=True)
        assert len(leased) == 3
        assert await tx.sources.lease_due(T0, None, LEASE, "other", due_or_not=True) == []
        assert await tx.sources.lease_due(T0 + LEASE - timedelta(seconds=1), None, LEASE, "x") == []
    async with database.transaction() as tx:
        again = await tx.sources.lease_due(T0 + LEASE, None, LEASE, "other", due_or_not=True)
        not_due = await tx.sources.lease_due(T0 + 2 * LEASE, None, LEASE, "plain")
    assert len(again) == 3 and not_due == []  # due tomorrow: an ordinary poll leaves them
