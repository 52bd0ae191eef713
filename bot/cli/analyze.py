"""`claimwatch analyze`: the claims engine offline, on a JSON Lines file of items."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from bot.cli.context import EXIT_OK, Commands
from bot.errors import ConfigError


def register(commands: Commands) -> None:
    analyze = commands.add_parser(
        "analyze",
        help="analyze items offline: topics, claims, conflicts (no database, network or token)",
        description="Read ITEMS (JSON Lines: id, source, url, published, optional title, text, "
        "optional lang), analyze them in file order after the watchlist's claims on record, "
        "and print one JSON object per item with its topics, claims and conflicts.",
    )
    analyze.add_argument("--watchlist", required=True, type=Path, help="watchlist TOML file")
    analyze.add_argument("items", type=Path, help="JSON Lines file of items")
    analyze.set_defaults(handler=analyze_command)


def analyze_command(args: argparse.Namespace) -> int:
    from bot.analysis.offline import analyze_records
    from bot.config.files import load_watchlist

    watchlist = load_watchlist(args.watchlist)
    for result in analyze_records(watchlist, read_items(args.items)):
        sys.stdout.write(json.dumps(result, ensure_ascii=False) + "\n")
    return EXIT_OK


def read_items(path: Path) -> list[dict[str, Any]]:
    """Every item of the file, or a ConfigError naming the line that is not an item."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError.in_file(path, f"cannot read: {exc}") from None
    items: list[dict[str, Any]] = []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item = json.loads(line)
        except json.JSONDecodeError as exc:
            raise ConfigError.in_file(path, f"not JSON: {exc.msg}", number) from None
        if not isinstance(item, dict) or not isinstance(item.get("id"), str | int):
            raise ConfigError.in_file(path, "each line must be an object with an 'id'", number)
        if not isinstance(item.get("text", ""), str):
            raise ConfigError.in_file(path, "'text' must be a string", number)
        items.append(item)
    return items
