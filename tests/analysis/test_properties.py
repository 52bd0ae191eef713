"""Arbitrary text never crashes the analysis, and what comes out keeps its invariants."""

import sys
from datetime import UTC, datetime

from hypothesis import example, given, settings
from hypothesis import strategies as st

from bot.analysis.analyzer import Analyzer
from bot.analysis.attribution import NOBODY, attribute, may_attribute
from bot.analysis.claims import extract_claims
from bot.analysis.quantities import find_quantities, may_hold_quantity
from bot.analysis.sentences import (
    EXCERPT_LIMIT,
    ItemWords,
    normalize_text,
    split_sentences,
    tokenize,
    unify_text,
    word_set,
)
from bot.analysis.topics import TopicMatcher
from bot.config.files import TopicSpec, Watchlist

TOPICS = (TopicSpec("NK", ("North Korea", "КНДР", "Північна Корея", "US")),)
ANALYZER = Analyzer(Watchlist(TOPICS))
MATCHER = TopicMatcher(TOPICS)
AT = datetime(2024, 1, 1, tzinfo=UTC)
# Text biased toward what the grammar looks at: digits, separators, number and topic words.
PIECES = st.sampled_from(
    [
        "she said",
        "заявил он",
        "Source: he",
        "Об этом сообщил он",
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
PIECES_FOR_SCALE = [
    "North Korea",
    "КНДР",
    "said",
    "заявил",
    "Officials",
    "Police",
    "according to",
    "по данным",
    "1,500",
    "12 тысяч",
    "troops",
    "військових",
    ":",
    "quickly",
    "Об этом сообщил",
    "(AP)",
    "—",
    ",",
    "the toll rose by 3 to",
    "Source:",
]
TEXT = st.one_of(
    st.text(max_size=300),
    st.lists(st.one_of(PIECES, st.text(max_size=5)), max_size=60).map(" ".join),
)


@settings(max_examples=300, deadline=None)
@given(TEXT, st.one_of(st.none(), st.text(max_size=40)))
@example("Петров вышел. В КНДР погибли 10 человек.\nОб этом заявил он.", None)
def test_analyze_never_crashes(text: str, title: str | None) -> None:
    analysis = ANALYZER.analyze(text, item_ref="x", stated_at=AT, title=title)
    for match in analysis.topics:
        assert 0 <= match.score <= 100
    for identified in analysis.claims:
        claim = identified.claim
        assert claim.value is not None or claim.low is not None or claim.polarity == "denies"
        if claim.low is not None and claim.high is not None:
            assert claim.low < claim.high
        # Internal markers (the pronoun to resolve) never reach a claim's words.
        for words in (claim.speaker, claim.relay, claim.measure):
            assert words is None or "\x00" not in words
        assert len(claim.sentence) <= EXCERPT_LIMIT
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
@example("A 1e5 b c d e f g: h i j k l m n")  # an exponent's "e" is no word before a colon
@example("Officials of the two regions said at 10:30 that: the ministry")
def test_cheap_tests_never_rule_out_what_the_grammar_finds(text: str) -> None:
    tokens = tokenize(text)
    words = word_set(text)
    assert words == {t.low for t in tokens if t.kind == "word"}
    if not may_hold_quantity(text, words):
        assert find_quantities(text) == []
    if not may_attribute(words, text):
        assert attribute(text, tokens) == NOBODY


@settings(max_examples=300, deadline=None)
@given(st.lists(TEXT, max_size=4).map("\n".join))
@example("Цены выросли.  «Так», — сказал он. 1e5 штук\nİstanbul: 3 000 человек")
@example("He said 5,000. Then 1.5e3 more!")  # an exponent somewhere: sentence by sentence
def test_item_words_give_each_sentence_its_word_set(text: str) -> None:
    body = unify_text(text)
    words = ItemWords(body)
    for sentence in split_sentences(body):
        assert words.of(sentence) == word_set(sentence.text)


def _calls(text: str) -> int:
    """Python function calls made finding the topics and claims of ``text``: a measure of work
    that, unlike time, a busy machine does not disturb. (The ledger's comparisons are bounded
    per claim, and claims per item.)"""
    count = 0

    def profile(frame: object, event: str, arg: object) -> None:
        nonlocal count
        if event == "call":
            count += 1

    body = normalize_text(text)
    sys.setprofile(profile)
    try:
        extract_claims(body, MATCHER.mentions(body))
    finally:
        sys.setprofile(None)
    return count


# Texts built to stress every search of the grammar: no sentence punctuation, runs of
# capitalized names, reporting verbs, colons, numbers, adverbs and "according to".
STRESS = st.lists(st.sampled_from(PIECES_FOR_SCALE), min_size=5, max_size=30).map(" ".join)


@settings(max_examples=12, deadline=None)
@given(STRESS)
@example("North Korea said Police said 1,500 troops according to Officials: 3,000 soldiers")
@example("North Korea quickly quickly quickly said 12 тысяч военных")
def test_claims_take_linear_time(unit: str) -> None:
    small, large = " ".join([unit] * 8), " ".join([unit] * 64)
    _calls(small)  # fills the caches (word readings, the lexicons' forms) first
    assert _calls(large) <= 8 * 2 * _calls(small) + 5_000
