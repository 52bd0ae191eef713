"""The clock and limits fetch tests share: short timeouts, small caps."""

from datetime import UTC, datetime, timedelta

from bot.fetch import FetchPolicy

NOW = datetime(2024, 10, 23, 12, 0, tzinfo=UTC)

TEST_POLICY = FetchPolicy(
    connect_timeout=timedelta(seconds=2),
    read_timeout=timedelta(seconds=0.3),
    total_timeout=timedelta(seconds=5),
    max_response_bytes=256 * 1024,
    max_decoded_bytes=1024 * 1024,
)
