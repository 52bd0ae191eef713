"""One claim as people read it: its figure (a value, a range, a bound or a multiple), what it
counts, who said it, when, and the link to its report.

The digest's figures and ledger changes, the chat's /claims and `claimwatch claims` all draw a
claim with ``claim_segments``: "about 1,500 — South Korea's NIS via Reuters, 23 Oct 2024
(source) · #12", as Telegram HTML (``claim_html``) or plain text (``claim_text``). Its JSON is
the analyze contract's (``bot.analysis.offline.claim_record``); a conflict's stored reason is
the analysis's own English wording (``bot.analysis.wording``). Pure; words, numbers and dates
are in the current language (``bot.translation``).
"""

from __future__ import annotations

from datetime import tzinfo

from bot.digest.lines import Link, Segment, Text, to_html, to_text
from bot.translation import N_, _, format_day, format_number
from storage.records import Claim, Modifier, NewClaim, Polarity

UNSOURCED = "unsourced"  # a figure's speaker when nobody is named (``speaker_words`` shows it)
NAME_CHARS = 60  # speakers and relays are shortened to this
MODIFIER_WORDS = {  # how a modifier reads with a figure
    Modifier.APPROX: N_("about %(value)s"),
    Modifier.AT_LEAST: N_("at least %(value)s"),
    Modifier.MORE_THAN: N_("more than %(value)s"),
    Modifier.AT_MOST: N_("at most %(value)s"),
    Modifier.UP_TO: N_("up to %(value)s"),
    Modifier.LESS_THAN: N_("less than %(value)s"),
}
# Measures that count people by what happened to them: "killed" reads "people killed".
_PEOPLE_BY_EVENT = frozenset(
    {"killed", "wounded", "missing", "captured", "homeless", "displaced", "evacuated", "detained"}
)
_NO_MEASURE = frozenset({"", "any"})  # a denial that names no counted noun


def claim_segments(claim: Claim, tz: tzinfo, *, url: str | None = None) -> list[Segment]:
    """The figure, who said it and the day in ``tz``, then the link to its report if any."""
    facts = claim.claim
    day = format_day(claim.stated_at, tz)
    segments: list[Segment] = [Text(f"{format_value(facts)} — {who(facts)}, {day}")]
    if url:
        segments += [Text(" ("), Link(_("source"), url, bare=True), Text(")")]
    return segments


def with_number(segments: list[Segment], claim: Claim) -> list[Segment]:
    """The claim's number after its line, as /claims show and `claimwatch claims show` take."""
    return [*segments, Text(f" · #{claim.id}")]


def claim_html(claim: Claim, tz: tzinfo, *, url: str | None = None, number: bool = True) -> str:
    """The claim's line as Telegram HTML, every text escaped; with ``number``, its number."""
    return to_html([_line(claim, tz, url, number)])


def claim_text(claim: Claim, tz: tzinfo, *, url: str | None = None, number: bool = True) -> str:
    """The claim's line as plain text, the link's address in full."""
    return to_text([_line(claim, tz, url, number)])


def _line(claim: Claim, tz: tzinfo, url: str | None, number: bool) -> list[Segment]:
    segments = claim_segments(claim, tz, url=url)
    return with_number(segments, claim) if number else segments


def format_value(claim: NewClaim) -> str:
    """A claim's figure as people write it: "about 1,500", "10,000–12,000", "at least 17,000",
    "×3", "denies"."""
    if claim.polarity is Polarity.DENIES:
        return _("denies")
    if claim.modifier is Modifier.RATIO:
        return f"×{format_number(claim.value)}" if claim.value is not None else _("a multiple")
    words = MODIFIER_WORDS.get(claim.modifier)
    if claim.low is not None and claim.high is not None and claim.low != claim.high:
        shown = f"{format_number(claim.low)}–{format_number(claim.high)}"
    else:
        value = next((v for v in (claim.value, claim.low, claim.high) if v is not None), None)
        if value is None:
            return _("no figure")
        shown = format_number(value)
    return _(words, value=shown) if words else shown


def quantity_of(claim: NewClaim) -> str:
    """What the claim counts, in words: "troops arrived in Russia"."""
    return quantity_words(claim.measure, claim.scope)


def quantity_words(measure: str, scope: str) -> str:
    """What is counted, as a reader says it: ("troops", "arrived in Russia") -> "troops arrived
    in Russia", ("killed", "killed in Gaza") -> "people killed in Gaza"; never a bare key."""
    measure = "" if measure.strip().lower() in _NO_MEASURE else measure.strip()
    words = measure.split()
    head = (
        f"people {measure}"
        if words and words[-1] in _PEOPLE_BY_EVENT and len(words) == 1
        else measure
    )
    scope_words = scope.split()
    if words and scope_words and scope_words[0] == words[-1]:
        scope_words = scope_words[1:]  # "killed" + "killed in Gaza": the predicate once
    text = " ".join([*head.split(), *scope_words])
    return text or _("the figure reported")


def who(claim: NewClaim) -> str:
    """The speaker and who relayed it: "South Korea's NIS via Reuters", "unsourced"."""
    return speaker_and_relay(claim.speaker, claim.relay)


def speaker_and_relay(speaker: str | None, relay: str | None) -> str:
    if not relay:
        return _short(speaker_words(speaker))
    return _("%(speaker)s via %(relay)s", speaker=_short(speaker_words(speaker)),
             relay=_short(relay))  # fmt: skip


def speaker_words(speaker: str | None) -> str:
    """A figure's speaker as shown: "unsourced" (in the current language) when none is named."""
    return _("unsourced") if not speaker or speaker == UNSOURCED else speaker


def _short(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"
