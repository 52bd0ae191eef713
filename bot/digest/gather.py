"""Reading disputes whole: the claims joined by conflicts, older ones included, so a digest, an
alert or ``/claims show`` shows each dispute once with every figure on record."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from bot.digest.disputes import Dispute, build_disputes
from storage.db import Transaction
from storage.records import Claim, Conflict, Item

DISPUTE_CLAIMS = 2_000  # a walk gathering disputes stops growing past this many claims


@dataclass(frozen=True, slots=True)
class DisputeRecords:
    """Everything the disputes around some claims are built from."""

    conflicts: list[Conflict]
    claims: dict[int, Claim]
    items: dict[int, Item]

    def disputes(self) -> list[Dispute]:
        """The disputes these records make, each figure linked to its item."""
        urls = {
            claim.id: self.items[claim.item_id].url
            for claim in self.claims.values()
            if claim.item_id is not None and claim.item_id in self.items
        }
        return build_disputes(self.claims, self.conflicts, urls)


async def gather_disputes(tx: Transaction, claim_ids: Collection[int]) -> DisputeRecords:
    """The conflicts, claims and items of the disputes these claims belong to: the conflicts
    touching them, then those touching the claims found, until nothing new is found (or
    ``DISPUTE_CLAIMS`` claims are)."""
    seen, frontier = set(claim_ids), set(claim_ids)
    conflicts: dict[int, Conflict] = {}
    while frontier and len(seen) <= DISPUTE_CLAIMS:
        found = [c for c in await tx.claims.conflicts_touching(frontier) if c.id not in conflicts]
        conflicts.update((c.id, c) for c in found)
        frontier = {i for c in found for i in (c.claim_id, c.other_claim_id)} - seen
        seen |= frontier
    claims = await tx.claims.get_many(claim_ids_of(list(conflicts.values())) | set(claim_ids))
    items = await tx.items.get_many({c.item_id for c in claims.values() if c.item_id is not None})
    ordered = sorted(conflicts.values(), key=lambda c: (c.detected_at, c.id))
    return DisputeRecords(ordered, claims, items)


def claim_ids_of(conflicts: Sequence[Conflict]) -> set[int]:
    """The claims on either side of these conflicts."""
    return {claim_id for c in conflicts for claim_id in (c.claim_id, c.other_claim_id)}
