"""`claimwatch run` without a token, as a newcomer meets it: the terminal is the chat.

Commands come through a pipe, a file, /dev/null or a pseudo-terminal (where prompt_toolkit
edits the line); the transcript on stdout must explain itself, and logs stay on stderr.
"""

import os
import re
import signal
import subprocess
import threading
from pathlib import Path

import pytest

from bot.chat.commands import COMMANDS
from tests.console.console_transcript import WAIT_SECONDS, Reader, start_at_terminal, start_run
from tests.httpserver import LoopbackServer, RecordedRequest
from tests.httpserver import Reply as HttpReply

LOG_LINE = re.compile(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3} (?:DEBUG|INFO|WARNING|ERROR)")
TOPIC = "North Korean troops in Russia"


def finish(process: subprocess.Popen[bytes]) -> int:
    try:
        return process.wait(timeout=WAIT_SECONDS)
    finally:
        process.kill()


def test_a_piped_conversation_explains_itself_and_quits(workdir: Path) -> None:
    with (workdir / "stderr.log").open("w") as log_file:
        process = start_run(workdir, stdin=subprocess.PIPE, stderr=log_file)
    assert process.stdin is not None and process.stdout is not None
    reader = Reader(process.stdout.fileno())
    try:
        reader.until("Type /help")
        process.stdin.write(b"/help\n")
        process.stdin.flush()
        reader.until("/forget")  # the last command /help lists
        process.stdin.write(b"/topics\n/quit\n")
        process.stdin.flush()
        transcript = reader.until("Bye!")
    finally:
        status = finish(process)
    logs = (workdir / "stderr.log").read_text()
    assert status == 0, logs
    assert transcript.startswith("claimwatch: terminal chat\n")
    assert "No TELEGRAM_BOT_TOKEN is set, so this terminal is the bot's chat" in transcript
    assert "Database: data/claimwatch.db. Watching 0 sources for 1 topic" in transcript
    assert "claimwatch sources add <url>" in transcript
    help_answer = transcript.split("you> /help\n")[1].split("you> /topics")[0]
    assert all(f"/{command.name}" in help_answer for command in COMMANDS)
    assert f"• {TOPIC}: North Korea" in transcript.split("you> /topics\n")[1]
    assert not LOG_LINE.search(transcript), "a log line in the transcript"
    assert "is running with the terminal chat" in logs and "claimwatch stopped" in logs
    assert (workdir / "data" / "claimwatch.db").exists()


@pytest.mark.parametrize("source", ["closed pipe", "/dev/null", "file"])
def test_when_input_ends_the_bot_keeps_running_until_sigterm(workdir: Path, source: str) -> None:
    commands = workdir / "commands.txt"
    commands.write_bytes(b"/topics\n")
    with (workdir / "stderr.log").open("w") as log_file, commands.open("rb") as file:
        stdin = {"closed pipe": subprocess.PIPE, "/dev/null": subprocess.DEVNULL, "file": file}
        process = start_run(workdir, stdin=stdin[source], stderr=log_file)
        assert process.stdout is not None
        if process.stdin is not None:
            process.stdin.close()
        try:
            transcript = Reader(process.stdout.fileno()).until("Stop it with Ctrl-C or SIGTERM.")
            assert process.poll() is None, "it stopped when the input ended"
            process.send_signal(signal.SIGTERM)
        finally:
            status = finish(process)
    logs = (workdir / "stderr.log").read_text()
    assert status == 0, logs
    assert "(Input ended. claimwatch keeps running" in transcript
    assert ("you> /topics\nThis chat follows every topic" in transcript) == (source == "file")
    assert "claimwatch stopped" in logs


@pytest.mark.parametrize(("key", "name"), [(b"\x04", "Ctrl-D"), (b"\x03", "Ctrl-C")])
def test_at_a_terminal_the_prompt_edits_lines_and_ctrl_d_or_ctrl_c_quit(
    workdir: Path, key: bytes, name: str
) -> None:
    with (workdir / "stderr.log").open("w") as log_file:
        process, terminal = start_at_terminal(workdir, stderr=log_file)
    reader = Reader(terminal, answer_cursor_queries=True)
    try:
        reader.until("you>")
        os.write(terminal, b"/topicz\x7fs\r")  # a typo fixed with Backspace
        reader.until("This chat follows every topic")
        reader.until("you>")  # the next prompt: keys typed before it are the kernel's to read
        os.write(terminal, key)
        shown = reader.until("Bye!")
    finally:
        status = finish(process)
        os.close(terminal)
    assert status == 0, f"{name}: {(workdir / 'stderr.log').read_text()}"
    assert "claimwatch: terminal chat" in shown and "I don't know /topicz" not in shown
    assert not LOG_LINE.search(shown), "logs redirected to a file showed on the terminal"


FEED = (
    b'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>'
    b"<item><guid>1</guid><title>One</title><description>First</description></item>"
    b"</channel></rss>"
)


def test_quitting_during_a_fetch_lets_it_finish_quietly(
    workdir: Path, loopback: LoopbackServer
) -> None:
    fetching = threading.Event()

    def slow_feed(request: RecordedRequest) -> HttpReply:
        fetching.set()
        return HttpReply(body=FEED, delay=1.0)

    url = loopback.route("/slow.xml", slow_feed)
    (workdir / "config" / "sources.toml").write_text(f'[[sources]]\nurl = "{url}"\n')
    with (workdir / "stderr.log").open("w") as log_file:
        process = start_run(workdir, stdin=subprocess.PIPE, stderr=log_file,
                            env={"CLAIMWATCH_ALLOW_PRIVATE_NETWORKS": "true"})  # fmt: skip
        assert process.stdin is not None and process.stdout is not None
        try:
            assert fetching.wait(WAIT_SECONDS), "the source was never fetched"
            process.stdin.write(b"/quit\n")
            process.stdin.close()
            Reader(process.stdout.fileno()).until("Bye!")
        finally:
            status = finish(process)
    logs = (workdir / "stderr.log").read_text()
    assert status == 0 and "claimwatch stopped" in logs
    assert "Traceback" not in logs and " ERROR " not in logs, logs
    assert "polled 1 sources: 1 new items, 0 failed" in logs  # finished, not cut short


INVALID_UTF8 = b"/track Caf\xc3 talks\n/track \xed\xa0\x80bad\n/topics\n/quit\n"


@pytest.mark.parametrize("source", ["pipe", "file", "terminal"])
def test_invalid_utf8_typed_is_replaced_not_answered_with_sorry(workdir: Path, source: str) -> None:
    with (workdir / "stderr.log").open("w") as log_file:
        if source == "terminal":
            process, fd = start_at_terminal(workdir, stderr=log_file)
            reader = Reader(fd, answer_cursor_queries=True)
        else:
            (workdir / "commands.txt").write_bytes(INVALID_UTF8)
            with (workdir / "commands.txt").open("rb") as file:
                stdin = subprocess.PIPE if source == "pipe" else file
                process = start_run(workdir, stdin=stdin, stderr=log_file)
            assert process.stdout is not None
            reader = Reader(process.stdout.fileno())
    try:
        if source == "pipe":
            assert process.stdin is not None
            process.stdin.write(INVALID_UTF8)
            process.stdin.close()
        elif source == "terminal":
            for line in INVALID_UTF8.splitlines():
                reader.until("you>")
                os.write(fd, line + b"\r")
        reader.until("Bye!")
    finally:
        status = finish(process)
        if source == "terminal":
            os.close(fd)
    logs = (workdir / "stderr.log").read_text()
    assert status == 0, logs
    shown = reader.seen
    if source != "terminal":  # (where the line editor echoes the keys as they were typed)
        shown.decode()  # strictly: the answers printed no invalid UTF-8
    assert "Added the topic Caf\ufffd talks".encode() in shown
    assert "Added the topic \ufffd\ufffd\ufffdbad".encode() in shown
    assert "• Caf\ufffd talks".encode() in shown.rsplit(b"/topics", 1)[1]
    assert b"Sorry" not in shown and "Traceback" not in logs, logs


def test_when_nobody_reads_the_output_any_more_it_stops_quietly(workdir: Path) -> None:
    with (workdir / "stderr.log").open("w") as log_file:
        process = start_run(workdir, stdin=subprocess.PIPE, stderr=log_file)
    assert process.stdin is not None and process.stdout is not None
    try:
        Reader(process.stdout.fileno()).until("Type /help")
        process.stdout.close()  # as `claimwatch run | head` does once it has its lines
        process.stdin.write(b"/help\n")
        process.stdin.flush()
        status = process.wait(timeout=WAIT_SECONDS)
    finally:
        process.kill()
    logs = (workdir / "stderr.log").read_text()
    assert status == 0, logs
    assert "the terminal chat's output was closed (nobody reads it); stopping" in logs
    assert "Traceback" not in logs and "claimwatch stopped" in logs, logs
