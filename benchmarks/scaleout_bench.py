"""Scale-out on PostgreSQL: one `claimwatch run` plus 0, 1, 2 `claimwatch run --fetch-only`
workers, as separate processes, sharing 3,000 sources served over loopback HTTP with latency.

The small feeds (under 40 KB) of ../shared/corpora/real-feeds/sites/ (beside the repository) are
served by a threaded HTTP server in this process, each source under a path of its own, spread over
``--hosts`` loopback addresses (127.0.0.1, 127.0.0.2, ...: every 127/8 address is loopback on
Linux) so the per-host limit of a poll acts as it does on the internet. Each response waits a
random ``--latency`` first; the server logs every request (time and path). Every configuration
runs on a PostgreSQL database created for it and dropped after it; the sources are added through
the storage layer with ``--interval`` (default the minimum, 1 minute), so several polls happen.

`claimwatch run` without a token runs the terminal chat; with its standard input at /dev/null the
input ends at once and the bot keeps running (fetching, digests, outbox), as the README says.
Each configuration runs ``--duration`` seconds, then every process gets SIGTERM. Reported:
sources fetched per minute (requests the server answered, over the run), and checks from the
server's log and the database: no source fetched twice within its interval, no item stored twice
(per source, and the same item count for every source serving the same feed), every due source
fetched (sources still overdue at the end; a backlog means the processes could not keep up),
no lease left behind. Then the lease phase: one main and two workers with
CLAIMWATCH_SOURCE_LEASE=``--lease``; one worker gets SIGKILL in the middle of a poll; the sources
it held must be fetched by another process after its lease ends and within a tick (30 s) and a
poll of it, with nothing lost (their items stored) or duplicated.

    .venv/bin/python benchmarks/scaleout_bench.py          # 3,000 sources, 3 x 3 min, kill: ~13 min
    .venv/bin/python benchmarks/scaleout_bench.py --quick  # 600 sources, 3 x 70 s, kill: ~7 min
    .venv/bin/python benchmarks/scaleout_bench.py --postgres-url postgresql+asyncpg://USER@HOST:PORT/DB
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest_bench import feed_files  # noqa: E402  (the corpus, as the ingestion benchmark reads it)

DEFAULT_POSTGRES = "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
SMALL_FEED = 40_000  # bytes: "small real feeds"
TICK = 30.0  # seconds: bot.app.jobs.POLL_EVERY, the poll job's period in every process
TOLERANCE = 1.0  # seconds of clock skew allowed between the server's log and the database


# --- the sources and their server ---------------------------------------------------------------


@dataclass
class Hit:
    at: float
    path: str


class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # several processes connect at once


@dataclass
class FeedServer:
    """Serves ``routes`` (path -> body) on several loopback addresses, one port each."""

    routes: dict[str, bytes]
    latency: tuple[float, float]
    hosts: int
    hits: list[Hit] = field(default_factory=list)
    bases: list[str] = field(default_factory=list)
    _servers: list[ThreadingHTTPServer] = field(default_factory=list)

    def start(self) -> None:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                hit = Hit(time.time(), self.path.split("?", 1)[0])  # when the request came
                server.hits.append(hit)  # list.append is atomic
                time.sleep(random.uniform(*server.latency))
                body = server.routes.get(hit.path)
                with suppress(ConnectionError):  # the client died meanwhile (SIGKILL)
                    if body is None:
                        self.send_error(404)
                        return
                    self.send_response(200)
                    self.send_header("Content-Type", "application/xml")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # the hits are the log
                pass

        for index in range(self.hosts):
            httpd = _Listener((f"127.0.0.{index + 1}", 0), Handler)
            threading.Thread(target=httpd.serve_forever, daemon=True).start()
            self._servers.append(httpd)
            self.bases.append(f"http://127.0.0.{index + 1}:{httpd.server_address[1]}")

    def stop(self) -> None:
        for httpd in self._servers:
            httpd.shutdown()
            httpd.server_close()

    def hits_between(self, start: float, end: float) -> list[Hit]:
        return [hit for hit in list(self.hits) if start <= hit.at <= end]


def make_sources(files: list[Path], count: int, bases: list[str]) -> dict[str, Path]:
    """URL of each source -> the feed it serves: source i is /s<i>/<feed> on host i mod hosts."""
    return {
        f"{bases[i % len(bases)]}/s{i}/{files[i % len(files)].name}": files[i % len(files)]
        for i in range(count)
    }


def path_of(url: str) -> str:
    return "/" + url.split("/", 3)[3]


# --- a database of its own for each run ---------------------------------------------------------


@contextmanager
def fresh_database(postgres_url: str) -> Iterator[str]:
    """A new database on the server (CREATE DATABASE), migrated; dropped afterwards. Yields its
    URL. A database rather than a schema: `claimwatch` processes take only a URL."""
    from sqlalchemy import text
    from sqlalchemy.engine import make_url
    from sqlalchemy.ext.asyncio import create_async_engine

    name = f"claimwatch_scaleout_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    url = make_url(postgres_url).set(database=name).render_as_string(hide_password=False)

    async def admin(statement: str) -> None:
        engine = create_async_engine(postgres_url, isolation_level="AUTOCOMMIT")
        try:
            async with engine.connect() as connection:
                await connection.execute(text(statement))
        finally:
            await engine.dispose()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        yield url
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


async def add_sources(url: str, sources: dict[str, Path], interval: timedelta) -> None:
    from storage.db import Database
    from storage.records import NewSource

    database = await Database.open(url)
    try:
        await database.upgrade()
        async with database.transaction() as tx:
            news = [NewSource(u, interval=interval) for u in sources]
            await tx.sources.ensure_many(news, datetime.now(UTC))
    finally:
        await database.close()


async def query(url: str, statement: str) -> list[Any]:
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            return list((await connection.execute(text(statement))).all())
    finally:
        await engine.dispose()


# --- the claimwatch processes -------------------------------------------------------------------


@dataclass
class Process:
    role: str  # "run" or "worker N"
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def lease_owner(self) -> str:
        return f"{socket.gethostname()}:{self.popen.pid}"  # bot.app.services._worker_name

    def polled(self) -> int:
        """Sources its log says it polled (one line per poll)."""
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return sum(int(n) for n in re.findall(r"polled (\d+) sources", text))

    def errors(self) -> list[str]:
        text = self.log.read_text(encoding="utf-8", errors="replace")
        return [line for line in text.splitlines() if "Traceback" in line or " ERROR " in line]


def claimwatch_command() -> list[str]:
    beside = Path(sys.executable).parent / "claimwatch"
    found = str(beside) if beside.exists() else shutil.which("claimwatch")
    if found is None:
        sys.exit("no `claimwatch` command: run `make .venv/.installed-test` first")
    return [found]


def start(role: str, database_url: str, folder: Path, lease: timedelta | None) -> Process:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("CLAIMWATCH_", "TELEGRAM_"))}
    env.update(
        CLAIMWATCH_DATABASE_URL=database_url,
        CLAIMWATCH_ALLOW_PRIVATE_NETWORKS="true",
        CLAIMWATCH_WATCHLIST=str(ROOT / "config" / "watchlist.toml"),
        CLAIMWATCH_SOURCES=str(folder / "sources.toml"),  # empty: the sources are in the database
        CLAIMWATCH_LOG_LEVEL="INFO",
    )
    if lease is not None:
        env["CLAIMWATCH_SOURCE_LEASE"] = f"{int(lease.total_seconds() // 60)}m"
    log = folder / f"{role.replace(' ', '-')}.log"
    args = [*claimwatch_command(), "run", *(["--fetch-only"] if role != "run" else [])]
    with log.open("wb") as out:
        popen = subprocess.Popen(
            args, cwd=folder, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=out
        )
    return Process(role, popen, log)


def stop(processes: list[Process]) -> None:
    """SIGTERM, then wait (a poll in flight finishes within 10 s); SIGKILL after 40 s."""
    for process in processes:
        if process.popen.poll() is None:
            process.popen.send_signal(signal.SIGTERM)
    for process in processes:
        try:
            process.popen.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.popen.kill()
            process.popen.wait()


# --- checks ---------------------------------------------------------------------------------


def fetch_times(hits: list[Hit]) -> dict[str, list[float]]:
    times: defaultdict[str, list[float]] = defaultdict(list)
    for hit in hits:
        times[hit.path].append(hit.at)
    return {path: sorted(at) for path, at in times.items()}


def too_soon(times: dict[str, list[float]], interval: float, ignore: set[str]) -> list[str]:
    """Paths fetched twice less than ``interval`` apart (``ignore``: killed mid-fetch)."""
    return [
        path
        for path, at in times.items()
        if path not in ignore
        and any(later - earlier < interval - TOLERANCE for earlier, later in itertools.pairwise(at))
    ]


async def database_checks(url: str, sources: dict[str, Path], end: datetime) -> dict[str, Any]:
    duplicates = await query(
        url,
        "SELECT count(*) FROM (SELECT source_id, guid FROM items GROUP BY source_id, guid"
        " HAVING count(*) > 1) AS twice",
    )
    hashes = await query(
        url,
        "SELECT count(*) FROM (SELECT source_id, content_hash FROM items"
        " GROUP BY source_id, content_hash HAVING count(*) > 1) AS twice",
    )
    rows = await query(
        url,
        "SELECT s.url, s.next_check_at, s.last_success_at, s.error_count, s.lease_owner,"
        " (SELECT count(*) FROM items i WHERE i.source_id = s.id) FROM sources s",
    )
    counts_by_feed: defaultdict[str, set[int]] = defaultdict(set)
    items_by_url: dict[str, int] = {}
    overdue = failing = leased = 0
    latest_due = end
    for source_url, next_check, last_success, errors, owner, items in rows:
        items_by_url[source_url] = items
        if last_success is not None:
            counts_by_feed[sources[source_url].name].add(items)
        if next_check < end - timedelta(seconds=TICK + 15):  # due before the last tick, not taken
            overdue += 1
            latest_due = min(latest_due, next_check)
        failing += errors > 0
        leased += owner is not None
    return {
        "duplicate_guids": duplicates[0][0],
        "same_hash_twice": hashes[0][0],
        "feeds_with_differing_counts": sum(len(c) > 1 for c in counts_by_feed.values()),
        "overdue": overdue,
        "oldest_overdue_s": (end - latest_due).total_seconds(),
        "failing": failing,
        "leases_left": leased,
        "items": sum(items_by_url.values()),
        "items_by_url": items_by_url,
        "expected_by_feed": {feed: max(c) for feed, c in counts_by_feed.items()},
    }


# --- the phases -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Plan:
    postgres_url: str
    count: int
    interval: timedelta
    duration: float
    latency: tuple[float, float]
    lease: timedelta


@contextmanager
def seeded_database(plan: Plan, sources: dict[str, Path]) -> Iterator[tuple[str, Path]]:
    """A fresh database holding ``sources``, and a folder for the processes' files."""
    with (
        fresh_database(plan.postgres_url) as url,
        tempfile.TemporaryDirectory(prefix="claimwatch-scaleout-") as temp,
    ):
        folder = Path(temp)
        (folder / "sources.toml").write_text("# the sources are in the database\n")
        asyncio.run(add_sources(url, sources, plan.interval))
        yield url, folder


def run_configuration(plan: Plan, server: FeedServer, files: list[Path], workers: int) -> dict:
    sources = make_sources(files, plan.count, server.bases)
    with seeded_database(plan, sources) as (url, folder):
        began = time.time()
        processes = [start("run", url, folder, None)]
        processes += [start(f"worker {n + 1}", url, folder, None) for n in range(workers)]
        time.sleep(plan.duration)
        ended = time.time()
        stop(processes)
        checks = asyncio.run(database_checks(url, sources, datetime.fromtimestamp(ended, UTC)))
        errors = [line for p in processes for line in p.errors()]
        polled = {p.role: p.polled() for p in processes}
    hits = server.hits_between(began, ended + 60)
    mine = {path_of(u) for u in sources}
    hits = [hit for hit in hits if hit.path in mine]
    during = [hit for hit in hits if hit.at <= ended]
    times = fetch_times(hits)
    first = min((hit.at for hit in hits), default=ended)
    return {
        "workers": workers,
        "processes": workers + 1,
        "fetched": len(during),
        "per_minute": len(during) / (plan.duration / 60),
        "first_fetch_s": first - began,
        "distinct": len(times),
        "too_soon": too_soon(times, plan.interval.total_seconds(), set()),
        "polled": polled,
        "errors": errors[:5],
        **checks,
    }


def run_lease_phase(plan: Plan, server: FeedServer, files: list[Path]) -> dict[str, Any]:
    """Main + 2 workers; SIGKILL worker 1 while it holds the leases of a poll in flight."""
    sources = make_sources(files, plan.count, server.bases)
    lease_s = plan.lease.total_seconds()
    with seeded_database(plan, sources) as (url, folder):
        began = time.time()
        processes = [
            start(role, url, folder, plan.lease) for role in ("run", "worker 1", "worker 2")
        ]
        victim = processes[1]
        time.sleep(TICK + 5)  # a first poll done by everyone: the next is a steady-state one
        held, orphans = asyncio.run(kill_mid_poll(url, victim, deadline=time.time() + 4 * TICK))
        killed_at = time.time()
        lease_until = max((until.timestamp() for _url, until in orphans), default=killed_at)
        time.sleep(max(0.0, lease_until - time.time()) + TICK + 20)
        ended = time.time()
        stop([processes[0], processes[2]])
        checks = asyncio.run(database_checks(url, sources, datetime.fromtimestamp(ended, UTC)))
    orphan_paths = {path_of(u) for u, _until in orphans}
    hits = server.hits_between(began, ended + 60)
    times = fetch_times(hits)
    taken_over: list[float] = []  # seconds after the lease ended at which another fetched it
    early = missing = lost = 0
    for orphan_url, until in orphans:
        after = [at for at in times.get(path_of(orphan_url), []) if at > killed_at]
        if not after:
            missing += 1
            continue
        taken_over.append(after[0] - until.timestamp())
        early += after[0] < until.timestamp() - TOLERANCE
        feed = sources[orphan_url].name
        lost += checks["items_by_url"][orphan_url] < checks["expected_by_feed"].get(feed, 0)
    return {
        "held_at_start": held,
        "fetched_unstored": sum(  # requested by the dead worker before it died, lost with it
            any(until.timestamp() - lease_s <= at <= killed_at for at in times.get(path_of(u), []))
            for u, until in orphans
        ),
        "orphans": len(orphans),
        "lease_s": lease_s,
        "taken_over": taken_over,
        "early": early,
        "missing": missing,
        "lost": lost,
        "too_soon": too_soon(times, plan.interval.total_seconds(), orphan_paths),
        **checks,
    }


async def kill_mid_poll(
    url: str, victim: Process, deadline: float
) -> tuple[int, list[tuple[str, datetime]]]:
    """SIGKILL ``victim`` once a poll of its own has stored some of its sources but not most:
    how many it leased, and the sources it still held when it died (with their lease's end)."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    held = text("SELECT url, lease_until FROM sources WHERE lease_owner = :owner")
    engine = create_async_engine(url)
    try:
        async with engine.connect() as connection:
            leased = 0
            while time.time() < deadline:
                rows = list(await connection.execute(held, {"owner": victim.lease_owner}))
                await connection.commit()  # a fresh snapshot each time
                leased = max(leased, len(rows)) if rows else 0  # 0: between two polls
                if rows and len(rows) <= 0.8 * leased:
                    victim.popen.send_signal(signal.SIGKILL)
                    victim.popen.wait()
                    rows = list(await connection.execute(held, {"owner": victim.lease_owner}))
                    return leased, [(row[0], row[1]) for row in rows]
                await asyncio.sleep(0.05)
    finally:
        await engine.dispose()
    sys.exit(f"no poll of {victim.lease_owner} was caught in the middle")


# --- the report -------------------------------------------------------------------------------

LEGEND = (
    "\nfetched: requests answered during the run; per min: fetched / duration; distinct: sources"
    " fetched at least once; 1st s: first request after the start; twice: sources fetched twice"
    " within their interval; dup: (source, guid) stored twice; count: feeds whose sources hold"
    " differing item counts; overdue: sources due before the last tick and not fetched at the"
    " end, the oldest due for `oldest s`; leases: left after SIGTERM; fail: sources with a failed"
    " fetch"
)


def print_configuration(result: dict[str, Any]) -> None:
    checks = (
        f"{len(result['too_soon']):>5} {result['duplicate_guids']:>4}"
        f" {result['feeds_with_differing_counts']:>5} {result['overdue']:>7}"
        f" {result['oldest_overdue_s']:>8.0f} {result['leases_left']:>6} {result['failing']:>4}"
    )
    print(
        f"{result['processes']:>5} {result['workers']:>7} {result['fetched']:>7}"
        f" {result['per_minute']:>7.0f} {result['distinct']:>8} {result['items']:>7}"
        f" {result['first_fetch_s']:>6.1f} {checks}",
        flush=True,
    )
    polled = ", ".join(f"{role} {n}" for role, n in result["polled"].items())
    print(f"      polled by process (their logs): {polled}")
    for line in result["errors"]:
        print(f"      log: {line[:160]}")


def print_lease_phase(result: dict[str, Any]) -> None:
    taken = result["taken_over"]
    spread = f"{min(taken):.1f} to {max(taken):.1f} s" if taken else "none"
    print(
        f"\nlease phase (main + 2 workers, CLAIMWATCH_SOURCE_LEASE={result['lease_s'] / 60:.0f}m):"
        f" worker 1 leased {result['held_at_start']} sources in a poll; SIGKILL left"
        f" {result['orphans']} leased, {result['fetched_unstored']} of them requested by it"
        " but not stored.\n"
        f"  fetched by another process after the lease ended: {len(taken)} of"
        f" {result['orphans']}, {spread} after it (a tick is {TICK:.0f} s); before it ended:"
        f" {result['early']}; never: {result['missing']}\n"
        f"  their items lost: {result['lost']} sources; item guids stored twice:"
        f" {result['duplicate_guids']}; feeds with differing item counts:"
        f" {result['feeds_with_differing_counts']}; other sources fetched within their interval:"
        f" {len(result['too_soon'])}; leases left: {result['leases_left']}"
    )


def parse_latency(text: str) -> tuple[float, float]:
    low, _, high = text.partition("-")
    return float(low) / 1000, float(high or low) / 1000


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--postgres-url",
        default=DEFAULT_POSTGRES,
        metavar="URL",
        help=f"the server (a database is created per run; default {DEFAULT_POSTGRES})",
    )
    parser.add_argument("--sources", type=int, default=3000, help="sources (default 3000)")
    parser.add_argument(
        "--interval",
        type=int,
        default=1,
        metavar="MIN",
        help="each source's interval in minutes (default 1, the minimum)",
    )
    parser.add_argument(
        "--duration",
        type=float,
        default=180,
        metavar="S",
        help="seconds each configuration runs (default 180)",
    )
    parser.add_argument(
        "--latency",
        default="50-200",
        metavar="MS-MS",
        help="delay of each response, uniform in this range (default 50-200 ms)",
    )
    parser.add_argument(
        "--hosts",
        type=int,
        default=50,
        help="loopback addresses the sources are spread over (default 50)",
    )
    parser.add_argument(
        "--workers",
        default="0,1,2",
        help="fetch-only workers beside the main run, per configuration",
    )
    parser.add_argument(
        "--lease",
        type=int,
        default=1,
        metavar="MIN",
        help="CLAIMWATCH_SOURCE_LEASE in the lease phase (default 1)",
    )
    parser.add_argument("--no-kill", action="store_true", help="skip the lease phase")
    # --workers '' runs the lease phase alone
    parser.add_argument("--quick", action="store_true", help="600 sources, 70 s per configuration")
    args = parser.parse_args()
    if args.quick:
        args.sources, args.duration = min(args.sources, 600), min(args.duration, 70)
    files = [path for path in feed_files() if path.stat().st_size < SMALL_FEED]
    plan = Plan(
        postgres_url=args.postgres_url,
        count=args.sources,
        interval=timedelta(minutes=args.interval),
        duration=args.duration,
        latency=parse_latency(args.latency),
        lease=timedelta(minutes=args.lease),
    )
    routes = {
        f"/s{i}/{files[i % len(files)].name}": files[i % len(files)].read_bytes()
        for i in range(plan.count)
    }
    server = FeedServer(routes, plan.latency, args.hosts)
    server.start()
    size = sum(path.stat().st_size for path in files) / len(files)
    print(
        f"{plan.count} sources ({len(files)} real feeds under {SMALL_FEED // 1000} KB,"
        f" {size / 1000:.0f} KB on average) on {args.hosts} loopback hosts,"
        f" {args.latency} ms a response;"
        f" interval {args.interval} min; {plan.duration:.0f} s per configuration;"
        f" {os.cpu_count()} CPUs, shared; PostgreSQL"
    )
    header = (
        f"{'procs':>5} {'workers':>7} {'fetched':>7} {'per min':>7} {'distinct':>8} {'items':>7}"
        f" {'1st s':>6} {'twice':>5} {'dup':>4} {'count':>5} {'overdue':>7} {'oldest s':>8}"
        f" {'leases':>6} {'fail':>4}"
    )
    configurations = [int(n) for n in args.workers.split(",") if n.strip()]
    try:
        if configurations:
            print(f"\n{header}\n{'-' * len(header)}", flush=True)
        for workers in configurations:
            print_configuration(run_configuration(plan, server, files, workers))
        if configurations:
            print(LEGEND)
        if not args.no_kill:
            print_lease_phase(run_lease_phase(plan, server, files))
    finally:
        server.stop()


if __name__ == "__main__":
    with suppress(KeyboardInterrupt):
        main()
