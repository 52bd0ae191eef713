"""Fetch tests talk to real servers on 127.0.0.1 through the real client, with short limits."""

from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import httpx
import pytest
from fetch_defaults import NOW, TEST_POLICY
from httpserver import http_server as http_server

from bot.fetch import FetchResult, fetch, make_client

FetchUrl = Callable[..., Awaitable[FetchResult]]


@pytest.fixture
async def client() -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(TEST_POLICY) as shared:
        yield shared


@pytest.fixture
def fetch_url(client: httpx.AsyncClient) -> FetchUrl:
    """``fetch`` with the test client and defaults: TEST_POLICY, loopback allowed, NOW."""

    async def fetch_with_defaults(url: str, **overrides: Any) -> FetchResult:
        options: dict[str, Any] = {
            "policy": TEST_POLICY,
            "allow_private_networks": True,
            "now": NOW,
        }
        return await fetch(client, url, **(options | overrides))

    return fetch_with_defaults
