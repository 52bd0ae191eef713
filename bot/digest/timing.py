"""When a chat's daily digest is due: pure, from its settings and ``last_digest_at``.

The digest is due when the most recent scheduled instant (the chat's local digest time, today
or yesterday) is later than the last digest sent. So a restart never repeats a digest, downtime
of several days sends one digest at start (not one per missed day), and a daylight-saving change
still gives one digest a day: a local time skipped in spring is taken an hour later, a repeated
one in autumn at its first occurrence.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo


def latest_slot(now: datetime, timezone: str, digest_time: time) -> datetime:
    """The latest scheduled digest instant at or before ``now`` (UTC)."""
    zone = ZoneInfo(timezone)
    local_today = now.astimezone(zone).date()
    for day in (local_today, local_today - timedelta(days=1)):
        slot = _instant(day, digest_time, zone)
        if slot <= now:
            return slot
    raise AssertionError("yesterday's slot is always in the past")  # pragma: no cover


def digest_due(
    now: datetime,
    timezone: str,
    digest_time: time,
    last_digest_at: datetime | None,
    subscribed_at: datetime,
) -> bool:
    """True when a scheduled digest should go out now."""
    slot = latest_slot(now, timezone, digest_time)
    return slot > (last_digest_at or subscribed_at)


def _instant(day: date, at: time, zone: ZoneInfo) -> datetime:
    # fold=0 (PEP 495): a skipped wall time keeps the offset before the change, i.e. it comes an
    # hour later by the new clock; a repeated one is its first occurrence
    return datetime.combine(day, at, tzinfo=zone).astimezone(UTC)
