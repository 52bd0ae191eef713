"""Arbitrary sentences never crash the comparison rules, and a check's cost does not grow with
the ledger: the candidates read are those of the buckets around the claim's moments."""

import time
from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.analysis.conflicts import Ledger, LedgerEntry
from bot.analysis.moments import marks_correction, named_days
from bot.analysis.places import place_key
from bot.analysis.traits import traits_of_claim
from storage.records import Modifier, NewClaim, Polarity

AT = datetime(2024, 3, 1, tzinfo=UTC)
PIECES = st.sampled_from(
    [
        "1,500", "12", "9 июня", "June 9", "9 червня", "Sept.", "31", "2024", "including",
        "в том числе", "серед них", "of the", "dead", "погибших", "each", "по", "could",
        "reach", "может", "достичь", "in", "в", "у", "Kursk", "Курской", "Курщині", "revised",
        "а не", "тоді як", ",", ".", "—", "the remaining", "others", "из которых", "whom",
        "'s", "ʼ", "Ё", "İ", "ß", " ", "\u00a0",
    ]
)  # fmt: skip
TEXT = st.one_of(st.text(max_size=200), st.lists(PIECES, max_size=40).map(" ".join))


def claim(sentence: str, value: float = 12.0, speaker: str | None = None) -> NewClaim:
    return NewClaim(
        "T", sentence, "killed", "killed", Modifier.EXACT, Polarity.ASSERTS, value,
        speaker=speaker,
    )  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_arbitrary_sentences_never_crash_the_rules(sentence: str) -> None:
    named_days(sentence, AT)
    marks_correction(sentence)
    for word in sentence.split():
        place_key(word)
    traits = traits_of_claim(claim(sentence), AT)
    assert traits.moments[0] == AT
    ledger = Ledger([LedgerEntry("a", claim(sentence, 1500.0, "A"), AT)])
    for found in ledger.record(LedgerEntry("b", claim(sentence, 12.0, "B"), AT)):
        assert "\n" not in found.reason


def _check_time(ledger: Ledger, probes: list[LedgerEntry]) -> float:
    start = time.perf_counter()
    for probe in probes:
        ledger.conflicts_of(probe)
    return time.perf_counter() - start


def test_a_check_costs_the_same_for_a_ledger_eight_times_longer() -> None:
    def ledger_of(days: int) -> Ledger:
        return Ledger(
            LedgerEntry(f"c{n}", claim(f"S{n} said {n} died.", 1000.0 + n % 97, f"S{n}"),
                        AT + timedelta(hours=n * 24 / 40))
            for n in range(40 * days)
        )  # fmt: skip

    probes = [
        LedgerEntry(
            f"p{n}", claim("Rescuers said 5 died.", 5.0, f"R{n}"), AT + timedelta(days=n / 2)
        )
        for n in range(50)
    ]
    short, long = ledger_of(25), ledger_of(200)  # 1,000 and 8,000 claims, 40 a day
    best_short = min(_check_time(short, probes) for _ in range(3))
    best_long = min(_check_time(long, probes) for _ in range(3))
    assert best_long < best_short * 4 + 0.05  # linear would be 8x; bisection is about 1x
