"""`claimwatch claims [list|show ID|chart ID -o FILE.png] [--json]`: the ledger of claims, each
dispute once, and the chart of a dispute.

It asks the ledger what the chat's /claims asks (``bot.ledger.queries``), about every topic, and
shows a claim as the chat and the digest do (``bot.digest.claim_line``), in plain text; its JSON
is the analyze contract's claims and conflicts (``bot.analysis.offline``).
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from datetime import UTC
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.context import EXIT_FAILED, EXIT_OK, Commands, with_database
from bot.printable import echo

if TYPE_CHECKING:
    from bot.ledger.queries import ClaimDetails, ClaimList
    from bot.settings import Settings
    from storage.db import Database
    from storage.records import Claim, Conflict


def register(commands: Commands) -> None:
    claims = commands.add_parser(
        "claims",
        help="the ledger: claims on record and the conflicts between them",
        description="List the claims on record: each dispute (the claims on one quantity whose "
        "figures disagree) once with every figure, then the other claims topic by topic and "
        "quantity by quantity; show one claim with its dispute; or draw a dispute's chart.",
    )
    actions = claims.add_subparsers(dest="claims_command", metavar="ACTION")
    listing = actions.add_parser("list", help="every claim, grouped by topic and measure")
    listing.add_argument("--json", action="store_true",
                         help="print one JSON object: claims and conflicts")  # fmt: skip
    listing.add_argument("--limit", type=int, default=500,
                         help="the most recent claims, at most this many (500)")  # fmt: skip
    listing.set_defaults(handler=list_command)
    show = actions.add_parser("show", help="one claim and its conflicts")
    show.add_argument("id", type=int, help="the claim's id, from `claimwatch claims list`")
    show.add_argument(
        "--json", action="store_true", help="print one JSON object: it and what it conflicts with"
    )
    show.set_defaults(handler=show_command)
    chart = actions.add_parser("chart", help="draw the chart of a claim's dispute as a PNG")
    chart.add_argument("id", type=int, help="the id of any claim of the dispute")
    chart.add_argument("-o", "--output", required=True, metavar="FILE.png", type=Path,
                       help="where to write the picture")  # fmt: skip
    chart.set_defaults(handler=chart_command)
    claims.set_defaults(handler=list_command, json=False, limit=500)


def list_command(args: argparse.Namespace) -> int:
    from bot.ledger.queries import claims_page

    async def show(settings: Settings, db: Database) -> int:
        listing = await claims_page(db, None, 0, max(args.limit, 0), pool=max(args.limit, 0))
        if args.json:
            echo(as_json(listing.claims, listing.conflicts))
            return EXIT_OK
        print_listing(listing)
        return EXIT_OK

    return with_database(show)


def print_listing(listing: ClaimList) -> None:
    """As /claims lists them: each dispute with its figures, the other claims by quantity."""
    from bot.digest.claim_line import claim_text
    from bot.digest.render import render_dispute_text

    if not listing.entries:
        echo("No claims on record yet: they come from the watchlist and fetched items.")
    groups = listing.groups()
    for group in groups:
        if group.dispute is not None:
            echo(f"{group.topic}: disputed")
            echo(_indented(render_dispute_text(group.dispute, UTC)))
            continue
        echo(f"{group.topic}: {group.quantity}")
        for claim in group.claims:
            echo(f"  • {claim_text(claim, UTC, url=listing.urls.get(claim.id))}")
    if any(group.dispute is not None for group in groups):
        echo("`claimwatch claims show ID` tells where a claim comes from; "
             "`claimwatch claims chart ID -o FILE.png` draws its dispute.")  # fmt: skip


def show_command(args: argparse.Namespace) -> int:
    from bot.ledger.queries import claim_details

    async def show(settings: Settings, db: Database) -> int:
        details = await claim_details(db, args.id)
        if details is None:
            echo(f"claimwatch: no claim with id {args.id}", err=True)
            return EXIT_FAILED
        if args.json:
            others = [other for _, other in details.conflicts]
            echo(as_json([details.claim, *others], [c for c, _ in details.conflicts]))
            return EXIT_OK
        print_details(details)
        return EXIT_OK

    return with_database(show)


def print_details(details: ClaimDetails) -> None:
    from bot.digest.claim_line import claim_text, quantity_of
    from bot.digest.disputes import KIND_WORDS
    from bot.digest.render import render_dispute_text

    claim, facts, item = details.claim, details.claim.claim, details.item
    echo(f"#{claim.id} {facts.topic}: {claim_text(claim, UTC, number=False)}")
    echo(f"  sentence: {facts.sentence}")
    echo(f"  what: {quantity_of(facts)}")
    origin = f"item {item.id} of source {item.source_id}" if item else f"the {claim.origin}"
    echo(f"  from: {item.url if item and item.url else origin}")
    for conflict, other in details.conflicts:
        echo(f"  conflicts with #{other.id} ({KIND_WORDS[conflict.kind]}): {conflict.reason}")
    if details.dispute is not None:
        echo(f"  in dispute #{details.dispute.id}:")
        echo(_indented(render_dispute_text(details.dispute, UTC), "    "))


def chart_command(args: argparse.Namespace) -> int:
    from bot.ledger.queries import claim_details

    async def draw(settings: Settings, db: Database) -> int:
        details = await claim_details(db, args.id)
        if details is None:
            echo(f"claimwatch: no claim with id {args.id}", err=True)
            return EXIT_FAILED
        dispute = details.dispute
        if dispute is None:
            echo(f"claimwatch: claim #{args.id} is in no dispute: no other report's figure "
                 "disagrees with it, so there is nothing to chart", err=True)  # fmt: skip
            return EXIT_FAILED
        from bot.digest.chart import draw_chart  # matplotlib: only for this command

        try:
            args.output.write_bytes(draw_chart(dispute))
        except OSError as exc:
            echo(f"claimwatch: cannot write {args.output}: {exc.strerror or exc}", err=True)
            return EXIT_FAILED
        echo(f"wrote the chart of dispute #{dispute.id} ({len(dispute.figures)} reports) to "
             f"{args.output}")  # fmt: skip
        return EXIT_OK

    return with_database(draw)


def as_json(claims: Sequence[Claim], conflicts: Sequence[Conflict]) -> str:
    """The claims and conflicts of an analyze record, in its shape; ids are the ledger's."""
    from bot.analysis.offline import claim_record, conflict_record

    document = {
        "claims": [claim_record(claim.id, claim.claim) for claim in claims],
        "conflicts": [
            conflict_record(c.claim_id, c.other_claim_id, c.kind, c.reason) for c in conflicts
        ],
    }
    return json.dumps(document, indent=2, ensure_ascii=False)


def _indented(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())
