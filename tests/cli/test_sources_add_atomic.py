"""A failed `claimwatch sources add` leaves nothing behind: the source is added in the same
transaction as its first items, so exit 2 (a database error) means nothing changed; NUL bytes
(which PostgreSQL refuses) no longer fail it at all."""

import asyncio
import json

from tests.cli.own_database import own_database_url as own_database_url
from tests.cli.test_cli import run_cli
from tests.httpserver import Reply
from tests.refused_writes import refuse_inserts

JSON_FEED = {"Content-Type": "application/feed+json"}


def json_feed(*texts: str) -> bytes:
    items = [{"id": f"i{n}", "title": f"T{n}", "content_text": t} for n, t in enumerate(texts)]
    document = {"version": "https://jsonfeed.org/version/1.1", "title": "Wire", "items": items}
    return json.dumps(document).encode()


def listed(capsys, *args):
    status, out, err = run_cli(capsys, *args)
    assert status == 0, err
    return json.loads(out)


def test_a_database_error_while_adding_stores_nothing(own_database_url, web, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", own_database_url)
    assert run_cli(capsys, "db", "upgrade")[0] == 0
    url = web.route("/feed.json", Reply(body=json_feed("One.", "Two."), headers=JSON_FEED))
    asyncio.run(
        refuse_inserts(
            own_database_url, "sources", "NEW.last_success_at IS NOT NULL", event="UPDATE"
        )
    )

    status, _, err = run_cli(capsys, "sources", "add", url)
    assert status == 2 and "database" in err and "Traceback" not in err
    assert listed(capsys, "sources", "list", "--json") == []
    assert listed(capsys, "items", "--json") == []


def test_a_feed_with_nul_bytes_is_added_with_all_its_items(
    own_database_url, web, monkeypatch, capsys
):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", own_database_url)
    body = json_feed("Clean.", "N\u0000UL \ud800 text.", "Also clean.")
    url = web.route("/feed.json", Reply(body=body, headers=JSON_FEED))
    status, out, err = run_cli(capsys, "sources", "add", url)
    assert status == 0, err
    assert "3 items" in out
    texts = sorted(item["text"] for item in listed(capsys, "items", "--json"))
    assert texts == ["Also clean.", "Clean.", "NUL text."]
    [source] = listed(capsys, "sources", "list", "--json")
    assert source["error_count"] == 0 and source["last_error"] is None
