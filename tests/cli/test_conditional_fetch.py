"""`claimwatch sources add` stores a feed's validators and `fetch --all` sends them back: a feed
unchanged since answers 304, which is a success with nothing new, never an error. The server
is real (loopback HTTP), answers 304 only when the validators match, and records each request."""

import json

import pytest

from bot.cli import main
from tests.httpserver import conditional

FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
    b"<item><guid>1</guid><title>One</title><description>First</description></item>"
    b"</channel></rss>"
)
ETAG = '"v1"'
LAST_MODIFIED = "Wed, 23 Oct 2024 10:00:00 GMT"


def run_cli(capsys, *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


@pytest.mark.parametrize(
    ("validators", "sent"),
    [
        ({"etag": ETAG, "last_modified": LAST_MODIFIED},
         {"if-none-match": ETAG, "if-modified-since": LAST_MODIFIED}),
        ({"etag": ETAG}, {"if-none-match": ETAG}),
        ({"last_modified": LAST_MODIFIED}, {"if-modified-since": LAST_MODIFIED}),
    ],
    ids=["etag and last-modified", "etag", "last-modified"],
)  # fmt: skip
def test_fetch_all_sends_the_stored_validators_and_records_a_304_as_not_modified(
    database_url, web, monkeypatch, capsys, validators, sent
):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", database_url)
    url = web.route("/feed.xml", conditional(FEED, **validators))
    assert run_cli(capsys, "sources", "add", url)[0] == 0
    [first] = web.requests_to("/feed.xml")
    assert "if-none-match" not in first.headers and "if-modified-since" not in first.headers

    status, out, err = run_cli(capsys, "fetch", "--all")
    assert status == 0, err
    [_, again] = web.requests_to("/feed.xml")
    conditional_headers = {k: v for k, v in again.headers.items() if k.startswith("if-")}
    assert conditional_headers == sent
    assert "= [" in out and "Wire: nothing new" in out  # answered 304: unchanged, not failed
    assert "1 sources: 0 with news (0 new items), 1 unchanged, 0 failed." in out
    [row] = json.loads(run_cli(capsys, "sources", "list", "--json")[1])
    assert row["status"] == "active" and row["error_count"] == 0 and row["last_error"] is None
    assert row["items"] == 1

    # Adding it again is refused before any request: nothing to revalidate, nothing sent.
    status, _, err = run_cli(capsys, "sources", "add", url)
    assert status == 1 and "already a source" in err
    assert len(web.requests_to("/feed.xml")) == 2
    assert run_cli(capsys, "sources", "remove", str(row["id"]))[0] == 0  # (PostgreSQL's is shared)


def test_a_changed_feed_is_fetched_whole_and_its_new_validators_kept(
    database_url, web, monkeypatch, capsys
):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", database_url)
    url = web.route("/feed.xml", conditional(FEED, etag=ETAG))
    assert run_cli(capsys, "sources", "add", url)[0] == 0
    newer = FEED.replace(b"</channel>", b"<item><guid>2</guid><title>Two</title></item></channel>")
    web.route("/feed.xml", conditional(newer, etag='"v2"'))  # the old ETag no longer matches

    status, out, _ = run_cli(capsys, "fetch", "--all")
    assert status == 0 and "1 new" in out
    assert web.requests_to("/feed.xml")[-1].headers["if-none-match"] == ETAG
    status, out, _ = run_cli(capsys, "fetch", "--all")
    assert status == 0 and "1 unchanged" in out
    assert web.requests_to("/feed.xml")[-1].headers["if-none-match"] == '"v2"'
    [row] = json.loads(run_cli(capsys, "sources", "list", "--json")[1])
    assert run_cli(capsys, "sources", "remove", str(row["id"]))[0] == 0  # (PostgreSQL's is shared)
