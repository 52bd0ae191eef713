"""The one shared HTTP client of the fetch stage."""

from __future__ import annotations

from importlib.metadata import PackageNotFoundError, version

import httpx

from bot.fetch.policy import FetchPolicy

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
    policy: FetchPolicy | None = None, *, user_agent: str | None = None
) -> httpx.AsyncClient:
    """Build the client every fetch shares; the caller closes it (``await client.aclose()``).

    Redirects are not followed here: ``fetch`` follows them itself, so the private-network guard
    sees every hop. ``trust_env`` is off: proxies and certificates come from no environment
    variable, only from the settings.
    """
    policy = policy or FetchPolicy()
    return httpx.AsyncClient(
        headers={
            "User-Agent": user_agent or default_user_agent(),
            "Accept": ACCEPT,
            # Only what fetch can decompress under its size cap.
            "Accept-Encoding": "gzip, deflate",
        },
        timeout=timeout_for(policy),
        limits=httpx.Limits(
            max_connections=policy.max_connections,
            max_keepalive_connections=policy.max_keepalive_connections,
            keepalive_expiry=policy.keepalive_expiry.total_seconds(),
        ),
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
