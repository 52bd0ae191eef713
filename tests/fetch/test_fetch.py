"""fetch() against a real loopback server: success, conditional GET, redirects, HTTP statuses."""

from datetime import timedelta
from email.utils import format_datetime

import pytest

from bot.fetch import FailureKind, FetchStatus, default_user_agent
from tests.fetch.fetch_defaults import NOW
from tests.httpserver import LoopbackServer, Reply, conditional

FEED = b"<rss><channel><title>t</title></channel></rss>"


async def test_ok_returns_body_and_server_hints(http_server: LoopbackServer, fetch_url) -> None:
    headers = {
        "Content-Type": "application/rss+xml; charset=utf-8",
        "ETag": '"v1"',
        "Last-Modified": "Wed, 23 Oct 2024 10:00:00 GMT",
        "Cache-Control": "public, max-age=300",
    }
    url = http_server.route("/feed.xml", Reply(body=FEED, headers=headers))

    result = await fetch_url(url)

    assert result.status is FetchStatus.OK
    assert result.body == FEED
    assert (result.url, result.final_url, result.http_status) == (url, url, 200)
    assert result.content_type == "application/rss+xml; charset=utf-8"
    assert (result.etag, result.last_modified) == ('"v1"', "Wed, 23 Oct 2024 10:00:00 GMT")
    assert result.max_age == timedelta(minutes=5)
    assert result.failure is None and not result.permanent_redirect and result.moved_to is None


async def test_sends_project_user_agent_and_only_decodable_encodings(
    http_server: LoopbackServer, fetch_url
) -> None:
    await fetch_url(http_server.route("/", Reply(body=b"ok")))

    (request,) = http_server.requests
    assert request.headers["user-agent"] == default_user_agent()
    assert request.headers["user-agent"].startswith("claimwatch/")
    assert "github.com/claimwatch/claimwatch" in request.headers["user-agent"]
    assert request.headers["accept-encoding"] == "gzip, deflate"
    assert "if-none-match" not in request.headers


async def test_etag_round_trip_ends_in_not_modified(http_server: LoopbackServer, fetch_url) -> None:
    url = http_server.route("/feed.xml", conditional(FEED, etag='"abc"'))

    first = await fetch_url(url)
    second = await fetch_url(url, etag=first.etag)

    assert first.status is FetchStatus.OK and first.etag == '"abc"'
    assert second.status is FetchStatus.NOT_MODIFIED
    assert second.body is None and second.http_status == 304 and second.etag == '"abc"'
    assert http_server.requests[1].headers["if-none-match"] == '"abc"'


async def test_last_modified_round_trip_ends_in_not_modified(
    http_server: LoopbackServer, fetch_url
) -> None:
    stamp = "Tue, 22 Oct 2024 08:00:00 GMT"
    url = http_server.route("/feed.xml", conditional(FEED, last_modified=stamp))

    first = await fetch_url(url)
    second = await fetch_url(url, last_modified=first.last_modified)

    assert (first.status, first.last_modified) == (FetchStatus.OK, stamp)
    assert second.status is FetchStatus.NOT_MODIFIED
    assert http_server.requests[1].headers["if-modified-since"] == stamp


async def test_not_modified_without_validators_keeps_the_ones_sent(
    http_server: LoopbackServer, fetch_url
) -> None:
    url = http_server.route("/feed.xml", Reply(status=304))

    result = await fetch_url(url, etag='"old"', last_modified="Mon, 21 Oct 2024 00:00:00 GMT")

    assert result.status is FetchStatus.NOT_MODIFIED
    assert (result.etag, result.last_modified) == ('"old"', "Mon, 21 Oct 2024 00:00:00 GMT")


@pytest.mark.parametrize(
    ("status", "permanent"), [(301, True), (308, True), (302, False), (303, False), (307, False)]
)
async def test_redirect_reports_final_url_and_permanence(
    http_server: LoopbackServer, fetch_url, status: int, permanent: bool
) -> None:
    new_url = http_server.route("/new.xml", Reply(body=FEED))
    old_url = http_server.route("/old.xml", Reply.redirect(new_url, status))

    result = await fetch_url(old_url)

    assert result.status is FetchStatus.OK and result.body == FEED
    assert (result.url, result.final_url) == (old_url, new_url)
    assert result.permanent_redirect is permanent
    assert result.moved_to == (new_url if permanent else None)


async def test_moved_to_stops_at_the_first_temporary_hop(
    http_server: LoopbackServer, fetch_url
) -> None:
    end = http_server.route("/today.xml", Reply(body=FEED))
    moved = http_server.route("/feed.xml", Reply.redirect("/today.xml", 302))
    start = http_server.route("/rss", Reply.redirect("/feed.xml", 301))  # relative Location

    result = await fetch_url(start)

    assert result.final_url == end
    assert result.permanent_redirect and result.moved_to == moved


async def test_temporary_then_permanent_is_not_a_move(
    http_server: LoopbackServer, fetch_url
) -> None:
    http_server.route("/b", Reply.redirect("/c", 301))
    http_server.route("/c", Reply(body=FEED))

    result = await fetch_url(http_server.route("/a", Reply.redirect("/b", 302)))

    assert result.permanent_redirect and result.moved_to is None


def redirect_chain(server: LoopbackServer, length: int) -> str:
    for hop in range(length):
        server.route(f"/hop{hop}", Reply.redirect(f"/hop{hop + 1}"))
    server.route(f"/hop{length}", Reply(body=FEED))
    return server.url("/hop0")


async def test_five_redirects_are_followed(http_server: LoopbackServer, fetch_url) -> None:
    result = await fetch_url(redirect_chain(http_server, 5))

    assert result.status is FetchStatus.OK and result.final_url.endswith("/hop5")


async def test_six_redirects_are_too_many(http_server: LoopbackServer, fetch_url) -> None:
    result = await fetch_url(redirect_chain(http_server, 6))

    assert result.status is FetchStatus.FAILED
    assert result.failure.kind is FailureKind.TOO_MANY_REDIRECTS
    assert result.failure.reason == "too many redirects (more than 5)"
    assert len(http_server.requests) == 6  # the sixth redirect is not followed


async def test_redirect_to_an_unsupported_scheme_is_an_invalid_url(
    http_server: LoopbackServer, fetch_url
) -> None:
    result = await fetch_url(http_server.route("/", Reply.redirect("ftp://example.org/feed")))

    assert result.failure.kind is FailureKind.INVALID_URL
    assert "only http and https" in result.failure.reason


def retry_date(delay: timedelta) -> str:
    return format_datetime(NOW + delay, usegmt=True)


@pytest.mark.parametrize(
    ("reply", "kind", "reason", "retry_after"),
    [
        (Reply(status=503), FailureKind.HTTP_STATUS, "HTTP 503 Service Unavailable", None),
        (Reply(status=500), FailureKind.HTTP_STATUS, "HTTP 500 Internal Server Error", None),
        (Reply(status=404), FailureKind.HTTP_STATUS, "HTTP 404 Not Found", None),
        (Reply(status=599), FailureKind.HTTP_STATUS, "HTTP 599 (unknown status)", None),
        (Reply(status=410), FailureKind.GONE, "410 Gone: the feed was removed", None),
        (
            Reply(status=429, headers={"Retry-After": "120"}),
            FailureKind.HTTP_STATUS,
            "HTTP 429 Too Many Requests",
            timedelta(minutes=2),
        ),
        (
            Reply(status=503, headers={"Retry-After": retry_date(timedelta(hours=1))}),
            FailureKind.HTTP_STATUS,
            "HTTP 503 Service Unavailable",
            timedelta(hours=1),
        ),
        (
            Reply(status=301),  # a redirect that says nowhere
            FailureKind.HTTP_STATUS,
            "HTTP 301 Moved Permanently",
            None,
        ),
    ],
)
async def test_error_statuses_are_failures_with_hints(
    http_server: LoopbackServer, fetch_url, reply: Reply, kind, reason: str, retry_after
) -> None:
    result = await fetch_url(http_server.route("/feed", reply))

    assert result.status is FetchStatus.FAILED and result.body is None
    assert (result.failure.kind, result.failure.reason) == (kind, reason)
    assert result.failure.connection_level is False
    assert result.http_status == reply.status
    assert result.retry_after == retry_after


@pytest.mark.parametrize(
    "url", ["not a url", "ftp://example.org/feed", "http://", "file:///etc/passwd", "http://[::1"]
)
async def test_invalid_urls_are_failures_not_exceptions(fetch_url, url: str) -> None:
    result = await fetch_url(url)

    assert result.status is FetchStatus.FAILED
    assert result.failure.kind is FailureKind.INVALID_URL
    assert result.failure.reason.startswith("invalid URL")
