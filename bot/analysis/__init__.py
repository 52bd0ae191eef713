"""The claims engine: pure functions from text to topics, claims and conflicts.

Public API:
- ``Analyzer(watchlist, ledger=None)``: ``analyze(text, item_ref=, stated_at=, title=, lang=)``
  -> ``Analysis``; ``claim_from_sentence(topic, sentence)``; ``record(claim_id, claim, at)``.
- ``Ledger(entries, window=DEFAULT_WINDOW)`` with ``LedgerEntry(claim_id, claim, stated_at)``:
  rebuilt from storage; figures are compared within ``window`` of each other (moments.py).
- ``TopicMatcher``, ``find_quantities``, ``attribute``, ``extract_claims`` for finer use.
- ``offline.analyze_records(watchlist, records)``: the `claimwatch analyze` contract.
"""

from bot.analysis.analyzer import Analysis, Analyzer, IdentifiedClaim
from bot.analysis.attribution import Attribution, attribute
from bot.analysis.claims import claim_from_sentence, extract_claims
from bot.analysis.comparable import interval
from bot.analysis.conflicts import FoundConflict, Ledger, LedgerEntry
from bot.analysis.moments import DEFAULT_WINDOW
from bot.analysis.quantities import Quantity, find_quantities
from bot.analysis.topics import TopicMatch, TopicMatcher

__all__ = [
    "DEFAULT_WINDOW",
    "Analysis",
    "Analyzer",
    "Attribution",
    "FoundConflict",
    "IdentifiedClaim",
    "Ledger",
    "LedgerEntry",
    "Quantity",
    "TopicMatch",
    "TopicMatcher",
    "attribute",
    "claim_from_sentence",
    "extract_claims",
    "find_quantities",
    "interval",
]
