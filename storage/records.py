"""Plain records shared between storage/ and bot/.

Frozen dataclasses and enums only: no SQLAlchemy, no I/O. ORM rows never leave storage/;
repositories return these. Instants are timezone-aware UTC and end in ``_at``; durations are
``timedelta``. ``New*`` records are what the pipeline hands to storage before ids exist.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum


class SourceKind(StrEnum):
    """What a source turned out to be; ``UNKNOWN`` until its first successful fetch."""

    UNKNOWN = "unknown"
    RSS = "rss"
    ATOM = "atom"
    RDF = "rdf"
    JSON_FEED = "jsonfeed"
    TELEGRAM = "telegram"


class SourceStatus(StrEnum):
    ACTIVE = "active"
    FAILING = "failing"  # the last fetch failed; retried with backoff
    PAUSED = "paused"  # not fetched until resumed (410 Gone, 7 days of failures, or by hand)


@dataclass(frozen=True, slots=True)
class NewSource:
    url: str
    name: str | None = None
    kind: SourceKind = SourceKind.UNKNOWN
    interval: timedelta = timedelta(minutes=15)
    added_by_chat_id: int | None = None  # the group whose admins added it; None: the operator


@dataclass(frozen=True, slots=True)
class Source:
    id: int
    url: str
    name: str | None
    kind: SourceKind
    title: str | None
    interval: timedelta
    status: SourceStatus
    created_at: datetime
    next_check_at: datetime
    last_checked_at: datetime | None = None
    last_success_at: datetime | None = None
    error_count: int = 0
    last_error: str | None = None
    failing_since: datetime | None = None
    etag: str | None = None
    last_modified: str | None = None
    added_by_chat_id: int | None = None  # the group whose admins added it; None: the operator

    @property
    def display_name(self) -> str:
        return self.name or self.title or self.url


@dataclass(frozen=True, slots=True)
class SourceHealth:
    """A source with what `sources list` and `/sources` show next to it."""

    source: Source
    items: int


@dataclass(frozen=True, slots=True)
class NewItem:
    """One entry or post as normalized, before storage gives it an id.

    ``guid`` is the identity within its source (guid, else link, else a hash of title, date and
    content); ``content_hash`` finds the same text across sources.
    """

    guid: str
    url: str | None
    title: str | None
    text: str
    published_at: datetime | None
    lang: str | None
    content_hash: str
    author: str | None = None
    forwarded_from: str | None = None


@dataclass(frozen=True, slots=True)
class Item:
    id: int
    source_id: int
    guid: str
    url: str | None
    title: str | None
    text: str
    published_at: datetime
    first_seen_at: datetime
    lang: str | None
    content_hash: str
    author: str | None = None
    forwarded_from: str | None = None
    edited_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Topic:
    id: int
    name: str
    aliases: tuple[str, ...]
    exclude: tuple[str, ...] = ()
    created_by_chat_id: int | None = None  # None: from the watchlist file


def topic_name_key(name: str) -> str:
    """What makes two topic names one topic: equality after NFKC, case folding and collapsing
    whitespace ("Iran  Talks" is "iran talks"). Nothing fuzzier: "Iran talks 2025" is not
    "Iran talks 2024" (fuzzy matching finds topics in text; it never decides identity)."""
    return " ".join(unicodedata.normalize("NFKC", name).casefold().split())


@dataclass(frozen=True, slots=True)
class Mention:
    item_id: int
    topic_id: int
    score: float  # 0-100
    evidence: str  # the matched span


class Modifier(StrEnum):
    EXACT = "exact"
    APPROX = "approx"
    AT_LEAST = "at_least"
    MORE_THAN = "more_than"
    AT_MOST = "at_most"
    UP_TO = "up_to"
    LESS_THAN = "less_than"
    RANGE = "range"
    RATIO = "ratio"


class Polarity(StrEnum):
    ASSERTS = "asserts"
    DENIES = "denies"


class ClaimOrigin(StrEnum):
    ITEM = "item"  # extracted from a fetched item
    WATCHLIST = "watchlist"  # a [[claims]] entry of the watchlist file
    CHAT = "chat"  # added with /claims add


class ConflictKind(StrEnum):
    NUMERIC = "numeric"  # disjoint value intervals
    BOUND = "bound"  # a bound ("at least", "up to") excludes the other value
    DENIAL = "denial"  # one denies what the other asserts
    REVISION = "revision"  # the same speaker changed its figure
    RATIO = "ratio"  # a multiplier that does not fit the figures on record


@dataclass(frozen=True, slots=True)
class NewClaim:
    """A claim as the analysis extracts it from one sentence."""

    topic: str  # topic name
    sentence: str
    measure: str  # what is counted: troops, killed, wounded, ...
    scope: str  # the predicate and place: arrived in Russia, killed in action, ...
    modifier: Modifier
    polarity: Polarity
    value: float | None = None
    low: float | None = None
    high: float | None = None
    speaker: str | None = None
    relay: str | None = None
    unsourced: bool = False


@dataclass(frozen=True, slots=True)
class Claim:
    id: int
    topic_id: int
    item_id: int | None
    origin: ClaimOrigin
    stated_at: datetime  # the item's publication time, or when it was added
    recorded_at: datetime  # when claimwatch recorded it: digest windows are measured in this
    claim: NewClaim
    added_by: int | None = None  # Telegram user id for /claims add


@dataclass(frozen=True, slots=True)
class Conflict:
    id: int
    claim_id: int  # the newer claim
    other_claim_id: int  # the claim on record it contradicts
    kind: ConflictKind
    reason: str
    detected_at: datetime


class ChatKind(StrEnum):
    PRIVATE = "private"
    GROUP = "group"
    SUPERGROUP = "supergroup"
    CHANNEL = "channel"
    CONSOLE = "console"  # the terminal chat of `claimwatch run` without a token


@dataclass(frozen=True, slots=True)
class Subscriber:
    chat_id: int
    kind: ChatKind
    title: str | None
    timezone: str  # IANA name
    digest_time: time  # local time of the daily digest
    alerts: bool
    digest_size: int  # at most this many stories a digest
    active: bool
    follows_all_topics: bool  # until the chat changes its list with /track or /untrack
    created_at: datetime
    last_digest_at: datetime | None = None
    topic_ids: frozenset[int] = field(default_factory=frozenset)
    thread_id: int | None = None  # the forum topic it subscribed from: its messages go there
    empty_digest: bool = True  # a one-line "nothing new" digest for an empty window
    last_alert_conflict_id: int | None = None  # conflicts up to this id were considered for alerts
    language: str = "en"  # what the bot writes to the chat in: "en", "ru" or "uk"


class OutboxKind(StrEnum):
    DIGEST = "digest"
    ALERT = "alert"
    NOTICE = "notice"


@dataclass(frozen=True, slots=True)
class OutboxMessage:
    """One message to deliver: written before it is sent, marked after (at most one resend)."""

    id: int
    chat_id: int
    kind: OutboxKind
    text: str  # Telegram HTML, at most 4096 characters (1,024 as a photo's caption)
    created_at: datetime
    not_before_at: datetime
    attempts: int = 0
    sent_at: datetime | None = None
    last_error: str | None = None
    thread_id: int | None = None  # the forum topic to send into
    photo: bytes | None = None  # a picture (PNG) to send, with ``text`` as its caption


@dataclass(frozen=True, slots=True)
class AddedItems:
    """What ``items.add_new`` changed: items never seen before, and seen ones whose title or
    text changed (their old version is kept in the item's edit history)."""

    new: list[Item]
    edited: list[Item]
