"""The private-network guard: a feed URL must not make the bot reach into its own network.

A source URL comes from a chat or a file, so ``http://169.254.169.254/`` (cloud metadata) or
``http://localhost:8080/admin`` must be refused unless the operator allows private networks.
``fetch`` checks every hop of a redirect chain.

Known weakness: the name is resolved here and again by the HTTP client when it connects, so a DNS
server that answers differently the second time (DNS rebinding) can slip past. Closing that would
mean connecting to the checked address ourselves; for a feed reader this check is enough.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterable
from datetime import timedelta
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

import httpx

from bot.fetch.results import FailureKind, FetchFailedError, FetchFailure

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

ALLOW_HINT = "set CLAIMWATCH_ALLOW_PRIVATE_NETWORKS=true to allow"


def describe_non_public(address: IPAddress) -> str | None:
    """What kind of non-public address this is ("a loopback address"), or None if public."""
    if isinstance(address, IPv6Address):
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is not None:  # ::ffff:127.0.0.1 reaches 127.0.0.1
            return describe_non_public(embedded)
    checks = (
        (address.is_unspecified, "an unspecified address"),
        (address.is_loopback, "a loopback address"),
        (address.is_link_local, "a link-local address"),
        (address.is_multicast, "a multicast address"),
        (address.is_reserved, "a reserved address"),  # before is_private, which includes 240/4
        (address.is_private, "a private address"),
        (not address.is_global, "a non-public address"),  # e.g. 100.64.0.0/10 (carrier NAT)
    )
    return next((description for matches, description in checks if matches), None)


async def ensure_public_host(
    url: httpx.URL,
    *,
    allowed_networks: Iterable[IPNetwork] = (),
    resolve_timeout: timedelta = timedelta(seconds=10),
) -> None:
    """Raise ``FetchFailedError`` (blocked_address, dns or timeout) unless every address the
    URL's host resolves to is public or inside ``allowed_networks``."""
    host = url.host
    for address in await _resolve(url, resolve_timeout):
        description = describe_non_public(address)
        if description is None or any(address in network for network in allowed_networks):
            continue
        where = f"{address} is" if host == str(address) else f"{host} resolves to {address},"
        reason = f"refused: {where} {description} ({ALLOW_HINT})"
        raise FetchFailedError(str(url), FetchFailure(FailureKind.BLOCKED_ADDRESS, reason))


async def _resolve(url: httpx.URL, time_limit: timedelta) -> list[IPAddress]:
    try:
        return [ip_address(url.host)]  # a literal address needs no lookup
    except ValueError:
        pass
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(time_limit.total_seconds()):
            infos = await loop.getaddrinfo(url.host, url.port, type=socket.SOCK_STREAM)
    except TimeoutError:
        reason = f"timed out after {time_limit.total_seconds():g} s looking up {url.host}"
        raise FetchFailedError(str(url), _connection_failure(FailureKind.TIMEOUT, reason)) from None
    except (OSError, UnicodeError):  # socket.gaierror, or a label that cannot be IDNA-encoded
        reason = f"DNS lookup failed for {url.host}"
        raise FetchFailedError(str(url), _connection_failure(FailureKind.DNS, reason)) from None
    # sockaddr[0] may carry an IPv6 scope ("fe80::1%eth0"), which ip_address accepts.
    return [ip_address(sockaddr[0]) for *_, sockaddr in infos]


def _connection_failure(kind: FailureKind, reason: str) -> FetchFailure:
    return FetchFailure(kind, reason, connection_level=True)
