"""The one shared HTTP client of the fetch stage."""

from __future__ import annotations

import ssl
from importlib.metadata import PackageNotFoundError, version

import httpx

from bot.fetch.guard import AddressGuard, Resolve, resolve_with_system
from bot.fetch.policy import FetchPolicy
from bot.fetch.transport import GuardedTransport

PROJECT_URL = "https://github.com/claimwatch/claimwatch"

# Feeds first, then the HTML pages a feed may be discovered from (and t.me/s previews).
ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9,"
    " application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, text/html;q=0.7, */*;q=0.5"
)


def default_user_agent() -> str:
    try:
        release = version("claimwatch")
    except PackageNotFoundError:
        release = "dev"
    return f"claimwatch/{release} (+{PROJECT_URL})"


def make_client(
    policy: FetchPolicy | None = None,
    *,
    user_agent: str | None = None,
    allow_private_networks: bool = False,
    resolve: Resolve = resolve_with_system,
    verify: ssl.SSLContext | bool = True,
) -> httpx.AsyncClient:
    """Build the client every fetch shares; the caller closes it (``await client.aclose()``).

    Unless ``allow_private_networks``, the client connects only to public addresses (and
    ``policy.allowed_networks``), each connection to an address the guard vetted when it
    resolved the host with ``resolve`` (see ``bot.fetch.transport``). ``verify`` is the TLS
    trust (the system's by default). Redirects are not followed here: ``fetch`` follows them
    itself, one connection check per hop. ``trust_env`` is off: proxies and certificates come
    from no environment variable.
    """
    policy = policy or FetchPolicy()
    limits = httpx.Limits(
        max_connections=policy.max_connections,
        max_keepalive_connections=policy.max_keepalive_connections,
        keepalive_expiry=policy.keepalive_expiry.total_seconds(),
    )
    transport = (
        httpx.AsyncHTTPTransport(limits=limits, trust_env=False, verify=verify)
        if allow_private_networks
        else GuardedTransport(
            AddressGuard(policy.allowed_networks, resolve),
            limits=limits,
            resolve_timeout=policy.connect_timeout,
            verify=verify,
        )
    )
    return httpx.AsyncClient(
        headers={
            "User-Agent": user_agent or default_user_agent(),
            "Accept": ACCEPT,
            # Only what fetch can decompress under its size cap.
            "Accept-Encoding": "gzip, deflate",
        },
        timeout=timeout_for(policy),
        transport=transport,
        follow_redirects=False,
        trust_env=False,
    )


def timeout_for(policy: FetchPolicy) -> httpx.Timeout:
    """Per-phase timeouts; the whole-response deadline is enforced by ``fetch`` itself."""
    return httpx.Timeout(
        connect=policy.connect_timeout.total_seconds(),
        read=policy.read_timeout.total_seconds(),
        write=policy.read_timeout.total_seconds(),
        pool=policy.connect_timeout.total_seconds(),
    )
