"""Every file of the real-world corpora, served over loopback HTTP, through fetch and normalize.

Each file of ``feedparser-tests/tests/`` and ``real-feeds/`` is served by one LoopbackServer as
feedparser's own test server would serve it: the ``Header:`` lines of its leading comment become
response headers (``Status:`` the status code, a ``Location:`` on feedparser's test host points
back at this server), ``.gz`` files go out gzip-encoded and ``.z`` files deflate-encoded. Each
URL then goes through ``Retriever.retrieve``, the real client and the real normalize stage.

Two promises, checked file by file: nothing crashes (every outcome is ``Retrieved``,
``NotModified`` or ``Failed``), and no entry is lost: every entry feedparser finds in the bytes
that finally answer (after redirects and decompression, with the same headers) becomes exactly
one item, counted as ``tests/corpus_files.py`` explains. A failure names each file and why.

Files run concurrently, one test per corpus folder, so the whole corpus takes seconds.
"""

from __future__ import annotations

import asyncio
import gzip
import io
import multiprocessing
import os
import struct
import traceback
import zlib
from collections.abc import Iterator
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urljoin, urlsplit

import pytest

from bot.fetch import FetchPolicy, make_client
from bot.ingest.retrieval import Failed, NotModified, Outcome, Retrieved, Retriever
from storage.records import SourceKind
from tests.corpus_files import CORPORA, NOT_FEEDS, comment_headers, corpus_files, reference_entries
from tests.httpserver import LoopbackServer, Reply

ROOTS = (CORPORA / "feedparser-tests" / "tests", CORPORA / "real-feeds")
FETCHED_AT = datetime(2100, 1, 1, tzinfo=UTC)  # far ahead: no real date is "in the future"
CONCURRENCY = 16
OFFLOAD_BYTES = 64 * 1024  # feedparser's reference parse of bigger files runs in a process
# Generous timeouts: parsing is CPU work on the event loop the server shares, and a 2 MB feed
# takes a second, so tight timers would fail files for the machine's speed, not their bytes
# (connecting too: the server accepts only when the loop is free, 10 s was missed under load).
POLICY = FetchPolicy(
    connect_timeout=timedelta(seconds=60),
    read_timeout=timedelta(seconds=60),
    total_timeout=timedelta(seconds=120),
)
REDIRECTS = frozenset({301, 302, 303, 307, 308})
# Where feedparser's test suite served these files; redirects in the corpus point there.
LEGACY_HOST = "http://localhost:8097/"
ENCODINGS = {".gz": "gzip", ".z": "deflate"}
# Routes feedparser's test server answered itself.
BUILT_IN = {"/-/return-304.xml": Reply(status=304)}


def _folders() -> list[Path]:
    """The corpus in groups: each folder directly under a root (loose files: the root itself)."""
    folders = []
    for root in ROOTS:
        if root.is_dir():
            folders += sorted(child for child in root.iterdir() if child.is_dir())
            if any(path.is_file() for path in root.iterdir() if path.name not in NOT_FEEDS):
                folders.append(root)
    return folders


FOLDERS = _folders()


def _in_folder(folder: Path) -> list[Path]:
    if folder in ROOTS:  # loose files only: subfolders are groups of their own
        return [path for path in corpus_files(folder) if path.parent == folder]
    return corpus_files(folder)


def _route_path(path: Path) -> str:
    return "/" + quote(path.relative_to(CORPORA).as_posix())


def test_every_corpus_file_is_in_a_group() -> None:
    if not FOLDERS:
        pytest.skip(f"real-world corpora not found at {CORPORA} (../shared/corpora)")
    grouped = sorted(path for folder in FOLDERS for path in _in_folder(folder))
    assert grouped == sorted(path for root in ROOTS for path in corpus_files(root))
    assert len(grouped) >= 2248 + 200


@dataclass(frozen=True)
class Served:
    """What the server answers for one route, and what a client reads from it."""

    reply: Reply
    body: bytes  # after Content-Encoding is undone as feedparser undoes it
    headers: dict[str, str]  # as feedparser sees them (names lowercased)


@dataclass
class Site:
    """Every corpus file of a folder on one server, with feedparser's reading of each."""

    server: LoopbackServer
    routes: dict[str, Served] = field(default_factory=dict)

    def add(self, path: Path) -> str:
        body = path.read_bytes()
        headers = comment_headers(body)
        status = int(headers.pop("status", "200"))
        if "location" in headers:
            headers["location"] = self._here(headers["location"])
        encoding = ENCODINGS.get(path.suffix)
        if encoding:
            headers["content-encoding"] = encoding
        reply = Reply(status=status, headers=headers, body=body)
        self.routes[_route_path(path)] = Served(reply, _decoded(body, encoding), headers)
        return self.server.route(_route_path(path), reply)

    def add_built_in(self) -> None:
        for route, reply in BUILT_IN.items():
            self.routes[route] = Served(reply, reply.body, dict(reply.headers))
            self.server.route(route, reply)

    def final_answer(self, url: str) -> tuple[bytes, dict[str, str], str] | None:
        """The body, headers and URL that finally answer ``url``; None unless a 2xx."""
        for _ in range(POLICY.max_redirects + 1):
            served = self.routes.get(urlsplit(url).path)
            if served is None:
                return None
            location = served.headers.get("location")
            if served.reply.status in REDIRECTS and location:
                url = urljoin(url, location)
                continue
            if not 200 <= served.reply.status < 300:
                return None
            return served.body, served.headers, url
        return None

    def _here(self, location: str) -> str:
        """A Location on feedparser's test host, moved to this server."""
        if not location.startswith(LEGACY_HOST):
            return location
        rest = location.removeprefix(LEGACY_HOST)
        if rest.startswith("tests/"):
            rest = "feedparser-tests/" + rest
        return self.server.url("/" + rest)


def _decoded(body: bytes, encoding: str | None) -> bytes:
    """The body as feedparser's HTTP client reads it: undecodable gzip kept as sent unless the
    data is damaged (then nothing), deflate with or without the zlib header."""
    if encoding == "gzip":
        try:
            return gzip.GzipFile(fileobj=io.BytesIO(body)).read()
        except struct.error:  # a gzip header, damaged data
            return b""
        except (EOFError, OSError):
            return body
    if encoding == "deflate":
        for wbits in (zlib.MAX_WBITS, -zlib.MAX_WBITS):
            try:
                return zlib.decompress(body, wbits)
            except zlib.error:
                continue
    return body


def _judge(outcome: object, expected: int) -> str | None:
    """Why an outcome breaks a promise, or None."""
    if isinstance(outcome, Retrieved):
        if outcome.kind is SourceKind.JSON_FEED:  # feedparser does not read JSON Feed
            return None if expected == 0 else f"read as JSON Feed; feedparser found {expected}"
        if len(outcome.items) != expected:
            return (
                f"{len(outcome.items)} items ({outcome.kind}), "
                f"but feedparser found {expected} entries"
            )
        return None
    if isinstance(outcome, NotModified):
        return f"not modified, but feedparser found {expected} entries" if expected else None
    if isinstance(outcome, Failed):
        return (
            f"failed ({outcome.reason}), but feedparser found {expected} entries"
            if expected
            else None
        )
    return f"returned {type(outcome).__name__}, not an outcome: {outcome!r}"


async def _expected_entries(site: Site, url: str, pool: Executor) -> int:
    answer = site.final_answer(url)
    if answer is None:
        return 0
    if len(answer[0]) < OFFLOAD_BYTES:  # a process round trip costs more than the parse
        return reference_entries(*answer)
    return await asyncio.get_running_loop().run_in_executor(pool, reference_entries, *answer)


async def _check(
    site: Site, retriever: Retriever, path: Path, gate: asyncio.Semaphore, pool: Executor
) -> str:
    """The problem with one file, or an empty string."""
    url = site.server.url(_route_path(path))
    # feedparser's reading runs in another process meanwhile: two cores, half the time
    expected = asyncio.ensure_future(_expected_entries(site, url, pool))
    async with gate:
        try:
            outcome: Outcome = await retriever.retrieve(url, now=FETCHED_AT, first_time=True)
        except Exception:
            expected.cancel()
            return "crashed:\n" + traceback.format_exc(limit=-4)
    try:
        return _judge(outcome, await expected) or ""
    except Exception as error:  # the yardstick itself: say so rather than blame the project
        return f"feedparser's reference parse raised {error!r}"


@pytest.fixture(scope="module")
def reference_pool() -> Iterator[Executor]:
    """Processes for feedparser's reference parses (spawned: the test's event loop stays ours)."""
    workers = min(4, max(1, (os.cpu_count() or 2) - 1))
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        yield pool


@pytest.mark.timeout(300)
@pytest.mark.parametrize(
    "folder",
    FOLDERS or [None],
    ids=[str(folder.relative_to(CORPORA)) for folder in FOLDERS] or ["absent"],
)
async def test_corpus_over_http_never_crashes_and_loses_no_entry(
    folder: Path | None, http_server: LoopbackServer, reference_pool: Executor
) -> None:
    if folder is None:
        pytest.skip(f"real-world corpora not found at {CORPORA} (../shared/corpora)")
    site = Site(http_server)
    site.add_built_in()
    for path in corpus_files(ROOTS[0] / "http"):  # where the corpus's redirects point
        site.add(path)
    files = _in_folder(folder)
    for path in files:
        site.add(path)
    gate = asyncio.Semaphore(CONCURRENCY)
    async with make_client(POLICY, allow_private_networks=True) as client:
        retriever = Retriever(
            client=client,
            policy=POLICY,
            preview_base=http_server.base_url,
        )
        problems = await asyncio.gather(
            *(_check(site, retriever, path, gate, reference_pool) for path in files)
        )
    failures = [
        f"{path.relative_to(CORPORA)}: {problem}"
        for path, problem in zip(files, problems, strict=True)
        if problem
    ]
    assert not failures, f"{len(failures)} of {len(files)} files:\n" + "\n".join(failures)
