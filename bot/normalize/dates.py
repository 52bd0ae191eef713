"""Publication times: timezone-aware UTC, or None when absent or absurd.

The caller falls back to the fetch time for None. A date more than ``FUTURE_SLACK`` after the
fetch (a feed that stamps items in the far future to pin them on top) or before 1970 is
treated as absent.
"""

from __future__ import annotations

import calendar
import time
from datetime import UTC, datetime, timedelta

FUTURE_SLACK = timedelta(days=1)
EARLIEST = datetime(1970, 1, 1, tzinfo=UTC)


def from_struct_time(value: time.struct_time | None) -> datetime | None:
    """A UTC ``struct_time`` (as feedparser's ``*_parsed`` fields are) as an aware datetime."""
    if value is None:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), tz=UTC)
    except (OverflowError, ValueError, OSError, TypeError):
        return None


def parse_iso_datetime(value: object) -> datetime | None:
    """An RFC 3339 / ISO 8601 timestamp as an aware UTC datetime (naive ones are taken as UTC)."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()
    if text[-1:] in ("z", "Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    try:
        return parsed.astimezone(UTC)
    except (OverflowError, ValueError):
        return None


def plausible(published_at: datetime | None, fetched_at: datetime | None) -> datetime | None:
    """``published_at`` unless it is before 1970 or more than a day after ``fetched_at``."""
    if published_at is None:
        return None
    if published_at < EARLIEST:
        return None
    if fetched_at is not None and published_at > fetched_at + FUTURE_SLACK:
        return None
    return published_at


def require_aware(fetched_at: datetime) -> datetime:
    if fetched_at.tzinfo is None or fetched_at.utcoffset() is None:
        raise ValueError("fetched_at must be timezone-aware")
    return fetched_at.astimezone(UTC)
