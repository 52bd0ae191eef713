"""Building digests and alerts from the design's example."""

from __future__ import annotations

from datetime import UTC, timedelta
from typing import Any

from bot.digest.build import (
    ChangeKind,
    Digest,
    build_alert,
    digest_of,
    topic_windows,
)
from bot.digest.claim_line import claim_text
from storage.records import Conflict, ConflictKind, Topic
from tests.digest.digest_samples import (
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


def digest(topics: list[Topic] | None = None, size: int = 50, **changes: object) -> Digest:
    arguments: dict[str, Any] = {
        "since": SINCE, "until": UNTIL, "items": WINDOW_ITEMS, "item_topics": ITEM_TOPICS,
        "source_names": SOURCES, "claims": CLAIMS_IN_WINDOW, "conflicts": CONFLICTS,
        "conflict_claims": ALL_CLAIMS, "claim_items": CLAIM_ITEMS,
    }  # fmt: skip
    arguments.update(changes)
    shown = [NK, AID] if topics is None else topics
    windows = topic_windows(shown, **arguments)
    return digest_of(shown, windows, since=arguments["since"], until=arguments["until"], size=size)


def test_sections_follow_the_chats_topics_and_leave_others_out() -> None:
    built = digest()
    assert [s.topic for s in built.sections] == [NK.name, AID.name]
    assert (built.since, built.until, built.more, built.is_empty) == (SINCE, UNTIL, 0, False)
    everything = [e for s in built.sections for e in (*s.disputes, *s.changes, *s.stories)]
    assert "Turkey" not in repr(everything)


def test_the_conflicts_of_one_quantity_are_one_dispute_with_every_figure_by_value() -> None:
    [dispute] = digest().sections[0].disputes  # three pairs, one dispute
    assert dispute.id == NIS.id and dispute.topic == NK.name
    assert dispute.quantity == "troops arrived in Russia"
    assert [(f.claim_id, f.value, f.speaker) for f in dispute.figures] == [
        (NIS.id, "about 1,500", "NIS"),
        (NIS_AGAIN.id, "3,000", "NIS"),
        (ZELENSKY.id, "10,000", "Zelensky"),
        (KREMLIN.id, "denies", "Kremlin"),  # no figure: after the figures
    ]
    assert dispute.spread is not None and dispute.spread.text == "1,500 to 10,000: ×6.7"
    zelensky = dispute.figure(ZELENSKY.id)
    assert zelensky is not None and zelensky.url == "https://kyiv.example/z"
    assert zelensky.stated_at == ZELENSKY.stated_at


def test_each_figure_says_how_it_disagrees_and_whether_it_is_new() -> None:
    [dispute] = digest().sections[0].disputes
    new = {f.claim_id for f in dispute.new_figures}
    assert new == {NIS_AGAIN.id, ZELENSKY.id, KREMLIN.id}  # NIS's first figure was on record
    revision = dispute.figure(NIS_AGAIN.id)
    assert revision is not None and revision.revision_of is not None
    assert (revision.revision_of.other_value, revision.revision_of.other_claim_id) == (
        "about 1,500",
        NIS.id,
    )
    kremlin = dispute.figure(KREMLIN.id)
    assert kremlin is not None
    assert [(d.kind, d.other_claim_id) for d in kremlin.disagreements] == [
        (ConflictKind.DENIAL, ZELENSKY.id)
    ]


def test_ledger_changes_are_the_claims_no_dispute_shows_marked_by_kind() -> None:
    changes = digest().sections[0].changes
    assert [(c.kind, c.claim.id) for c in changes] == [
        (ChangeKind.NEW_FIGURE, HUR.id),
        (ChangeKind.UNSOURCED, TRIPLING.id),
    ]
    new, unsourced = changes
    assert new.url == "https://reuters.example/h" and new.quantity == "troops arrived in Russia"
    assert claim_text(new.claim, UTC, url=new.url, number=False) == (
        "11,000–12,000 — HUR via Reuters, 24 Oct 2024 (https://reuters.example/h)"
    )
    assert unsourced.url == "https://t.me/rybar/1"
    assert claim_text(unsourced.claim, UTC, number=False).startswith("×3 — unsourced via Rybar, ")


def test_a_denial_recorded_without_a_conflict_is_a_denial_change() -> None:
    built = digest(conflicts=[])
    kinds = {c.claim.id: c.kind for c in built.sections[0].changes}
    assert kinds[KREMLIN.id] is ChangeKind.DENIAL
    assert kinds[ZELENSKY.id] is ChangeKind.NEW_FIGURE
    assert kinds[NIS_AGAIN.id] is ChangeKind.NEW_FIGURE  # no revision detected


def test_a_dispute_with_no_conflict_found_in_the_window_is_not_shown() -> None:
    old = [Conflict(c.id, c.claim_id, c.other_claim_id, c.kind, c.reason, SINCE) for c in CONFLICTS]
    built = digest(conflicts=old)
    assert built.sections[0].disputes == ()
    assert {c.claim.id for c in built.sections[0].changes} >= {ZELENSKY.id, KREMLIN.id}


def test_stories_cluster_per_topic_most_covered_first() -> None:
    nk, aid = digest().sections
    assert [sorted(i.id for i in s.items) for s in nk.stories] == [[201, 202], [203]]
    assert nk.stories[0].links[0].name == "Reuters"
    assert [s.coverage for s in aid.stories] == [2, 1]


def test_the_cap_keeps_disputes_then_changes_then_the_most_covered_stories() -> None:
    full = digest()
    total = sum(s.entries for s in full.sections)
    assert total == 1 + 2 + 2 + 2
    capped = digest(size=4)
    [nk] = capped.sections  # aid's best story ties on coverage and came later: it is cut
    assert (len(nk.disputes), len(nk.changes)) == (1, 2)
    assert [sorted(i.id for i in s.items) for s in nk.stories] == [[201, 202]]
    assert capped.more == total - 4
    only_disputes = digest(size=1)
    assert [len(s.disputes) for s in only_disputes.sections] == [1]
    assert only_disputes.more == total - 1
    assert not only_disputes.is_empty


def test_topic_windows_built_one_topic_at_a_time_make_the_digest_built_at_once() -> None:
    records: dict[str, Any] = {
        "since": SINCE, "until": UNTIL, "items": WINDOW_ITEMS, "item_topics": ITEM_TOPICS,
        "source_names": SOURCES, "claims": CLAIMS_IN_WINDOW, "conflicts": CONFLICTS,
        "conflict_claims": ALL_CLAIMS, "claim_items": CLAIM_ITEMS,
    }  # fmt: skip
    apart = topic_windows([AID], **records) | topic_windows([NK], **records)
    assert len(apart[NK.id].disputes) == 1 and not apart[AID.id].disputes
    for size in (1, 4, 50):
        together = digest(size=size)
        assert digest_of([NK, AID], apart, since=SINCE, until=UNTIL, size=size) == together
    reversed_order = digest_of([AID, NK], apart, since=SINCE, until=UNTIL, size=50)
    assert [s.topic for s in reversed_order.sections] == [AID.name, NK.name]


def test_the_most_active_dispute_has_the_most_new_figures() -> None:
    quiet = make_claim(30, 100, speaker="A", at=SINCE + timedelta(hours=2), topic=AID)
    loud = make_claim(31, 900, speaker="B", at=SINCE + timedelta(hours=3), topic=AID)
    aid_conflict = Conflict(40, loud.id, quiet.id, ConflictKind.NUMERIC, "B vs A", UNTIL)
    claims = ALL_CLAIMS | {quiet.id: quiet, loud.id: loud}
    built = digest(conflicts=[*CONFLICTS, aid_conflict], conflict_claims=claims)
    assert [len(s.disputes) for s in built.sections] == [1, 1]
    most = built.most_active
    assert most is not None and most.id == NIS.id  # three new figures against two
    assert digest(conflicts=[]).most_active is None


def test_an_empty_window_is_an_empty_digest() -> None:
    built = digest(items=[], claims=[], conflicts=[])
    assert built.is_empty and built.sections == () and built.more == 0
    assert digest(topics=[]).is_empty
    assert digest(topics=[OTHER], items=[], conflicts=[]).sections[0].changes[0].claim.id == 8


def test_items_without_topics_and_removed_claims_are_skipped() -> None:
    built = digest(item_topics={}, conflict_claims={k: v for k, v in ALL_CLAIMS.items() if k != 1})
    [dispute] = built.sections[0].disputes
    assert [f.claim_id for f in dispute.figures] == [ZELENSKY.id, KREMLIN.id]
    assert built.sections[0].stories == ()


def test_an_alert_shows_each_dispute_once_with_what_is_new_and_what_is_on_record() -> None:
    alert = build_alert(CONFLICTS[2:3], ALL_CLAIMS, CLAIM_ITEMS, [NK], known_conflicts=CONFLICTS)
    [entry] = alert.entries
    assert [f.claim_id for f in entry.new] == [NIS_AGAIN.id]
    assert [f.claim_id for f in entry.on_record] == [NIS.id, ZELENSKY.id, KREMLIN.id]
    every = build_alert(CONFLICTS, ALL_CLAIMS, CLAIM_ITEMS, [NK])
    [whole] = every.entries
    assert [f.claim_id for f in whole.new] == [NIS_AGAIN.id, ZELENSKY.id, KREMLIN.id]
    assert whole.new[1].url == "https://kyiv.example/z"
    assert build_alert(CONFLICTS, ALL_CLAIMS, CLAIM_ITEMS, [AID]).is_empty


def test_claims_of_an_unknown_item_have_no_link() -> None:
    orphan = make_claim(9, 5, speaker="X", at=SINCE + timedelta(hours=1), item_id=999)
    built = digest(claims=[orphan], conflicts=[])
    assert built.sections[0].changes[0].url is None
