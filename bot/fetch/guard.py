"""The private-network guard: a feed URL must not make the bot reach into its own network.

A source URL comes from a chat or a file, so ``http://169.254.169.254/`` (cloud metadata) or
``http://localhost:8080/admin`` must be refused unless the operator allows private networks.

The check and the connection are one: ``AddressGuard.vet`` resolves a host once, refuses it if
any address is non-public, and the client's transport (``bot.fetch.transport``) connects to
exactly the addresses it returned. A DNS server that answers differently to a second lookup
(DNS rebinding) gains nothing, because there is no second lookup. Every hop of a redirect
chain opens its own connection, so every hop is vetted.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import timedelta
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address

import httpx

from bot.fetch.results import FailureKind, FetchFailedError, FetchFailure

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

# (host, port) -> the addresses to connect to, in the order to try them. Injected, so tests
# can answer as a hostile DNS server would.
Resolve = Callable[[str, int], Awaitable[Sequence[IPAddress]]]

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


async def resolve_with_system(host: str, port: int) -> list[IPAddress]:
    """The system resolver's addresses for ``host``, in its order, without duplicates.

    Raises ``OSError`` (``socket.gaierror``) or ``UnicodeError`` when the name cannot be looked up.
    """
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    # sockaddr[0] may carry an IPv6 scope ("fe80::1%eth0"), which ip_address accepts.
    addresses = [ip_address(sockaddr[0]) for *_, sockaddr in infos]
    return list(dict.fromkeys(addresses))


@dataclass(frozen=True, slots=True)
class AddressGuard:
    """Vets a host: resolves it once and returns its addresses only if all may be reached."""

    allowed_networks: Sequence[IPNetwork] = ()
    resolve: Resolve = resolve_with_system

    async def vet(self, host: str, port: int, *, time_limit: timedelta) -> list[IPAddress]:
        """The addresses to connect to for ``host``; raises ``FetchFailedError`` (blocked_address,
        dns or timeout) unless every address ``host`` resolves to is public or allowed."""
        addresses = await self._resolve(host, port, time_limit)
        for address in addresses:
            description = describe_non_public(address)
            if description is None or any(address in net for net in self.allowed_networks):
                continue
            where = f"{address} is" if host == str(address) else f"{host} resolves to {address},"
            reason = f"refused: {where} {description} ({ALLOW_HINT})"
            raise FetchFailedError(host, FetchFailure(FailureKind.BLOCKED_ADDRESS, reason))
        return addresses

    async def _resolve(self, host: str, port: int, time_limit: timedelta) -> list[IPAddress]:
        try:
            return [ip_address(host)]  # a literal address needs no lookup
        except ValueError:
            pass
        try:
            async with asyncio.timeout(time_limit.total_seconds()):
                addresses = list(await self.resolve(host, port))
        except TimeoutError:
            reason = f"timed out after {time_limit.total_seconds():g} s looking up {host}"
            raise FetchFailedError(host, _connection_failure(FailureKind.TIMEOUT, reason)) from None
        except (OSError, UnicodeError):  # socket.gaierror, or a label that cannot be IDNA-encoded
            addresses = []
        if not addresses:
            reason = f"DNS lookup failed for {host}"
            raise FetchFailedError(host, _connection_failure(FailureKind.DNS, reason))
        return addresses


async def ensure_public_host(
    url: httpx.URL,
    *,
    allowed_networks: Sequence[IPNetwork] = (),
    resolve_timeout: timedelta = timedelta(seconds=10),
) -> None:
    """Raise ``FetchFailedError`` unless every address the URL's host resolves to is public or
    inside ``allowed_networks``: ``AddressGuard.vet`` for a URL, without connecting."""
    guard = AddressGuard(allowed_networks)
    try:
        await guard.vet(url.host, url.port or _default_port(url), time_limit=resolve_timeout)
    except FetchFailedError as error:
        raise FetchFailedError(str(url), error.failure) from None


def _default_port(url: httpx.URL) -> int:
    return 443 if url.scheme == "https" else 80


def _connection_failure(kind: FailureKind, reason: str) -> FetchFailure:
    return FetchFailure(kind, reason, connection_level=True)
