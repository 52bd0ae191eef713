"""The analysis of one item: topics, claims and their conflicts with the ledger.

This is what ingestion calls for each item, in arrival order. The analyzer holds the ledger it
compares against (``Analyzer(watchlist, ledger=Ledger(entries_from_storage))``) but never
changes it while analysing: ``analyze`` returns what it found, and the caller puts
``Analysis.entries`` on record (``analyzer.ledger.add``) once they are stored, so the ledger
never holds a claim the database lacks. Topics a chat adds later join with ``set_topics``,
which rebuilds the topic matcher.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from bot.analysis.claims import claim_from_sentence, extract_claims
from bot.analysis.conflicts import FoundConflict, Ledger, LedgerEntry
from bot.analysis.sentences import unify_text
from bot.analysis.topics import TopicMatch, TopicMatcher
from bot.config.files import TopicSpec, Watchlist
from storage.records import NewClaim


@dataclass(frozen=True, slots=True)
class IdentifiedClaim:
    claim_id: str  # "<item ref>#<n>", n from 1 in text order
    claim: NewClaim


@dataclass(frozen=True, slots=True)
class Analysis:
    topics: list[TopicMatch]  # the best match of each topic, best first
    claims: list[IdentifiedClaim]
    conflicts: list[FoundConflict]  # with the ledger, pending claims and earlier claims here
    entries: list[LedgerEntry]  # the claims as they go on record, once stored


class Analyzer:
    def __init__(self, watchlist: Watchlist, ledger: Ledger | None = None) -> None:
        self.set_topics(watchlist.topics)
        self.ledger = ledger if ledger is not None else Ledger()

    def set_topics(self, specs: Sequence[TopicSpec]) -> None:
        """Match these topics from now on (the watchlist's and those chats added)."""
        self._matcher = TopicMatcher(specs)
        self._topic_names = frozenset(spec.name for spec in specs)

    @property
    def topic_names(self) -> frozenset[str]:
        return self._topic_names

    def match_topics(self, text: str) -> list[TopicMatch]:
        """The topics ``text`` mentions, best first (``/claims add`` finds its topic so)."""
        return self._matcher.match(unify_text(text))

    def analyze(
        self,
        text: str,
        *,
        item_ref: str,
        stated_at: datetime,
        title: str | None = None,
        lang: str | None = None,
        pending: Sequence[LedgerEntry] = (),
    ) -> Analysis:
        """Analyze one item against the ledger (and ``pending``, claims stored but not yet on
        record), leaving the ledger unchanged. ``lang`` (from normalize) is read first where
        languages disagree (a word that is a noun in one and a verb in another); without it,
        the letters of each sentence tell."""
        body = unify_text(text)
        mentions = self._matcher.mentions(body)
        title_matches = self._matcher.match(unify_text(title)) if title else []
        topics = _best_per_topic([*mentions, *title_matches])
        title_topics = [m.topic for m in title_matches]
        claims = extract_claims(body, mentions, title_topics=title_topics, lang=lang)
        identified = [IdentifiedClaim(f"{item_ref}#{n}", c) for n, c in enumerate(claims, 1)]
        entries = [LedgerEntry(c.claim_id, c.claim, stated_at) for c in identified]
        conflicts = self.ledger.conflicts_of_all(entries, pending=pending)
        return Analysis(topics, identified, conflicts, entries)

    def claim_from_sentence(self, topic: str, sentence: str) -> NewClaim | None:
        """The claim one sentence states about ``topic`` (``/claims add``, watchlist claims);
        None when the topic is unknown or the sentence states no figure or denial."""
        if topic not in self._topic_names:
            return None
        return claim_from_sentence(topic, unify_text(sentence))

    def record(self, claim_id: str, claim: NewClaim, stated_at: datetime) -> list[FoundConflict]:
        """Put a claim made outside an item on record at once (the watchlist's, one added in
        chat); its conflicts with the ledger. Such a claim is the analyst's, not a report of a
        moment: it is compared with every figure whatever the gap."""
        return self.ledger.record(LedgerEntry(claim_id, claim, stated_at, timeless=True))

    def put_on_record(self, analysis: Analysis) -> None:
        """The claims of an analysis join the ledger (after they were stored)."""
        for entry in analysis.entries:
            self.ledger.add(entry)


def _best_per_topic(matches: list[TopicMatch]) -> list[TopicMatch]:
    best: dict[str, TopicMatch] = {}
    for match in matches:
        if match.topic not in best or match.score > best[match.topic].score:
            best[match.topic] = match
    return sorted(best.values(), key=lambda m: -m.score)
