"""The `claimwatch` command line: one module per command family, registered here.

Exit status: 0 done; 1 the command ran but what it was asked to do failed (a source that could
not be fetched, an id that does not exist); 2 bad usage or configuration (nothing was changed).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from bot.cli import analyze, check, claims, db, digest, fetch, items, run, sources
from bot.cli.context import EXIT_USAGE, Handler, print_problems
from bot.errors import ConfigError
from storage.errors import StorageError

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="claimwatch",
        description="Watch feeds and Telegram channels, keep a ledger of claims and flag the "
        "reports that contradict it.",
        epilog="Settings come from the environment and a .env file; `claimwatch check` shows "
        "them. `claimwatch COMMAND --help` explains each command.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for family in (run, check, db, sources, fetch, items, claims, digest, analyze):
        family.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    handler: Handler = args.handler
    try:
        return handler(args)
    except ConfigError as exc:
        print_problems(exc.problems)
        return EXIT_USAGE
    except StorageError as exc:
        print(f"claimwatch: database: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
