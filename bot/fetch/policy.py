"""The limits of the fetch stage, in one frozen record the settings are mapped onto."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from ipaddress import IPv4Network, IPv6Network

MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class FetchPolicy:
    """Timeouts, size caps and connection limits; the defaults suit polling public feeds.

    ``max_response_bytes`` caps the bytes received; ``max_decoded_bytes`` caps them after
    gzip/deflate, so a small compressed bomb cannot fill memory. ``allowed_networks`` are
    non-public networks fetched even when private networks are otherwise refused (say, one
    internal feed host).
    """

    connect_timeout: timedelta = timedelta(seconds=10)
    read_timeout: timedelta = timedelta(seconds=20)  # between two reads, also used for writes
    total_timeout: timedelta = timedelta(seconds=60)  # the whole fetch, redirects included
    max_response_bytes: int = 10 * MB
    max_decoded_bytes: int = 10 * MB
    max_redirects: int = 5
    max_connections: int = 32
    max_keepalive_connections: int = 16
    keepalive_expiry: timedelta = timedelta(seconds=30)
    allowed_networks: tuple[IPv4Network | IPv6Network, ...] = ()
