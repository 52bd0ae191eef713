from datetime import timedelta

from bot.ingest.poll import Result
from storage.records import NewSource, SourceKind, SourceStatus
from tests.httpserver import Reply, conditional
from tests.ingest.loopback_feeds import START, closed_port, older_page, rss

FEED = rss(("a", "First", "<p>One</p><p>Two</p>"), ("b", "Second", "Plain text"))


async def add(database, *urls, interval=timedelta(minutes=15)):
    async with database.transaction() as tx:
        return [await tx.sources.add(NewSource(url, interval=interval), START) for url in urls]


async def source(database, source_id):
    async with database.transaction() as tx:
        return await tx.sources.get(source_id)


async def items(database, source_id=None):
    async with database.transaction() as tx:
        return await tx.items.list(source_id=source_id, limit=1000)


async def test_feed_items_are_stored_once_and_a_304_costs_nothing(
    database, http_server, pipeline, clock
):
    url = http_server.route("/feed.xml", conditional(FEED, etag='"v1"'))
    [feed] = await add(database, url)

    first = await pipeline.poll()
    assert [(r.result, r.new_items) for r in first.sources] == [(Result.NEW, 2)]
    stored = await items(database)
    assert {item.guid for item in stored} == {"a", "b"}
    assert next(i for i in stored if i.guid == "a").text == "One\n\nTwo"
    after = await source(database, feed.id)
    assert after.kind is SourceKind.RSS and after.title == "Wire" and after.etag == '"v1"'
    assert after.next_check_at == START + timedelta(minutes=15)

    assert (await pipeline.poll()).sources == ()  # nothing due yet
    clock.advance(timedelta(minutes=15))
    second = await pipeline.poll()
    assert [r.result for r in second.sources] == [Result.UNCHANGED]
    assert http_server.requests_to("/feed.xml")[-1].headers["if-none-match"] == '"v1"'
    assert len(await items(database)) == 2


async def test_edited_and_new_entries(database, http_server, pipeline, clock):
    url = http_server.route("/feed.xml", Reply(body=FEED))
    await add(database, url)
    await pipeline.poll()
    http_server.route(
        "/feed.xml",
        Reply(
            body=rss(
                ("a", "First", "One, corrected"),
                ("b", "Second", "Plain text"),
                ("c", "Third", "New"),
            )
        ),
    )
    clock.advance(timedelta(minutes=15))
    [report] = (await pipeline.poll()).sources
    assert (report.new_items, report.edited_items) == (1, 1)
    edited = next(i for i in await items(database) if i.guid == "a")
    assert edited.text == "One, corrected" and edited.edited_at == clock.now


async def test_rss_ttl_slows_the_source_down(database, http_server, pipeline):
    [feed] = await add(database, http_server.route("/feed.xml", Reply(body=rss(ttl=60))))
    await pipeline.poll()
    assert (await source(database, feed.id)).next_check_at == START + timedelta(hours=1)


async def test_server_errors_back_off_and_one_failure_stops_no_other(
    database, http_server, pipeline, clock
):
    broken = http_server.route("/broken", Reply(status=503))
    fine = http_server.route("/fine", Reply(body=FEED))
    failing, working = await add(database, broken, fine)
    report = await pipeline.poll()
    assert {r.source_id: r.result for r in report.sources} == {
        failing.id: Result.FAILED,
        working.id: Result.NEW,
    }
    after = await source(database, failing.id)
    assert after.status is SourceStatus.FAILING and after.error_count == 1
    assert "503" in after.last_error
    assert after.next_check_at == START + timedelta(minutes=15)
    clock.advance(timedelta(minutes=15))
    await pipeline.poll()
    after = await source(database, failing.id)
    assert after.error_count == 2 and after.next_check_at == clock.now + timedelta(minutes=30)


async def test_gone_pauses_at_once(database, http_server, pipeline):
    [feed] = await add(database, http_server.route("/gone", Reply(status=410)))
    await pipeline.poll()
    after = await source(database, feed.id)
    assert after.status is SourceStatus.PAUSED and "410" in after.last_error


async def test_seven_days_of_failure_pause_a_source(database, http_server, pipeline, clock):
    [feed] = await add(database, http_server.route("/down", Reply(status=500)))
    while (current := await source(database, feed.id)).status is not SourceStatus.PAUSED:
        assert clock.now - START <= timedelta(days=8)
        clock.now = max(clock.now, current.next_check_at)
        await pipeline.poll()
    assert current.failing_since == START and clock.now - START >= timedelta(days=7)


async def test_permanent_redirect_moves_the_source(database, http_server, pipeline):
    new_url = http_server.route("/new.xml", Reply(body=FEED))
    [feed] = await add(database, http_server.route("/old.xml", Reply.redirect(new_url, 301)))
    await pipeline.poll()
    assert (await source(database, feed.id)).url == new_url


async def test_a_web_page_leads_to_its_feed(database, http_server, pipeline):
    feed_url = http_server.route(
        "/feed.json",
        Reply(
            headers={"Content-Type": "application/feed+json"},
            body=b'{"version": "https://jsonfeed.org/version/1.1", "title": "J", "items": '
            b'[{"id": "1", "content_text": "Hello"}]}',
        ),
    )
    page = http_server.route(
        "/",
        Reply(
            headers={"Content-Type": "text/html"},
            body=b'<html><head><link rel="alternate" type="application/feed+json" '
            b'href="/feed.json"></head><body>Home</body></html>',
        ),
    )
    [site] = await add(database, page)
    [report] = (await pipeline.poll()).sources
    assert report.new_items == 1
    after = await source(database, site.id)
    assert after.url == feed_url and after.kind is SourceKind.JSON_FEED


async def test_a_channel_pages_back_on_its_first_fetch_only(
    database, http_server, pipeline, telegram_pages, clock
):
    newest = (telegram_pages / "tme_s_codecamp.html").read_bytes()
    http_server.route("/s/codecamp", Reply(body=newest))
    http_server.route("/s/codecamp?before=2357", Reply(body=older_page(newest, 20)))
    [channel] = await add(database, "https://t.me/codecamp")
    [report] = (await pipeline.poll()).sources
    assert report.new_items == 25  # the bound: 20 + the newest 5 of the older page
    stored = await items(database, channel.id)
    assert min(int(item.guid) for item in stored) == 2352
    assert all(item.url.endswith(f"/{item.guid}") for item in stored)
    after = await source(database, channel.id)
    assert after.kind is SourceKind.TELEGRAM and after.title == "CodeCamp"

    clock.advance(timedelta(minutes=15))
    [again] = (await pipeline.poll()).sources
    assert again.result is Result.UNCHANGED
    assert len(http_server.requests_to("/s/codecamp")) == 3  # no paging the second time


async def test_a_name_without_preview_is_a_clear_failure(
    database, http_server, pipeline, telegram_pages
):
    card = (telegram_pages / "tme_s_not_existed_channel.html").read_bytes()
    http_server.route("/s/not_existed_channel", Reply(body=card))
    [channel] = await add(database, "@not_existed_channel")
    [report] = (await pipeline.poll()).sources
    assert report.result is Result.FAILED and "no public preview" in report.reason
    assert (await source(database, channel.id)).status is SourceStatus.FAILING


async def test_when_nothing_connects_the_network_is_blamed_not_the_sources(
    database, pipeline, clock
):
    sources = await add(database, *(f"http://127.0.0.1:{closed_port()}/feed" for _ in range(3)))
    report = await pipeline.poll()
    assert report.network_down
    assert {r.result for r in report.sources} == {Result.POSTPONED}
    for added in sources:
        after = await source(database, added.id)
        assert after.error_count == 0 and after.status is SourceStatus.ACTIVE
        assert after.next_check_at == clock.now + timedelta(minutes=1)


async def test_a_single_refused_source_is_its_own_failure(database, http_server, pipeline):
    dead, alive = await add(
        database,
        f"http://127.0.0.1:{closed_port()}/feed",
        http_server.route("/f", Reply(body=FEED)),
    )
    report = await pipeline.poll()
    assert not report.network_down
    assert {r.source_id: r.result for r in report.sources}[alive.id] is Result.NEW
    assert (await source(database, dead.id)).error_count == 1
    assert "refused" in (await source(database, dead.id)).last_error
