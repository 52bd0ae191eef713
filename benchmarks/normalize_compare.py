"""The normalize stage's output over the saved corpora, to compare two versions of the code.

``dump OUT.jsonl`` writes one JSON line per item that ``parse_feed`` (the 200 real feeds and the
small awkward ones beside them) or ``parse_channel_page`` (the saved Telegram previews) gives,
with every field of the item; ``compare BEFORE.jsonl AFTER.jsonl`` says which items and fields
differ, and how (whitespace only, or text lost or gained), with a few examples of each.

Dump with the old code (a checkout of the old commit), dump with the new one, compare:

    .venv/bin/python benchmarks/normalize_compare.py dump /tmp/before.jsonl
    .venv/bin/python benchmarks/normalize_compare.py compare /tmp/before.jsonl /tmp/after.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
CORPORA = ROOT.parent / "shared" / "corpora"
FETCHED_AT = datetime(2026, 1, 1, tzinfo=UTC)  # fixed: plausible dates must not move
FIELDS = ("url", "title", "text", "published_at", "lang", "content_hash", "author")


def corpus_files() -> list[tuple[str, Path]]:
    feeds = sorted((CORPORA / "real-feeds" / "sites").glob("*"))
    feeds += sorted((CORPORA / "real-feeds" / "miniflux").glob("*"))
    pages = sorted((CORPORA / "telegram-preview").glob("*.html"))
    return [("feed", path) for path in feeds if path.name not in ("INDEX.tsv", "LICENSE")] + [
        ("telegram", path) for path in pages
    ]


def dump(out: Path) -> None:
    from bot.errors import ParseError
    from bot.normalize import ParsedFeed, parse_channel_page, parse_feed

    with out.open("w", encoding="utf-8") as sink:
        for kind, path in corpus_files():
            body = path.read_bytes()
            try:
                if kind == "feed":
                    parsed = parse_feed(
                        body, url=f"https://example.org/{path.name}", fetched_at=FETCHED_AT
                    )
                    items = parsed.items if isinstance(parsed, ParsedFeed) else ()
                else:
                    page = parse_channel_page(
                        body, channel=path.stem.removeprefix("tme_s_"),
                        base_url=f"https://t.me/s/{path.stem}", fetched_at=FETCHED_AT,
                    )  # fmt: skip
                    items = tuple(post.item for post in page.posts)
            except ParseError as exc:
                sink.write(json.dumps({"file": path.name, "error": exc.reason}) + "\n")
                continue
            for item in items:
                record = {key: value for key, value in asdict(item).items() if key != "guid"}
                record = {
                    key: str(value) if value is not None else None for key, value in record.items()
                }
                sink.write(json.dumps({"file": path.name, "guid": item.guid, **record}) + "\n")


def load(path: Path) -> dict[tuple[str, str], dict[str, Any]]:
    records = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        records[(record["file"], record.get("guid") or "error")] = record
    return records


def how(before: str | None, after: str | None) -> str:
    """What differs: only whitespace, only where words break, or characters lost and gained."""
    old, new = (before or "").split(), (after or "").split()
    if old == new:
        return "whitespace"
    if "".join(old) == "".join(new):
        return "word breaks (same characters)"
    lost = Counter("".join(old)) - Counter("".join(new))
    gained = Counter("".join(new)) - Counter("".join(old))
    return f"characters lost {sum(lost.values())}, gained {sum(gained.values())}"


def compare(before_path: Path, after_path: Path, examples: int) -> None:
    before, after = load(before_path), load(after_path)
    print(f"{len(before)} items before, {len(after)} after")
    for key in sorted(before.keys() - after.keys())[:examples]:
        print(f"  only before: {key}")
    for key in sorted(after.keys() - before.keys())[:examples]:
        print(f"  only after: {key}")
    kinds: Counter[tuple[str, str]] = Counter()
    shown: Counter[tuple[str, str]] = Counter()
    for key in sorted(before.keys() & after.keys()):
        old, new = before[key], after[key]
        for field in (*FIELDS, "error"):
            if old.get(field) == new.get(field):
                continue
            kind = how(old.get(field), new.get(field)) if field in ("text", "title") else "differs"
            kind = kind if not kind.startswith("characters") else "characters"
            kinds[(field, kind)] += 1
            if shown[(field, kind)] < examples:
                shown[(field, kind)] += 1
                print(
                    f"\n--- {key[0]} {key[1][:80]}: {field}, {how(old.get(field), new.get(field))}"
                )
                print(f"  before: {str(old.get(field))[:600]!r}")
                print(f"  after:  {str(new.get(field))[:600]!r}")
    same = sum(
        1
        for key in before.keys() & after.keys()
        if all(before[key].get(f) == after[key].get(f) for f in FIELDS)
    )
    print(f"\n{same} of {len(before.keys() & after.keys())} common items identical in every field")
    for (field, kind), count in sorted(kinds.items()):
        print(f"  {field:<14} {kind:<32} {count}")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("dump").add_argument("out", type=Path)
    compare_parser = commands.add_parser("compare")
    compare_parser.add_argument("before", type=Path)
    compare_parser.add_argument("after", type=Path)
    compare_parser.add_argument("--examples", type=int, default=3)
    args = parser.parse_args()
    if args.command == "dump":
        dump(args.out)
    else:
        compare(args.before, args.after, args.examples)


if __name__ == "__main__":
    main()
