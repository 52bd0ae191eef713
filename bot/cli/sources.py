"""`claimwatch sources add|list|remove`: the feeds and channels to watch."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from typing import Any

from bot.cli.context import EXIT_FAILED, EXIT_OK, Commands, with_database
from bot.config_files import parse_interval
from bot.settings import Settings
from storage.db import Database
from storage.errors import DuplicateError
from storage.records import NewSource, SourceHealth


def register(commands: Commands) -> None:
    sources = commands.add_parser("sources", help="add, list and remove feeds and channels")
    actions = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)

    add = actions.add_parser("add", help="add a feed, a web page or a Telegram channel")
    add.add_argument("url", help="feed URL, web page URL, https://t.me/<channel> or @channel")
    add.add_argument("--name", help="display name (default: the feed's own title)")
    add.add_argument(
        "--interval", default="15m", type=_interval, help="how often to check: 15m, 1h... (15m)"
    )
    add.set_defaults(handler=add_command)

    listing = actions.add_parser("list", help="list sources with their health")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(handler=list_command)

    remove = actions.add_parser("remove", help="remove a source and its items")
    remove.add_argument("id", type=int, help="the source's id, from `claimwatch sources list`")
    remove.set_defaults(handler=remove_command)


def _interval(text: str) -> Any:
    try:
        return parse_interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_command(args: argparse.Namespace) -> int:
    async def add(settings: Settings, db: Database) -> int:
        source = NewSource(url=args.url.strip(), name=args.name, interval=args.interval)
        try:
            async with db.transaction() as tx:
                added = await tx.sources.add(source, datetime.now(UTC))
        except DuplicateError:
            print(f"claimwatch: {source.url} is already a source", file=sys.stderr)
            return EXIT_FAILED
        print(f"Added source {added.id}: {added.url} (checked every {_minutes(added)}).")
        return EXIT_OK

    return with_database(add)


def list_command(args: argparse.Namespace) -> int:
    async def show(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            rows = await tx.sources.list_health()
        if args.json:
            print(json.dumps([source_json(row) for row in rows], ensure_ascii=False, indent=2))
        elif not rows:
            print("No sources yet. Add one with `claimwatch sources add URL`.")
        else:
            print_table(rows)
        return EXIT_OK

    return with_database(show)


def remove_command(args: argparse.Namespace) -> int:
    async def remove(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            removed = await tx.sources.remove(args.id)
        if not removed:
            print(f"claimwatch: no source with id {args.id}", file=sys.stderr)
            return EXIT_FAILED
        print(f"Removed source {args.id} and its items.")
        return EXIT_OK

    return with_database(remove)


def _minutes(health_or_source: Any) -> str:
    return f"{int(health_or_source.interval.total_seconds() // 60)} min"


def _when(at: datetime | None) -> str | None:
    return at.isoformat() if at else None


def source_json(row: SourceHealth) -> dict[str, Any]:
    source = row.source
    return {
        "id": source.id,
        "name": source.display_name,
        "url": source.url,
        "kind": str(source.kind),
        "status": str(source.status),
        "interval_seconds": int(source.interval.total_seconds()),
        "error_count": source.error_count,
        "last_error": source.last_error,
        "last_success_at": _when(source.last_success_at),
        "next_check_at": _when(source.next_check_at),
        "items": row.items,
    }


def print_table(rows: list[SourceHealth]) -> None:
    print(f"{'ID':>4}  {'STATUS':<8} {'ITEMS':>6}  {'LAST SUCCESS':<16}  {'ERRORS':>6}  NAME / URL")
    for row in rows:
        source = row.source
        success = (
            source.last_success_at.strftime("%Y-%m-%d %H:%M") if source.last_success_at else "never"
        )
        print(
            f"{source.id:>4}  {source.status:<8} {row.items:>6}  {success:<16}  "
            f"{source.error_count:>6}  {source.display_name}"
        )
        if source.display_name != source.url:
            print(f"{'':>46}{source.url}")
        if source.last_error:
            print(f"{'':>46}last error: {source.last_error}")
