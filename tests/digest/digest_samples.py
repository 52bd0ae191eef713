"""The design's example as records: North Korean troops in Russia, October 2024.

The window runs from 23 Oct 09:00 to 25 Oct 09:00 UTC. On record before it: NIS's "about
1,500" and the White House's 3,000. In it: Zelensky's 10,000 (conflicts with NIS), Ukraine's
intelligence 11,000-12,000 via Reuters, the Kremlin's denial (conflicts with Zelensky), an
unsourced "tripling" on Telegram, NIS revising its figure to 3,000 (a revision), and a claim
on a topic the chat does not follow.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.normalize import content_hash
from storage.records import (
    Claim,
    ClaimOrigin,
    Conflict,
    ConflictKind,
    Item,
    Modifier,
    NewClaim,
    Polarity,
    Topic,
)

SINCE = datetime(2024, 10, 23, 9, 0, tzinfo=UTC)
UNTIL = datetime(2024, 10, 25, 9, 0, tzinfo=UTC)
NK = Topic(1, "North Korean troops in Russia", ("North Korea", "DPRK"))
AID = Topic(2, "US aid to Ukraine", ("US aid",))
OTHER = Topic(3, "Turkey earthquake", ("earthquake",))
SOURCES = {1: "Reuters", 2: "BBC", 3: "Rybar", 4: "Kyiv Independent", 5: "Meduza"}


def make_item(
    item_id: int,
    source_id: int,
    title: str | None,
    text: str = "",
    *,
    at: datetime = SINCE + timedelta(hours=1),
    url: str | None = None,
) -> Item:
    return Item(
        id=item_id, source_id=source_id, guid=str(item_id),
        url=url if url is not None else f"https://news{source_id}.example/{item_id}",
        title=title, text=text, published_at=at, first_seen_at=at, lang="en",
        content_hash=content_hash(text, fallback=title or ""),
    )  # fmt: skip


def make_claim(
    claim_id: int,
    value: float | None,
    *,
    speaker: str | None,
    at: datetime,
    item_id: int | None = None,
    topic: Topic = NK,
    modifier: Modifier = Modifier.EXACT,
    polarity: Polarity = Polarity.ASSERTS,
    low: float | None = None,
    high: float | None = None,
    relay: str | None = None,
    unsourced: bool = False,
) -> Claim:
    facts = NewClaim(
        topic.name, f"sentence {claim_id}", "troops", "arrived in Russia", modifier, polarity,
        value, low, high, speaker, relay, unsourced,
    )  # fmt: skip
    origin = ClaimOrigin.ITEM if item_id else ClaimOrigin.WATCHLIST
    return Claim(
        id=claim_id, topic_id=topic.id, item_id=item_id, origin=origin, stated_at=at,
        recorded_at=at, claim=facts,
    )  # fmt: skip


OCT = datetime(2024, 10, 1, 12, 0, tzinfo=UTC)
NIS = make_claim(1, 1500, speaker="NIS", at=OCT.replace(day=18), item_id=101,
                 modifier=Modifier.APPROX)  # fmt: skip
WHITE_HOUSE = make_claim(2, 3000, speaker="White House", at=OCT.replace(day=23, hour=8),
                         item_id=102)  # fmt: skip
ZELENSKY = make_claim(3, 10000, speaker="Zelensky", at=OCT.replace(day=24, hour=10),
                      item_id=103)  # fmt: skip
HUR = make_claim(4, None, speaker="HUR", relay="Reuters", at=OCT.replace(day=24, hour=11),
                 item_id=104, modifier=Modifier.RANGE, low=11000, high=12000)  # fmt: skip
KREMLIN = make_claim(5, None, speaker="Kremlin", at=OCT.replace(day=24, hour=12), item_id=105,
                     polarity=Polarity.DENIES)  # fmt: skip
TRIPLING = make_claim(6, 3, speaker=None, relay="Rybar", unsourced=True, item_id=106,
                      at=OCT.replace(day=24, hour=13), modifier=Modifier.RATIO)  # fmt: skip
NIS_AGAIN = make_claim(7, 3000, speaker="NIS", at=OCT.replace(day=24, hour=14), item_id=107)
QUAKE = make_claim(8, 50000, speaker="AFAD", at=OCT.replace(day=24, hour=9), topic=OTHER)

CLAIMS_IN_WINDOW = [ZELENSKY, HUR, KREMLIN, TRIPLING, NIS_AGAIN, QUAKE]
ALL_CLAIMS = {c.id: c for c in (NIS, WHITE_HOUSE, *CLAIMS_IN_WINDOW)}


def conflict(conflict_id: int, new: Claim, old: Claim, kind: ConflictKind, hours: int) -> Conflict:
    reason = f"{new.claim.speaker or 'unsourced'} vs {old.claim.speaker}"
    return Conflict(conflict_id, new.id, old.id, kind, reason, SINCE + timedelta(hours=hours))


CONFLICTS = [
    conflict(11, ZELENSKY, NIS, ConflictKind.NUMERIC, 26),
    conflict(12, KREMLIN, ZELENSKY, ConflictKind.DENIAL, 28),
    conflict(13, NIS_AGAIN, NIS, ConflictKind.REVISION, 30),
    conflict(14, QUAKE, QUAKE, ConflictKind.NUMERIC, 27),  # not a topic of the chat
]

CLAIM_ITEMS = {
    101: make_item(101, 4, "NIS: 1,500 North Korean troops in Russia", at=OCT.replace(day=18)),
    103: make_item(103, 4, "Zelensky: 10,000 North Korean troops", url="https://kyiv.example/z"),
    104: make_item(104, 1, "Ukraine intelligence: up to 12,000", url="https://reuters.example/h"),
    105: make_item(105, 5, "Kremlin calls it fake", url="https://meduza.example/k"),
    106: make_item(106, 3, None, "Contingent tripling", url="https://t.me/rybar/1"),
    107: make_item(107, 2, "NIS now says 3,000", url="https://bbc.example/nis"),
}

WINDOW_ITEMS = [
    make_item(201, 1, "Zelensky says 10,000 North Korean troops are in Russia",
              "Ukraine's president said about 10,000 North Korean soldiers had been sent.",
              url="https://reuters.example/zelensky"),
    make_item(202, 2, "Zelensky: 10,000 North Korean troops are in Russia",
              "Volodymyr Zelensky told reporters that 10,000 North Korean soldiers are in Russia.",
              at=SINCE + timedelta(hours=2), url="https://bbc.example/zelensky"),
    make_item(203, 5, "Kremlin dismisses reports of North Korean troops as fake news",
              "Dmitry Peskov called the reports a hoax.", at=SINCE + timedelta(hours=3)),
    make_item(204, 1, "Congress debates the next US aid package for Ukraine",
              "Lawmakers argued over the size of the package.", at=SINCE + timedelta(hours=4)),
    make_item(205, 2, "Debate on US aid package for Ukraine continues in Congress",
              "The size of the package divides lawmakers.", at=SINCE + timedelta(hours=5)),
    make_item(206, 4, "US aid: what is in the package", "A list of the items in the package.",
              at=SINCE + timedelta(hours=6)),
    make_item(207, 3, "Earthquake aftershocks continue", "Aftershocks were felt.",
              at=SINCE + timedelta(hours=7)),
]  # fmt: skip
ITEM_TOPICS = {201: {1}, 202: {1}, 203: {1}, 204: {2}, 205: {2}, 206: {2}, 207: {3}}
