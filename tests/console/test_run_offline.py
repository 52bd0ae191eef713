"""`claimwatch run` where no source can be reached (a first run without network): the terminal
shows one line saying so, and the bot keeps running, answering, and retrying."""

import subprocess
from pathlib import Path

from tests.console.console_transcript import WAIT_SECONDS, Reader, start_run
from tests.ingest.loopback_feeds import closed_port

NO_NETWORK = "no source could be reached (3 tried): no network? claimwatch keeps running"


def test_without_network_the_start_says_so_in_one_line_and_keeps_running(workdir: Path) -> None:
    sources = "".join(
        f'[[sources]]\nurl = "http://127.0.0.1:{closed_port()}/feed.xml"\nname = "Feed {n}"\n'
        for n in range(3)
    )
    (workdir / "config" / "sources.toml").write_text(sources)
    process = start_run(workdir, stdin=subprocess.PIPE, stderr=subprocess.PIPE,
                        env={"CLAIMWATCH_ALLOW_PRIVATE_NETWORKS": "true"})  # fmt: skip
    assert process.stdin is not None and process.stdout is not None
    assert process.stderr is not None
    logs, chat = Reader(process.stderr.fileno()), Reader(process.stdout.fileno())
    try:
        logs.until(NO_NETWORK)  # the first poll runs at start, not an interval later
        process.stdin.write(b"/sources\n")
        process.stdin.flush()
        chat.until("Feed 2")  # still answering
        assert process.poll() is None
        process.stdin.write(b"/quit\n")
        process.stdin.close()
        chat.until("Bye!")
        status = process.wait(timeout=WAIT_SECONDS)
        logged = logs.until("claimwatch stopped")
    finally:
        process.kill()
    assert status == 0, logged
    fetching = [
        line
        for line in logged.splitlines()
        if " bot.ingest.poll: " in line or " bot.app.jobs: " in line
    ]
    assert len(fetching) == 1 and NO_NETWORK in fetching[0], logged  # one line, not one a source
    assert "Traceback" not in logged and " ERROR " not in logged, logged
