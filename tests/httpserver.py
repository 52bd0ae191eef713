"""A scriptable HTTP/1.1 server on 127.0.0.1 for tests: the real network edge, no mocks.

    async with LoopbackServer() as server:
        url = server.route("/feed.xml", Reply(body=b"<rss/>", headers={"ETag": '"v1"'}))
        ...                                   # fetch url with the real client
        assert server.requests[0].headers["user-agent"].startswith("claimwatch/")

A route answers with a ``Reply`` (status, headers, body, framing, delays, stalls) or with a
function of the ``RecordedRequest`` returning one (see ``conditional``). Routes match the request
target with its query first (``/s/name?before=10``), then the path alone; anything else is 404.
Every request is recorded in ``server.requests``. The ``http_server`` fixture yields a started
server; a suite's conftest re-exports it: ``from httpserver import http_server as http_server``.
Helpers: ``Reply.redirect``, ``conditional`` (ETag / Last-Modified -> 304), ``gzip_bomb`` and
``deflate_bomb`` (tiny on the wire, huge decoded), ``http_date``. ``LoopbackServer("127.0.0.2")``
gives a second host for cross-host redirects.

Stalls wait on the server's own shutdown, never on a timer, so a stalled test ends when the
client gives up and the server closes.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import zlib
from collections.abc import AsyncIterator, Callable, Mapping
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from typing import Literal
from urllib.parse import urlsplit

import pytest


@dataclass(frozen=True)
class RecordedRequest:
    method: str
    target: str  # path and query, as sent
    headers: Mapping[str, str]  # names in lower case
    body: bytes

    @property
    def path(self) -> str:
        return urlsplit(self.target).path

    @property
    def query(self) -> str:
        return urlsplit(self.target).query


@dataclass(frozen=True)
class Reply:
    """What a route answers.

    framing: "length" (Content-Length), "chunked", or "close" (no length: the body ends when the
    connection closes). delay: seconds before the status line (``math.inf``: never answer).
    stall_after: send the headers and this many body bytes, then hang. chunk_size and trickle
    (seconds between chunks) make a slow server.
    """

    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)
    body: bytes = b""
    framing: Literal["length", "chunked", "close"] = "length"
    delay: float = 0.0
    stall_after: int | None = None
    chunk_size: int = 16 * 1024
    trickle: float = 0.0

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status=status, headers={"Location": location})


Handler = Callable[[RecordedRequest], Reply]


def conditional(
    body: bytes,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    content_type: str = "application/rss+xml",
) -> Handler:
    """A route that answers 304 when the request carries the current validators."""
    headers = {"Content-Type": content_type}
    if etag:
        headers["ETag"] = etag
    if last_modified:
        headers["Last-Modified"] = last_modified

    def answer(request: RecordedRequest) -> Reply:
        if_none_match = request.headers.get("if-none-match")
        if_modified_since = request.headers.get("if-modified-since")
        if (etag and if_none_match == etag) or (
            last_modified and not if_none_match and if_modified_since == last_modified
        ):
            return Reply(status=304, headers=headers)
        return Reply(headers=headers, body=body)

    return answer


def http_date(timestamp: float) -> str:
    return formatdate(timestamp, usegmt=True)


def gzip_bomb(decompressed_size: int) -> bytes:
    """A gzip body of zeros: about a thousandth of its decompressed size."""
    return _compress_zeros(
        decompressed_size, zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    )


def deflate_bomb(decompressed_size: int, *, raw: bool = False) -> bytes:
    """A "deflate" body of zeros: zlib-wrapped as the standard says, or raw as some servers send."""
    wbits = -zlib.MAX_WBITS if raw else zlib.MAX_WBITS
    return _compress_zeros(decompressed_size, zlib.compressobj(9, zlib.DEFLATED, wbits))


def _compress_zeros(size: int, compressor: zlib._Compress) -> bytes:
    block = bytes(1024 * 1024)
    parts = []
    for start in range(0, size, len(block)):
        parts.append(compressor.compress(block[: size - start]))
    parts.append(compressor.flush())
    return b"".join(parts)


class LoopbackServer:
    def __init__(self, host: str = "127.0.0.1") -> None:
        self.host = host
        self.port = 0
        self.requests: list[RecordedRequest] = []
        self._routes: dict[str, Reply | Handler] = {}
        self._closing = asyncio.Event()
        self._connections: set[asyncio.Task[None]] = set()
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> LoopbackServer:
        self._server = await asyncio.start_server(self._serve_connection, self.host, 0)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        self._closing.set()
        assert self._server is not None
        self._server.close()
        for task in list(self._connections):
            task.cancel()
        await asyncio.gather(*self._connections, return_exceptions=True)
        await self._server.wait_closed()

    @property
    def base_url(self) -> str:
        return f"http://{self.host}:{self.port}"

    def url(self, target: str = "/") -> str:
        return f"{self.base_url}{target}"

    def route(self, target: str, reply: Reply | Handler) -> str:
        """Answer ``target`` (a path, or a path with its query) with ``reply``; returns its URL."""
        self._routes[target] = reply
        return self.url(target)

    def requests_to(self, path: str) -> list[RecordedRequest]:
        return [request for request in self.requests if request.path == path]

    async def _serve_connection(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        task = asyncio.current_task()
        assert task is not None
        self._connections.add(task)
        try:
            while await self._serve_request(reader, writer):
                pass
        except (asyncio.IncompleteReadError, ConnectionError):
            pass  # the client went away
        finally:
            self._connections.discard(task)
            writer.close()
            with contextlib.suppress(Exception):
                await writer.wait_closed()

    async def _serve_request(
        self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> bool:
        """Answer one request; True when the connection stays open for another."""
        request = await _read_request(reader)
        if request is None:
            return False
        self.requests.append(request)
        reply = self._reply_for(request)
        if reply.delay:
            await self._pause(reply.delay)
        keep_alive = reply.framing != "close" and request.headers.get("connection") != "close"
        writer.write(_head(reply, keep_alive))
        await self._write_body(reply, writer)
        return keep_alive

    def _reply_for(self, request: RecordedRequest) -> Reply:
        route = self._routes.get(request.target) or self._routes.get(request.path)
        if route is None:
            return Reply(status=404, body=b"no such route")
        return route if isinstance(route, Reply) else route(request)

    async def _write_body(self, reply: Reply, writer: asyncio.StreamWriter) -> None:
        body = reply.body[: reply.stall_after] if reply.stall_after is not None else reply.body
        for start in range(0, len(body), reply.chunk_size):
            chunk = body[start : start + reply.chunk_size]
            writer.write(
                b"%x\r\n%s\r\n" % (len(chunk), chunk) if reply.framing == "chunked" else chunk
            )
            await writer.drain()
            if reply.trickle:
                await self._pause(reply.trickle)
        if reply.stall_after is not None:
            await self._pause(math.inf)
        if reply.framing == "chunked":
            writer.write(b"0\r\n\r\n")
        await writer.drain()

    async def _pause(self, seconds: float) -> None:
        """Wait ``seconds``; ``math.inf`` waits for the server to close (which cancels us)."""
        if math.isinf(seconds):
            await self._closing.wait()
        else:
            await asyncio.sleep(seconds)


async def _read_request(reader: asyncio.StreamReader) -> RecordedRequest | None:
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError:
        return None  # the client closed an idle keep-alive connection
    request_line, *header_lines = head.decode("latin-1").split("\r\n")
    method, target, _version = request_line.split(" ", 2)
    headers = {}
    for line in filter(None, header_lines):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    body = await reader.readexactly(int(headers.get("content-length", "0")))
    return RecordedRequest(method, target, headers, body)


def _head(reply: Reply, keep_alive: bool) -> bytes:
    try:
        phrase = HTTPStatus(reply.status).phrase
    except ValueError:
        phrase = "Unknown"
    headers = dict(reply.headers)
    names = {name.lower() for name in headers}
    if reply.framing == "length" and "content-length" not in names:
        headers["Content-Length"] = str(len(reply.body))
    if reply.framing == "chunked":
        headers["Transfer-Encoding"] = "chunked"
    headers["Connection"] = "keep-alive" if keep_alive else "close"
    lines = [f"HTTP/1.1 {reply.status} {phrase}", *(f"{k}: {v}" for k, v in headers.items())]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@pytest.fixture
async def http_server() -> AsyncIterator[LoopbackServer]:
    async with LoopbackServer() as server:
        yield server
