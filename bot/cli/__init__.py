"""The `claimwatch` command line: one module per command family, registered here.

Exit status: 0 done; 1 the command ran but what it was asked to do failed (a source that could
not be fetched, an id that does not exist); 2 bad usage or configuration (nothing was changed);
141 the reader of the output went away before the end (`claimwatch items | head`): the command
stops quietly with the status a Unix tool killed by SIGPIPE has (128 + 13), so a script can tell
a cut output from a whole one.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Sequence

from bot.cli import analyze, check, claims, db, digest, fetch, items, run, sources
from bot.cli.context import EXIT_USAGE, Handler, print_problems
from bot.errors import ConfigError
from bot.printable import echo, escape_controls
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


EXIT_BROKEN_PIPE = 128 + 13  # as a shell reports a process that SIGPIPE ended


def main(argv: Sequence[str] | None = None) -> int:
    try:
        args = build_parser().parse_args(argv)
        handler: Handler = args.handler
        status = handler(args)
        sys.stdout.flush()  # now, to catch a closed pipe here rather than at exit
        return status
    except BrokenPipeError:
        return _stop_writing()
    except ConfigError as exc:
        print_problems([escape_controls(problem) for problem in exc.problems])
        return EXIT_USAGE
    except StorageError as exc:
        echo(f"claimwatch: database: {exc}", err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130


def _stop_writing() -> int:
    """Nothing reads our output any more: stop, quietly, as Unix tools do."""
    # Python flushes stdout again at exit: into /dev/null, that flush cannot fail. (A stdout
    # that is no file, as in a test's capture, has nothing to flush at exit.)
    with contextlib.suppress(OSError, ValueError):
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_BROKEN_PIPE
