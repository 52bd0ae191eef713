from datetime import timedelta
from itertools import islice

from bot.app.runner import backoff


def test_the_log_in_backoff_doubles_up_to_its_cap() -> None:
    waits = islice(backoff(timedelta(seconds=1), timedelta(seconds=60)), 9)
    assert [wait.total_seconds() for wait in waits] == [1, 2, 4, 8, 16, 32, 60, 60, 60]
