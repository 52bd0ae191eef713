"""One claim as people read it: the figure, what it counts, who said it, when, the link; the
same line in plain text and in Telegram HTML, in the chat's language and time zone."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.digest.claim_line import (
    NAME_CHARS,
    claim_html,
    claim_text,
    format_value,
    quantity_words,
    who,
)
from bot.translation import speaking
from storage.records import Modifier, NewClaim, Polarity
from tests.digest.digest_samples import make_claim

LATE = datetime(2024, 10, 24, 23, 30, tzinfo=UTC)


def figure(
    value: float | None,
    modifier: Modifier = Modifier.EXACT,
    *,
    low: float | None = None,
    high: float | None = None,
    polarity: Polarity = Polarity.ASSERTS,
) -> NewClaim:
    return NewClaim("t", "s", "troops", "", modifier, polarity, value, low, high)


@pytest.mark.parametrize(
    ("claim", "text"),
    [
        (figure(1500, Modifier.APPROX), "about 1,500"),
        (figure(None, Modifier.RANGE, low=10000, high=12000), "10,000–12,000"),
        (figure(None, Modifier.RANGE, low=500, high=500), "500"),
        (figure(17000, Modifier.AT_LEAST), "at least 17,000"),
        (figure(2e6, Modifier.MORE_THAN), "more than 2,000,000"),
        (figure(12000, Modifier.UP_TO), "up to 12,000"),
        (figure(None, Modifier.UP_TO, high=500), "up to 500"),
        (figure(3, Modifier.RATIO), "×3"),
        (figure(1.5, Modifier.RATIO), "×1.5"),
        (figure(None, Modifier.RATIO), "a multiple"),
        (figure(3000), "3,000"),
        (figure(2.25), "2.25"),
        (figure(None, polarity=Polarity.DENIES), "denies"),
        (figure(3000, polarity=Polarity.DENIES), "denies"),
        (figure(None), "no figure"),
    ],
)
def test_format_value(claim: NewClaim, text: str) -> None:
    assert format_value(claim) == text


@pytest.mark.parametrize(
    ("measure", "scope", "words"),
    [
        ("troops", "arrived in Russia", "troops arrived in Russia"),
        ("killed", "killed in Gaza", "people killed in Gaza"),
        ("killed", "", "people killed"),
        ("wounded", "in Kharkiv", "people wounded in Kharkiv"),
        ("children killed", "killed", "children killed"),
        ("any", "", "the figure reported"),
        ("", "", "the figure reported"),
        ("any", "in Kursk", "in Kursk"),
        ("drones", "", "drones"),
    ],
)
def test_a_quantity_reads_in_words(measure: str, scope: str, words: str) -> None:
    assert quantity_words(measure, scope) == words


def test_text_and_html_are_one_line_with_the_link_and_the_number() -> None:
    claim = make_claim(12, 1500, speaker="NIS", relay="Reuters", at=LATE,
                       modifier=Modifier.APPROX)  # fmt: skip
    url = "https://ex.org/a?b=1&c=2"
    assert claim_text(claim, UTC, url=url) == (
        "about 1,500 — NIS via Reuters, 24 Oct 2024 (https://ex.org/a?b=1&c=2) · #12"
    )
    assert claim_html(claim, UTC, url=url) == (
        'about 1,500 — NIS via Reuters, 24 Oct 2024 (<a href="https://ex.org/a?b=1&amp;c=2">'
        "source</a>) · #12"
    )
    assert claim_text(claim, ZoneInfo("Europe/Kyiv"), number=False) == (
        "about 1,500 — NIS via Reuters, 25 Oct 2024"
    )


def test_an_unsourced_multiple_reads_with_the_multiplication_sign() -> None:
    claim = make_claim(6, 3, speaker=None, relay="Rybar", unsourced=True, at=LATE,
                       modifier=Modifier.RATIO)  # fmt: skip
    assert claim_text(claim, UTC) == "×3 — unsourced via Rybar, 24 Oct 2024 · #6"


def test_hostile_names_are_escaped_in_html_and_long_ones_shortened() -> None:
    hostile = "<b>Evil</b> & co"
    claim = make_claim(2, 3000, speaker=hostile, relay="R" * 200, at=LATE)
    html = claim_html(claim, UTC, url="javascript:alert(1)")
    assert html.startswith("3,000 — &lt;b&gt;Evil&lt;/b&gt; &amp; co via RRR")
    assert "javascript" not in html and "<a" not in html  # no link Telegram would refuse
    relay = who(claim.claim).split(" via ")[1]
    assert len(relay) == NAME_CHARS and relay.endswith("…")
    assert claim_text(claim, UTC).startswith("3,000 — <b>Evil</b> & co via ")


def test_a_claim_reads_in_the_chats_language() -> None:
    claim = make_claim(3, 12000, speaker=None, at=LATE, modifier=Modifier.AT_LEAST)
    with speaking("ru"):
        text = claim_text(claim, UTC, url="https://ex.org/a")
    assert text.startswith("не менее 12\xa0000 — без источника, 24 окт. 2024 (https://ex.org/a)")
    assert "unsourced" not in text and "at least" not in text
