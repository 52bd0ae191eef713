"""Fetch tests talk to real servers on 127.0.0.1 through the real client, with short limits."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest

from bot.fetch import FetchResult, fetch, make_client
from tests.fetch.fetch_defaults import NOW, TEST_POLICY

FetchUrl = Callable[..., Awaitable[FetchResult]]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    """The shared client, allowed to reach the loopback servers the tests run."""
    async with make_client(TEST_POLICY, allow_private_networks=True) as shared:
        yield shared


@pytest.fixture
def fetch_url(client: httpx.AsyncClient) -> FetchUrl:
    """``fetch`` with the test client and defaults: TEST_POLICY, loopback allowed, NOW.

    ``allow_private_networks=False`` fetches through a guarded client built for the policy.
    """

    async def fetch_with_defaults(
        url: str, *, allow_private_networks: bool = True, **overrides: Any
    ) -> FetchResult:
        options: dict[str, Any] = {"policy": TEST_POLICY, "now": NOW} | overrides
        if allow_private_networks:
            return await fetch(client, url, **options)
        async with make_client(options["policy"]) as guarded:
            return await fetch(guarded, url, **options)

    return fetch_with_defaults
