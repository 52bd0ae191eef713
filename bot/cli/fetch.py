"""`claimwatch fetch [--all]`: poll the sources once, with progress and a summary."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING

from bot.cli.context import EXIT_OK, Commands, with_services
from bot.printable import escape_controls

if TYPE_CHECKING:
    from bot.app.services import Services
    from bot.ingest.poll import PollReport, SourceReport


def register(commands: Commands) -> None:
    fetch = commands.add_parser(
        "fetch",
        help="fetch the sources that are due, once, and say what came of it",
        description="Fetch every source that is due (or, with --all, every source that is not "
        "paused, ignoring backoff and server hints), store new items, and print one line per "
        "source and a summary. Each request sends the ETag and Last-Modified stored from the "
        "source's last fetch, so a feed unchanged since answers 304 (nothing new). Exits 0 "
        "when the run completed, even if sources failed.",
    )
    fetch.add_argument("--all", action="store_true", help="fetch every source that is not paused")
    fetch.set_defaults(handler=fetch_command)


def fetch_command(args: argparse.Namespace) -> int:
    from bot.ingest.poll import PollReport

    async def fetch(services: Services) -> int:
        services.ingestor.on_progress = print_progress
        print("Fetching every source..." if args.all else "Fetching due sources...", flush=True)
        report = await services.ingestor.poll(every=args.all)
        if args.all or not report.sources:
            print(summarize(report))
            return EXIT_OK
        total = list(report.sources)
        while report.sources:  # more than one batch was due
            report = await services.ingestor.poll()
            total.extend(report.sources)
        print(summarize(PollReport(tuple(total))))
        return EXIT_OK

    return with_services(fetch)


def print_progress(report: SourceReport) -> None:
    from bot.ingest.poll import Result

    marks = {Result.NEW: "+", Result.UNCHANGED: "=", Result.FAILED: "!", Result.POSTPONED: "~"}
    if report.result is Result.FAILED:
        detail = report.reason or "failed"
    elif report.result is Result.NEW:
        detail = f"{report.new_items} new" + (
            f", {report.edited_items} edited" if report.edited_items else ""
        )
    else:
        detail = "nothing new"
    if report.item_errors:
        detail += f", {len(report.item_errors)} items with errors ({report.item_errors[0]})"
    line = f"  {marks[report.result]} [{report.source_id}] {report.name}: {detail}"
    print(escape_controls(line), flush=True)  # a feed's title and error text are the feed's


def summarize(report: PollReport) -> str:
    from bot.ingest.poll import Result

    if not report.sources:
        return "No source is due. `claimwatch fetch --all` fetches every source now."
    if report.network_down:
        return (
            f"No source could be reached ({len(report.sources)} tried): the network looks down. "
            "Nothing was counted against the sources."
        )
    failed = [r for r in report.sources if r.result is Result.FAILED]
    lines = [
        f"{len(report.sources)} sources: {report.count(Result.NEW)} with news "
        f"({report.new_items} new items), {report.count(Result.UNCHANGED)} unchanged, "
        f"{len(failed)} failed."
    ]
    lines += [f"  failed [{r.source_id}] {r.name}: {r.reason}" for r in failed]
    if failed:
        print("Some sources failed; `claimwatch sources list` shows their health.", file=sys.stderr)
    return "\n".join(lines)
