"""Hostile items in a real feed on 127.0.0.1: one item's failure in analysis is that item's.

The feed holds clean reports, a figure of 309 nines and "1e308 troops" (which once overflowed
the analysis), and a report whose claim the database itself refuses (a trigger the test
creates): whatever fails for one item, the others are stored and analysed, `fetch --all` and
`sources add` complete, and the source's health names the item.
"""

import asyncio
import json
import os
import signal
import threading

from tests.cli.own_database import own_database_url as own_database_url
from tests.cli.test_cli import _start, _wait_for, run_cli
from tests.httpserver import Reply
from tests.refused_writes import refuse_inserts

NINES = "9" * 309
CLEAN = (
    "clean-1",
    "DIU",
    "Ukraine's defence intelligence said 12,000 North Korean troops had arrived in Russia.",
)
LATER = ("clean-2", "WH", "The White House said 3,000 North Korean troops had arrived in Russia.")
HUGE = ("huge", "Huge", f"North Korea sent {NINES} troops to Russia.")
EXPONENT = ("exponent", "Exponent", "North Korea sent 1e308 troops to Russia.")
REFUSED = (
    "refused",
    "Refused",
    "Pyongyang sent 4,444 North Korean troops to Russia, a blogger said.",
)

REFUSED_AGAIN = ("refused-2", "Refused", "A blogger said 4,444 North Korean troops are in Russia.")


def rss(*entries: tuple[str, str, str]) -> bytes:
    items = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><description>{text}</description></item>"
        for guid, title, text in entries
    )
    channel = f"<channel><title>Wire</title>{items}</channel>"
    return f'<?xml version="1.0"?><rss version="2.0">{channel}</rss>'.encode()


def json_of(capsys, *args: str):
    status, out, err = run_cli(capsys, *args)
    assert status == 0, err
    return json.loads(out)


def test_one_items_failure_is_recorded_for_it_and_stops_nothing(
    own_database_url, web, monkeypatch, capsys
):
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", own_database_url)
    assert run_cli(capsys, "db", "upgrade")[0] == 0
    asyncio.run(refuse_inserts(own_database_url, "claims", "NEW.value = 4444"))
    url = web.route("/feed.xml", Reply(body=rss(HUGE, CLEAN, REFUSED)))

    status, out, err = run_cli(capsys, "sources", "add", url)
    assert status == 0, err
    assert "Traceback" not in out + err
    [source] = json_of(capsys, "sources", "list", "--json")
    assert source["status"] == "active" and source["error_count"] == 0 and source["items"] == 3
    assert "'refused'" in source["last_error"]  # (and 'huge' while figures can overflow)

    later = rss(HUGE, CLEAN, REFUSED, EXPONENT, REFUSED_AGAIN, LATER)
    web.route("/feed.xml", Reply(body=later))
    status, out, err = run_cli(capsys, "fetch", "--all")
    assert status == 0, err
    assert "1 sources: 1 with news (3 new items), 0 unchanged, 0 failed." in out
    assert "Traceback" not in out + err

    items = json_of(capsys, "items", "--json")
    assert {item["guid"] for item in items} == {
        "huge", "clean-1", "refused", "exponent", "refused-2", "clean-2",
    }  # fmt: skip
    values = {claim["value"] for claim in json_of(capsys, "claims", "list", "--json")["claims"]}
    assert {1500, 12000, 3000} <= values and 4444 not in values
    [source] = json_of(capsys, "sources", "list", "--json")
    assert source["status"] == "active" and source["error_count"] == 0
    assert "'refused-2'" in source["last_error"] and "'huge'" not in source["last_error"]


def test_run_polls_a_hostile_feed_without_failing_the_poll(workdir, web, capsys):
    assert run_cli(capsys, "db", "upgrade")[0] == 0  # the default database, which run opens
    database = f"sqlite+aiosqlite:///{workdir / 'data' / 'claimwatch.db'}"
    asyncio.run(refuse_inserts(database, "claims", "NEW.value = 4444"))
    url = web.route("/feed.xml", Reply(body=rss(HUGE, CLEAN, REFUSED, EXPONENT, LATER)))
    (workdir / "config" / "sources.toml").write_text(f'[[sources]]\nurl = "{url}"\n')
    env = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_BOT_TOKEN")}
    process = _start(workdir, env, "--fetch-only")
    deadline = threading.Timer(60, process.kill)  # a poll that fails never says "polled"
    deadline.start()
    try:
        seen = _wait_for(process, "polled 1 sources: 5 new items, 0 failed")
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    finally:
        deadline.cancel()
        process.kill()
    output = "".join(seen) + output
    assert process.returncode == 0, output
    assert "polling sources failed" not in output and "Traceback" not in output
    assert "'refused': analysis failed" in output
