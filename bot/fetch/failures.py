"""Turning what went wrong (an httpx exception, an HTTP status) into a readable FetchFailure."""

from __future__ import annotations

import errno
import socket
import ssl
from collections.abc import Iterator
from datetime import timedelta
from http import HTTPStatus

import httpx

from bot.fetch.policy import FetchPolicy
from bot.fetch.results import FailureKind, FetchFailure

_UNREACHABLE = frozenset({errno.ENETUNREACH, errno.EHOSTUNREACH, errno.ENETDOWN, errno.EHOSTDOWN})


def failure_from_status(status_code: int) -> FetchFailure:
    if status_code == HTTPStatus.GONE:
        return FetchFailure(FailureKind.GONE, "410 Gone: the feed was removed")
    try:
        phrase = HTTPStatus(status_code).phrase
    except ValueError:
        phrase = "(unknown status)"
    return FetchFailure(FailureKind.HTTP_STATUS, f"HTTP {status_code} {phrase}")


def failure_from_exception(error: Exception, url: httpx.URL, policy: FetchPolicy) -> FetchFailure:
    """A failure for an exception httpx raised while sending the request or reading the body."""
    if isinstance(error, httpx.TimeoutException):
        return _timeout_failure(error, url, policy)
    if isinstance(error, httpx.ConnectError):
        return _connect_failure(error, url)
    if isinstance(error, httpx.NetworkError):  # read/write error once connected
        return FetchFailure(FailureKind.NETWORK, f"connection lost: {_detail(error)}")
    if isinstance(error, httpx.RemoteProtocolError):
        return FetchFailure(FailureKind.PROTOCOL, f"the server broke HTTP: {_detail(error)}")
    if isinstance(error, httpx.UnsupportedProtocol | httpx.InvalidURL):
        return FetchFailure(FailureKind.INVALID_URL, f"invalid URL: {_detail(error)}")
    return FetchFailure(FailureKind.OTHER, f"{type(error).__name__}: {_detail(error)}")


def total_timeout_failure(policy: FetchPolicy) -> FetchFailure:
    seconds = _seconds(policy.total_timeout)
    reason = f"timed out after {seconds} waiting for the whole response"
    return FetchFailure(FailureKind.TIMEOUT, reason)


def _timeout_failure(
    error: httpx.TimeoutException, url: httpx.URL, policy: FetchPolicy
) -> FetchFailure:
    if isinstance(error, httpx.ConnectTimeout):
        reason = f"timed out after {_seconds(policy.connect_timeout)} connecting to {url.host}"
        return FetchFailure(FailureKind.TIMEOUT, reason, connection_level=True)
    if isinstance(error, httpx.PoolTimeout):
        reason = f"timed out after {_seconds(policy.connect_timeout)} waiting for a free connection"
        return FetchFailure(FailureKind.TIMEOUT, reason)
    action = (
        "sending the request" if isinstance(error, httpx.WriteTimeout) else "reading the response"
    )
    return FetchFailure(
        FailureKind.TIMEOUT, f"timed out after {_seconds(policy.read_timeout)} {action}"
    )


def _connect_failure(error: httpx.ConnectError, url: httpx.URL) -> FetchFailure:
    for cause in _causes(error):
        if isinstance(cause, socket.gaierror):
            return _connection_level(FailureKind.DNS, f"DNS lookup failed for {url.host}")
        if isinstance(cause, ConnectionRefusedError):
            return _connection_level(FailureKind.REFUSED, "connection refused")
        if isinstance(cause, ssl.SSLError):  # the connection was made: not a network outage
            return FetchFailure(FailureKind.TLS, _tls_reason(cause))
        if isinstance(cause, OSError) and cause.errno in _UNREACHABLE:
            return _connection_level(FailureKind.NETWORK, f"{url.host} is unreachable")
    return _connection_level(FailureKind.NETWORK, f"cannot connect: {_detail(error)}")


def _tls_reason(error: ssl.SSLError) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"TLS certificate not accepted: {error.verify_message}"
    detail = error.reason.replace("_", " ").lower() if error.reason else _detail(error)
    return f"TLS handshake failed: {detail}"


def _causes(error: BaseException) -> Iterator[BaseException]:
    """The exception and everything behind it: httpx wraps httpcore, which wraps the OSError
    (as cause, context or argument); anyio groups one error per address it tried."""
    pending: list[BaseException] = [error]
    seen: set[int] = set()
    while pending:
        current = pending.pop(0)
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        if isinstance(current, BaseExceptionGroup):
            pending.extend(current.exceptions)
        pending.extend(arg for arg in current.args if isinstance(arg, BaseException))
        pending.extend(filter(None, (current.__cause__, current.__context__)))


def _connection_level(kind: FailureKind, reason: str) -> FetchFailure:
    return FetchFailure(kind, reason, connection_level=True)


def _detail(error: BaseException) -> str:
    return str(error) or type(error).__name__


def _seconds(duration: timedelta) -> str:
    return f"{duration.total_seconds():g} s"
