from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.digest.timing import digest_due, latest_slot


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("now", "zone", "at", "slot"),
    [
        ("2026-06-01 09:00", "UTC", time(8, 0), "2026-06-01 08:00"),
        ("2026-06-01 07:59", "UTC", time(8, 0), "2026-05-31 08:00"),
        # Kyiv is UTC+3 in summer: 08:00 local is 05:00 UTC
        ("2026-06-01 05:00", "Europe/Kyiv", time(8, 0), "2026-06-01 05:00"),
        ("2026-06-01 04:59", "Europe/Kyiv", time(8, 0), "2026-05-31 05:00"),
        # New York is UTC-4 in summer: 08:00 local is 12:00 UTC, the local date lags
        ("2026-06-02 03:00", "America/New_York", time(8, 0), "2026-06-01 12:00"),
        # the local date is ahead of UTC in Tokyo (UTC+9)
        ("2026-06-01 23:30", "Asia/Tokyo", time(7, 0), "2026-06-01 22:00"),
        # spring forward in Kyiv (2026-03-29 03:00 -> 04:00): 03:30 is skipped, sent at 04:30
        ("2026-03-29 02:00", "Europe/Kyiv", time(3, 30), "2026-03-29 01:30"),
        ("2026-03-28 02:00", "Europe/Kyiv", time(3, 30), "2026-03-28 01:30"),
        # fall back in Kyiv (2026-10-25 04:00 -> 03:00): 03:30 happens twice, the first counts
        ("2026-10-25 02:00", "Europe/Kyiv", time(3, 30), "2026-10-25 00:30"),
        ("2026-10-26 02:00", "Europe/Kyiv", time(3, 30), "2026-10-26 01:30"),
        # the same wall time moves in UTC across the change
        ("2026-10-24 06:00", "Europe/Kyiv", time(8, 0), "2026-10-24 05:00"),
        ("2026-10-26 07:00", "Europe/Kyiv", time(8, 0), "2026-10-26 06:00"),
    ],
)
def test_latest_slot(now, zone, at, slot):
    assert latest_slot(utc(now), zone, at) == utc(slot)


def test_due_once_a_day_and_not_again_after_a_restart():
    subscribed = utc("2026-06-01 00:00")
    assert digest_due(utc("2026-06-01 08:00"), "UTC", time(8), None, subscribed)
    sent = utc("2026-06-01 08:00:30")
    for later in ("2026-06-01 08:01", "2026-06-01 23:59", "2026-06-02 07:59"):
        assert not digest_due(utc(later), "UTC", time(8), sent, subscribed)
    assert digest_due(utc("2026-06-02 08:00"), "UTC", time(8), sent, subscribed)


def test_downtime_of_days_gives_one_digest():
    sent = utc("2026-06-01 08:00")
    now = utc("2026-06-05 10:00")
    assert digest_due(now, "UTC", time(8), sent, sent)
    assert not digest_due(utc("2026-06-05 10:01"), "UTC", time(8), now, sent)


def test_a_new_chat_waits_for_its_first_slot():
    subscribed = utc("2026-06-01 09:00")
    assert not digest_due(utc("2026-06-01 12:00"), "UTC", time(8), None, subscribed)
    assert digest_due(utc("2026-06-02 08:00"), "UTC", time(8), None, subscribed)


@pytest.mark.parametrize("start", ["2026-03-26 00:00", "2026-10-22 00:00"])
@pytest.mark.parametrize("at", [time(3, 30), time(8, 0), time(0, 0)])
def test_one_digest_a_day_across_a_dst_change(start, at):
    first = utc(start)
    last, sent_days = first, []
    for step in range(6 * 24 * 5):  # every 10 minutes for five days around the change
        now = first + timedelta(minutes=10 * step)
        if digest_due(now, "Europe/Kyiv", at, last, first):
            sent_days.append(now.astimezone(ZoneInfo("Europe/Kyiv")).date())
            last = now
    assert len(sent_days) == len(set(sent_days)) >= 4
