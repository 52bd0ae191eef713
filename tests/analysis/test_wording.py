"""How a claim reads in a conflict's reason, whatever figure it holds."""

import math

import pytest

from bot.analysis.wording import describe
from storage.records import Modifier, NewClaim, Polarity

READINGS = [
    (3000.0, Modifier.APPROX, "about 3,000 troops"),
    (1.5, Modifier.EXACT, "1.50 troops"),
    (math.inf, Modifier.EXACT, "inf troops"),  # never made by the analysis; read, never crash
    (1e300, Modifier.MORE_THAN, "more than " + f"{1e300:,.0f}" + " troops"),
]


@pytest.mark.parametrize(("value", "modifier", "reading"), READINGS)
def test_describe_reads_any_figure(value: float, modifier: Modifier, reading: str) -> None:
    claim = NewClaim("t", "s", "troops", "", modifier, Polarity.ASSERTS, value=value)
    assert describe(claim) == reading
