"""What every command shares: exit codes, settings and logging, a database session.

Every `claimwatch` process builds the whole parser, so the modules of `bot/cli/` import at
their top only what registering a command needs; settings, storage and the pipeline are
imported by the functions that use them, and `claimwatch --help` starts in a fraction of the
time the full stack takes to load.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Awaitable, Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.errors import ConfigError

if TYPE_CHECKING:
    from bot.app.services import Services
    from bot.settings import Settings
    from storage.db import Database

    DatabaseWork = Callable[[Settings, Database], Awaitable[int]]
    ServicesWork = Callable[[Services], Awaitable[int]]

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2

Handler = Callable[[argparse.Namespace], int]
Commands = Any  # argparse's private _SubParsersAction


def print_problems(problems: Sequence[str]) -> None:
    heading = "a configuration problem" if len(problems) == 1 else "configuration problems"
    print(f"claimwatch: {heading}:", file=sys.stderr)
    for problem in problems:
        print(f"  - {problem}", file=sys.stderr)


def settings_with_logging(*, one_shot: bool = True) -> Settings:
    """Load the settings and set up logging with the token masked (quiet for one-shot commands)."""
    from bot.logs import configure_logging
    from bot.settings import load_settings, reveal

    settings = load_settings()
    configure_logging(settings.log_level, [reveal(settings.telegram_bot_token)], one_shot=one_shot)
    return settings


def ensure_data_directory(settings: Settings) -> None:
    """Create the SQLite file's directory, or say plainly why it cannot be used."""
    path = settings.sqlite_path
    if path is None:
        return
    directory = path.parent.resolve()
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError([_unusable(directory, exc.strerror or str(exc))]) from None
    if not os.access(directory, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        raise ConfigError([_unusable(directory, "not writable by this user")])


def _unusable(directory: Path, why: str) -> str:
    return (
        f"CLAIMWATCH_DATABASE_URL: the data directory {directory} cannot be used: {why}; "
        "fix its permissions or point CLAIMWATCH_DATABASE_URL elsewhere"
    )


def with_database(work: DatabaseWork, *, migrate: bool = True) -> int:
    """Run ``work`` with an open database (migrated to the newest schema unless told not to)."""
    from bot.settings import reveal
    from storage.db import Database

    settings = settings_with_logging()
    ensure_data_directory(settings)

    async def session() -> int:
        db = await Database.open(reveal(settings.database_url))
        try:
            if migrate:
                await db.upgrade()
            return await work(settings, db)
        finally:
            await db.close()

    return asyncio.run(session())


def with_services(work: ServicesWork) -> int:
    """Run ``work`` with the database migrated and the fetch pipeline ready."""
    from bot.app.services import open_services
    from bot.config.files import load_sources_file, load_watchlist

    async def with_pipeline(settings: Settings, db: Database) -> int:
        watchlist = load_watchlist(settings.watchlist_path)
        sources = load_sources_file(settings.sources_path)
        async with open_services(settings, db, watchlist, sources) as services:
            return await work(services)

    return with_database(with_pipeline)
