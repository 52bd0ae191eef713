"""The parser pool: real processes, real crashes (a job that ends its process), clean shutdown."""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from bot.ingest.parsers import ParserCrashedError, ParserPool
from bot.ingest.retrieval import parse_response

FEED = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>T</title>
<item><guid>1</guid><title>One</title>
<description>&lt;p&gt;The first item&lt;/p&gt;</description></item>
<item><guid>2</guid><title>Two</title><description>Second</description></item>
</channel></rss>"""
NOW = datetime(2026, 1, 1, tzinfo=UTC)
CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpora" / "real-feeds" / "sites"


def pid_of_worker(_: object) -> int:
    return os.getpid()


def die_on(body: bytes) -> int:
    """A job that kills its own process, the way a crash in a parser's C code would."""
    if body == b"die":
        os._exit(70)
    return len(body)


def fail_on(body: bytes) -> int:
    raise ValueError(f"refused {body!r}")


@pytest.fixture
def pool() -> ParserPool:
    parsers = ParserPool(2)
    yield parsers
    parsers.close()


async def test_parses_in_another_process_with_the_same_result(pool: ParserPool) -> None:
    in_thread = await ParserPool(0).run(parse_response, FEED, "https://example.org/", None, NOW)
    in_process = await pool.run(parse_response, FEED, "https://example.org/", None, NOW)
    assert in_process == in_thread
    assert [item.text for item in in_process.items] == ["The first item", "Second"]
    assert await pool.run(pid_of_worker, None) != os.getpid()


async def test_without_workers_jobs_run_in_this_process() -> None:
    assert await ParserPool(0).run(pid_of_worker, None) == os.getpid()


async def test_a_job_that_raises_raises_its_own_error(pool: ParserPool) -> None:
    with pytest.raises(ValueError, match="refused"):
        await pool.run(fail_on, b"x")
    assert await pool.run(die_on, b"still fine") == 10


async def test_a_job_that_kills_its_process_fails_alone(pool: ParserPool) -> None:
    bodies = [b"a", b"bb", b"die", b"dddd", b"eeeee", b"ffffff"]
    results = await asyncio.gather(
        *(pool.run(die_on, body) for body in bodies), return_exceptions=True
    )
    assert [r if isinstance(r, int) else type(r) for r in results] == [
        1, 2, ParserCrashedError, 4, 5, 6,
    ]  # fmt: skip
    assert await pool.run(die_on, b"after") == 5  # the pool was replaced and works


async def test_processes_killed_from_outside_are_replaced(pool: ParserPool) -> None:
    await asyncio.gather(*(pool.run(pid_of_worker, None) for _ in range(4)))
    workers = multiprocessing.active_children()
    assert workers
    for worker in workers:
        worker.kill()  # SIGKILL, as the OOM killer sends
        await asyncio.to_thread(worker.join)
    result = await pool.run(parse_response, FEED, "https://example.org/", None, NOW)
    assert len(result.items) == 2


async def test_close_stops_every_process(pool: ParserPool) -> None:
    await asyncio.gather(*(pool.run(pid_of_worker, None) for _ in range(4)))
    assert multiprocessing.active_children()
    pool.close()
    assert multiprocessing.active_children() == []
    with pytest.raises(RuntimeError, match="closed"):
        await pool.run(pid_of_worker, None)


async def test_the_real_corpus_parses_the_same_in_processes(pool: ParserPool) -> None:
    if not CORPUS.is_dir():
        pytest.skip(f"the shared feed corpus is not beside the project ({CORPUS})")
    files = sorted(path for path in CORPUS.iterdir() if path.name != "INDEX.tsv")[:12]
    for path in files:
        args = (path.read_bytes(), f"https://example.org/{path.name}", None, NOW)
        assert await pool.run(parse_response, *args) == parse_response(*args), path.name


def test_workers_must_not_be_negative() -> None:
    with pytest.raises(ValueError, match="0 or more"):
        ParserPool(-1)


async def test_start_starts_every_process(pool: ParserPool) -> None:
    await pool.start()
    assert len(multiprocessing.active_children()) == 2
    assert len({await pool.run(pid_of_worker, None) for _ in range(6)}) <= 2


def is_imported(module: str) -> bool:
    return module in sys.modules


async def test_each_process_imports_what_it_is_told_to_first() -> None:
    parsers = ParserPool(1, preload=("bot.config.opml",))
    try:
        assert await parsers.run(is_imported, "bot.config.opml")  # nothing here imports it
    finally:
        parsers.close()
