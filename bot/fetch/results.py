"""What a fetch produces: outcomes as data, never exceptions.

A ``FetchResult`` is OK (a body), NOT_MODIFIED (a cheap 304) or FAILED (a ``FetchFailure`` with a
kind the scheduler can act on and a reason a person can read). Server hints (validators,
Retry-After, max-age) are reported with every outcome, since a 429 or 503 carries them too.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from enum import StrEnum

from bot.errors import FetchError


class FetchStatus(StrEnum):
    OK = "ok"
    NOT_MODIFIED = "not_modified"
    FAILED = "failed"


class FailureKind(StrEnum):
    DNS = "dns"  # the host name does not resolve
    REFUSED = "refused"  # nothing listens on the port
    NETWORK = "network"  # unreachable network, connection reset, ...
    TIMEOUT = "timeout"  # connect, read or whole-response deadline
    TLS = "tls"  # handshake or certificate problem
    HTTP_STATUS = "http_status"  # 4xx or 5xx other than 410
    GONE = "gone"  # 410: the source was removed for good
    TOO_LARGE = "too_large"  # raw or decompressed size cap exceeded
    BLOCKED_ADDRESS = "blocked_address"  # private-network guard
    TOO_MANY_REDIRECTS = "too_many_redirects"
    INVALID_URL = "invalid_url"  # not http(s), no host, unparsable
    PROTOCOL = "protocol"  # the server broke HTTP or sent undecodable content
    NO_PREVIEW = "no_preview"  # a Telegram channel without a public web preview
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class FetchFailure:
    """Why a fetch failed.

    ``connection_level`` is true when no connection to the server could be made at all (DNS,
    refused, unreachable, connect timeout): when every source fails that way at once, the network
    itself is probably down and the scheduler backs off globally rather than per source.
    """

    kind: FailureKind
    reason: str
    connection_level: bool = False


@dataclass(frozen=True, slots=True)
class FetchResult:
    """The outcome of one ``fetch``.

    ``body`` is set only when OK and ``failure`` only when FAILED. ``final_url`` is where the
    redirects ended; ``moved_to`` is the URL the source should be stored under from now on (the
    target of the chain's leading permanent redirects, 301/308), or None. ``etag`` and
    ``last_modified`` are the validators to store after OK or NOT_MODIFIED (on a 304 without
    them, the ones that were sent). ``retry_after`` and ``max_age`` are the server's hints.
    """

    status: FetchStatus
    url: str
    final_url: str
    body: bytes | None = None
    failure: FetchFailure | None = None
    http_status: int | None = None
    permanent_redirect: bool = False
    moved_to: str | None = None
    content_type: str | None = None
    etag: str | None = None
    last_modified: str | None = None
    retry_after: timedelta | None = None
    max_age: timedelta | None = None

    def __post_init__(self) -> None:
        if (self.body is not None) != (self.status is FetchStatus.OK):
            raise ValueError("a FetchResult has a body exactly when its status is OK")
        if (self.failure is not None) != (self.status is FetchStatus.FAILED):
            raise ValueError("a FetchResult has a failure exactly when its status is FAILED")


class FetchFailedError(FetchError):
    """A ``FetchFailure`` as an exception; inside the package it unwinds to ``fetch``."""

    def __init__(self, url: str, failure: FetchFailure) -> None:
        super().__init__(url, failure.reason)
        self.failure = failure
