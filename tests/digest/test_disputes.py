"""Disputes: the conflicts of one quantity grouped once, figures by value, the spread, how each
figure disagrees, what is new; the quantity in words."""

from __future__ import annotations

from datetime import timedelta

import pytest

from bot.digest.disputes import Spread, build_disputes, dispute_of, times
from storage.records import Claim, Conflict, ConflictKind, Modifier, Polarity
from tests.digest.digest_samples import NK, OCT, SINCE, make_claim

NIS = make_claim(1, 1500, speaker="NIS", at=OCT.replace(day=18), modifier=Modifier.APPROX)
WHITE_HOUSE = make_claim(2, 3000, speaker="White House", at=OCT.replace(day=23))
ZELENSKY = make_claim(3, 10000, speaker="Zelensky", at=OCT.replace(day=24))
GUR = make_claim(4, 12000, speaker="GUR", at=OCT.replace(day=25))
AT_LEAST = make_claim(5, 11000, speaker="Budanov", at=OCT.replace(day=26),
                      modifier=Modifier.AT_LEAST)  # fmt: skip
FIVE = {c.id: c for c in (NIS, WHITE_HOUSE, ZELENSKY, GUR, AT_LEAST)}


def pair(conflict_id: int, new: Claim, old: Claim, kind: ConflictKind = ConflictKind.NUMERIC):
    return Conflict(conflict_id, new.id, old.id, kind, "reason", new.stated_at)


# Ten pairs for five figures would be the worst; the ledger finds these seven.
PAIRS = [
    pair(11, WHITE_HOUSE, NIS),
    pair(12, ZELENSKY, NIS),
    pair(13, ZELENSKY, WHITE_HOUSE),
    pair(14, GUR, NIS),
    pair(15, GUR, WHITE_HOUSE),
    pair(16, AT_LEAST, NIS, ConflictKind.BOUND),
    pair(17, AT_LEAST, WHITE_HOUSE, ConflictKind.BOUND),
]


def test_five_figures_in_seven_pairs_are_one_dispute_sorted_by_value() -> None:
    [dispute] = build_disputes(FIVE, PAIRS, {1: "https://nis.example"})
    assert dispute.id == NIS.id
    assert [f.value for f in dispute.figures] == [
        "about 1,500", "3,000", "10,000", "at least 11,000", "12,000",
    ]  # fmt: skip
    assert [f.speaker for f in dispute.figures] == [
        "NIS", "White House", "Zelensky", "Budanov", "GUR",
    ]  # fmt: skip
    assert dispute.figures[0].url == "https://nis.example" and dispute.figures[1].url is None
    assert dispute.spread == Spread(1500, 12000)
    assert dispute.spread.text == "1,500 to 12,000: ×8"
    assert len(dispute.conflicts) == 7 and dispute.last_activity_at == AT_LEAST.stated_at
    bound = dispute.figure(AT_LEAST.id)
    assert bound is not None
    assert {(d.kind, d.other_value) for d in bound.disagreements} == {
        (ConflictKind.BOUND, "about 1,500"),
        (ConflictKind.BOUND, "3,000"),
    }


def test_unconnected_conflicts_are_separate_disputes_most_recent_first() -> None:
    killed_a = make_claim(20, 300, speaker="A", at=OCT.replace(day=27))
    killed_b = make_claim(21, 30, speaker="B", at=OCT.replace(day=28))
    claims = FIVE | {c.id: c for c in (killed_a, killed_b)}
    disputes = build_disputes(claims, [*PAIRS, pair(30, killed_b, killed_a)], {})
    assert [d.id for d in disputes] == [killed_a.id, NIS.id]
    assert dispute_of(GUR.id, disputes) is disputes[1]
    assert dispute_of(killed_b.id, disputes) is disputes[0]
    assert dispute_of(999, disputes) is None


def test_new_figures_are_those_recorded_or_found_in_conflict_since() -> None:
    since = OCT.replace(day=24, hour=23)
    [dispute] = build_disputes(FIVE, PAIRS, {}, since=since)
    assert [f.speaker for f in dispute.new_figures] == ["Budanov", "GUR"]
    [everything] = build_disputes(FIVE, PAIRS, {})
    assert len(everything.new_figures) == 5


def test_a_conflict_with_a_missing_claim_is_left_out() -> None:
    claims = {k: v for k, v in FIVE.items() if k != GUR.id}
    [dispute] = build_disputes(claims, PAIRS, {})
    assert GUR.id not in {f.claim_id for f in dispute.figures}
    assert build_disputes({}, PAIRS, {}) == []


def test_a_denial_has_no_number_and_comes_last() -> None:
    denial = make_claim(9, None, speaker="Kremlin", at=SINCE + timedelta(hours=1),
                        polarity=Polarity.DENIES)  # fmt: skip
    claims = {NIS.id: NIS, denial.id: denial}
    [dispute] = build_disputes(claims, [pair(40, denial, NIS, ConflictKind.DENIAL)], {})
    assert [f.value for f in dispute.figures] == ["about 1,500", "denies"]
    assert dispute.spread is None  # one number: no spread
    assert dispute.topic == NK.name


@pytest.mark.parametrize(
    ("ratio", "text"), [(8.0, "×8"), (2.5, "×2.5"), (6.66, "×6.7"), (13.3, "×13"), (1234, "×1,234")]
)
def test_times(ratio: float, text: str) -> None:
    assert times(ratio) == text


def test_a_narrow_spread_has_no_ratio() -> None:
    assert Spread(3000, 3300).text == "3,000 to 3,300"
