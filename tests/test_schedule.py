from datetime import UTC, datetime, timedelta

import pytest

from bot.ingest.schedule import after_failure, after_success, network_backoff

NOW = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
MIN = timedelta(minutes=1)
HOUR = timedelta(hours=1)


@pytest.mark.parametrize(
    ("interval", "hints", "delay"),
    [
        (15 * MIN, (), 15 * MIN),
        (15 * MIN, (None, None), 15 * MIN),
        (15 * MIN, (5 * MIN,), 15 * MIN),  # a hint never speeds a source up
        (15 * MIN, (HOUR,), HOUR),  # ttl of an hour
        (15 * MIN, (HOUR, 30 * MIN), HOUR),  # the longest hint wins
        (15 * MIN, (timedelta(days=3),), 2 * HOUR),  # at most 8 intervals
        (6 * HOUR, (timedelta(days=30),), 24 * HOUR),  # and never past a day
        (48 * HOUR, (), 48 * HOUR),  # unless the interval itself is longer
    ],
)
def test_after_success(interval, hints, delay):
    assert after_success(NOW, interval, *hints) == NOW + delay


@pytest.mark.parametrize(
    ("errors", "delay"),
    [
        (1, 15 * MIN),
        (2, 30 * MIN),
        (3, HOUR),
        (5, 4 * HOUR),
        (7, 16 * HOUR),
        (8, 24 * HOUR),
        (40, 24 * HOUR),
    ],
)
def test_backoff_doubles_up_to_a_day(errors, delay):
    check = after_failure(NOW, 15 * MIN, consecutive_errors=errors, failing_since=NOW)
    assert check.at == NOW + delay
    assert not check.pause


def test_retry_after_is_honoured_within_a_day():
    check = after_failure(
        NOW, 15 * MIN, consecutive_errors=1, failing_since=NOW, retry_after=2 * HOUR
    )
    assert check.at == NOW + 2 * HOUR
    check = after_failure(
        NOW, 15 * MIN, consecutive_errors=1, failing_since=NOW, retry_after=timedelta(days=9)
    )
    assert check.at == NOW + 24 * HOUR


@pytest.mark.parametrize(
    ("failing_for", "gone", "pause"),
    [
        (timedelta(days=6, hours=23), False, False),
        (timedelta(days=7), False, True),
        (timedelta(0), True, True),
    ],
)
def test_pause_after_seven_days_or_gone(failing_for, gone, pause):
    check = after_failure(
        NOW, 15 * MIN, consecutive_errors=3, failing_since=NOW - failing_for, gone=gone
    )
    assert check.pause is pause


def test_network_backoff_grows_and_is_capped():
    assert [network_backoff(n) for n in (1, 2, 3)] == [MIN, 2 * MIN, 4 * MIN]
    assert network_backoff(50) == HOUR
