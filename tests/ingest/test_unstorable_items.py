"""What the database cannot or will not store loses only itself, and a storage error is the
source's recorded failure, never silence: NUL bytes and lone surrogates in a JSON Feed (which
PostgreSQL refuses), an item a trigger refuses, a source row a trigger refuses to update."""

import json

from bot.ingest.poll import Result
from storage.records import NewSource, SourceStatus
from tests.httpserver import Reply
from tests.ingest.loopback_feeds import START
from tests.refused_writes import refused_inserts


def json_feed(*items: dict[str, str]) -> bytes:
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": "Wire\u0000",
        "items": items,
    }
    return json.dumps(document).encode()  # \u0000 and \ud800 stay escapes in the JSON text


CLEAN = [
    {"id": "clean-1", "url": "https://news.example/1", "title": "One", "content_text": "First."},
    {"id": "clean-2", "url": "https://news.example/2", "title": "Two", "content_text": "Second."},
]
NUL = {
    "id": "nul\u0000-3",
    "url": "https://news.example/3\u0000",
    "title": "Th\u0000ree \ud800",
    "content_text": "Third\u0000 text \udcff here.",
    "authors": [{"name": "Ann\u0000"}],
}
JSON_FEED = {"Content-Type": "application/feed+json"}


async def add_source(database, url):
    async with database.transaction() as tx:
        return await tx.sources.add(NewSource(url), START)


async def stored(database):
    async with database.transaction() as tx:
        [source] = await tx.sources.list_health()
        return source.source, await tx.items.list()


async def test_nul_and_lone_surrogates_are_stripped_and_nothing_is_lost(
    database, http_server, pipeline
):
    url = http_server.route(
        "/feed.json", Reply(body=json_feed(CLEAN[0], NUL, CLEAN[1]), headers=JSON_FEED)
    )
    await add_source(database, url)
    [report] = (await pipeline.poll()).sources
    assert (report.result, report.new_items) == (Result.NEW, 3)
    source, items = await stored(database)
    assert source.error_count == 0 and source.last_error is None and source.title == "Wire"
    third = next(item for item in items if item.guid == "nul-3")
    assert (third.url, third.title, third.text, third.author) == (
        "https://news.example/3", "Three", "Third text here.", "Ann",
    )  # fmt: skip


async def test_an_item_the_database_refuses_loses_only_itself(
    database, database_target, http_server, pipeline
):
    poison = {"id": "poison", "title": "Poison", "content_text": "Refused."}
    url = http_server.route(
        "/feed.json", Reply(body=json_feed(CLEAN[0], poison, CLEAN[1]), headers=JSON_FEED)
    )
    await add_source(database, url)
    async with refused_inserts(database_target, "items", "NEW.guid = 'poison'"):
        [report] = (await pipeline.poll()).sources
    assert (report.result, report.new_items) == (Result.NEW, 2)
    source, items = await stored(database)
    assert sorted(item.guid for item in items) == ["clean-1", "clean-2"]
    assert source.error_count == 0 and "'poison': not stored" in source.last_error


async def test_a_storage_error_is_the_sources_recorded_failure(
    database, database_target, http_server, pipeline
):
    url = http_server.route("/feed.json", Reply(body=json_feed(*CLEAN), headers=JSON_FEED))
    await add_source(database, url)
    refusing_success = "NEW.last_success_at IS NOT NULL"
    async with refused_inserts(database_target, "sources", refusing_success, event="UPDATE"):
        [report] = (await pipeline.poll()).sources
    assert report.result is Result.FAILED and "database" in report.reason
    source, items = await stored(database)
    assert items == []  # the transaction rolled back as a whole
    assert source.status is SourceStatus.FAILING and source.error_count == 1
    assert "refused by a trigger" in source.last_error
