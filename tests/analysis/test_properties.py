"""Arbitrary text never crashes the analysis, and what comes out keeps its invariants."""

from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.analysis.analyzer import Analyzer
from bot.analysis.attribution import NOBODY, attribute, may_attribute
from bot.analysis.quantities import find_quantities, may_hold_quantity
from bot.analysis.sentences import tokenize, word_set
from bot.config_files import TopicSpec, Watchlist

ANALYZER = Analyzer(Watchlist((TopicSpec("NK", ("North Korea", "КНДР", "Північна Корея", "US")),)))
AT = datetime(2024, 1, 1, tzinfo=UTC)
# Text biased toward what the grammar looks at: digits, separators, number and topic words.
PIECES = st.sampled_from(
    [
        "1,500",
        "1 500",
        "1\u202f500",
        "1.5",
        "тыс.",
        "тис.",
        "million",
        "about",
        "до",
        "от",
        "between",
        "and",
        "-",
        "–",
        "times",
        "втрое",
        "в",
        "раза",
        "North Korea",
        "КНДР",
        "said",
        "according to",
        "по данным",
        "denied",
        "фейк",
        ",",
        ".",
        "\n",
        "'s",
        "“",
        "”",
        "$",
        "%",
        "152-mm",
        "June",
        "26",
        "2024",
        "He",
        "citing",
        "U.S.",
        "half a",
        "a",
        "troops",
        "військових",
    ]
)
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=60).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.one_of(st.none(), st.text(max_size=40)))
def test_analyze_never_crashes(text: str, title: str | None) -> None:
    analysis = ANALYZER.analyze(text, item_ref="x", stated_at=AT, title=title)
    for match in analysis.topics:
        assert 0 <= match.score <= 100
    for identified in analysis.claims:
        claim = identified.claim
        assert claim.value is not None or claim.low is not None or claim.polarity == "denies"
        if claim.low is not None and claim.high is not None:
            assert claim.low < claim.high
    ids = {c.claim_id for c in analysis.claims}
    assert all(c.claim_id in ids for c in analysis.conflicts)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_quantities_are_spans_of_the_text(text: str) -> None:
    for quantity in find_quantities(text):
        assert 0 <= quantity.start < quantity.end <= len(text)
        assert all(n >= 0 for n in quantity.numbers)


@settings(max_examples=500, deadline=None)
@given(TEXT)
@example("The Kremlin‘denied it")  # "‘" joins no words: "'", which it becomes, does
@example("ʼ")  # a letter, that becomes an apostrophe
def test_cheap_tests_never_rule_out_what_the_grammar_finds(text: str) -> None:
    tokens = tokenize(text)
    words = word_set(text)
    assert words == {t.low for t in tokens if t.kind == "word"}
    if not may_hold_quantity(text, words):
        assert find_quantities(text) == []
    if not may_attribute(words, text):
        assert attribute(text, tokens) == NOBODY
