"""The guarded transport: httpx connects only to the addresses the private-network guard vetted.

httpx resolves a host name inside its network backend, after any check made before the request.
So the guard *is* the network backend here: ``connect_tcp`` receives the URL's host, vets it
(one lookup) and opens the TCP connection to a vetted address. Everything above the socket is
unchanged: the Host header comes from the URL, and TLS is started by httpcore with the URL's
host as server name, so SNI and certificate verification are against the name, not the address.
"""

from __future__ import annotations

import ssl
from collections.abc import Iterable
from datetime import timedelta

import httpcore
import httpx

from bot.fetch.guard import AddressGuard


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """A network backend whose every TCP connection goes to an address ``guard`` vetted."""

    def __init__(
        self,
        guard: AddressGuard,
        *,
        resolve_timeout: timedelta,
        inner: httpcore.AsyncNetworkBackend,
    ) -> None:
        self._guard = guard
        self._resolve_timeout = resolve_timeout
        self._inner = inner

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        local_address: str | None = None,
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        time_limit = self._resolve_timeout if timeout is None else timedelta(seconds=timeout)
        addresses = await self._guard.vet(host, port, time_limit=time_limit)
        failure: httpcore.ConnectError | None = None
        for address in addresses:  # in the resolver's order, as the system would try them
            try:
                return await self._inner.connect_tcp(
                    str(address), port, timeout, local_address, socket_options
                )
            except httpcore.ConnectError as error:  # refused or unreachable: try the next one
                failure = error
        assert failure is not None  # vet returns at least one address
        raise failure

    async def connect_unix_socket(
        self,
        path: str,
        timeout: float | None = None,  # noqa: ASYNC109 (httpcore's interface)
        socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("the guarded transport connects over TCP only")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


class GuardedTransport(httpx.AsyncHTTPTransport):
    """``httpx.AsyncHTTPTransport`` on a connection pool that uses ``GuardedBackend``.

    httpx 0.28 has no parameter for a network backend, so the pool the parent built is
    replaced by one with the same settings and the guarded backend; the parent's request
    handling (exception mapping, streaming) is kept as it is.
    """

    def __init__(
        self,
        guard: AddressGuard,
        *,
        limits: httpx.Limits,
        resolve_timeout: timedelta,
        verify: ssl.SSLContext | bool = True,
    ) -> None:
        super().__init__(limits=limits, trust_env=False, verify=verify)
        ssl_context = httpx.create_ssl_context(verify=verify, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=ssl_context,
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=GuardedBackend(
                guard, resolve_timeout=resolve_timeout, inner=httpcore.AnyIOBackend()
            ),
        )
