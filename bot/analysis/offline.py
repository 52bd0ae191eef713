"""The analyze contract: items in, one JSON-ready dict per item out (`claimwatch analyze`).

The watchlist's claims go on record first (ids "watchlist#1", ...), then items are analyzed in
the order given, as if they arrived one after another. Pure: the caller reads and prints.
``claim_record`` and ``conflict_record`` are the one JSON shape of a claim and a conflict:
`claimwatch claims --json` prints the ledger's in it too.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from bot.analysis.analyzer import Analysis, Analyzer
from bot.config.files import Watchlist
from storage.records import ConflictKind, NewClaim

_BEFORE_ANYTHING = datetime(1970, 1, 1, tzinfo=UTC)


def analyze_records(
    watchlist: Watchlist, records: Iterable[dict[str, Any]]
) -> Iterator[dict[str, Any]]:
    analyzer = Analyzer(watchlist)
    for number, spec in enumerate(watchlist.claims, 1):
        claim = analyzer.claim_from_sentence(spec.topic, spec.text)
        if claim is not None:
            analyzer.record(f"watchlist#{number}", claim, _BEFORE_ANYTHING)
    last_time = _BEFORE_ANYTHING
    for record in records:
        last_time = _published(record.get("published"), last_time)
        item_id = str(record.get("id", ""))
        analysis = analyzer.analyze(
            _text(record.get("text")),
            item_ref=item_id,
            stated_at=last_time,
            title=_text(record.get("title")) or None,
            lang=_text(record.get("lang")) or None,
        )
        analyzer.put_on_record(analysis)
        yield to_record(item_id, analysis)


def to_record(item_id: str, analysis: Analysis) -> dict[str, Any]:
    return {
        "id": item_id,
        "topics": [
            {"topic": m.topic, "score": round(m.score, 1), "evidence": m.evidence}
            for m in analysis.topics
        ],
        "claims": [claim_record(c.claim_id, c.claim) for c in analysis.claims],
        "conflicts": [
            conflict_record(c.claim_id, c.other_claim_id, c.kind, c.reason)
            for c in analysis.conflicts
        ],
    }


def claim_record(claim_id: str | int, claim: NewClaim) -> dict[str, Any]:
    """A claim as JSON: its figure as numbers, its modifier, measure, scope and speaker."""
    return {
        "id": claim_id,
        "topic": claim.topic,
        "sentence": claim.sentence,
        "value": _number(claim.value),
        "low": _number(claim.low),
        "high": _number(claim.high),
        "modifier": claim.modifier.value,
        "measure": claim.measure,
        "scope": claim.scope,
        "speaker": claim.speaker,
        "relay": claim.relay,
        "unsourced": claim.unsourced,
        "polarity": claim.polarity.value,
    }


def conflict_record(
    claim_id: str | int, other_id: str | int, kind: ConflictKind, reason: str
) -> dict[str, Any]:
    """The newer claim ``claim_id`` conflicts with ``other_id``: how, and why in words."""
    return {"claim": claim_id, "with": other_id, "kind": kind.value, "reason": reason}


def _number(value: float | None) -> float | int | None:
    if value is None or not math.isfinite(value):
        return None  # JSON has no infinity; the analysis never makes one
    return int(value) if float(value).is_integer() and abs(value) < 2**53 else value


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _published(value: Any, fallback: datetime) -> datetime:
    if not isinstance(value, str):
        return fallback
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return fallback
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
