"""`claimwatch items`: what has been fetched, newest first."""

from __future__ import annotations

import argparse
import json
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from bot.cli.context import EXIT_OK, Commands, with_database
from bot.printable import echo

if TYPE_CHECKING:
    from bot.settings import Settings
    from storage.db import Database
    from storage.records import Item


def register(commands: Commands) -> None:
    items = commands.add_parser(
        "items",
        help="list fetched items, newest first",
        description="List stored items, newest first by publication time.",
    )
    items.add_argument("--source", type=int, metavar="ID", help="only this source's items")
    items.add_argument("--since", type=parse_instant, metavar="ISO", help="published at or after")
    items.add_argument("--limit", type=_positive, default=50, metavar="N", help="at most N (50)")
    items.add_argument("--json", action="store_true", help="print one JSON array")
    items.set_defaults(handler=items_command)


def parse_instant(text: str) -> datetime:
    try:
        instant = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not an ISO date or time (2024-10-18 or 2024-10-18T12:00+03:00)"
        ) from None
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def _positive(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive whole number")
    return int(text)


def items_command(args: argparse.Namespace) -> int:
    async def show(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            items = await tx.items.list(source_id=args.source, since=args.since, limit=args.limit)
        if args.json:
            echo(json.dumps([item_json(item) for item in items], ensure_ascii=False, indent=2))
        elif not items:
            echo("No items yet. `claimwatch fetch --all` fetches every source now.")
        for item in [] if args.json else items:
            when = item.published_at.strftime("%Y-%m-%d %H:%M")
            title = item.title or item.text[:80].replace("\n", " ")
            echo(f"{item.id:>6}  {when}  [{item.source_id}] {title}")
            if item.url:
                echo(f"{'':>8}{item.url}")
        return EXIT_OK

    return with_database(show)


def item_json(item: Item) -> dict[str, Any]:
    return {
        "id": item.id,
        "source_id": item.source_id,
        "guid": item.guid,
        "url": item.url,
        "title": item.title,
        "text": item.text,
        "published_at": item.published_at.isoformat(),
        "first_seen_at": item.first_seen_at.isoformat(),
        "lang": item.lang,
        "author": item.author,
        "forwarded_from": item.forwarded_from,
        "edited_at": item.edited_at.isoformat() if item.edited_at else None,
    }
