"""Size caps on received and decompressed bytes, and the three timeouts, against real servers."""

import gzip
import zlib
from dataclasses import replace
from datetime import timedelta

import pytest

from bot.fetch import FailureKind, FetchStatus
from tests.fetch.fetch_defaults import TEST_POLICY
from tests.httpserver import LoopbackServer, Reply, deflate_bomb, gzip_bomb

RAW_CAP = TEST_POLICY.max_response_bytes  # 256 KB
DECODED_CAP = TEST_POLICY.max_decoded_bytes  # 1 MB
BOMB_SIZE = 20 * 1024 * 1024  # about 20 KB gzipped


def assert_too_large(result, reason: str) -> None:
    assert result.status is FetchStatus.FAILED and result.body is None
    assert (result.failure.kind, result.failure.reason) == (FailureKind.TOO_LARGE, reason)


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
async def test_body_over_the_raw_cap_fails(
    http_server: LoopbackServer, fetch_url, framing: str
) -> None:
    url = http_server.route("/big", Reply(body=bytes(RAW_CAP + 1), framing=framing))

    assert_too_large(await fetch_url(url), "response larger than 256 KB")


@pytest.mark.parametrize("framing", ["length", "chunked", "close"])
async def test_body_at_the_raw_cap_is_read(
    http_server: LoopbackServer, fetch_url, framing: str
) -> None:
    body = b"x" * RAW_CAP
    result = await fetch_url(http_server.route("/big", Reply(body=body, framing=framing)))

    assert result.status is FetchStatus.OK and result.body == body


async def test_declared_length_over_the_cap_fails_before_the_body_arrives(
    http_server: LoopbackServer, fetch_url
) -> None:
    # The server promises 1 GB and then stalls: only the header can have decided.
    reply = Reply(headers={"Content-Length": str(2**30)}, body=b"x" * 10, stall_after=0)

    assert_too_large(
        await fetch_url(http_server.route("/huge", reply)), "response larger than 256 KB"
    )


@pytest.mark.parametrize(
    "reply",
    [
        Reply(headers={"Content-Encoding": "gzip"}, body=gzip_bomb(BOMB_SIZE)),
        Reply(headers={"Content-Encoding": "x-gzip"}, body=gzip_bomb(BOMB_SIZE)),
        Reply(headers={"Content-Encoding": "deflate"}, body=deflate_bomb(BOMB_SIZE)),
        Reply(
            headers={"Content-Encoding": "deflate"},
            body=deflate_bomb(BOMB_SIZE, raw=True),
            framing="chunked",
        ),
    ],
    ids=["gzip", "x-gzip", "deflate", "raw-deflate-chunked"],
)
async def test_compression_bomb_fails_on_the_decoded_cap(
    http_server: LoopbackServer, fetch_url, reply: Reply
) -> None:
    assert len(reply.body) < RAW_CAP  # small on the wire: only the decoded cap can catch it

    result = await fetch_url(http_server.route("/bomb", reply))

    assert_too_large(result, "response larger than 1 MB once decompressed")


@pytest.mark.parametrize(
    ("encoding", "compressed"),
    [
        ("gzip", gzip.compress(b"<rss/>" * 1000, mtime=0)),
        ("gzip", gzip.compress(b"<rss/>" * 500, mtime=0) * 2),  # two members
        ("deflate", zlib.compress(b"<rss/>" * 1000)),
        ("deflate", zlib.compress(b"<rss/>" * 1000, wbits=-zlib.MAX_WBITS)),  # raw deflate
        ("identity", b"<rss/>" * 1000),
        ("none", b"<rss/>" * 1000),  # nonsense servers send: taken as identity
    ],
    ids=["gzip", "gzip-two-members", "deflate", "raw-deflate", "identity", "none"],
)
async def test_compressed_bodies_are_decoded(
    http_server: LoopbackServer, fetch_url, encoding: str, compressed: bytes
) -> None:
    reply = Reply(headers={"Content-Encoding": encoding}, body=compressed, chunk_size=100)

    result = await fetch_url(http_server.route("/feed", reply))

    assert result.status is FetchStatus.OK and result.body == b"<rss/>" * 1000


async def test_decoded_body_at_the_cap_is_read(http_server: LoopbackServer, fetch_url) -> None:
    reply = Reply(headers={"Content-Encoding": "gzip"}, body=gzip_bomb(DECODED_CAP))

    result = await fetch_url(http_server.route("/feed", reply))

    assert result.status is FetchStatus.OK and result.body == bytes(DECODED_CAP)


@pytest.mark.parametrize(
    ("encoding", "body", "reason"),
    [
        ("gzip", b"this is not gzip at all", "cannot decompress the gzip body"),
        ("deflate", b"nor deflate", "cannot decompress the deflate body"),
        ("br", b"\x1b\x00", "unsupported content encoding 'br'"),
    ],
)
async def test_undecodable_bodies_are_protocol_failures(
    http_server: LoopbackServer, fetch_url, encoding: str, body: bytes, reason: str
) -> None:
    reply = Reply(headers={"Content-Encoding": encoding}, body=body)

    result = await fetch_url(http_server.route("/feed", reply))

    assert (result.failure.kind, result.failure.reason) == (FailureKind.PROTOCOL, reason)


async def test_server_silent_after_the_request_times_out_reading(
    http_server: LoopbackServer, fetch_url
) -> None:
    url = http_server.route("/slow", Reply(body=b"never", delay=float("inf")))

    result = await fetch_url(url)

    assert result.failure.kind is FailureKind.TIMEOUT
    assert result.failure.reason == "timed out after 0.3 s reading the response"
    assert result.failure.connection_level is False


async def test_server_stalling_mid_body_times_out_reading(
    http_server: LoopbackServer, fetch_url
) -> None:
    url = http_server.route("/slow", Reply(body=b"x" * 1000, stall_after=500, framing="chunked"))

    result = await fetch_url(url)

    assert result.failure.reason == "timed out after 0.3 s reading the response"


async def test_trickling_server_hits_the_whole_response_deadline(
    http_server: LoopbackServer, fetch_url
) -> None:
    # A byte every 50 ms never trips the 300 ms read timeout; the 1 s total must.
    url = http_server.route("/drip", Reply(body=b"x" * 1000, chunk_size=1, trickle=0.05))
    policy = replace(TEST_POLICY, total_timeout=timedelta(seconds=1))

    result = await fetch_url(url, policy=policy)

    assert result.failure.kind is FailureKind.TIMEOUT
    assert result.failure.reason == "timed out after 1 s waiting for the whole response"
