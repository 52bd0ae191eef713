"""``fetch``: one polite GET with conditional headers, redirects followed by hand, caps enforced.

Every hop of a redirect chain opens its own connection, which the client's private-network
guard vets (``bot.fetch.transport``).
Expected failures come back as a FAILED ``FetchResult``; only programming errors escape.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, replace
from datetime import datetime

import httpx

from bot.fetch import body, failures, hints
from bot.fetch.client import timeout_for
from bot.fetch.policy import FetchPolicy
from bot.fetch.results import FailureKind, FetchFailedError, FetchFailure, FetchResult, FetchStatus

_REDIRECTS = frozenset({301, 302, 303, 307, 308})
_PERMANENT_REDIRECTS = frozenset({301, 308})


@dataclass(frozen=True, slots=True)
class _Chain:
    """Where a redirect chain stands: the URL to request next and what the hops so far said."""

    url: httpx.URL
    hops: int = 0
    permanent_redirect: bool = False  # some hop was 301/308
    moved_to: str | None = None  # target of the leading run of permanent hops
    only_permanent_so_far: bool = True

    def follow(self, status_code: int, location: httpx.URL) -> _Chain:
        permanent = status_code in _PERMANENT_REDIRECTS
        still_permanent = self.only_permanent_so_far and permanent
        return _Chain(
            url=location,
            hops=self.hops + 1,
            permanent_redirect=self.permanent_redirect or permanent,
            moved_to=str(location) if still_permanent else self.moved_to,
            only_permanent_so_far=still_permanent,
        )


async def fetch(
    client: httpx.AsyncClient,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    policy: FetchPolicy,
    now: datetime,
) -> FetchResult:
    """GET ``url`` politely; never raises for a failure the network or a server can cause.

    ``etag`` and ``last_modified`` are the validators stored from the last fetch (sent as
    If-None-Match / If-Modified-Since). Redirects are followed up to ``policy.max_redirects``;
    the client (``make_client``) refuses private addresses at every hop unless it was built to
    allow them. ``now`` turns a Retry-After date into a delay.
    """
    headers = _conditional_headers(etag, last_modified)
    try:
        chain = _Chain(httpx.URL(url))
    except httpx.InvalidURL as error:
        return _failed(url, url, FetchFailure(FailureKind.INVALID_URL, f"invalid URL: {error}"))
    try:
        async with asyncio.timeout(policy.total_timeout.total_seconds()):
            result = await _follow(client, chain, headers, policy, now)
    except TimeoutError:
        return _failed(url, url, failures.total_timeout_failure(policy))
    result = replace(result, url=url)
    if result.status is FetchStatus.NOT_MODIFIED:  # a 304 need not repeat the validators
        result = replace(
            result, etag=result.etag or etag, last_modified=result.last_modified or last_modified
        )
    return result


@dataclass(frozen=True, slots=True)
class _Redirect:
    status_code: int
    location: httpx.URL


async def _follow(
    client: httpx.AsyncClient,
    chain: _Chain,
    headers: dict[str, str],
    policy: FetchPolicy,
    now: datetime,
) -> FetchResult:
    while True:
        outcome = await _request(client, chain, headers, policy, now)
        if isinstance(outcome, FetchResult):
            return outcome
        if chain.hops >= policy.max_redirects:
            reason = f"too many redirects (more than {policy.max_redirects})"
            return _chain_failed(chain, FetchFailure(FailureKind.TOO_MANY_REDIRECTS, reason))
        chain = chain.follow(outcome.status_code, outcome.location)


async def _request(
    client: httpx.AsyncClient,
    chain: _Chain,
    headers: dict[str, str],
    policy: FetchPolicy,
    now: datetime,
) -> FetchResult | _Redirect:
    """One hop: a streamed GET (its connection vetted by the guard) that is either a redirect
    or the result."""
    try:
        _check_url(chain.url)
        request_timeout = timeout_for(policy)
        async with client.stream(
            "GET", chain.url, headers=headers, timeout=request_timeout
        ) as response:
            location = _redirect_target(response)
            if location is not None:
                return _Redirect(response.status_code, location)
            return await _result_from(response, chain, policy, now)
    except FetchFailedError as error:
        return _chain_failed(chain, error.failure)
    except (httpx.HTTPError, httpx.InvalidURL, OSError) as error:
        return _chain_failed(chain, failures.failure_from_exception(error, chain.url, policy))


def _check_url(url: httpx.URL) -> None:
    if url.scheme not in ("http", "https"):
        reason = (
            f"invalid URL: only http and https can be fetched, not {url.scheme or 'no scheme'!r}"
        )
    elif not url.host:
        reason = "invalid URL: no host name"
    else:
        return
    raise FetchFailedError(str(url), FetchFailure(FailureKind.INVALID_URL, reason))


def _redirect_target(response: httpx.Response) -> httpx.URL | None:
    """The absolute URL a redirect points to, or None when the response is not a redirect."""
    location = response.headers.get("Location")
    if response.status_code not in _REDIRECTS or not location:
        return None
    try:
        return response.url.join(location)
    except httpx.InvalidURL as error:
        reason = f"redirected to an invalid URL: {location!r}"
        raise FetchFailedError(
            str(response.url), FetchFailure(FailureKind.INVALID_URL, reason)
        ) from error


async def _result_from(
    response: httpx.Response, chain: _Chain, policy: FetchPolicy, now: datetime
) -> FetchResult:
    result = FetchResult(
        status=FetchStatus.NOT_MODIFIED,
        url=str(chain.url),
        final_url=str(chain.url),
        http_status=response.status_code,
        permanent_redirect=chain.permanent_redirect,
        moved_to=chain.moved_to,
        content_type=response.headers.get("Content-Type"),
        etag=response.headers.get("ETag"),
        last_modified=response.headers.get("Last-Modified"),
        retry_after=hints.parse_retry_after(response.headers.get("Retry-After"), now),
        max_age=hints.parse_max_age(response.headers.get("Cache-Control")),
    )
    if response.status_code == 304:
        return result
    if response.is_success:
        return replace(result, status=FetchStatus.OK, body=await body.read_body(response, policy))
    failure = failures.failure_from_status(response.status_code)
    return replace(result, status=FetchStatus.FAILED, failure=failure)


def _conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    # Validators come from servers; one that cannot be sent back as a header is dropped, which
    # costs a full download instead of a failed fetch.
    candidates = {"If-None-Match": etag, "If-Modified-Since": last_modified}
    return {name: value for name, value in candidates.items() if value and _sendable(value)}


def _sendable(value: str) -> bool:
    return value.isascii() and value.isprintable()


def _chain_failed(chain: _Chain, failure: FetchFailure) -> FetchResult:
    return replace(
        _failed(str(chain.url), str(chain.url), failure),
        permanent_redirect=chain.permanent_redirect,
        moved_to=chain.moved_to,
    )


def _failed(url: str, final_url: str, failure: FetchFailure) -> FetchResult:
    return FetchResult(FetchStatus.FAILED, url=url, final_url=final_url, failure=failure)
