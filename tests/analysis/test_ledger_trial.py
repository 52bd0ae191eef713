"""``Ledger.conflicts_of_all`` decides without applying: the ledger is left as it was, and the
conflicts are those of recording the entries one after another."""

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from bot.analysis import Ledger, LedgerEntry
from storage.records import Modifier, NewClaim, Polarity

AT = datetime(2024, 10, 23, tzinfo=UTC)
TOPIC = "North Korean troops in Russia"


def claim(
    value: float, speaker: str, modifier: Modifier = Modifier.EXACT, *, denies: bool = False
) -> NewClaim:
    return NewClaim(
        topic=TOPIC, sentence=f"{speaker}: {value}", measure="troops", scope="arrived in Russia",
        modifier=modifier, polarity=Polarity.DENIES if denies else Polarity.ASSERTS,
        value=None if denies else value, speaker=speaker,
    )  # fmt: skip


ON_RECORD = [
    LedgerEntry("1", claim(1500, "NIS", Modifier.APPROX), AT),
    LedgerEntry("2", claim(3000, "White House"), AT),
]
BATCHES = {
    "figures": [
        LedgerEntry("a", claim(12000, "DIU"), AT),
        LedgerEntry("b", claim(10000, "Zelensky"), AT),
    ],
    "a ratio then a figure": [
        LedgerEntry("a", claim(3, "war correspondent", Modifier.RATIO), AT),
        LedgerEntry("b", claim(20000, "blogger"), AT),
    ],
    "a denial": [LedgerEntry("a", claim(0, "Kremlin", denies=True), AT)],
    "claims on record of the analyst, days later": [
        LedgerEntry("a", claim(12000, "DIU"), AT + timedelta(days=9), timeless=True),
        LedgerEntry("b", claim(9500, "Zelensky"), AT + timedelta(days=20)),
    ],
    "new measure": [LedgerEntry("a", replace(claim(500, "DIU"), measure="officers"), AT)],
}
PROBES = [
    LedgerEntry("p1", claim(2000, "probe"), AT),
    LedgerEntry("p2", claim(0, "probe", denies=True), AT),
    LedgerEntry("p3", claim(9000, "probe"), AT),
]


def probe_all(ledger: Ledger) -> list[list[object]]:
    return [ledger.conflicts_of(probe) for probe in PROBES]


@pytest.mark.parametrize("batch", BATCHES.values(), ids=BATCHES.keys())
def test_a_trial_is_sequential_recording_undone(batch: list[LedgerEntry]) -> None:
    ledger = Ledger(ON_RECORD)
    before = (len(ledger), probe_all(ledger))
    recorded = Ledger(ON_RECORD)
    expected = [conflict for entry in batch for conflict in recorded.record(entry)]

    assert ledger.conflicts_of_all(batch) == expected
    assert (len(ledger), probe_all(ledger)) == before  # nothing of the batch stayed
    assert ledger.conflicts_of_all(batch) == expected  # and a second trial finds the same


def test_pending_claims_count_as_on_record_for_the_trial_only() -> None:
    pending = [LedgerEntry("9", claim(12000, "DIU"), AT)]
    ledger = Ledger(ON_RECORD)
    found = ledger.conflicts_of_all(
        [LedgerEntry("a", claim(9000, "Zelensky"), AT)], pending=pending
    )
    assert "9" in {c.other_claim_id for c in found}
    assert len(ledger) == len(ON_RECORD)
