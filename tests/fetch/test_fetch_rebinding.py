"""DNS rebinding: the guarded client connects to the very address its guard vetted.

A hostile DNS server answers a public address to the guard's lookup and a private one to the
next. The resolver is the client's injected dependency, so these tests play that server; the
name ``feed.test`` exists nowhere else. 127.0.0.1 (allowed) stands in for a public host and
127.0.0.2 (refused) for the internal one.
"""

import asyncio
import ssl
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass, field, replace
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from pathlib import Path

import pytest

from bot.fetch import FailureKind, FetchResult, FetchStatus, fetch, make_client
from tests.fetch.fetch_defaults import NOW, TEST_POLICY
from tests.httpserver import LoopbackServer, Reply

HINT = "(set CLAIMWATCH_ALLOW_PRIVATE_NETWORKS=true to allow)"
POLICY = replace(TEST_POLICY, allowed_networks=(ip_network("127.0.0.1/32"),))
# A test CA (its key discarded) and a certificate for feed.test it signed, valid to 2126.
TLS = Path(__file__).parent / "tls"


@dataclass
class RebindingResolver:
    """Answers each name from a script, one answer per lookup; the last answer repeats."""

    answers: dict[str, list[str]]
    lookups: list[str] = field(default_factory=list)

    async def __call__(self, host: str, port: int) -> Sequence[IPv4Address | IPv6Address]:
        self.lookups.append(host)
        script = self.answers[host]
        answer = script.pop(0) if len(script) > 1 else script[0]
        return [ip_address(answer)]


@dataclass
class Listener:
    """A port on 127.0.0.2 that counts the connections it gets (it should get none)."""

    connections: int = 0

    async def accept(self, _reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        writer.close()


@pytest.fixture
async def internal(http_server: LoopbackServer) -> AsyncIterator[Listener]:
    """The internal host: 127.0.0.2 on the same port as the stand-in public server."""
    listener = Listener()
    server = await asyncio.start_server(listener.accept, "127.0.0.2", http_server.port)
    async with server:
        yield listener


async def fetch_with(resolver: RebindingResolver, url: str, **options: object) -> FetchResult:
    async with make_client(POLICY, resolve=resolver, **options) as client:  # type: ignore[arg-type]
        return await fetch(client, url, policy=POLICY, now=NOW)


async def test_a_second_answer_never_gets_the_connection(
    http_server: LoopbackServer, internal: Listener
) -> None:
    http_server.route("/feed", Reply(body=b"<rss/>"))
    resolver = RebindingResolver({"feed.test": ["127.0.0.1", "127.0.0.2"]})

    result = await fetch_with(resolver, f"http://feed.test:{http_server.port}/feed")

    assert (result.status, result.body) == (FetchStatus.OK, b"<rss/>")
    assert resolver.lookups == ["feed.test"]  # one lookup: the one that was vetted
    assert internal.connections == 0
    assert http_server.requests[0].headers["host"] == f"feed.test:{http_server.port}"


async def test_every_new_connection_is_vetted_with_its_own_lookup(
    http_server: LoopbackServer, internal: Listener
) -> None:
    # The server closes each connection, so the second fetch must look the name up again.
    url = http_server.route("/feed", Reply(body=b"<rss/>", framing="close"))
    url = url.replace("127.0.0.1", "feed.test")
    resolver = RebindingResolver({"feed.test": ["127.0.0.1", "127.0.0.2"]})

    async with make_client(POLICY, resolve=resolver) as client:
        first = await fetch(client, url, policy=POLICY, now=NOW)
        second = await fetch(client, url, policy=POLICY, now=NOW)

    assert first.status is FetchStatus.OK
    assert second.failure is not None and second.failure.kind is FailureKind.BLOCKED_ADDRESS
    assert second.failure.reason == (
        f"refused: feed.test resolves to 127.0.0.2, a loopback address {HINT}"
    )
    assert resolver.lookups == ["feed.test", "feed.test"]
    assert (len(http_server.requests), internal.connections) == (1, 0)


async def test_a_redirect_to_a_name_is_vetted_at_its_hop(
    http_server: LoopbackServer, internal: Listener
) -> None:
    inside = f"http://inside.test:{http_server.port}/admin"
    http_server.route("/feed", Reply.redirect(inside))
    resolver = RebindingResolver({"feed.test": ["127.0.0.1"], "inside.test": ["127.0.0.2"]})

    result = await fetch_with(resolver, f"http://feed.test:{http_server.port}/feed")

    assert result.failure is not None and result.failure.kind is FailureKind.BLOCKED_ADDRESS
    assert result.failure.reason.startswith("refused: inside.test resolves to 127.0.0.2,")
    assert result.final_url == inside
    assert resolver.lookups == ["feed.test", "inside.test"]
    assert ([request.path for request in http_server.requests], internal.connections) == (
        ["/feed"],
        0,
    )


async def test_the_next_vetted_address_is_tried_when_one_refuses(
    http_server: LoopbackServer,
) -> None:
    url = http_server.route("/feed", Reply(body=b"<rss/>")).replace("127.0.0.1", "feed.test")
    policy = replace(TEST_POLICY, allowed_networks=(ip_network("127.0.0.0/29"),))

    async def two_addresses(host: str, port: int) -> Sequence[IPv4Address | IPv6Address]:
        return [ip_address("127.0.0.3"), ip_address("127.0.0.1")]  # nothing listens on .3

    async with make_client(policy, resolve=two_addresses) as client:
        result = await fetch(client, url, policy=policy, now=NOW)

    assert (result.status, result.body) == (FetchStatus.OK, b"<rss/>")


async def test_an_empty_answer_is_a_dns_failure() -> None:
    async def nothing(host: str, port: int) -> Sequence[IPv4Address | IPv6Address]:
        return []

    async with make_client(POLICY, resolve=nothing) as client:
        result = await fetch(client, "http://feed.test/feed", policy=POLICY, now=NOW)

    assert result.failure is not None
    assert (result.failure.kind, result.failure.reason) == (
        FailureKind.DNS,
        "DNS lookup failed for feed.test",
    )


@dataclass
class TlsServer:
    """HTTPS on 127.0.0.1 with the feed.test certificate; records the SNI and Host it gets."""

    server_names: list[str | None] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)

    def context(self) -> ssl.SSLContext:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(TLS / "feed.test.pem")
        context.sni_callback = lambda _socket, name, _context: self.server_names.append(name)
        return context

    async def answer(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            head = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, ConnectionError):
            writer.close()
            return
        self.hosts += [line[6:] for line in head.decode().split("\r\n") if line.startswith("Host:")]
        writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\n<rss/>")
        await writer.drain()
        writer.close()


@pytest.fixture
async def tls_server() -> AsyncIterator[tuple[TlsServer, int]]:
    recorder = TlsServer()
    server = await asyncio.start_server(recorder.answer, "127.0.0.1", 0, ssl=recorder.context())
    async with server:
        yield recorder, server.sockets[0].getsockname()[1]


def trusting_the_test_ca() -> ssl.SSLContext:
    return ssl.create_default_context(cafile=TLS / "ca.pem")


async def test_tls_keeps_the_name_for_sni_and_certificate(
    tls_server: tuple[TlsServer, int],
) -> None:
    recorder, port = tls_server
    resolver = RebindingResolver({"feed.test": ["127.0.0.1", "127.0.0.2"]})

    result = await fetch_with(
        resolver, f"https://feed.test:{port}/feed", verify=trusting_the_test_ca()
    )

    assert (result.status, result.body) == (FetchStatus.OK, b"<rss/>")
    assert recorder.server_names == ["feed.test"]  # SNI is the name, not 127.0.0.1
    assert recorder.hosts == [f"feed.test:{port}"]


async def test_tls_certificate_is_verified_against_the_name(
    tls_server: tuple[TlsServer, int],
) -> None:
    # other.test resolves to the same server, whose certificate names only feed.test.
    recorder, port = tls_server
    resolver = RebindingResolver({"other.test": ["127.0.0.1"]})

    result = await fetch_with(
        resolver, f"https://other.test:{port}/feed", verify=trusting_the_test_ca()
    )

    assert result.failure is not None and result.failure.kind is FailureKind.TLS
    assert "other.test" in result.failure.reason
    assert recorder.hosts == []
