"""`claimwatch claims [list|show ID] [--json]`: the ledger of claims and their conflicts."""

from __future__ import annotations

import argparse
import json
from collections import defaultdict
from typing import Any

from bot.cli.context import EXIT_FAILED, EXIT_OK, Commands, with_database
from bot.digest.build import format_value
from bot.printable import echo
from bot.settings import Settings
from storage.db import Database
from storage.records import Claim, Conflict


def register(commands: Commands) -> None:
    claims = commands.add_parser(
        "claims",
        help="the ledger: claims on record and the conflicts between them",
        description="List the claims on record, topic by topic and quantity by quantity, with "
        "conflicts marked; or show one claim with the reports that conflict with it.",
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
    claims.set_defaults(handler=list_command, json=False, limit=500)


def list_command(args: argparse.Namespace) -> int:
    async def show(settings: Settings, db: Database) -> int:
        async with db.transaction() as tx:
            claims = await tx.claims.list(limit=args.limit)
            conflicts = await tx.claims.list_conflicts()
        disputed = {c.claim_id for c in conflicts} | {c.other_claim_id for c in conflicts}
        if args.json:
            echo(json.dumps([claim_json(c, c.id in disputed) for c in claims], indent=2,
                             ensure_ascii=False))  # fmt: skip
            return EXIT_OK
        if not claims:
            echo("No claims on record yet: they come from the watchlist and fetched items.")
        groups: defaultdict[tuple[str, str], list[Claim]] = defaultdict(list)
        for claim in sorted(claims, key=lambda c: c.stated_at):
            groups[(claim.claim.topic, claim.claim.measure)].append(claim)
        for (topic, measure), members in groups.items():
            echo(f"{topic}: {measure}")
            for claim in members:
                mark = "!" if claim.id in disputed else " "
                echo(f"  {mark} #{claim.id:<5} {describe(claim)}")
        if disputed and not args.json:
            echo("! conflicts with another claim; `claimwatch claims show ID` says how.")
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
        if args.json:
            document = claim_json(claim, bool(conflicts))
            document["url"] = item.url if item else None
            document["conflicts"] = [conflict_json(c) for c in conflicts]
            echo(json.dumps(document, indent=2, ensure_ascii=False))
            return EXIT_OK
        echo(f"#{claim.id} {claim.claim.topic}: {describe(claim)}")
        echo(f"  sentence: {claim.claim.sentence}")
        echo(f"  measure: {claim.claim.measure}; scope: {claim.claim.scope or '-'}")
        origin = f"item {item.id} of source {item.source_id}" if item else f"the {claim.origin}"
        echo(f"  from: {item.url if item and item.url else origin}")
        for conflict in conflicts:
            other = conflict.other_claim_id if conflict.claim_id == claim.id else conflict.claim_id
            echo(f"  conflicts with #{other} ({conflict.kind}): {conflict.reason}")
        return EXIT_OK

    return with_database(show)


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


def claim_json(claim: Claim, disputed: bool) -> dict[str, Any]:
    facts = claim.claim
    return {
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
