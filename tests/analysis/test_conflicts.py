"""The ledger: conflict kinds, modifier-aware intervals, index by topic and measure."""

from datetime import UTC, datetime, timedelta

import pytest

from bot.analysis.comparable import interval
from bot.analysis.conflicts import Ledger, LedgerEntry
from storage.records import ConflictKind, Modifier, NewClaim, Polarity

AT = datetime(2024, 10, 1, tzinfo=UTC)


def claim(
    value: float | None,
    modifier: Modifier = Modifier.EXACT,
    *,
    speaker: str | None = "NIS",
    measure: str = "troops",
    scope: str = "",
    topic: str = "NK",
    polarity: Polarity = Polarity.ASSERTS,
    low: float | None = None,
    high: float | None = None,
) -> NewClaim:
    return NewClaim(topic, "s", measure, scope, modifier, polarity, value, low, high, speaker)


def record(
    ledger: Ledger, claim_id: str, new: NewClaim, days: int = 0
) -> list[tuple[str, ConflictKind]]:
    found = ledger.record(LedgerEntry(claim_id, new, AT + timedelta(days=days)))
    return [(c.other_claim_id, c.kind) for c in found]


INTERVALS = [
    (claim(3000, Modifier.APPROX), (2700, 3300)),
    (claim(3000), (3000, 3000)),
    (claim(2e6, Modifier.MORE_THAN), (2e6, float("inf"))),
    (claim(12000, Modifier.UP_TO), (0, 12000)),
    (claim(None, Modifier.RANGE, low=10000, high=12000), (10000, 12000)),
    (claim(3, Modifier.RATIO), None),
    (claim(None, polarity=Polarity.DENIES), None),
]


@pytest.mark.parametrize(("new", "bounds"), INTERVALS)
def test_interval(new: NewClaim, bounds: tuple[float, float] | None) -> None:
    assert interval(new) == (pytest.approx(bounds) if bounds else None)


def test_numeric_conflict_names_both_speakers_and_values() -> None:
    ledger = Ledger()
    record(ledger, "a", claim(1500, Modifier.APPROX, speaker="NIS"))
    found = ledger.record(LedgerEntry("b", claim(3000, Modifier.APPROX, speaker="White House"), AT))
    [conflict] = found
    assert (conflict.other_claim_id, conflict.kind) == ("a", ConflictKind.NUMERIC)
    assert "NIS" in conflict.reason and "White House" in conflict.reason
    assert "1,500" in conflict.reason and "3,000" in conflict.reason
    assert conflict.reason.count("(2024-10-01)") == 2  # both dates
    assert "\n" not in conflict.reason


def test_overlapping_intervals_agree() -> None:
    ledger = Ledger()
    record(ledger, "a", claim(3000, Modifier.APPROX))
    assert record(ledger, "b", claim(3200, speaker="US")) == []
    assert record(ledger, "c", claim(12000, Modifier.UP_TO, speaker="Kyiv")) == []


def test_bound_conflict() -> None:
    ledger = Ledger()
    record(ledger, "a", claim(2e6, Modifier.MORE_THAN, speaker="UN"))
    assert record(ledger, "b", claim(1e6, speaker="X")) == [("a", ConflictKind.BOUND)]


def test_revision_when_same_speaker_changes_figure() -> None:
    ledger = Ledger()
    record(ledger, "a", claim(10000, speaker="Zelensky"))
    found = record(ledger, "b", claim(12000, speaker="Ukrainian President Volodymyr Zelenskyy"), 2)
    assert found == [("a", ConflictKind.REVISION)]
    [conflict] = ledger.conflicts_of(
        LedgerEntry("c", claim(14000, speaker="Zelensky"), AT + timedelta(days=4))
    )
    assert conflict.reason == (
        "Zelensky revised 12,000 troops (2024-10-03) to 14,000 troops (2024-10-05)"
    )


def test_denial_conflicts_with_latest_assertion_of_topic() -> None:
    ledger = Ledger()
    record(ledger, "a", claim(1500, speaker="NIS"))
    record(ledger, "b", claim(5, measure="missiles", speaker="US"))
    denial = claim(None, speaker="Kremlin", polarity=Polarity.DENIES, measure="troops")
    assert record(ledger, "c", denial) == [("a", ConflictKind.DENIAL)]
    assert (
        record(ledger, "d", claim(None, speaker="X", polarity=Polarity.DENIES, topic="other")) == []
    )


def test_ratio_conflict_when_figure_does_not_fit_multiplier() -> None:
    ledger = Ledger()
    record(ledger, "a", claim(1000, speaker="NIS"))
    record(ledger, "b", claim(3, Modifier.RATIO, speaker="Sladkov"))
    assert record(ledger, "c", claim(3100, speaker="US")) == [("a", ConflictKind.NUMERIC)]
    found = record(ledger, "d", claim(10000, speaker="Kyiv"))
    assert ("b", ConflictKind.RATIO) in found


def test_different_measures_or_topics_never_conflict() -> None:
    ledger = Ledger()
    record(ledger, "a", claim(11000, measure="troops"))
    assert record(ledger, "b", claim(300, measure="killed", speaker="X")) == []
    assert record(ledger, "c", claim(300, topic="other", speaker="X")) == []


def test_incompatible_scopes_do_not_conflict() -> None:
    ledger = Ledger()
    record(ledger, "a", claim(11000, scope="deployed in Russia"))
    assert record(ledger, "b", claim(300, scope="withdrawn", speaker="X")) == []
    assert record(ledger, "c", claim(300, scope="arrived in Ukraine", speaker="X")) == []
    assert record(ledger, "d", claim(300, scope="training in Russia", speaker="X")) == [
        ("a", ConflictKind.NUMERIC)
    ]


def test_rebuilt_ledger_finds_the_same_conflicts() -> None:
    entries = [LedgerEntry(f"c{n}", claim(1000 * n, speaker=f"S{n}"), AT) for n in range(1, 50)]
    ledger = Ledger(entries)
    assert len(ledger) == 49
    found = ledger.conflicts_of(LedgerEntry("new", claim(25500, speaker="Z"), AT))
    assert {c.other_claim_id for c in found} == {"c25", "c24", "c23", "c26", "c27", "c28"}
