"""Reading a response body under two caps: bytes received, and bytes after decompression.

httpx would decompress a whole received chunk at once, so a 64 KB chunk of a gzip bomb could grow
to 64 MB before any check; here the raw bytes are decompressed with an output limit instead.
"""

from __future__ import annotations

import zlib

import httpx

from bot.fetch.policy import MB, FetchPolicy
from bot.fetch.results import FailureKind, FetchFailedError, FetchFailure

_WBITS = {"gzip": 16 + zlib.MAX_WBITS, "x-gzip": 16 + zlib.MAX_WBITS, "deflate": zlib.MAX_WBITS}
# Compressed encodings we never ask for; any other unknown value ("none", "utf-8") is taken as
# identity, as browsers and httpx do.
_UNSUPPORTED = frozenset({"br", "zstd", "compress", "x-compress"})


async def read_body(response: httpx.Response, policy: FetchPolicy) -> bytes:
    """The decoded body, or ``FetchFailedError`` (too_large, protocol) without reading it all."""
    url = str(response.url)
    if _declared_length(response) > policy.max_response_bytes:
        raise _too_large(url, policy.max_response_bytes)
    decoder = _Decoder(url, response.headers.get("Content-Encoding"), policy.max_decoded_bytes)
    received = 0
    parts = []
    async for chunk in response.aiter_raw():
        received += len(chunk)
        if received > policy.max_response_bytes:
            raise _too_large(url, policy.max_response_bytes)
        parts.append(decoder.feed(chunk))
    parts.append(decoder.flush())
    return b"".join(parts)


class _Decoder:
    """Undoes one Content-Encoding (identity, gzip, deflate) and counts what comes out."""

    def __init__(self, url: str, encoding: str | None, limit: int) -> None:
        self._url = url
        self._encoding = (encoding or "identity").strip().lower()
        self._limit = limit
        self._produced = 0
        if self._encoding in _UNSUPPORTED:
            raise _undecodable(url, f"unsupported content encoding {self._encoding!r}")
        self._zlib = self._new_zlib(_WBITS.get(self._encoding, zlib.MAX_WBITS))
        self._raw_deflate_tried = False

    def feed(self, data: bytes) -> bytes:
        if self._encoding not in _WBITS:
            return self._count(data)
        try:
            return self._inflate(data)
        except zlib.error as error:
            if self._encoding == "deflate" and not self._raw_deflate_tried and not self._produced:
                # Some servers send raw deflate without the zlib header the standard asks for.
                self._raw_deflate_tried = True
                self._zlib = self._new_zlib(-zlib.MAX_WBITS)
                return self.feed(data)
            raise _undecodable(self._url, f"cannot decompress the {self._encoding} body") from error

    def flush(self) -> bytes:
        return self._count(self._zlib.flush()) if self._encoding in _WBITS else b""

    def _inflate(self, data: bytes) -> bytes:
        out = bytearray()
        while data:
            # One byte over the budget is enough to know the cap is exceeded.
            out += self._count(self._zlib.decompress(data, self._limit - self._produced + 1))
            data = self._zlib.unconsumed_tail
            if self._zlib.eof:  # a gzip body may hold several members back to back
                data = self._zlib.unused_data
                self._zlib = self._new_zlib(_WBITS[self._encoding])
        return bytes(out)

    def _count(self, data: bytes) -> bytes:
        self._produced += len(data)
        if self._produced > self._limit:
            raise _too_large(self._url, self._limit, decompressed=True)
        return data

    @staticmethod
    def _new_zlib(wbits: int) -> zlib._Decompress:
        return zlib.decompressobj(wbits)


def _declared_length(response: httpx.Response) -> int:
    """The Content-Length, 0 when absent or unreadable (the streamed count still applies)."""
    declared = response.headers.get("Content-Length", "").strip()
    if not (declared.isascii() and declared.isdigit()):
        return 0
    return int(declared) if len(declared) < 19 else 2**63


def describe_size(size: int) -> str:
    if size % MB == 0:
        return f"{size // MB} MB"
    if size % 1024 == 0:
        return f"{size // 1024} KB"
    return f"{size} bytes"


def _too_large(url: str, limit: int, *, decompressed: bool = False) -> FetchFailedError:
    reason = f"response larger than {describe_size(limit)}"
    if decompressed:
        reason += " once decompressed"
    return FetchFailedError(url, FetchFailure(FailureKind.TOO_LARGE, reason))


def _undecodable(url: str, reason: str) -> FetchFailedError:
    return FetchFailedError(url, FetchFailure(FailureKind.PROTOCOL, reason))
