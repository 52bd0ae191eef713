"""Sources: adding, health, leasing due sources, recording fetch outcomes."""

import asyncio
import time
from datetime import UTC, datetime, timedelta

import pytest

from storage.errors import DuplicateError, NotFoundError
from storage.records import NewItem, NewSource, SourceKind, SourceStatus

T0 = datetime(2024, 10, 18, 12, 0, tzinfo=UTC)
LEASE = timedelta(minutes=5)
URL = "https://news.example/feed.xml"


async def add_sources(database, *urls, at=T0):
    async with database.transaction() as tx:
        return [await tx.sources.add(NewSource(url), at) for url in urls]


async def test_add_returns_a_due_active_source(database):
    async with database.transaction() as tx:
        source = await tx.sources.add(
            NewSource(URL, name="News", kind=SourceKind.RSS, interval=timedelta(minutes=30)), T0
        )
    assert (source.url, source.name, source.kind, source.status) == (
        URL,
        "News",
        SourceKind.RSS,
        SourceStatus.ACTIVE,
    )
    assert source.interval == timedelta(minutes=30)
    assert source.created_at == source.next_check_at == T0
    assert source.error_count == 0 and source.last_success_at is None


async def test_add_existing_url_is_a_duplicate_naming_it(database):
    await add_sources(database, URL)
    with pytest.raises(DuplicateError, match=r"news\.example") as caught:
        async with database.transaction() as tx:
            await tx.sources.add(NewSource(URL), T0)
    assert caught.value.key == URL


async def test_ensure_is_idempotent(database):
    async with database.transaction() as tx:
        first, added = await tx.sources.ensure(NewSource(URL), T0)
        again, added_again = await tx.sources.ensure(NewSource(URL, name="other"), T0)
    assert (added, added_again) == (True, False)
    assert again == first


async def test_get_and_get_by_url(database):
    (source,) = await add_sources(database, URL)
    async with database.transaction() as tx:
        assert await tx.sources.get(source.id) == source
        assert await tx.sources.get_by_url(URL) == source
        assert await tx.sources.get(source.id + 100) is None
        assert await tx.sources.get_by_url("https://elsewhere.example/") is None


async def test_list_health_counts_items(database):
    busy, quiet = await add_sources(database, "https://a.example/", "https://b.example/")
    items = [NewItem(f"g{i}", None, None, "text", T0, None, "h") for i in range(3)]
    async with database.transaction() as tx:
        await tx.items.add_new(busy.id, items, T0)
        health = await tx.sources.list_health()
    assert [(h.source.id, h.items) for h in health] == [(busy.id, 3), (quiet.id, 0)]


async def test_remove_cascades_to_items(database):
    (source,) = await add_sources(database, URL)
    async with database.transaction() as tx:
        added = await tx.items.add_new(
            source.id, [NewItem("g", None, None, "t", T0, None, "h")], T0
        )
    async with database.transaction() as tx:
        assert await tx.sources.remove(source.id) is True
        assert await tx.sources.remove(source.id) is False
    async with database.transaction() as tx:
        assert await tx.items.get(added.new[0].id) is None
        assert await tx.sources.list_health() == []


async def test_lease_due_picks_due_unpaused_unleased_sources(database):
    due, later, paused = await add_sources(
        database, "https://due.example/", "https://later.example/", "https://paused.example/"
    )
    async with database.transaction() as tx:
        await tx.sources.record_not_modified(later.id, T0, T0 + timedelta(hours=1))
        await tx.sources.pause(paused.id)
        leased = await tx.sources.lease_due(T0, 10, LEASE, "worker-1")
        assert [s.id for s in leased] == [due.id]
        assert await tx.sources.lease_due(T0 + timedelta(minutes=1), 10, LEASE, "worker-2") == []
        after_expiry = await tx.sources.lease_due(T0 + LEASE, 10, LEASE, "worker-2")
        assert [s.id for s in after_expiry] == [due.id]


async def test_lease_due_honours_limit_oldest_first(database):
    sources = [
        (await add_sources(database, f"https://s{i}.example/", at=T0 - timedelta(minutes=i)))[0]
        for i in range(4)
    ]
    async with database.transaction() as tx:
        leased = await tx.sources.lease_due(T0, 2, LEASE, "w")
    assert [s.id for s in leased] == [sources[3].id, sources[2].id]


async def test_recording_an_outcome_releases_the_lease(database):
    (source,) = await add_sources(database, URL)
    async with database.transaction() as tx:
        await tx.sources.lease_due(T0, 10, LEASE, "w")
        await tx.sources.record_success(
            source.id, T0, next_check_at=T0, etag=None, last_modified=None
        )
        assert len(await tx.sources.lease_due(T0, 10, LEASE, "w")) == 1


async def test_two_postgres_workers_never_lease_the_same_source(database):
    if database.engine_name != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL's SKIP LOCKED")
    await add_sources(database, *(f"https://s{i}.example/" for i in range(6)))
    first_done, second_done = asyncio.Event(), asyncio.Event()

    async def first_worker():
        async with database.transaction() as tx:
            leased = await tx.sources.lease_due(T0, 3, LEASE, "first")
            first_done.set()
            await second_done.wait()  # hold the row locks while the second worker leases
            return leased

    async def second_worker():
        await first_done.wait()
        try:
            async with database.transaction() as tx:
                return await tx.sources.lease_due(T0, 10, LEASE, "second")
        finally:
            second_done.set()

    first, second = await asyncio.wait_for(asyncio.gather(first_worker(), second_worker()), 20)
    assert len(first) == 3 and len(second) == 3
    assert not {s.id for s in first} & {s.id for s in second}


async def test_record_success_clears_errors_and_learns_the_feed(database):
    (source,) = await add_sources(database, URL)
    next_check = T0 + timedelta(minutes=15)
    async with database.transaction() as tx:
        await tx.sources.record_failure(source.id, T0, error="timeout", next_check_at=T0)
        done = await tx.sources.record_success(
            source.id,
            T0,
            next_check_at=next_check,
            etag='"abc"',
            last_modified="Fri, 18 Oct 2024 12:00:00 GMT",
            kind=SourceKind.ATOM,
            title="News Feed",
        )
    assert (done.status, done.error_count, done.last_error, done.failing_since) == (
        SourceStatus.ACTIVE,
        0,
        None,
        None,
    )
    assert (done.kind, done.title, done.display_name) == (SourceKind.ATOM, "News Feed", "News Feed")
    assert (done.etag, done.last_modified) == ('"abc"', "Fri, 18 Oct 2024 12:00:00 GMT")
    assert done.last_success_at == done.last_checked_at == T0
    assert done.next_check_at == next_check


async def test_record_not_modified_keeps_validators(database):
    (source,) = await add_sources(database, URL)
    async with database.transaction() as tx:
        await tx.sources.record_success(
            source.id, T0, next_check_at=T0, etag='"v1"', last_modified=None
        )
        later = T0 + timedelta(minutes=15)
        done = await tx.sources.record_not_modified(source.id, later, later + timedelta(hours=1))
    assert (done.etag, done.last_success_at, done.next_check_at) == (
        '"v1"',
        later,
        later + timedelta(hours=1),
    )


@pytest.mark.parametrize(
    ("pause", "status"), [(False, SourceStatus.FAILING), (True, SourceStatus.PAUSED)]
)
async def test_record_failure_counts_and_keeps_the_first_failure(database, pause, status):
    (source,) = await add_sources(database, URL)
    async with database.transaction() as tx:
        await tx.sources.record_failure(source.id, T0, error="HTTP 500", next_check_at=T0)
        later = T0 + timedelta(hours=1)
        failed = await tx.sources.record_failure(
            source.id, later, error="HTTP 503", next_check_at=later, pause=pause
        )
    assert (failed.error_count, failed.last_error, failed.status) == (2, "HTTP 503", status)
    assert failed.failing_since == T0
    assert failed.last_checked_at == later


async def test_move_follows_a_redirect_unless_the_url_is_taken(database):
    old, taken = await add_sources(database, URL, "https://taken.example/")
    async with database.transaction() as tx:
        moved = await tx.sources.move(old.id, "https://news.example/new.xml")
        assert moved.url == "https://news.example/new.xml"
        with pytest.raises(DuplicateError, match=r"taken\.example"):
            await tx.sources.move(old.id, taken.url)


async def test_pause_and_resume(database):
    (source,) = await add_sources(database, URL)
    resumed_at = T0 + timedelta(days=1)
    async with database.transaction() as tx:
        await tx.sources.record_failure(source.id, T0, error="gone", next_check_at=T0)
        assert (await tx.sources.pause(source.id)).status == SourceStatus.PAUSED
        resumed = await tx.sources.resume(source.id, resumed_at)
    assert (resumed.status, resumed.next_check_at, resumed.error_count) == (
        SourceStatus.ACTIVE,
        resumed_at,
        0,
    )
    assert resumed.failing_since is None


async def test_count_by_status_lists_every_status(database):
    a, _b, c = await add_sources(
        database, "https://a.example/", "https://b.example/", "https://c.example/"
    )
    async with database.transaction() as tx:
        await tx.sources.pause(a.id)
        await tx.sources.record_failure(c.id, T0, error="x", next_check_at=T0)
        counts = await tx.sources.count_by_status()
    assert counts == {SourceStatus.ACTIVE: 1, SourceStatus.FAILING: 1, SourceStatus.PAUSED: 1}


@pytest.mark.parametrize(
    "verb",
    [
        lambda s: s.record_success(999, T0, next_check_at=T0, etag=None, last_modified=None),
        lambda s: s.record_not_modified(999, T0, T0),
        lambda s: s.record_failure(999, T0, error="x", next_check_at=T0),
        lambda s: s.move(999, "https://x.example/"),
        lambda s: s.pause(999),
        lambda s: s.resume(999, T0),
    ],
    ids=["record_success", "record_not_modified", "record_failure", "move", "pause", "resume"],
)
async def test_verbs_on_a_missing_source_raise_not_found(database, verb):
    async with database.transaction() as tx:
        with pytest.raises(NotFoundError, match="no source 999"):
            await verb(tx.sources)


async def test_ensure_finds_a_moved_source_by_the_address_it_was_added_as(database):
    async with database.transaction() as tx:
        source, created = await tx.sources.ensure(NewSource("https://page.example/"), T0)
        await tx.sources.move(source.id, URL)
    async with database.transaction() as tx:
        again, created_again = await tx.sources.ensure(NewSource("https://page.example/"), T0)
        by_new_url, _ = await tx.sources.ensure(NewSource(URL), T0)
    assert created and not created_again
    assert again.id == by_new_url.id == source.id and again.url == URL


async def test_postpone_releases_the_lease_without_counting_a_failure(database):
    [source] = await add_sources(database, URL)
    async with database.transaction() as tx:
        [leased] = await tx.sources.lease_due(T0, 10, LEASE, "worker-a")
        later = T0 + timedelta(minutes=2)
        postponed = await tx.sources.postpone(leased.id, later)
    async with database.transaction() as tx:
        assert await tx.sources.lease_due(T0 + timedelta(minutes=1), 10, LEASE, "worker-b") == []
        [again] = await tx.sources.lease_due(later, 10, LEASE, "worker-b")
    assert postponed.error_count == 0 and postponed.status is SourceStatus.ACTIVE
    assert again.id == source.id


async def test_add_and_ensure_record_which_group_added_a_source(database):
    group = -1002012345678
    async with database.transaction() as tx:
        by_group = await tx.sources.add(NewSource(URL, added_by_chat_id=group), T0)
        other, _ = await tx.sources.ensure(
            NewSource("https://other.example/feed", added_by_chat_id=group), T0
        )
        again, added = await tx.sources.ensure(NewSource(URL), T0)  # the first owner stays
        by_operator = await tx.sources.add(NewSource("https://third.example/feed"), T0)
        stored = await tx.sources.get(by_group.id)
    assert by_group.added_by_chat_id == other.added_by_chat_id == group
    assert (again, added) == (by_group, False)
    assert stored == by_group and by_operator.added_by_chat_id is None


async def test_count_added_by_counts_one_chats_sources(database):
    async with database.transaction() as tx:
        for n, chat_id in enumerate([-100, -100, -200, None]):
            await tx.sources.add(
                NewSource(f"https://s{n}.example/feed", added_by_chat_id=chat_id), T0
            )
        counted = [await tx.sources.count_added_by(chat_id) for chat_id in (-100, -200, -300)]
    assert counted == [2, 1, 0]


async def test_count_due_counts_unpaused_sources_whose_time_came(database):
    _due, failing, paused, later = await add_sources(
        database, *(f"https://s{n}.example/feed" for n in range(4))
    )
    async with database.transaction() as tx:
        await tx.sources.record_failure(failing.id, T0, error="timeout", next_check_at=T0)
        await tx.sources.pause(paused.id)
        await tx.sources.postpone(later.id, T0 + timedelta(hours=1))
        counted = [
            await tx.sources.count_due(at)
            for at in (T0 - timedelta(seconds=1), T0, T0 + timedelta(hours=1))
        ]
    assert counted == [0, 2, 3]


async def test_ensure_many_adds_only_what_is_not_on_record(database):
    async with database.transaction() as tx:
        moved, _ = await tx.sources.ensure(NewSource("https://page.example/"), T0)
        await tx.sources.move(moved.id, URL)
        news = [
            NewSource("https://page.example/"),  # found by the address it was added as
            NewSource(URL),  # found by where it moved
            NewSource("https://new.example/feed", name="New"),
            NewSource("https://new.example/feed", name="Twice"),  # the first one counts
        ]
        added = await tx.sources.ensure_many(news, T0)
        again = await tx.sources.ensure_many(news, T0)
        stored = await tx.sources.get_by_url("https://new.example/feed")
        count = len(await tx.sources.list_health())
    assert (added, again, count) == (1, 0, 2)
    assert stored is not None and stored.name == "New" and stored.next_check_at == T0
    assert (stored.status, stored.error_count) == (SourceStatus.ACTIVE, 0)


async def test_ensure_many_stores_twenty_thousand_sources_in_seconds(database):
    # One ensure per source took 20,000 round trips: about 130 s on SQLite.
    news = [NewSource(f"https://f{n}.example/rss", name=f"Feed {n}") for n in range(20_000)]
    started = time.perf_counter()
    async with database.transaction() as tx:
        added = await tx.sources.ensure_many(news, T0)
    async with database.transaction() as tx:
        again = await tx.sources.ensure_many(news, T0)
    elapsed = time.perf_counter() - started
    assert (added, again) == (20_000, 0)
    assert elapsed < 15, f"{elapsed:.1f} s"
