"""Throughput of the claims engine: items per second through the whole analysis.

Runs every combination of 10, 100 and 1,000 topics with 0, 1,000 and 100,000 claims on record
over texts drawn from the labelled dev set and from real feeds (both read from ../shared/ beside
the repository), and reports items/s on one core, the peak memory of building and running the
analyzer (tracemalloc, measured in a separate pass), and the cost relative to a baseline run in
the same process: one compiled regular expression alternating every alias, over the same texts.

    .venv/bin/python benchmarks/analysis_bench.py [--items N] [--feeds N] [--topics 10,100]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import time
import tracemalloc
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import feedparser

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bot.analysis import Analyzer, Ledger, LedgerEntry  # noqa: E402
from bot.config.files import TopicSpec, Watchlist, load_watchlist  # noqa: E402
from storage.records import Modifier, NewClaim, Polarity  # noqa: E402

SHARED = ROOT.parent / "shared"
DEV = SHARED / "eval" / "dev"
FEEDS = SHARED / "corpora" / "real-feeds" / "sites"
AT = datetime(2024, 10, 1, tzinfo=UTC)
MEASURES = ("troops", "killed", "wounded", "missiles", "drones", "people", "USD", "refugees")
_TAG = re.compile(r"<[^>]+>")


def load_texts(feed_files: int) -> list[str]:
    texts: list[str] = []
    if DEV.is_dir():
        for line in (DEV / "items.jsonl").read_text(encoding="utf-8").splitlines():
            if line.strip():
                texts.append(json.loads(line)["text"])
    if FEEDS.is_dir():
        files = sorted(p for p in FEEDS.iterdir() if p.name != "INDEX.tsv")[:feed_files]
        for path in files:
            parsed = feedparser.parse(path.read_bytes())
            for entry in parsed.entries:
                body = entry.get("content", [{}])[0].get("value") or entry.get("summary", "")
                text = _TAG.sub(" ", f"{entry.get('title', '')}. {body}").strip()
                if len(text) > 40:
                    texts.append(text)
    if not texts:
        sys.exit("no texts: ../shared/eval/dev and ../shared/corpora/real-feeds are both absent")
    return texts


def make_topics(count: int, texts: list[str], rng: random.Random) -> list[TopicSpec]:
    """The dev topic, then synthetic topics whose aliases are names of the texts: capitalized
    words found in 2 to 20 texts, alone or in pairs, so that topics match now and then, as
    real watchlist names do."""
    base = list(load_watchlist(DEV / "watchlist.toml").topics) if DEV.is_dir() else []
    frequency: Counter[str] = Counter()
    for text in texts:
        frequency.update(set(re.findall(r"(?<=[a-zа-яіїє,] )[A-ZА-ЯІЇЄ][^\W\d_]{3,}", text)))
    words = sorted(w for w, n in frequency.items() if 2 <= n <= 20)
    topics = base[:count]
    while len(topics) < count:
        aliases = tuple(
            " ".join(rng.sample(words, rng.choice((1, 2)))) for _ in range(rng.randint(3, 10))
        )
        topics.append(TopicSpec(f"topic {len(topics)}", aliases))
    return topics


def make_ledger(claims: int, topics: list[TopicSpec], rng: random.Random) -> Ledger:
    entries = []
    for n in range(claims):
        topic = rng.choice(topics).name
        value = float(rng.choice((1, 10, 100, 1000, 10000)) * rng.randint(1, 99))
        claim = NewClaim(
            topic,
            "synthetic",
            rng.choice(MEASURES),
            rng.choice(("", "deployed", "killed")),
            rng.choice((Modifier.EXACT, Modifier.APPROX, Modifier.MORE_THAN)),
            Polarity.ASSERTS,
            value,
            speaker=f"speaker {rng.randint(1, 500)}",
        )
        entries.append(LedgerEntry(f"seed#{n}", claim, AT - timedelta(minutes=n)))
    return Ledger(entries)


def run(analyzer: Analyzer, texts: list[str], items: int, offset: int = 0) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) to analyze ``items`` texts from ``offset``."""
    start, cpu = time.perf_counter(), time.process_time()
    for n in range(offset, offset + items):
        analysis = analyzer.analyze(texts[n % len(texts)], item_ref=f"i{n}", stated_at=AT)
        analyzer.put_on_record(analysis)  # as ingestion does once the item is stored
    return time.perf_counter() - start, time.process_time() - cpu


def best_run(analyzer: Analyzer, texts: list[str], items: int, repeats: int) -> tuple[float, float]:
    """The fastest of ``repeats`` runs, as timeit reports: on a shared machine the others are
    slowed by what else runs, not by the code. Each run reads texts of its own, so no run
    finds its words already in the matcher's memo."""
    runs = [run(analyzer, texts, items, offset=items * (r + 1)) for r in range(repeats)]
    return min(wall for wall, _ in runs), min(cpu for _, cpu in runs)


def baseline(topics: list[TopicSpec], texts: list[str], items: int) -> float:
    aliases = sorted({a for t in topics for a in (t.name, *t.aliases)}, key=len, reverse=True)
    pattern = re.compile("|".join(re.escape(a) for a in aliases), re.IGNORECASE)
    start = time.perf_counter()
    for n in range(items):
        for _ in pattern.finditer(texts[n % len(texts)]):
            pass
    return time.perf_counter() - start


def peak_memory(topics: list[TopicSpec], claims: int, texts: list[str], items: int) -> float:
    tracemalloc.start()
    analyzer = Analyzer(Watchlist(tuple(topics)), make_ledger(claims, topics, random.Random(1)))
    run(analyzer, texts, min(items, 200))
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--items", type=int, default=1000, help="items analyzed per configuration")
    parser.add_argument("--feeds", type=int, default=200, help="real feed files to draw texts from")
    parser.add_argument("--topics", default="10,100,1000", help="topic counts, comma-separated")
    parser.add_argument(
        "--claims", default="0,1000,100000", help="claims on record, comma-separated"
    )
    parser.add_argument("--no-memory", action="store_true", help="skip the tracemalloc pass")
    parser.add_argument(
        "--repeats", type=int, default=3, help="runs per configuration; the fastest is reported"
    )
    args = parser.parse_args()
    texts = load_texts(args.feeds)
    rng = random.Random(7)
    rng.shuffle(texts)
    chars = sum(len(t) for t in texts) / len(texts)
    print(f"{len(texts)} texts, {chars:,.0f} characters on average; {args.items} items a run")
    print(
        f"{'topics':>7} {'claims':>8} {'items/s':>9} {'cpu items/s':>12} {'baseline/s':>11} "
        f"{'cost x':>7} {'peak MiB':>9}"
    )
    for topic_count in (int(n) for n in args.topics.split(",")):
        topics = make_topics(topic_count, texts, random.Random(topic_count))
        base = baseline(topics, texts, args.items)
        for claim_count in (int(n) for n in args.claims.split(",")):
            ledger = make_ledger(claim_count, topics, random.Random(1))
            analyzer = Analyzer(Watchlist(tuple(topics)), ledger)
            run(analyzer, texts, min(50, args.items))  # warm the word memo, as a running bot has
            seconds, cpu = best_run(analyzer, texts, args.items, args.repeats)
            memory = 0.0 if args.no_memory else peak_memory(topics, claim_count, texts, args.items)
            print(
                f"{topic_count:>7} {claim_count:>8} {args.items / seconds:>9,.0f} "
                f"{args.items / cpu:>12,.0f} {args.items / base:>11,.0f} "
                f"{seconds / base:>7.1f} {memory:>9.1f}"
            )


if __name__ == "__main__":
    main()
