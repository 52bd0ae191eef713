"""`claimwatch check`: validate everything the bot reads at start, and show it, creating nothing."""

from __future__ import annotations

import argparse
import asyncio
import os
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.context import EXIT_OK, EXIT_USAGE, Commands, print_problems
from bot.errors import ConfigError
from bot.printable import echo, escape_controls
from storage.errors import StorageError

if TYPE_CHECKING:
    from bot.config.files import SourceSpec, Watchlist
    from bot.settings import Settings


def register(commands: Commands) -> None:
    check = commands.add_parser(
        "check",
        help="validate settings, watchlist, sources and database; show the effective settings",
        description="Validate the settings, the watchlist and sources files and the database "
        "connection, and print the effective settings with secrets hidden. Changes nothing.",
    )
    check.set_defaults(handler=check_command)


def check_command(args: argparse.Namespace) -> int:
    from bot.config.files import load_sources_file, load_watchlist
    from bot.settings import load_settings

    settings = load_settings()
    shown = settings.redacted()
    echo("Effective settings (secrets hidden):")
    for name, value in shown.items():
        echo(f"  {name:<34} {value}")
    problems: list[str] = []
    try:
        watchlist = load_watchlist(settings.watchlist_path)
        echo(f"Watchlist {settings.watchlist_path}: {describe_watchlist(watchlist)}")
    except ConfigError as exc:
        problems.extend(exc.problems)
    try:
        sources = load_sources_file(settings.sources_path)
        echo(f"Sources {settings.sources_path}: {describe_sources(sources)}")
    except ConfigError as exc:
        problems.extend(exc.problems)
    try:
        echo(f"Database: {asyncio.run(describe_database(settings))}")
    except ConfigError as exc:
        problems.extend(exc.problems)
    if problems:
        print_problems([escape_controls(problem) for problem in problems])
        return EXIT_USAGE
    echo("All good.")
    return EXIT_OK


def describe_watchlist(watchlist: Watchlist) -> str:
    topics, claims = len(watchlist.topics), len(watchlist.claims)
    return f"{topics} topic{'s' * (topics != 1)}, {claims} claim{'s' * (claims != 1)} on record"


def describe_sources(sources: tuple[SourceSpec, ...]) -> str:
    return f"{len(sources)} source{'s' * (len(sources) != 1)}"


async def describe_database(settings: Settings) -> str:
    from bot.settings import reveal
    from storage.db import Database

    path = settings.sqlite_path
    if path is not None and not path.exists():
        _check_creatable(path)
        return f"SQLite file {path} does not exist yet; `claimwatch db upgrade` or `run` creates it"
    try:
        db = await Database.open(reveal(settings.database_url))
        try:
            await db.ping()
            revision = await db.current_revision()
        finally:
            await db.close()
    except StorageError as exc:
        raise ConfigError([f"CLAIMWATCH_DATABASE_URL: {exc}"]) from None
    state = f"schema at revision {revision}" if revision else "reachable, schema not created yet"
    return f"{settings.redacted()['CLAIMWATCH_DATABASE_URL']}: {state}"


def _check_creatable(path: Path) -> None:
    """The nearest existing ancestor of the file must be a writable directory."""
    ancestor = path.resolve().parent
    while not ancestor.exists():
        ancestor = ancestor.parent
    if not ancestor.is_dir() or not os.access(ancestor, os.W_OK):
        raise ConfigError(
            [f"CLAIMWATCH_DATABASE_URL: cannot create {path}: {ancestor} is not writable"]
        )
