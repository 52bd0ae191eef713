"""What `claimwatch` prints, as a process on a pipe: hostile feed text never reaches the terminal
as control characters, and a reader that stops early (`| head`) ends the command quietly."""

import asyncio
import json
import os
import re
import subprocess
import sys
from datetime import UTC, datetime, time
from pathlib import Path

import pytest

from bot.cli import main
from bot.settings import load_settings
from storage.db import Database
from storage.records import ChatKind, NewSource
from tests.httpserver import Reply

START = datetime(2024, 10, 23, 12, 0, tzinfo=UTC)
CLAIMWATCH = str(Path(sys.executable).parent / "claimwatch")
# What acts on a terminal: C0 controls but newline and tab, DEL, C1, bidi overrides and isolates.
TERMINAL_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
HOSTILE_TITLE = (
    "Evil\x1b]0;owned\x07 \x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x1b[2J\x1b[31mred"
    " back\x08\x08 bell\x07 c1\x9b31m\x9d0;x\x9c del\x7f rlo\u202etxt.exe\u2066iso\u2069"
)
HOSTILE_FEED_TITLE = "Wire\x1b[1A\x1b[2K\u202eeriW"


REPORT = (
    "Ukraine's defence intelligence\x9b2J said 12,000 North Korean troops\u202e had arrived in "
    "Russia."
)


def hostile_feed() -> bytes:
    """A JSON Feed: JSON carries every control character escaped, so the parser gets them all."""
    document = {
        "version": "https://jsonfeed.org/version/1.1",
        "title": HOSTILE_FEED_TITLE,
        "items": [
            {"id": "1", "title": HOSTILE_TITLE, "content_text": REPORT,
             "url": "https://news.example/1"},
            {"id": "2", "content_text": "No title\u202e, only text\x85 with C1\x9b0m."},
        ],
    }  # fmt: skip
    return json.dumps(document).encode()


def claimwatch(workdir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(
        [CLAIMWATCH, *args], cwd=workdir, capture_output=True, timeout=60, check=False
    )
    assert done.returncode == 0, (args, done.stderr)
    return done


def printed(workdir: Path, *args: str) -> str:
    """What the command printed as a process, which must hold no terminal control character."""
    done = claimwatch(workdir, *args)
    text = (done.stdout + done.stderr).decode("utf-8")  # strictly: no invalid UTF-8 either
    return assert_harmless(args, text) and done.stdout.decode()


def printed_in_process(capsys, *args: str) -> str:
    """The same, `claimwatch` run in this process (quicker: the process start is tested above)."""
    assert main(list(args)) == 0
    captured = capsys.readouterr()
    return assert_harmless(args, captured.out + captured.err) and captured.out


def assert_harmless(args: tuple[str, ...], text: str) -> bool:
    found = TERMINAL_CONTROL.search(text)
    assert found is None, f"`claimwatch {' '.join(args)}` printed {found.group()!r} raw:\n{text}"
    return True


def test_hostile_feed_text_prints_escaped_and_json_keeps_its_meaning(workdir, web, capsys):
    served = Reply(body=hostile_feed(), headers={"Content-Type": "application/feed+json"})
    url = web.route("/feed.json", served)
    claimwatch(workdir, "sources", "add", url)

    items = printed(workdir, "items")
    assert "Evil\\u001b]0;owned\\u0007" in items and "rlo\\u202etxt.exe" in items
    assert "No title\\u202e, only text" in items
    assert "Wire\\u001b[1A\\u001b[2K\\u202eeriW" in printed(workdir, "sources", "list")
    assert "Wire\\u001b[1A\\u001b[2K\\u202eeriW" in printed(workdir, "fetch", "--all")

    by_guid = {
        row["guid"]: row for row in json.loads(printed_in_process(capsys, "items", "--json"))
    }
    assert by_guid["1"]["title"] == HOSTILE_TITLE and by_guid["1"]["text"] == REPORT
    assert "\u202e" in by_guid["2"]["text"] and "\x9b" in by_guid["2"]["text"]
    [source] = json.loads(printed_in_process(capsys, "sources", "list", "--json"))
    assert source["name"] == HOSTILE_FEED_TITLE

    claims = json.loads(printed_in_process(capsys, "claims", "list", "--json"))["claims"]
    [reported] = [claim for claim in claims if claim["value"] == 12000]
    assert "\x9b" in reported["sentence"]
    printed_in_process(capsys, "claims")
    assert "\\u009b2J" in printed_in_process(capsys, "claims", "show", str(reported["id"]))

    asyncio.run(subscribe_a_chat(load_settings().database_url.get_secret_value()))
    digest = printed_in_process(capsys, "digest", "--since", "2000-01-01")
    assert "Evil\\u001b]0;owned\\u0007" in digest
    assert "rlo\\u202etxt.exe" in printed_in_process(
        capsys, "digest", "--since", "2000-01-01", "--html"
    )


def test_check_escapes_a_setting_with_control_characters(workdir, monkeypatch, capsys):
    monkeypatch.setenv("CLAIMWATCH_WEBHOOK_LISTEN", "0.0.0.0\x1b[2J")
    assert "0.0.0.0\\u001b[2J" in printed_in_process(capsys, "check")


def run_into_a_closed_pipe(workdir: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """`claimwatch ARGS` writing into a pipe that nobody reads any more: every write fails."""
    read_end, write_end = os.pipe()
    os.close(read_end)
    try:
        return subprocess.run([CLAIMWATCH, *args], cwd=workdir, stdout=write_end,
                              stderr=subprocess.PIPE, timeout=60, check=False)  # fmt: skip
    finally:
        os.close(write_end)


@pytest.mark.parametrize("command", ["check", "items --json"])
def test_a_reader_gone_before_the_output_ends_it_quietly(workdir, command):
    done = run_into_a_closed_pipe(workdir, *command.split())
    assert done.returncode == 141, done.stderr
    assert done.stderr == b""  # no traceback, no "Exception ignored"


def test_a_reader_that_stops_after_one_line_like_head(workdir, monkeypatch):
    (workdir / "data").mkdir()
    database_url = f"sqlite+aiosqlite:///{workdir / 'data' / 'cw.db'}"
    monkeypatch.setenv("CLAIMWATCH_DATABASE_URL", database_url)
    asyncio.run(add_sources(database_url, 400))  # 100 KB listed: more than a pipe holds
    process = subprocess.Popen([CLAIMWATCH, "sources", "list"], cwd=workdir,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    assert process.stdout is not None and process.stderr is not None
    try:
        assert process.stdout.readline().startswith(b"  ID  STATUS")
        process.stdout.close()  # as `head -1` exits
        stderr = process.stderr.read()
        status = process.wait(timeout=60)
    finally:
        process.kill()
    assert status == 141 and stderr == b"", stderr


async def add_sources(database_url: str, count: int) -> None:
    db = await Database.open(database_url)
    try:
        await db.upgrade()
        async with db.transaction() as tx:
            for number in range(count):
                address = f"https://feeds.example/{'long/' * 36}{number}.xml"
                await tx.sources.add(NewSource(address), START)
    finally:
        await db.close()


async def subscribe_a_chat(database_url: str) -> None:
    db = await Database.open(database_url)
    try:
        async with db.transaction() as tx:
            await tx.chats.subscribe(1000, ChatKind.PRIVATE, "Ann", timezone="UTC",
                                     digest_time=time(8), now=START)  # fmt: skip
    finally:
        await db.close()
