"""Building digests and alerts from the design's example; the value formatter."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from bot.digest.build import (
    ChangeKind,
    ClaimSide,
    Digest,
    build_alert,
    build_digest,
    format_value,
)
from digest.digest_samples import (
    AID,
    ALL_CLAIMS,
    CLAIM_ITEMS,
    CLAIMS_IN_WINDOW,
    CONFLICTS,
    HUR,
    ITEM_TOPICS,
    KREMLIN,
    NIS,
    NIS_AGAIN,
    NK,
    OTHER,
    SINCE,
    SOURCES,
    TRIPLING,
    UNTIL,
    WINDOW_ITEMS,
    ZELENSKY,
    make_claim,
)
from storage.records import ConflictKind, Modifier, NewClaim, Polarity, Topic


def digest(topics: list[Topic] | None = None, size: int = 50, **changes: object) -> Digest:
    arguments: dict[str, Any] = {
        "since": SINCE, "until": UNTIL, "items": WINDOW_ITEMS, "item_topics": ITEM_TOPICS,
        "source_names": SOURCES, "claims": CLAIMS_IN_WINDOW, "conflicts": CONFLICTS,
        "conflict_claims": ALL_CLAIMS, "claim_items": CLAIM_ITEMS, "size": size,
    }  # fmt: skip
    arguments.update(changes)
    return build_digest([NK, AID] if topics is None else topics, **arguments)


def test_sections_follow_the_chats_topics_and_leave_others_out() -> None:
    built = digest()
    assert [s.topic for s in built.sections] == [NK.name, AID.name]
    assert (built.since, built.until, built.more, built.is_empty) == (SINCE, UNTIL, 0, False)
    everything = [e for s in built.sections for e in (*s.conflicts, *s.changes, *s.stories)]
    assert "Turkey" not in repr(everything)


def test_conflicts_come_with_both_sides_kind_and_reason() -> None:
    [numeric, denial] = digest().sections[0].conflicts
    assert (numeric.conflict_id, numeric.kind, numeric.reason) == (
        11,
        ConflictKind.NUMERIC,
        "Zelensky vs NIS",
    )
    assert numeric.quantity == "troops arrived in Russia"
    assert numeric.topic == NK.name
    assert numeric.reported == ClaimSide(
        3, "10,000", "Zelensky", None, ZELENSKY.stated_at, "https://kyiv.example/z"
    )
    assert numeric.on_record == ClaimSide(
        1, "about 1,500", "NIS", None, NIS.stated_at, "https://news4.example/101"
    )
    assert (denial.kind, denial.reported.value, denial.reported.speaker) == (
        ConflictKind.DENIAL,
        "denies",
        "Kremlin",
    )


def test_ledger_changes_are_what_no_conflict_shows_marked_by_kind() -> None:
    changes = digest().sections[0].changes
    assert [(c.kind, c.claim.id) for c in changes] == [
        (ChangeKind.NEW_FIGURE, HUR.id),
        (ChangeKind.UNSOURCED, TRIPLING.id),
        (ChangeKind.REVISION, NIS_AGAIN.id),
    ]
    new, unsourced, revision = changes
    assert (new.side.value, new.side.speaker, new.side.relay, new.side.url) == (
        "11,000–12,000",
        "HUR",
        "Reuters",
        "https://reuters.example/h",
    )
    assert (unsourced.side.value, unsourced.side.speaker, unsourced.side.relay) == (
        "×3",
        "unsourced",
        "Rybar",
    )
    assert revision.previous is not None and revision.previous.value == "about 1,500"
    assert revision.side.value == "3,000"


def test_a_denial_recorded_without_a_conflict_is_a_denial_change() -> None:
    built = digest(conflicts=[])
    kinds = {c.claim.id: c.kind for c in built.sections[0].changes}
    assert kinds[KREMLIN.id] is ChangeKind.DENIAL
    assert kinds[ZELENSKY.id] is ChangeKind.NEW_FIGURE
    assert kinds[NIS_AGAIN.id] is ChangeKind.NEW_FIGURE  # no revision detected


def test_stories_cluster_per_topic_most_covered_first() -> None:
    nk, aid = digest().sections
    assert [sorted(i.id for i in s.items) for s in nk.stories] == [[201, 202], [203]]
    assert nk.stories[0].links[0].name == "Reuters"
    assert [s.coverage for s in aid.stories] == [2, 1]


def test_the_cap_keeps_conflicts_then_changes_then_the_most_covered_stories() -> None:
    full = digest()
    total = sum(s.entries for s in full.sections)
    assert total == 2 + 3 + 2 + 2
    capped = digest(size=6)
    [nk] = capped.sections  # aid's best story ties on coverage and came later: it is cut
    assert (len(nk.conflicts), len(nk.changes)) == (2, 3)
    assert [sorted(i.id for i in s.items) for s in nk.stories] == [[201, 202]]
    assert capped.more == total - 6
    only_conflicts = digest(size=1)
    assert [s.entries for s in only_conflicts.sections] == [1]
    assert only_conflicts.more == total - 1
    assert not only_conflicts.is_empty


def test_an_empty_window_is_an_empty_digest() -> None:
    built = digest(items=[], claims=[], conflicts=[])
    assert built.is_empty and built.sections == () and built.more == 0
    assert digest(topics=[]).is_empty
    assert digest(topics=[OTHER], items=[], conflicts=[]).sections[0].changes[0].claim.id == 8


def test_items_without_topics_and_removed_claims_are_skipped() -> None:
    built = digest(item_topics={}, conflict_claims={k: v for k, v in ALL_CLAIMS.items() if k != 1})
    nk = built.sections[0]
    assert [c.conflict_id for c in nk.conflicts] == [12]
    assert nk.stories == ()


def test_alert_lists_new_conflicts_on_the_chats_topics() -> None:
    alert = build_alert(CONFLICTS, ALL_CLAIMS, CLAIM_ITEMS, [NK])
    assert [e.conflict_id for e in alert.conflicts] == [11, 12, 13]
    assert alert.conflicts[2].kind is ConflictKind.REVISION
    assert alert.conflicts[0].reported.url == "https://kyiv.example/z"
    assert build_alert(CONFLICTS, ALL_CLAIMS, CLAIM_ITEMS, [AID]).is_empty


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
        (figure(None), "no figure"),
    ],
)
def test_format_value(claim: NewClaim, text: str) -> None:
    assert format_value(claim) == text


def test_claims_of_an_unknown_item_have_no_link() -> None:
    orphan = make_claim(9, 5, speaker="X", at=SINCE + timedelta(hours=1), item_id=999)
    built = digest(claims=[orphan], conflicts=[])
    assert built.sections[0].changes[0].side.url is None
