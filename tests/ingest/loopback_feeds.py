"""Plain pieces the ingestion tests share: a settable clock, feeds and pages to serve."""

import re
import socket
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from bot.fetch import FetchPolicy

START = datetime(2024, 10, 23, 12, 0, tzinfo=UTC)


@dataclass
class Clock:
    now: datetime = START

    def __call__(self) -> datetime:
        return self.now

    def advance(self, delta: timedelta) -> None:
        self.now += delta


def older_page(page: bytes, shift: int) -> bytes:
    """The same page with every post id lowered by ``shift``: a page further back in time."""
    return re.sub(
        rb"(campcode/|before=)(\d+)", lambda m: m[1] + str(int(m[2]) - shift).encode(), page
    )


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on (connection refused)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def rss(*entries: tuple[str, str, str], ttl: int | None = None) -> bytes:
    items = "".join(
        f"<item><guid>{guid}</guid><title>{title}</title><description>{text}</description>"
        "<pubDate>Wed, 23 Oct 2024 10:00:00 GMT</pubDate></item>"
        for guid, title, text in entries
    )
    ttl_tag = f"<ttl>{ttl}</ttl>" if ttl else ""
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Wire</title>{ttl_tag}'
        f"{items}</channel></rss>"
    ).encode()


# Short timeouts: every server in these tests is on 127.0.0.1.
POLICY = FetchPolicy(read_timeout=timedelta(seconds=2), total_timeout=timedelta(seconds=10))
