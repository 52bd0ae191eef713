"""Telegram channel references, preview URLs, and preview pages served on loopback."""

import pytest

from bot.fetch import (
    ChannelReferenceError,
    FailureKind,
    FetchStatus,
    channel_url,
    fetch_preview,
    is_channel_reference,
    parse_channel_reference,
    preview_url,
)
from tests.fetch.fetch_defaults import NOW, TEST_POLICY
from tests.httpserver import LoopbackServer, Reply


@pytest.mark.parametrize(
    ("reference", "name"),
    [
        ("https://t.me/rybar", "rybar"),
        ("http://t.me/s/rybar", "rybar"),
        ("https://t.me/s/rybar?before=1234", "rybar"),
        ("t.me/rybar", "rybar"),
        ("t.me/s/rybar/", "rybar"),
        ("https://t.me/rybar/65012", "rybar"),  # a link to one post
        ("@rybar", "rybar"),
        ("  @Rybar_Channel  ", "Rybar_Channel"),
        ("https://telegram.me/rybar", "rybar"),
        ("https://www.t.me/rybar", "rybar"),
        ("HTTPS://T.ME/rybar", "rybar"),
        ("@a2345", "a2345"),  # 5 characters, the shortest
        ("@" + "a" * 32, "a" * 32),  # the longest
    ],
)
def test_valid_references(reference: str, name: str) -> None:
    assert is_channel_reference(reference)
    assert parse_channel_reference(reference) == name


@pytest.mark.parametrize(
    ("reference", "message"),
    [
        ("@abcd", "a channel name is 5-32 letters, digits or underscores"),
        ("@" + "a" * 33, "a channel name is 5-32"),
        ("@1channel", "starting with a letter"),
        ("@_channel", "starting with a letter"),
        ("@chan-nel", "a channel name is 5-32"),
        ("@", "a channel name is 5-32"),
        ("https://t.me/", "names no channel"),
        ("https://t.me/s/", "names no channel"),
        ("https://t.me/+AbCdEfGh12", "is a private link"),
        ("https://t.me/joinchat/AbCdEf", "is a private link"),
        ("https://t.me/c/1234567/89", "is a private link"),
        ("https://example.org/rybar", "is not a Telegram channel link or @name"),
        ("rybar", "is not a Telegram channel link or @name"),
        ("ftp://t.me/rybar", "is not a Telegram channel link or @name"),
    ],
)
def test_invalid_references_say_why(reference: str, message: str) -> None:
    with pytest.raises(ChannelReferenceError, match=message):
        parse_channel_reference(reference)


@pytest.mark.parametrize(
    "text", ["https://example.org/feed.xml", "example.org/t.me/x", "https://not-t.me/x"]
)
def test_other_urls_are_not_channel_references(text: str) -> None:
    assert not is_channel_reference(text)


def test_preview_and_channel_urls() -> None:
    assert preview_url("rybar") == "https://t.me/s/rybar"
    assert preview_url("rybar", before=1234) == "https://t.me/s/rybar?before=1234"
    assert preview_url("rybar", preview_base="http://127.0.0.1:8/") == "http://127.0.0.1:8/s/rybar"
    assert channel_url("rybar") == "https://t.me/rybar"


async def fetch_page(client, server: LoopbackServer, channel: str, before: int | None = None):
    return await fetch_preview(
        client,
        channel,
        before=before,
        preview_base=server.base_url,
        policy=TEST_POLICY,
        now=NOW,
    )


async def test_preview_pages_are_fetched_with_paging(http_server: LoopbackServer, client) -> None:
    http_server.route("/s/rybar", Reply(body=b"<html>newest</html>"))
    http_server.route("/s/rybar?before=100", Reply(body=b"<html>older</html>"))

    newest = await fetch_page(client, http_server, "rybar")
    older = await fetch_page(client, http_server, "rybar", before=100)

    assert (newest.status, newest.body) == (FetchStatus.OK, b"<html>newest</html>")
    assert (older.status, older.body) == (FetchStatus.OK, b"<html>older</html>")
    assert [request.target for request in http_server.requests] == [
        "/s/rybar",
        "/s/rybar?before=100",
    ]


async def test_channel_without_preview_is_a_clear_failure(
    http_server: LoopbackServer, client
) -> None:
    # What t.me does for a channel (or group, or bot) that has no public preview.
    http_server.route("/s/private_group", Reply.redirect("/private_group"))
    http_server.route("/private_group", Reply(body=b"<html>join the group</html>"))

    result = await fetch_page(client, http_server, "private_group")

    assert result.status is FetchStatus.FAILED
    assert result.failure.kind is FailureKind.NO_PREVIEW
    assert (
        result.failure.reason
        == "@private_group has no public web preview (is it a public channel?)"
    )
