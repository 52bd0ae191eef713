"""Throughput of ingestion: fetch + normalize + store, for real feeds served over loopback HTTP.

The 200 feeds saved in ../shared/corpora/real-feeds/sites/ (beside the repository; INDEX.tsv
lists them) are served on 127.0.0.1, once per source: 1,000 sources serve the corpus five times
under other URL paths. Each configuration runs in a fresh process on a fresh database (SQLite:
a file in a temporary folder; PostgreSQL: a schema of its own, dropped afterwards) and times one
``Ingestor.poll(every=True)`` over every source: the real client, ``parse_feed`` and one storage
transaction per source, 16 sources at a time (the per-host limit is raised to 16 too: every
source shares 127.0.0.1 here).

The baseline, measured in the same run in a process of its own: ``feedparser.parse`` on the same
bytes, from memory, file by file. Two columns: feedparser as most code calls it (defaults: HTML
sanitizing and relative-URI resolution on) and as claimwatch calls it (both off, on a stream).
A configuration's baseline time is the sum of its sources' baseline times; ``x`` columns are
ingestion wall time divided by that (the goal is at most 1.5x). Peak MiB is the process's
maximum resident set (getrusage), after the database, the client and the sources are set up.
The HTTP server runs in this parent process, so its work is not counted.

    .venv/bin/python benchmarks/ingest_bench.py                        # SQLite, 50/200/1000
    .venv/bin/python benchmarks/ingest_bench.py --postgres-url postgresql+asyncpg://postgres@127.0.0.1:5432/test
    .venv/bin/python benchmarks/ingest_bench.py --sources 200 --profile  # where the time goes

``--profile`` adds, for 200 sources on SQLite: the stages timed apart (fetch alone,
``parse_feed`` alone, the whole ingestion) and a cProfile of the ingestion grouped by package,
with the cumulative time of the normalize stage's main steps.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import io
import json
import os
import pstats
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import defaultdict
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.ingest.parsers import default_workers  # noqa: E402  (after the path is set)

FEEDS = ROOT.parent / "shared" / "corpora" / "real-feeds" / "sites"
CONCURRENCY = 16
DEFAULT_SOURCES = "50,200,1000"
MIB = 1024 * 1024


# --- the corpus and its server ----------------------------------------------------------------


def feed_files() -> list[Path]:
    """The saved feeds, in INDEX.tsv order."""
    index = FEEDS / "INDEX.tsv"
    if not index.is_file():
        sys.exit(f"no feeds: {FEEDS} (../shared/corpora/real-feeds/sites) is absent")
    names = [
        line.split("\t", 1)[0]
        for line in index.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    ]
    return [FEEDS / name for name in names if (FEEDS / name).is_file()]


def source_paths(files: list[Path], count: int) -> list[str]:
    """URL paths of ``count`` sources: the corpus repeated under /copy<k>/ as often as needed."""
    return [f"/copy{i // len(files)}/{files[i % len(files)].name}" for i in range(count)]


@contextmanager
def serving(files: list[Path], count: int) -> Iterator[str]:
    """Serve ``count`` sources on 127.0.0.1 from a thread of this process; yields the base URL."""
    from tests.httpserver import LoopbackServer, Reply

    bodies = {path.name: path.read_bytes() for path in files}
    ready = threading.Event()
    state: dict[str, Any] = {}

    async def serve() -> None:
        async with LoopbackServer() as server:
            for route in source_paths(files, count):
                body = bodies[route.rsplit("/", 1)[1]]
                server.route(route, Reply(body=body, chunk_size=256 * 1024))
            stop = asyncio.Event()
            state.update(url=server.base_url, loop=asyncio.get_running_loop(), stop=stop)
            ready.set()
            await stop.wait()

    thread = threading.Thread(target=asyncio.run, args=(serve(),), daemon=True)
    thread.start()
    ready.wait()
    try:
        yield str(state["url"])
    finally:
        state["loop"].call_soon_threadsafe(state["stop"].set)
        thread.join()


# --- measurements, each in a process of its own -----------------------------------------------


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / MIB  # Linux: KiB


def tree_mib() -> float:
    """Resident memory of this process and its children (the parser processes) now (Linux)."""
    pids = [os.getpid()]
    for task in Path("/proc/self/task").iterdir():
        try:
            pids += [int(pid) for pid in (task / "children").read_text().split()]
        except OSError:
            continue
    total = 0
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:  # ended meanwhile
            continue
        match = re.search(r"^VmRSS:\s+(\d+) kB", status, re.MULTILINE)
        total += int(match.group(1)) * 1024 if match else 0
    return total / MIB


@contextmanager
def sampling_tree_memory(every: float = 0.05) -> Iterator[list[float]]:
    """The largest ``tree_mib`` seen while the block runs, sampled from a thread."""
    peak = [0.0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(every):
            peak[0] = max(peak[0], tree_mib())

    if not Path("/proc/self/task").is_dir():
        yield peak
        return
    thread = threading.Thread(target=sample, daemon=True)
    thread.start()
    try:
        yield peak
    finally:
        stop.set()
        thread.join()
        peak[0] = max(peak[0], tree_mib())


def measure_baseline(spec: dict[str, Any]) -> dict[str, Any]:
    """Seconds per file of feedparser.parse, by default and as claimwatch calls it."""
    import feedparser

    files = [Path(name) for name in spec["files"]]
    bodies = [path.read_bytes() for path in files]
    before = peak_mib()
    default, project, entries = [], [], []
    for body in bodies:
        started = time.perf_counter()
        result = feedparser.parse(body)
        default.append(time.perf_counter() - started)
        started = time.perf_counter()
        feedparser.parse(io.BytesIO(body), sanitize_html=False, resolve_relative_uris=False)
        project.append(time.perf_counter() - started)
        entries.append(len(result.entries))
    return {
        "default": default,
        "project": project,
        "entries": entries,
        "bytes": [len(body) for body in bodies],
        "setup_mib": before,
        "peak_mib": peak_mib(),
    }


@asynccontextmanager
async def fresh_database(engine: str, postgres_url: str | None) -> AsyncIterator[Any]:
    """A migrated, empty database for one run; dropped afterwards."""
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    from storage.db import Database

    if engine == "sqlite":
        with tempfile.TemporaryDirectory(prefix="claimwatch-bench-") as folder:
            database = await Database.open(f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}")
            try:
                await database.upgrade()
                yield database
            finally:
                await database.close()
        return
    assert postgres_url is not None
    schema = f"claimwatch_bench_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(postgres_url)
    try:
        async with admin.begin() as connection:
            await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
        database = await Database.open(postgres_url, search_path=schema)
        try:
            await database.upgrade()
            yield database
        finally:
            await database.close()
    finally:
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA IF EXISTS "{schema}" CASCADE'))
        await admin.dispose()


async def measure_ingestion(spec: dict[str, Any]) -> dict[str, Any]:
    """One poll over ``spec["sources"]`` sources on a fresh database: time, items, memory."""
    from bot.fetch import FetchPolicy, make_client
    from bot.ingest.parsers import ParserPool
    from bot.ingest.poll import IngestLimits, Ingestor, PollReport, Result
    from bot.ingest.retrieval import PARSE_JOBS, Retriever
    from storage.records import NewSource

    files = [Path(name) for name in spec["files"]]
    urls = [spec["base_url"] + path for path in source_paths(files, spec["sources"])]
    policy = FetchPolicy()
    async with fresh_database(spec["engine"], spec.get("postgres_url")) as database:
        now = datetime.now(UTC)
        async with database.transaction() as tx:
            for url in urls:
                await tx.sources.add(NewSource(url), now)
        parsers = ParserPool(spec["parse_workers"], preload=PARSE_JOBS)
        async with make_client(policy, allow_private_networks=True) as client:
            retriever = Retriever(
                client=client,
                policy=policy,
                preview_base=spec["base_url"],
                parsers=parsers,
            )
            ingestor = Ingestor(
                db=database,
                retriever=retriever,
                clock=lambda: datetime.now(UTC),
                worker="bench",
                limits=IngestLimits(concurrency=spec["concurrency"], per_host=spec["concurrency"]),
            )
            started = time.perf_counter()
            await parsers.start()  # as in a running bot, where they outlive a poll
            start_s = time.perf_counter() - started
            setup_mib = peak_mib()
            profiler = cProfile.Profile() if spec.get("profile") else None
            started, cpu = time.perf_counter(), time.process_time()
            if profiler is not None:
                profiler.enable()
            report: PollReport | str
            with sampling_tree_memory() as tree_peak:
                try:
                    report = await ingestor.poll(every=True)
                except Exception as error:  # a poll must not raise: report it, keep benchmarking
                    report = describe_error(error)
                finally:
                    if profiler is not None:
                        profiler.disable()
                wall, cpu = time.perf_counter() - started, time.process_time() - cpu
                # the parser processes' CPU, counted once they have ended
                parsers.close()
            main_cpu = cpu
            cpu += children_cpu()
    result: dict[str, Any] = {
        "wall": wall, "cpu": cpu, "peak_mib": peak_mib(), "tree_mib": tree_peak[0],
        "start_s": start_s, "main_cpu": main_cpu,
    }  # fmt: skip
    if isinstance(report, str):
        result["error"] = report
    else:
        failures = [r.reason or "" for r in report.sources if r.result is Result.FAILED]
        result.update(
            items=report.new_items,
            empty=report.count(Result.UNCHANGED),
            failed=len(failures),
            failures=failures[:5],
            setup_mib=setup_mib,
        )
    if profiler is not None:
        result["profile"] = profile_summary(profiler)
        result["stages"] = await measure_stages(urls)
    return result


def children_cpu() -> float:
    """CPU seconds of this process's ended children (the parser processes)."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def describe_error(error: BaseException) -> str:
    """The error and the driver error under it (SQLite names its result code)."""
    text = f"{type(error).__name__}: {error}"
    cause = error.__cause__
    original = getattr(cause, "orig", None) or cause
    if original is not None:
        code = getattr(original, "sqlite_errorname", None)
        text += f" [from {type(original).__name__}{f' {code}' if code else ''}: {original}]"
    return text


async def measure_stages(urls: list[str]) -> dict[str, float]:
    """The stages apart, one after the other: every fetch (16 at a time), parse_feed on what
    came back, then storing the items on a fresh SQLite database, one transaction a source."""
    from bot.fetch import FetchPolicy, fetch, make_client
    from bot.normalize import ParsedFeed, parse_feed
    from storage.records import NewSource

    policy = FetchPolicy()
    gate = asyncio.Semaphore(CONCURRENCY)
    now = datetime.now(UTC)
    async with make_client(policy, allow_private_networks=True) as client:

        async def one(url: str) -> Any:
            async with gate:
                return await fetch(client, url, policy=policy, now=now)

        started = time.perf_counter()
        results = await asyncio.gather(*(one(url) for url in urls))
        fetching = time.perf_counter() - started
    started = time.perf_counter()
    parsed_feeds = []
    for result in results:
        headers = {"content-type": result.content_type} if result.content_type else {}
        parsed = parse_feed(
            result.body or b"", url=result.final_url, headers=headers, fetched_at=now
        )
        parsed_feeds.append(parsed.items if isinstance(parsed, ParsedFeed) else ())
    parsing = time.perf_counter() - started
    async with fresh_database("sqlite", None) as database:
        async with database.transaction() as tx:
            sources = [await tx.sources.add(NewSource(url), now) for url in urls]
        started = time.perf_counter()
        for source, items in zip(sources, parsed_feeds, strict=True):
            async with database.transaction() as tx:
                await tx.items.add_new(source.id, items, now)
                await tx.sources.record_success(
                    source.id, now, next_check_at=now, etag=None, last_modified=None
                )
        storing = time.perf_counter() - started
    return {
        "fetch": fetching,
        "parse_feed": parsing,
        "store": storing,
        "items": sum(len(items) for items in parsed_feeds),
    }


# Where a function's own time goes, by the file it is defined in (first match wins).
_GROUPS = [
    ("feedparser", re.compile(r"[/\\]feedparser[/\\]|sgmllib")),
    ("XML parser (expat, xml.sax)", re.compile(r"pyexpat|[/\\]xml[/\\]sax[/\\]|expatreader")),
    ("html.parser (stdlib)", re.compile(r"[/\\]html[/\\]parser\.py|_markupbase")),
    ("BeautifulSoup", re.compile(r"[/\\]bs4[/\\]")),
    ("claimwatch: language", re.compile(r"bot[/\\]normalize[/\\]language\.py")),
    ("claimwatch: text", re.compile(r"bot[/\\]normalize[/\\]text\.py")),
    ("claimwatch: other normalize", re.compile(r"bot[/\\]normalize[/\\]")),
    ("claimwatch: fetch", re.compile(r"bot[/\\]fetch[/\\]")),
    ("claimwatch: ingest, retrieval", re.compile(r"bot[/\\](ingest|retrieval|schedule)\.py")),
    ("claimwatch: storage", re.compile(r"[/\\]storage[/\\]")),
    ("SQLAlchemy", re.compile(r"[/\\]sqlalchemy[/\\]")),
    ("database drivers", re.compile(r"aiosqlite|asyncpg|sqlite3")),
    ("httpx, httpcore, h11", re.compile(r"[/\\](httpx|httpcore|h11|anyio|sniffio)[/\\]")),
    ("asyncio, selectors (incl. idle)", re.compile(r"asyncio|selectors|select\.epoll|epoll")),
    ("regular expressions", re.compile(r"[/\\]re[/\\]|_sre|'re\.|Pattern")),
    ("zlib", re.compile(r"zlib")),
]
# Cumulative time of the normalize stage's steps: (label, file suffix, function name).
_STEPS = [
    ("Ingestor.poll", "bot/ingest/poll.py", "poll"),
    ("parse_feed", "bot/normalize/feeds.py", "parse_feed"),
    ("  run_feedparser", "bot/normalize/syndication.py", "run_feedparser"),
    ("  to_parsed_feed", "bot/normalize/syndication.py", "to_parsed_feed"),
    ("    build_item", "bot/normalize/items.py", "build_item"),
    ("      html_to_text", "bot/normalize/text.py", "html_to_text"),
    ("      detect_language", "bot/normalize/language.py", "detect_language"),
    ("      canonicalize_url", "bot/normalize/urls.py", "canonicalize_url"),
    ("      item_guid", "bot/normalize/identity.py", "item_guid"),
    ("      content_hash", "bot/normalize/identity.py", "content_hash"),
    ("    fill_languages", "bot/normalize/items.py", "fill_languages"),
    ("fetch (client side)", "bot/fetch/http.py", "fetch"),
    ("  read_body", "bot/fetch/body.py", "read_body"),
    ("Ingestor._store (transaction)", "bot/ingest/poll.py", "_store"),
    ("  ItemRepository.add_new", "storage/repositories/items.py", "add_new"),
]


def _group(filename: str, name: str) -> str:
    where = f"{filename}:{name}"
    return next((label for label, pattern in _GROUPS if pattern.search(where)), "other")


def profile_summary(profiler: cProfile.Profile) -> dict[str, Any]:
    """Own time by package (a builtin's time goes to the package of its callers, pro rata),
    the cumulative time of the main steps, and the functions with the most own time."""
    stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
    groups: defaultdict[str, float] = defaultdict(float)
    functions: defaultdict[str, float] = defaultdict(float)
    steps: dict[str, float] = {}
    for (filename, line, name), (_cc, _nc, tottime, cumtime, callers) in stats.items():
        if filename == "~" and callers and not name.startswith("<method 'poll'"):
            spent = sum(caller[2] for caller in callers.values()) or 1.0
            for (caller_file, _line, caller_name), caller in callers.items():
                groups[_group(caller_file, caller_name)] += tottime * caller[2] / spent
        else:
            groups[_group(filename, name)] += tottime
        short = re.sub(r".*[/\\](site-packages|lib[/\\]python3\.\d+|main)[/\\]", "", filename)
        functions[f"{name} ({short}:{line})"] += tottime
        for label, suffix, function in _STEPS:
            if name == function and filename.replace("\\", "/").endswith(suffix):
                steps[label] = max(steps.get(label, 0.0), cumtime)
    top = sorted(functions.items(), key=lambda pair: -pair[1])[:15]
    return {"groups": dict(groups), "steps": steps, "top": top}


# --- the parent: run every configuration, print the table -------------------------------------


def run_child(spec: dict[str, Any]) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", json.dumps(spec)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        sys.exit(f"the {spec['task']} run failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def child(spec: dict[str, Any]) -> None:
    if spec["task"] == "baseline":
        result = measure_baseline(spec)
    else:
        result = asyncio.run(measure_ingestion(spec))
    print(json.dumps(result))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--sources",
        default=DEFAULT_SOURCES,
        help=f"source counts to run, comma-separated (default {DEFAULT_SOURCES})",
    )
    parser.add_argument(
        "--postgres-url",
        metavar="URL",
        help="also run on this PostgreSQL server (postgresql+asyncpg://USER@HOST:PORT/DB), in a"
        " schema created for the run and dropped after it",
    )
    parser.add_argument(
        "--no-sqlite", action="store_true", help="skip SQLite (with --postgres-url)"
    )
    parser.add_argument(
        "--profile",
        action="store_true",
        help="also time the stages apart and cProfile 200 sources on SQLite",
    )
    parser.add_argument(
        "--concurrency",
        type=int,
        default=CONCURRENCY,
        help=f"sources retrieved at once (default {CONCURRENCY}, the Ingestor's default)",
    )
    parser.add_argument(
        "--parse-workers",
        default="auto",
        help="parser processes (CLAIMWATCH_PARSE_WORKERS): auto = one per CPU (the default);"
        " 0 = parse on a thread of the ingesting process",
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(json.loads(args.child))
        return
    counts = [int(count) for count in args.sources.split(",") if count.strip()]
    workers = default_workers() if args.parse_workers == "auto" else int(args.parse_workers)
    engines = ([] if args.no_sqlite else ["sqlite"]) + (["postgresql"] if args.postgres_url else [])
    if not engines:
        sys.exit("nothing to run: --no-sqlite without --postgres-url")
    files = feed_files()
    names = [str(path) for path in files]
    size = sum(path.stat().st_size for path in files)
    python = sys.version.split()[0]
    print(
        f"{len(files)} feeds, {size / MIB:.1f} MiB; {os.cpu_count()} CPUs; Python {python};"
        f" {workers} parser processes"
    )

    baseline = run_child({"task": "baseline", "files": names})
    print(
        f"baseline, feedparser.parse over the {len(files)} feeds from memory:"
        f" {sum(baseline['default']):.2f} s with its defaults,"
        f" {sum(baseline['project']):.2f} s as claimwatch calls it"
        f" (no sanitizing, no URI resolution); peak {baseline['peak_mib']:.0f} MiB"
    )

    def baseline_for(count: int, key: str) -> float:
        per_file = baseline[key]
        return sum(per_file[i % len(files)] for i in range(count))

    header = (
        f"{'engine':<10} {'sources':>7} {'items':>7} {'fail':>4} {'wall s':>7} {'cpu s':>6}"
        f" {'feeds/s':>8} {'items/s':>8} {'base s':>7} {'x base':>6} {'x fp-cw':>7}"
        f" {'peak MiB':>8} {'+MiB':>5} {'all MiB':>7}"
    )
    print()
    print(header)
    print("-" * len(header))
    with serving(files, max([*counts, 200 if args.profile else 0])) as base_url:
        for engine in engines:
            for count in counts:
                spec = {
                    "task": "ingest", "engine": engine, "sources": count, "files": names,
                    "base_url": base_url, "postgres_url": args.postgres_url,
                    "concurrency": args.concurrency, "parse_workers": workers,
                }  # fmt: skip
                result = run_child(spec)
                if "error" in result:
                    print(
                        f"{engine:<10} {count:>7}  poll raised after {result['wall']:.1f} s:"
                        f" {result['error']}",
                        flush=True,
                    )
                    continue
                default, project = baseline_for(count, "default"), baseline_for(count, "project")
                print(
                    f"{engine:<10} {count:>7} {result['items']:>7} {result['failed']:>4}"
                    f" {result['wall']:>7.2f} {result['cpu']:>6.2f}"
                    f" {count / result['wall']:>8.1f} {result['items'] / result['wall']:>8.0f}"
                    f" {default:>7.2f} {result['wall'] / default:>6.2f}"
                    f" {result['wall'] / project:>7.2f} {result['peak_mib']:>8.0f}"
                    f" {result['peak_mib'] - result['setup_mib']:>5.0f}"
                    f" {result['tree_mib']:>7.0f}",
                    flush=True,
                )
                for reason in result["failures"]:
                    print(f"    failed: {reason}")
                if workers:
                    print(
                        f"    CPU: {result['main_cpu']:.2f} s in the ingesting process,"
                        f" {result['cpu'] - result['main_cpu']:.2f} s in the parser processes"
                        f" (started before the poll, in {result['start_s']:.2f} s)"
                    )
        print(
            "\nbase s: feedparser.parse (defaults) on the same bodies; x base: wall / base s;"
            " x fp-cw: wall / feedparser as claimwatch calls it. cpu s: the ingesting process"
            " and its parser processes. peak MiB: the ingesting process; +MiB: its growth during"
            " the poll; all MiB: the largest sum of the ingesting and the parser processes'"
            " resident memory seen during the poll (sampled every 50 ms)."
        )
        if args.profile:
            spec = {
                "task": "ingest", "engine": "sqlite", "sources": 200, "files": names,
                "base_url": base_url, "profile": True, "concurrency": args.concurrency,
                "parse_workers": workers,
            }  # fmt: skip
            print_profile(run_child(spec), baseline_for(200, "project"))


def print_profile(result: dict[str, Any], feedparser_seconds: float) -> None:
    stages = result["stages"]
    print(
        f"\nprofile, 200 sources on SQLite (under cProfile: {result['wall']:.2f} s wall,"
        f" {result['cpu']:.2f} s CPU)"
    )
    if "error" in result:
        print(f"  the poll raised: {result['error']}")
    print(
        f"  stages apart, without cProfile, one after the other: fetch {stages['fetch']:.2f} s"
        f" (16 at a time); parse_feed {stages['parse_feed']:.2f} s ({stages['items']} items), of"
        f" which feedparser (as claimwatch calls it) about {feedparser_seconds:.2f} s;"
        f" store {stages['store']:.2f} s (SQLite, one transaction a source, in sequence)"
    )
    profile = result["profile"]
    total = sum(profile["groups"].values())
    print(f"\n  own time by package ({total:.2f} s in all, main thread):")
    for label, seconds in sorted(profile["groups"].items(), key=lambda pair: -pair[1]):
        if seconds >= 0.005 * total:
            print(f"    {label:<36} {seconds:>7.2f} s {100 * seconds / total:>5.1f} %")
    print("\n  cumulative time of the main steps:")
    for label, _suffix, _name in _STEPS:
        if label in profile["steps"]:
            print(f"    {label:<36} {profile['steps'][label]:>7.2f} s")
    print("\n  functions with the most own time:")
    for name, seconds in profile["top"]:
        print(f"    {seconds:>7.2f} s  {name}")


if __name__ == "__main__":
    main()
