"""The private-network guard: the address table, name resolution, and every redirect hop."""

from dataclasses import replace
from ipaddress import ip_address, ip_network

import httpx
import pytest

from bot.fetch import FailureKind, FetchFailedError, FetchStatus, describe_non_public
from bot.fetch.guard import ensure_public_host
from tests.fetch.fetch_defaults import TEST_POLICY
from tests.httpserver import LoopbackServer, Reply

HINT = "(set CLAIMWATCH_ALLOW_PRIVATE_NETWORKS=true to allow)"


@pytest.mark.parametrize(
    ("address", "description"),
    [
        ("127.0.0.1", "a loopback address"),
        ("127.8.9.10", "a loopback address"),
        ("::1", "a loopback address"),
        ("10.1.2.3", "a private address"),
        ("172.16.0.1", "a private address"),
        ("192.168.1.1", "a private address"),
        ("fd12:3456::1", "a private address"),
        ("169.254.169.254", "a link-local address"),  # cloud metadata
        ("fe80::1", "a link-local address"),
        ("224.0.0.1", "a multicast address"),
        ("ff02::1", "a multicast address"),
        ("0.0.0.0", "an unspecified address"),
        ("::", "an unspecified address"),
        ("240.0.0.1", "a reserved address"),
        ("100.64.0.1", "a non-public address"),  # carrier-grade NAT
        ("::ffff:127.0.0.1", "a loopback address"),  # IPv4-mapped IPv6
        ("::ffff:10.0.0.1", "a private address"),
        ("2002:7f00:1::", "a loopback address"),  # 6to4 around 127.0.0.1
        ("8.8.8.8", None),
        ("93.184.216.34", None),
        ("2001:4860:4860::8888", None),
        ("::ffff:8.8.8.8", None),
    ],
)
def test_address_table(address: str, description: str | None) -> None:
    assert describe_non_public(ip_address(address)) == description


async def test_literal_private_address_is_refused_without_a_lookup() -> None:
    with pytest.raises(FetchFailedError) as raised:
        await ensure_public_host(httpx.URL("http://10.0.0.7:8080/feed"))

    assert raised.value.failure.kind is FailureKind.BLOCKED_ADDRESS
    assert raised.value.reason == f"refused: 10.0.0.7 is a private address {HINT}"
    assert str(raised.value) == f"http://10.0.0.7:8080/feed: {raised.value.reason}"


async def test_literal_ipv6_loopback_is_refused() -> None:
    with pytest.raises(FetchFailedError) as raised:
        await ensure_public_host(httpx.URL("http://[::1]/feed"))

    assert raised.value.reason == f"refused: ::1 is a loopback address {HINT}"


async def test_name_resolving_to_loopback_is_refused() -> None:
    with pytest.raises(FetchFailedError) as raised:
        await ensure_public_host(httpx.URL("http://localhost/feed"))

    assert raised.value.failure.kind is FailureKind.BLOCKED_ADDRESS
    assert raised.value.reason.startswith("refused: localhost resolves to ")
    assert raised.value.reason.endswith(f", a loopback address {HINT}")


async def test_public_literal_and_allowed_networks_pass() -> None:
    await ensure_public_host(httpx.URL("http://8.8.8.8/feed"))
    await ensure_public_host(
        httpx.URL("http://10.0.0.7/feed"), allowed_networks=[ip_network("10.0.0.0/8")]
    )


async def test_loopback_server_is_refused_unless_allowed(
    http_server: LoopbackServer, fetch_url
) -> None:
    url = http_server.route("/feed", Reply(body=b"<rss/>"))

    refused = await fetch_url(url, allow_private_networks=False)
    allowed = await fetch_url(url, allow_private_networks=True)

    assert refused.failure.kind is FailureKind.BLOCKED_ADDRESS
    assert refused.failure.reason == f"refused: 127.0.0.1 is a loopback address {HINT}"
    assert allowed.status is FetchStatus.OK
    assert len(http_server.requests) == 1  # the refused fetch never connected


async def test_redirect_into_a_private_address_is_refused(
    http_server: LoopbackServer, fetch_url
) -> None:
    # Only 127.0.0.1 is allowed, standing in for a public server; its redirect to another
    # loopback address must be checked again and refused.
    policy = replace(TEST_POLICY, allowed_networks=(ip_network("127.0.0.1/32"),))
    inside = f"http://127.0.0.2:{http_server.port}/admin"
    url = http_server.route("/feed", Reply.redirect(inside, 301))

    result = await fetch_url(url, allow_private_networks=False, policy=policy)

    assert result.failure.kind is FailureKind.BLOCKED_ADDRESS
    assert result.failure.reason == f"refused: 127.0.0.2 is a loopback address {HINT}"
    assert result.final_url == inside
    assert [request.path for request in http_server.requests] == ["/feed"]


async def test_redirect_is_followed_when_private_networks_are_allowed(
    http_server: LoopbackServer, fetch_url
) -> None:
    async with LoopbackServer(host="127.0.0.2") as other:
        target = other.route("/admin", Reply(body=b"ok"))
        url = http_server.route("/feed", Reply.redirect(target))

        result = await fetch_url(url, allow_private_networks=True)

    assert (result.status, result.body, result.final_url) == (FetchStatus.OK, b"ok", target)
