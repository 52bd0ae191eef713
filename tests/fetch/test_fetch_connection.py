"""Failures before any HTTP answer: refused, DNS, TLS, a server that hangs up."""

import asyncio
import socket

from bot.fetch import FailureKind, FetchStatus
from tests.httpserver import LoopbackServer, Reply


def unused_port() -> int:
    """A port that was free a moment ago and that nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_port_nobody_listens_on_is_refused(fetch_url) -> None:
    result = await fetch_url(f"http://127.0.0.1:{unused_port()}/feed")

    assert result.status is FetchStatus.FAILED
    assert (result.failure.kind, result.failure.reason) == (
        FailureKind.REFUSED,
        "connection refused",
    )
    assert result.failure.connection_level is True


async def test_unresolvable_host_is_a_dns_failure(fetch_url) -> None:
    for allow_private_networks in (True, False):  # resolved by httpx, or by the guard
        result = await fetch_url(
            "http://example.invalid/feed", allow_private_networks=allow_private_networks
        )

        assert result.failure.kind is FailureKind.DNS
        assert result.failure.reason == "DNS lookup failed for example.invalid"
        assert result.failure.connection_level is True


async def test_tls_to_a_server_speaking_plain_http_is_a_tls_failure(fetch_url) -> None:
    async def answer_in_plain_text(_reader, writer: asyncio.StreamWriter) -> None:
        writer.write(b"HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n")
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(answer_in_plain_text, "127.0.0.1", 0)
    async with server:
        port = server.sockets[0].getsockname()[1]
        result = await fetch_url(f"https://127.0.0.1:{port}/feed")

    assert result.failure.kind is FailureKind.TLS
    assert result.failure.reason.startswith("TLS handshake failed")
    assert result.failure.connection_level is False


async def test_body_cut_short_is_a_protocol_failure(http_server: LoopbackServer, fetch_url) -> None:
    reply = Reply(headers={"Content-Length": "100"}, body=b"only ten b", framing="close")

    result = await fetch_url(http_server.route("/feed", reply))

    assert result.failure.kind is FailureKind.PROTOCOL
    assert result.failure.reason.startswith("the server broke HTTP")
    assert result.failure.connection_level is False
