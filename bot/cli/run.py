"""`claimwatch run`: migrate, then run the scheduler (and the chat) until Ctrl-C or SIGTERM."""

from __future__ import annotations

import argparse
import asyncio

from bot.cli.context import Commands, ensure_data_directory, settings_with_logging


def register(commands: Commands) -> None:
    run = commands.add_parser(
        "run",
        help="apply migrations, then run the bot and its scheduler until stopped",
        description="Apply database migrations, add the watchlist's topics and claims and the "
        "sources file's sources, then run the Telegram bot (the terminal chat without a token) "
        "and the scheduled jobs until Ctrl-C or SIGTERM.",
    )
    run.add_argument(
        "--fetch-only",
        action="store_true",
        help="a worker that only fetches and analyses sources (no chat, no delivery): run any "
        "number of them beside one full `run` on a shared PostgreSQL database to scale out",
    )
    run.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    from bot.app.runner import run_bot  # the scheduler and Telegram stack load only for `run`
    from bot.config.files import load_sources_file, load_watchlist
    from storage.runner_lock import runner_lock

    settings = settings_with_logging(one_shot=False)
    watchlist = load_watchlist(settings.watchlist_path)
    sources = load_sources_file(settings.sources_path)
    ensure_data_directory(settings)  # only once the files are known to be good
    with runner_lock(settings.sqlite_path):  # one runner per SQLite file; any number on PostgreSQL
        return asyncio.run(run_bot(settings, watchlist, sources, fetch_only=args.fetch_only))
