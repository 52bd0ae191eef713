"""Whatever a server or a user sends, the fetch stage answers with data, never an exception."""

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.fetch import (
    ChannelReferenceError,
    FetchStatus,
    fetch,
    make_client,
    parse_channel_reference,
)
from bot.fetch.hints import parse_max_age, parse_retry_after
from tests.fetch.fetch_defaults import NOW, TEST_POLICY
from tests.httpserver import LoopbackServer, Reply

# What fits in a header line; no slashes, so a Location stays on the loopback server.
HEADER_TEXT = st.text(
    st.characters(min_codepoint=32, max_codepoint=255, exclude_characters="\x7f/\\"), max_size=40
)


@settings(max_examples=40, deadline=None)
@given(location=HEADER_TEXT, etag=HEADER_TEXT, content_length=HEADER_TEXT)
async def test_any_redirect_or_header_gives_a_result(
    location: str, etag: str, content_length: str
) -> None:
    async with (
        LoopbackServer() as server,
        make_client(TEST_POLICY, allow_private_networks=True) as client,
    ):
        server.route("/", Reply.redirect(location))
        server.route("/odd", Reply(headers={"Content-Length": content_length}, framing="close"))
        redirected = await fetch(
            client,
            server.url("/"),
            etag=etag,
            policy=TEST_POLICY,
            now=NOW,
        )
        odd = await fetch(client, server.url("/odd"), policy=TEST_POLICY, now=NOW)

    assert redirected.status in FetchStatus and odd.status in FetchStatus


@given(st.text(max_size=60))
def test_channel_references_parse_or_say_why(reference: str) -> None:
    try:
        name = parse_channel_reference(reference)
    except ChannelReferenceError as error:
        assert str(error)
    else:
        assert 5 <= len(name) <= 32


@given(st.text(max_size=60))
def test_hints_never_raise(value: str) -> None:
    retry_after = parse_retry_after(value, NOW)
    assert retry_after is None or retry_after.total_seconds() >= 0
    parse_max_age(value)
