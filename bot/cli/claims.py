"""`claimwatch claims [list|show ID|chart ID -o FILE.png] [--json]`: the ledger of claims, each
dispute once, and the chart of a dispute."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from datetime import UTC
from pathlib import Path
from typing import Any

from bot.cli.context import EXIT_FAILED, EXIT_OK, Commands, with_database
from bot.digest.build import format_value
from bot.digest.compose import DisputeRecords, gather_disputes
from bot.digest.disputes import KIND_WORDS, Dispute, dispute_of, quantity_words
from bot.digest.render import render_dispute_text
from bot.printable import echo
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
    listing.add_argument("--json", action="store_true", help="print one JSON array")
    listing.add_argument("--limit", type=int, default=500, help="at most this many (500)")
    listing.set_defaults(handler=list_command)
    show = actions.add_parser("show", help="one claim and its conflicts")
    show.add_argument("id", type=int, help="the claim's id, from `claimwatch claims list`")
    show.add_argument("--json", action="store_true", help="print one JSON object")
    show.set_defaults(handler=show_command)
    chart = actions.add_parser("chart", help="draw the chart of a claim's dispute as a PNG")
    chart.add_argument("id", type=int, help="the id of any claim of the dispute")
    chart.add_argument("-o", "--output", required=True, metavar="FILE.png", type=Path,
                       help="where to write the picture")  # fmt: skip
    chart.set_defaults(handler=chart_command)
    claims.set_defaults(handler=list_command, json=False, limit=500)


def list_command(args: argparse.Namespace) -> int:
    async def show(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            claims = await tx.claims.list(limit=args.limit)
            records = await gather_disputes(tx, [claim.id for claim in claims])
        disputes = _disputes(records)
        disputed = {f.claim_id: d for d in disputes for f in d.figures}
        if args.json:
            echo(json.dumps([claim_json(c, c.id in disputed, disputed.get(c.id)) for c in claims],
                            indent=2, ensure_ascii=False))  # fmt: skip
            return EXIT_OK
        if not claims:
            echo("No claims on record yet: they come from the watchlist and fetched items.")
        listed = {claim.id for claim in claims}
        for dispute in disputes:
            if any(f.claim_id in listed for f in dispute.figures):
                echo(f"{dispute.topic}: disputed")
                echo(_indented(render_dispute_text(dispute, UTC)))
        groups: defaultdict[tuple[str, str], list[Claim]] = defaultdict(list)
        for claim in sorted(claims, key=lambda c: c.stated_at):
            if claim.id not in disputed:
                facts = claim.claim
                groups[(facts.topic, quantity_words(facts.measure, facts.scope))].append(claim)
        for (topic, quantity), members in groups.items():
            echo(f"{topic}: {quantity}")
            for claim in members:
                echo(f"    #{claim.id:<5} {describe(claim)}")
        if disputes:
            echo("`claimwatch claims show ID` tells where a claim comes from; "
                 "`claimwatch claims chart ID -o FILE.png` draws its dispute.")  # fmt: skip
        return EXIT_OK

    return with_database(show)


def show_command(args: argparse.Namespace) -> int:
    async def show(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            claim = await tx.claims.get(args.id)
            if claim is None:
                echo(f"claimwatch: no claim with id {args.id}", err=True)
                return EXIT_FAILED
            conflicts = await tx.claims.conflicts_of(claim.id)
            item = await tx.items.get(claim.item_id) if claim.item_id else None
            records = await gather_disputes(tx, [claim.id])
        dispute = dispute_of(claim.id, _disputes(records))
        if args.json:
            document = claim_json(claim, bool(conflicts), dispute)
            document["url"] = item.url if item else None
            document["conflicts"] = [conflict_json(c) for c in conflicts]
            echo(json.dumps(document, indent=2, ensure_ascii=False))
            return EXIT_OK
        facts = claim.claim
        echo(f"#{claim.id} {facts.topic}: {describe(claim)}")
        echo(f"  sentence: {facts.sentence}")
        echo(f"  what: {quantity_words(facts.measure, facts.scope)}")
        origin = f"item {item.id} of source {item.source_id}" if item else f"the {claim.origin}"
        echo(f"  from: {item.url if item and item.url else origin}")
        for conflict in conflicts:
            other = conflict.other_claim_id if conflict.claim_id == claim.id else conflict.claim_id
            echo(f"  conflicts with #{other} ({KIND_WORDS[conflict.kind]}): {conflict.reason}")
        if dispute is not None:
            echo(f"  in dispute #{dispute.id}:")
            echo(_indented(render_dispute_text(dispute, UTC), "    "))
        return EXIT_OK

    return with_database(show)


def chart_command(args: argparse.Namespace) -> int:
    async def draw(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            records = await gather_disputes(tx, [args.id])
        if args.id not in records.claims:
            echo(f"claimwatch: no claim with id {args.id}", err=True)
            return EXIT_FAILED
        dispute = dispute_of(args.id, _disputes(records))
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


def _disputes(records: DisputeRecords) -> list[Dispute]:
    return records.disputes()


def _indented(text: str, prefix: str = "  ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())


def describe(claim: Claim) -> str:
    """One line: the value with its modifier, the speaker and the date."""
    facts = claim.claim
    who = facts.speaker or ("unsourced" if facts.unsourced else "unknown speaker")
    if facts.relay:
        who += f" via {facts.relay}"
    when = claim.stated_at.strftime("%Y-%m-%d")
    return f"{value_text(claim)} — {who}, {when}"


def value_text(claim: Claim) -> str:
    return format_value(claim.claim)


def claim_json(claim: Claim, disputed: bool, dispute: Dispute | None = None) -> dict[str, Any]:
    facts = claim.claim
    return {
        "dispute": dispute.id if dispute is not None else None,
        "id": claim.id, "topic": facts.topic, "item_id": claim.item_id,
        "origin": str(claim.origin), "stated_at": claim.stated_at.isoformat(),
        "sentence": facts.sentence, "measure": facts.measure, "scope": facts.scope,
        "value": facts.value, "low": facts.low, "high": facts.high,
        "modifier": str(facts.modifier), "polarity": str(facts.polarity),
        "speaker": facts.speaker, "relay": facts.relay, "unsourced": facts.unsourced,
        "disputed": disputed,
    }  # fmt: skip


def conflict_json(conflict: Conflict) -> dict[str, Any]:
    return {
        "claim": conflict.claim_id, "with": conflict.other_claim_id, "kind": str(conflict.kind),
        "reason": conflict.reason, "detected_at": conflict.detected_at.isoformat(),
    }  # fmt: skip
