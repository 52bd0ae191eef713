"""How claims read in a conflict's one-line reason, and when two speakers are the same.

A reason is the analysis's record, in English whatever the report's language: it is stored with
the conflict and is part of the `claimwatch analyze` contract, so its wording ("x3", "10,000-
12,000") stays as it is. People see a claim as ``bot.digest.claim_line`` draws it ("×3",
"10,000–12,000", in their language); the reason is shown beside it as stored.
"""

from __future__ import annotations

from rapidfuzz import fuzz

from storage.records import Modifier, NewClaim

MODIFIER_WORDS = {  # how a modifier reads before a figure
    Modifier.APPROX: "about ",
    Modifier.AT_LEAST: "at least ",
    Modifier.MORE_THAN: "more than ",
    Modifier.AT_MOST: "at most ",
    Modifier.UP_TO: "up to ",
    Modifier.LESS_THAN: "less than ",
}


def speaker_name(claim: NewClaim) -> str:
    if claim.speaker:
        return claim.speaker + (f" (via {claim.relay})" if claim.relay else "")
    return f"{claim.relay} (unsourced)" if claim.relay else "an unsourced report"


def describe(claim: NewClaim) -> str:
    """ "about 3,000 troops", "10,000-12,000 troops", "x3 troops", "a denial"."""
    if claim.value is None and claim.low is None:
        return "a denial" if claim.modifier is not Modifier.RATIO else "a ratio"
    if claim.modifier is Modifier.RATIO:
        return f"x{_number(claim.value or 0.0)} {claim.measure}"
    if claim.low is not None and claim.high is not None:
        return f"{_number(claim.low)}-{_number(claim.high)} {claim.measure}"
    value = claim.value if claim.value is not None else claim.low or claim.high or 0.0
    return f"{MODIFIER_WORDS.get(claim.modifier, '')}{_number(value)} {claim.measure}"


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.2f}"  # no int(inf)


def same_speaker(a: str | None, b: str | None) -> bool:
    """ "Zelensky" and "Ukrainian President Volodymyr Zelenskyy" are the same speaker."""
    if not a or not b:
        return False
    return fuzz.partial_ratio(a.lower(), b.lower()) >= 90 and min(len(a), len(b)) >= 3
