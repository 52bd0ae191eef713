"""`claimwatch sources add|list|remove|resume`: the feeds and channels to watch."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.cli.context import EXIT_FAILED, EXIT_OK, Commands, with_database, with_services
from bot.errors import ConfigError, ParseError
from bot.printable import echo, escape_controls

if TYPE_CHECKING:
    from bot.app.services import Services
    from bot.ingest.retrieval import Failed, NotModified, Retrieved
    from bot.settings import Settings
    from storage.db import Database
    from storage.records import Source, SourceHealth


def register(commands: Commands) -> None:
    sources = commands.add_parser("sources", help="add, list, remove and resume feeds and channels")
    actions = sources.add_subparsers(dest="sources_command", metavar="ACTION", required=True)

    add = actions.add_parser(
        "add",
        help="add a feed, a web page or a Telegram channel (fetched once to check it)",
        description="Fetch URL once and say what it is (kind, title, items). A web page is "
        "searched for the feed it links to. When the fetch fails nothing is stored and the "
        "exit status is 1, unless --force stores the source with its failure recorded.",
    )
    add.add_argument("url", help="feed URL, web page URL, https://t.me/<channel> or @channel")
    add.add_argument("--name", help="display name (default: the feed's own title)")
    add.add_argument(
        "--interval", default="15m", type=_interval, help="how often to check: 15m, 1h... (15m)"
    )
    add.add_argument(
        "--force", action="store_true", help="store it even when the first fetch fails"
    )
    add.set_defaults(handler=add_command)

    listing = actions.add_parser("list", help="list sources with their health")
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.set_defaults(handler=list_command)

    opml_in = actions.add_parser("import", help="add every feed of an OPML file (no fetch)")
    opml_in.add_argument("file", type=Path, help="an OPML export of another reader")
    opml_in.set_defaults(handler=import_command)

    opml_out = actions.add_parser("export", help="write the sources as OPML 2.0")
    opml_out.add_argument("--output", "-o", type=Path, help="file to write (default: stdout)")
    opml_out.set_defaults(handler=export_command)

    remove = actions.add_parser("remove", help="remove a source and its items")
    remove.add_argument("id", type=int, help="the source's id, from `claimwatch sources list`")
    remove.set_defaults(handler=remove_command)

    resume = actions.add_parser(
        "resume",
        help="fetch a paused source again",
        description="A source is paused after 7 days of failures, or at once when its server "
        "answers 410 Gone. Resuming it makes it due at the next poll, its error count starting "
        "anew; it is paused again if it keeps failing.",
    )
    resume.add_argument("id", type=int, help="the source's id, from `claimwatch sources list`")
    resume.set_defaults(handler=resume_command)


def _interval(text: str) -> Any:
    from bot.config.files import parse_interval  # pydantic: only when `sources add` parses

    try:
        return parse_interval(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def add_command(args: argparse.Namespace) -> int:
    from bot.ingest.sources import SourceAdded, add_source

    async def add(services: Services) -> int:
        added = await add_source(
            services, args.url, now=_now(), name=args.name, interval=args.interval,
            force=args.force, on_fetch=lambda address: print(f"Fetching {address} ...", flush=True),
        )  # fmt: skip
        if isinstance(added, SourceAdded):
            print(describe_added(added.source, added.outcome))
            return EXIT_OK
        if added.duplicate:
            print(f"claimwatch: {added.address} is already a source", file=sys.stderr)
        else:
            print(
                f"claimwatch: cannot add {added.address}: {added.reason}\n"
                "Nothing was stored. Check the address, or add it anyway with --force "
                "(its failures are then recorded and it is retried with backoff).",
                file=sys.stderr,
            )
        return EXIT_FAILED

    return with_services(add)


def describe_added(source: Source, outcome: Retrieved | NotModified | Failed) -> str:
    from bot.ingest.retrieval import Failed, Retrieved
    from storage.records import SourceKind

    every = f"checked every {_minutes(source)}"
    if isinstance(outcome, Failed):
        return f"Added source {source.id}: {source.url} ({every}); its first fetch failed: " + (
            outcome.reason
        )
    if not isinstance(outcome, Retrieved):
        return f"Added source {source.id}: {source.url} ({every})."
    kind = "Telegram channel" if outcome.kind is SourceKind.TELEGRAM else f"{outcome.kind} feed"
    title = f" {outcome.title!r}" if outcome.title else ""
    count = len(outcome.items)
    lines = [
        f"Added source {source.id}: {kind}{title}, {count} item{'s' * (count != 1)} ({every}).",
        f"  address: {source.url}",
    ]
    if outcome.note:
        lines.append(f"  {outcome.note}")
    return "\n".join(lines)


def import_command(args: argparse.Namespace) -> int:
    from bot.config.opml import parse_opml
    from bot.ingest.retrieval import source_address
    from storage.records import NewSource

    try:
        document = args.file.read_bytes()
    except OSError as exc:
        raise ConfigError.in_file(args.file, f"cannot read: {exc.strerror}") from None
    try:
        found = parse_opml(document)
    except ParseError as exc:
        echo(f"claimwatch: {args.file}: {exc.reason}", err=True)
        return EXIT_FAILED

    async def store(settings: Settings, db: Database) -> int:
        news = [NewSource(url=source_address(feed.url), name=feed.title) for feed in found.feeds]
        async with db.transaction() as tx:
            added = await tx.sources.ensure_many(news, _now())
        known = len(found.feeds) - added
        echo(
            f"Imported {added} new source{'s' * (added != 1)} from {args.file}"
            f" ({known} already present). They are fetched at the next poll."
        )
        if found.problems:
            echo(f"{len(found.problems)} outline(s) could not be imported:")
            for problem in found.problems:
                echo(f"  {problem}")
        return EXIT_OK

    return with_database(store)


def export_command(args: argparse.Namespace) -> int:
    from bot.config.opml import render_opml

    async def export(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            rows = await tx.sources.list_health()
        document = render_opml([row.source for row in rows], title="claimwatch sources", now=_now())
        if args.output:
            args.output.write_text(document, encoding="utf-8")
            echo(f"Wrote {len(rows)} sources to {args.output}.", err=True)
        else:
            # the document as it is for a file or a pipe; made harmless for a terminal
            sys.stdout.write(escape_controls(document) if sys.stdout.isatty() else document)
        return EXIT_OK

    return with_database(export)


def list_command(args: argparse.Namespace) -> int:
    async def show(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            rows = await tx.sources.list_health()
        if args.json:
            echo(json.dumps([source_json(row) for row in rows], ensure_ascii=False, indent=2))
        elif not rows:
            echo("No sources yet. Add one with `claimwatch sources add URL`.")
        else:
            print_table(rows)
        return EXIT_OK

    return with_database(show)


def remove_command(args: argparse.Namespace) -> int:
    async def remove(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            removed = await tx.sources.remove(args.id)
        if not removed:
            echo(f"claimwatch: no source with id {args.id}", err=True)
            return EXIT_FAILED
        echo(f"Removed source {args.id} and its items.")
        return EXIT_OK

    return with_database(remove)


def resume_command(args: argparse.Namespace) -> int:
    from bot.ingest.sources import Resumption, resume_source

    async def resume(settings: Settings, db: Database) -> int:
        resumed = await resume_source(db, args.id, now=_now())
        if resumed is Resumption.NOT_FOUND:
            echo(f"claimwatch: no source with id {args.id}", err=True)
            return EXIT_FAILED
        if resumed is Resumption.NOT_PAUSED:
            echo(f"Source {args.id} is not paused: it is fetched already.")
        else:
            echo(f"Resumed source {args.id}: it is fetched at the next poll (`claimwatch fetch` "
                 "fetches it now), its error count starting anew.")  # fmt: skip
        return EXIT_OK

    return with_database(resume)


def _now() -> datetime:
    return datetime.now(UTC)


def _minutes(source: Source) -> str:
    return f"{int(source.interval.total_seconds() // 60)} min"


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
    from storage.records import SourceStatus

    header = f"{'ID':>4}  {'STATUS':<8} {'ITEMS':>6}  {'LAST SUCCESS':<16}  {'NEXT CHECK':<16}"
    echo(f"{header}  {'ERRORS':>6}  NAME / ADDRESS")
    indent = " " * (len(header) + 10)
    for row in rows:
        source = row.source
        next_check = "paused" if source.status == "paused" else _minute(source.next_check_at)
        echo(
            f"{source.id:>4}  {source.status:<8} {row.items:>6}  "
            f"{_minute(source.last_success_at):<16}  {next_check:<16}  "
            f"{source.error_count:>6}  {source.display_name}"
        )
        if source.display_name != source.url:
            echo(f"{indent}{source.url}")
        if source.last_error:
            echo(f"{indent}last error: {source.last_error}")
    if any(row.source.status is SourceStatus.PAUSED for row in rows):
        echo("Paused sources are not fetched: `claimwatch sources resume ID` resumes one.")


def _minute(at: datetime | None) -> str:
    return at.strftime("%Y-%m-%d %H:%M") if at else "never"
