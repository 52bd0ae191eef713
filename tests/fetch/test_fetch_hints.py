"""Server hints: Retry-After and Cache-Control max-age."""

from datetime import timedelta

import pytest

from bot.fetch.hints import parse_max_age, parse_retry_after
from tests.fetch.fetch_defaults import NOW


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("120", timedelta(minutes=2)),
        (" 0 ", timedelta(0)),
        ("Wed, 23 Oct 2024 13:30:00 GMT", timedelta(minutes=90)),
        ("Wed, 23 Oct 2024 13:30:00 -0000", timedelta(minutes=90)),  # -0000: UTC
        ("Wed, 23 Oct 2024 11:00:00 GMT", timedelta(0)),  # in the past: retry now
        ("-5", None),
        ("1.5", None),
        ("²", None),
        ("soon", None),
        ("", None),
        (None, None),
    ],
)
def test_retry_after(value: str | None, expected: timedelta | None) -> None:
    assert parse_retry_after(value, NOW) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("max-age=300", timedelta(minutes=5)),
        ("public, MAX-AGE=60, must-revalidate", timedelta(minutes=1)),
        ('max-age="30"', timedelta(seconds=30)),
        ("s-maxage=100", None),
        ("no-cache", None),
        ("max-age=soon", None),
        (None, None),
    ],
)
def test_max_age(value: str | None, expected: timedelta | None) -> None:
    assert parse_max_age(value) == expected


def test_absurd_hints_are_clamped_to_a_year() -> None:
    assert parse_retry_after("86400000000000", NOW) == timedelta(days=365)
    assert parse_retry_after("Fri, 31 Dec 9999 23:59:59 GMT", NOW) == timedelta(days=365)
    assert parse_max_age("max-age=99999999999999999999") == timedelta(days=365)
    assert parse_max_age("max-age=" + "9" * 5000) == timedelta(days=365)
