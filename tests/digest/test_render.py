"""Rendering: Telegram HTML (escaped, balanced, allowed tags only, <= 4096 a message), plain
text for the terminal, time zones, and splitting long messages."""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.analysis.stories import Story, StoryLink
from bot.digest.build import (
    ChangeKind,
    Digest,
    LedgerChange,
    TopicSection,
    build_alert,
    digest_of,
    topic_windows,
)
from bot.digest.disputes import build_disputes
from bot.digest.render import (
    render_alert_html,
    render_alert_text,
    render_caption,
    render_dispute_html,
    render_html,
    render_text,
)
from bot.digest.split import MESSAGE_LIMIT, split_message
from storage.records import Conflict, ConflictKind
from tests.digest.digest_samples import (
    ALL_CLAIMS,
    CLAIM_ITEMS,
    CLAIMS_IN_WINDOW,
    CONFLICTS,
    ITEM_TOPICS,
    NK,
    SINCE,
    SOURCES,
    UNTIL,
    WINDOW_ITEMS,
    make_claim,
    make_item,
)
from tests.fakebotapi import EntityParseError, parse_html

KYIV = ZoneInfo("Europe/Kyiv")
NEW_YORK = ZoneInfo("America/New_York")

# --- a checker of what Telegram accepts ---------------------------------------------------

# The fake Bot API's port of Telegram's HTML parser decides what Telegram accepts; on top of it,
# our own rule that every "&" we write starts an entity (text from feeds is always escaped).
_BARE_AMPERSAND = re.compile(r"&(?!(?:lt|gt|amp|quot|#[0-9]+|#x[0-9a-fA-F]+);)")


def check_telegram_html(message: str) -> None:
    """What Telegram's HTML parse mode accepts, at most 4096 characters, no bare "&"."""
    assert 0 < len(message) <= MESSAGE_LIMIT
    try:
        parse_html(message)
    except EntityParseError as refused:
        raise AssertionError(f"Telegram refuses {message[:80]!r}: {refused}") from None
    assert not _BARE_AMPERSAND.search(message), f"bare & in {message[:80]!r}"


def visible_text(message: str) -> str:
    return parse_html(message)


@pytest.mark.parametrize(
    "message",
    ["<b>x</b>", "a &amp; b", '<a href="https://x.example/?a=1&amp;b=2">l</a>', "<i>é</i>"],
)
def test_the_checker_accepts_telegram_html(message: str) -> None:
    check_telegram_html(message)


@pytest.mark.parametrize(
    "message",
    ["<b>x", "<b>x</i>", "<script>x</script>", "a & b", "1 < 2", "<b>a</b></b>", "&nbsp;",
     "x" * 4097],
)  # fmt: skip
def test_the_checker_refuses_what_telegram_refuses(message: str) -> None:
    with pytest.raises(AssertionError):
        check_telegram_html(message)


# --- digests --------------------------------------------------------------------------------


def sample_digest(size: int = 8) -> Digest:
    windows = topic_windows(
        [NK], since=SINCE, until=UNTIL, items=WINDOW_ITEMS,
        item_topics=ITEM_TOPICS, source_names=SOURCES, claims=CLAIMS_IN_WINDOW,
        conflicts=CONFLICTS, conflict_claims=ALL_CLAIMS, claim_items=CLAIM_ITEMS,
    )  # fmt: skip
    return digest_of([NK], windows, since=SINCE, until=UNTIL, size=size)


def test_every_section_is_rendered_in_html() -> None:
    [message] = render_html(sample_digest(size=4), KYIV)
    check_telegram_html(message)
    lines = message.splitlines()
    assert lines[0] == "<b>Digest</b>: 23 Oct 2024, 12:00 EEST – 25 Oct 2024, 12:00 EEST"
    for heading in ("North Korean troops in Russia", "Disputed figures", "Ledger changes",
                    "Stories"):  # fmt: skip
        assert f"<b>{heading}</b>" in lines
    disputed = lines.index("<b>Disputed figures</b>")
    assert disputed < lines.index("<b>Ledger changes</b>") < lines.index("<b>Stories</b>")
    # the dispute once: the quantity and its spread, then each figure by value
    assert lines[disputed + 1 : disputed + 6] == [
        "• <b>troops arrived in Russia</b>: 1,500 to 10,000: ×6.7 (4 reports, 3 new, #1)",
        '    about 1,500 — NIS, 18 Oct 2024 (<a href="https://news4.example/101">source</a>)',
        '    3,000 — NIS, 24 Oct 2024 (<a href="https://bbc.example/nis">source</a>) · '
        "<i>new · revised from about 1,500 (18 Oct 2024)</i>",
        '    10,000 — Zelensky, 24 Oct 2024 (<a href="https://kyiv.example/z">source</a>) · '
        "<i>new</i>",
        '    denies — Kremlin, 24 Oct 2024 (<a href="https://meduza.example/k">source</a>) · '
        "<i>new · a denial</i>",
    ]
    for fragment in (
        "<i>new figure</i> — troops arrived in Russia: 11,000–12,000 — HUR via Reuters",
        "<i>unsourced</i> — troops arrived in Russia: ×3 — unsourced via Rybar",
        '— 2 sources: <a href="https://reuters.example/zelensky">Reuters</a>, '
        '<a href="https://bbc.example/zelensky">BBC</a>',
    ):
        assert fragment in message
    assert "numeric" not in message and "any" not in message.split()  # no internal words
    assert lines[-1] == "and 1 more — see /claims"


def test_plain_text_is_the_same_digest_without_markup() -> None:
    digest = sample_digest(size=4)
    text = render_text(digest, KYIV)
    assert not re.search(r"</?[a-z]+[ >]|&[a-z#0-9]+;", text)
    first_html_line = visible_text(render_html(digest, KYIV)[0]).splitlines()[0]
    assert first_html_line == text.splitlines()[0]
    assert "10,000 — Zelensky, 24 Oct 2024 (https://kyiv.example/z)" in text
    assert "Reuters (https://reuters.example/zelensky), BBC (https://bbc.example/zelensky)" in text
    assert text.splitlines()[-1] == "and 1 more — see /claims"


HOSTILE = "<script>alert(\"x\")</script> & 'quotes' <b>bold</b> &amp;"
HOSTILE_URL = 'https://evil.example/?q="><script>alert(1)</script>&x=1'


def hostile_digest() -> Digest:
    item = make_item(1, 1, HOSTILE, url=HOSTILE_URL)
    story = Story(
        items=(item,), title=HOSTILE, sources=(1,),
        links=(StoryLink(HOSTILE, HOSTILE_URL), StoryLink("js", "javascript:alert(1)")),
        first_seen_at=SINCE,
    )  # fmt: skip
    hostile = {
        n: replace(c, claim=replace(c.claim, topic=HOSTILE, speaker=HOSTILE, relay=HOSTILE,
                                    measure=HOSTILE))
        for n, c in ALL_CLAIMS.items()
    }  # fmt: skip
    [dispute] = build_disputes(hostile, CONFLICTS[:2], dict.fromkeys(hostile, HOSTILE_URL))
    change = LedgerChange(ChangeKind.NEW_FIGURE, hostile[3], HOSTILE_URL)
    section = TopicSection(HOSTILE, (dispute,), (change,), (story,))
    return Digest((section,), more=0, since=SINCE, until=UNTIL)


def test_hostile_text_is_escaped_and_links_are_safe() -> None:
    [message] = render_html(hostile_digest(), KYIV)
    check_telegram_html(message)
    assert "<script" not in message and "<b>bold" not in message
    escaped = "&lt;script&gt;alert(\"x\")&lt;/script&gt; &amp; 'quotes' "
    assert f"<b>{escaped}&lt;b&gt;bold&lt;/b&gt; &amp;amp;</b>" in message
    href = "https://evil.example/?q=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;x=1"
    assert f'<a href="{href}">' in message
    assert "javascript:" not in message  # not a link Telegram takes: the name alone
    assert ", js" in message
    text = render_text(hostile_digest(), KYIV)
    assert HOSTILE in text and HOSTILE_URL in text and "&lt;" not in text


def test_line_breaks_in_feed_text_do_not_break_lines() -> None:
    story = Story((), "first line\nsecond line\r\nthird", (1,), (StoryLink("A\nB", None),), SINCE)
    digest = Digest((TopicSection("T", (), (), (story,)),), 0, SINCE, UNTIL)
    [message] = render_html(digest, KYIV)
    assert "• first line second line  third — 1 source: A B" in message.splitlines()
    assert "• first line second line  third — 1 source: A B" in render_text(digest, KYIV)


def test_an_empty_digest_is_one_line_in_the_chats_time_zone() -> None:
    late = datetime(2024, 10, 25, 2, 30, tzinfo=UTC)
    empty = Digest((), more=0, since=late, until=late + timedelta(days=1))
    assert render_html(empty, KYIV) == ["Nothing new on your topics since 25 Oct 2024, 05:30 EEST."]
    assert render_html(empty, NEW_YORK) == [
        "Nothing new on your topics since 24 Oct 2024, 22:30 EDT."
    ]
    assert render_text(empty, NEW_YORK) == render_html(empty, NEW_YORK)[0]
    first = Digest((), more=0, since=None, until=late)
    assert render_text(first, KYIV) == "Nothing new on your topics yet."


def test_dates_are_shown_in_the_chats_time_zone() -> None:
    late = datetime(2024, 10, 24, 23, 30, tzinfo=UTC)
    nis = replace(ALL_CLAIMS[1], stated_at=late)
    change = LedgerChange(ChangeKind.NEW_FIGURE, nis, None)
    digest = Digest((TopicSection("T", (), (change,), ()),), 0, None, late)
    assert "about 1,500 — NIS, 25 Oct 2024" in render_text(digest, KYIV)
    assert "about 1,500 — NIS, 24 Oct 2024" in render_text(digest, NEW_YORK)
    assert render_text(digest, NEW_YORK).splitlines()[0] == "Digest: until 24 Oct 2024, 19:30 EDT"


def test_a_long_digest_splits_into_valid_messages_at_line_boundaries() -> None:
    stories = tuple(
        Story((), f"Story number {n} & <more>", (1, 2), (StoryLink("A", f"https://a.example/{n}"),
              StoryLink("B", f"https://b.example/{n}")), SINCE)
        for n in range(400)
    )  # fmt: skip
    digest = Digest((TopicSection("Topic", (), (), stories),), 7, SINCE, UNTIL)
    messages = render_html(digest, KYIV)
    assert len(messages) > 3
    for message in messages:
        check_telegram_html(message)
    story_lines = [
        f"• Story number {n} &amp; &lt;more&gt; — 2 sources: "
        f'<a href="https://a.example/{n}">A</a>, <a href="https://b.example/{n}">B</a>'
        for n in range(400)
    ]
    header = "<b>Digest</b>: 23 Oct 2024, 12:00 EEST – 25 Oct 2024, 12:00 EEST"
    expected = [header, "<b>Topic</b>", "<b>Stories</b>", *story_lines, "and 7 more — see /claims"]
    assert [line for m in messages for line in m.splitlines() if line] == expected


def test_alerts_say_what_is_new_against_what_is_on_record() -> None:
    alert = build_alert(CONFLICTS, ALL_CLAIMS, CLAIM_ITEMS, [NK])
    [message] = render_alert_html(alert, KYIV)
    check_telegram_html(message)
    assert message.startswith(
        "<b>New disputed figures</b>\n\n<b>North Korean troops in Russia</b>\n"
        "• <b>troops arrived in Russia</b>: 1,500 to 10,000: ×6.7 (4 reports, #1)\n"
    )
    assert "<b>Zelensky: 10,000</b>, against about 1,500 on record" in message
    assert "<b>NIS: 3,000</b>, against about 1,500 on record" in message
    assert "<i>revised from about 1,500 (18 Oct 2024)</i>" in message
    assert "<b>Kremlin denies it</b>, against about 1,500 on record" in message
    text = render_alert_text(alert, NEW_YORK)
    assert text.startswith("New disputed figures\n\nNorth Korean troops in Russia\n")
    assert "(https://meduza.example/k)" in text
    one = build_alert(CONFLICTS[:1], ALL_CLAIMS, CLAIM_ITEMS, [NK], known_conflicts=CONFLICTS)
    single = render_alert_text(one, KYIV)
    assert single.startswith("New disputed figure\n")
    assert "Zelensky: 10,000, against 1,500–3,000 and a denial on record" in single


def test_a_dispute_renders_alone_and_as_a_caption() -> None:
    [dispute] = build_disputes(ALL_CLAIMS, CONFLICTS[:3], {})
    html_text = render_dispute_html(dispute, KYIV)
    check_telegram_html(html_text)
    assert "new" not in html_text  # /claims marks nothing as new
    assert html_text.splitlines()[1] == "    about 1,500 — NIS, 18 Oct 2024 · #1"  # its claim
    caption = render_caption(dispute)
    check_telegram_html(caption)
    assert caption == (
        "<b>North Korean troops in Russia</b> — troops arrived in Russia: 1,500 to 10,000: ×6.7 "
        "(4 reports, #1)"
    )


# --- splitting ---------------------------------------------------------------------------

LINK = '<a href="https://example.com/page">a link</a>'


@pytest.mark.parametrize(
    ("html_text", "expected"),
    [
        ("short", ["short"]),
        ("", []),
        ("\n \n", []),
        ("x" * 4096, ["x" * 4096]),
        ("a" * 2000 + "\n" + "b" * 2095, ["a" * 2000 + "\n" + "b" * 2095]),
        ("a" * 2000 + "\n" + "b" * 2096, ["a" * 2000, "b" * 2096]),
        ("a" * 4060 + "\n" + LINK, ["a" * 4060, LINK]),  # the link moves whole
        ("<b>" + "a" * 4080 + "</b>\n\n\n<b>c</b>", ["<b>" + "a" * 4080 + "</b>", "<b>c</b>"]),
    ],
    ids=["short", "empty", "blank", "exactly-4096", "4096-over-two-lines",
         "4097-over-two-lines", "link-at-the-boundary", "blank-lines-between"],
)  # fmt: skip
def test_split_message_cases(html_text: str, expected: list[str]) -> None:
    assert split_message(html_text) == expected


def test_one_huge_line_is_cut_between_words() -> None:
    words = " ".join(f"word{n}" for n in range(3000))
    messages = split_message(words)
    assert len(messages) == 7  # 25,889 characters
    assert "".join(messages) == words
    assert all(m.endswith(" ") and 4080 <= len(m) <= 4096 for m in messages[:-1])


def test_a_huge_line_inside_tags_is_closed_and_reopened() -> None:
    line = f'<b>{"bold " * 1000}<a href="https://x.example/">{"link " * 1000}</a></b> tail'
    messages = split_message(line)
    assert len(messages) >= 3
    for message in messages:
        check_telegram_html(message)
    assert messages[1].startswith("<b>")
    assert any(m.startswith('<b><a href="https://x.example/">link') for m in messages)
    assert "".join(visible_text(m) for m in messages) == visible_text(line)


def test_entities_and_tags_are_never_cut() -> None:
    line = "&amp;" * 2000 + "<i>" + "&lt;x&gt;" * 500 + "</i>"
    messages = split_message(line)
    for message in messages:
        check_telegram_html(message)
    assert "".join(visible_text(m) for m in messages) == visible_text(line)


def test_characters_beyond_the_bmp_count_twice() -> None:
    messages = split_message("😀" * 4096)
    assert [len(m) for m in messages] == [2048, 2048]


def test_a_tag_too_long_for_any_message_is_dropped_its_text_kept() -> None:
    huge = f'<a href="https://x.example/{"p" * 5000}">kept text</a> and more'
    assert split_message(huge) == ["kept text and more"]


def test_a_word_longer_than_a_message_is_cut_inside() -> None:
    messages = split_message("<b>" + "x" * 9000 + "</b>")
    assert [visible_text(m) for m in messages] == ["x" * 4089, "x" * 4089, "x" * 822]
    for message in messages:
        check_telegram_html(message)


def test_a_too_small_limit_is_refused() -> None:
    with pytest.raises(ValueError, match="too small"):
        split_message("text", limit=10)


def test_a_long_dispute_in_a_listing_keeps_its_lowest_and_highest_figures() -> None:
    claims = {
        n: make_claim(n, 1000 * n, speaker=f"S{n}", at=SINCE + timedelta(hours=n))
        for n in range(1, 21)
    }
    pairs = [
        Conflict(100 + n, n, 1, ConflictKind.NUMERIC, "r", SINCE + timedelta(hours=n))
        for n in range(2, 21)
    ]
    [dispute] = build_disputes(claims, pairs, {})
    lines = render_dispute_html(dispute, KYIV, most=6).splitlines()
    assert len(lines) == 1 + 6 + 1
    assert [line.rsplit("#", 1)[1] for line in lines[1:4]] == ["1", "2", "3"]
    assert lines[4] == "    … 14 more between them: /claims show 1"
    assert [line.rsplit("#", 1)[1] for line in lines[5:]] == ["18", "19", "20"]
    assert len(render_dispute_html(dispute, KYIV).splitlines()) == 21
