from __future__ import annotations

import contextlib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import ParseError
from bot.normalize.errors import ChannelUnavailableError
from bot.normalize.records import ChannelPage
from bot.normalize.telegram import build_channel_post, parse_channel_page

FETCHED_AT = datetime(2023, 6, 1, tzinfo=UTC)


def _read(corpora: Path, channel: str) -> ChannelPage:
    body = (corpora / "telegram-preview" / f"tme_s_{channel}.html").read_bytes()
    return parse_channel_page(
        body, channel=channel, base_url=f"https://t.me/s/{channel}", fetched_at=FETCHED_AT
    )


# --- golden: the saved pages and the facts SOURCES.md lists ---------------------------------


def test_codecamp_posts_are_keyed_by_numeric_id(corpora: Path) -> None:
    page = _read(corpora, "codecamp")
    assert page.title == "CodeCamp"
    assert page.username == "codecamp"
    assert [post.id for post in page.posts] == list(range(2357, 2377))
    # the page was requested as codecamp, but every data-post says campcode/<id>
    assert [post.item.url for post in page.posts] == [
        f"https://t.me/campcode/{n}" for n in range(2357, 2377)
    ]
    assert [post.item.guid for post in page.posts] == [str(n) for n in range(2357, 2377)]
    assert page.min_id == 2357
    assert page.before == 2357
    assert page.warnings == ()


def test_codecamp_dates_texts_and_forward(corpora: Path) -> None:
    page = _read(corpora, "codecamp")
    dates = [post.item.published_at for post in page.posts]
    assert all(date is not None and date.tzinfo is not None for date in dates)
    assert min(d for d in dates if d) == datetime(2023, 5, 1, 7, 45, 19, tzinfo=UTC)
    assert max(d for d in dates if d) == datetime(2023, 5, 5, 10, 26, 48, tzinfo=UTC)
    posts = {post.id: post.item for post in page.posts}
    assert [n for n, item in posts.items() if item.forwarded_from] == [2370]
    assert posts[2370].forwarded_from == "Киллер-фича"
    assert posts[2357].text.startswith("Пора познакомиться с Lyrebird — простой в использовании")
    assert "написанной на Python.\n\nТут есть встроенные эффекты" in posts[2357].text
    assert posts[2357].text.endswith("Ссылка на GitHub.")
    assert posts[2375].text  # the text-only post
    assert all(item.lang == "ru" for item in posts.values())
    assert len({item.content_hash for item in posts.values()}) == 20


def test_thecodemedia_albums_count_once(corpora: Path) -> None:
    page = _read(corpora, "thecodemedia")
    assert page.title == "Журнал «Код»"
    assert [post.id for post in page.posts] == [7124, *range(7131, 7141), 7148]
    albums = {post.id: post.ids for post in page.posts if len(post.ids) > 1}
    assert albums == {7124: tuple(range(7124, 7131)), 7140: tuple(range(7140, 7148))}
    # SOURCES.md says "12 blocks account for 26 ids", but 7124..7148 is 25 ids, and the page
    # mentions exactly these 25 (album members only as ?single links): the count there is off.
    assert sorted(n for post in page.posts for n in post.ids) == list(range(7124, 7149))
    assert page.min_id == 7124
    assert page.before == 7124


def test_thecodemedia_poll_edit_and_dates(corpora: Path) -> None:
    page = _read(corpora, "thecodemedia")
    posts = {post.id: post for post in page.posts}
    poll = posts[7132].item.text
    assert poll.startswith("Должен ли айфон стать открытым и поддерживать альтсторы?\n\n")
    assert "\nДа, но пусть будет только национальный проверенный стор" in poll
    assert [n for n, post in posts.items() if post.edited] == [7137]
    dates = [post.item.published_at for post in page.posts if post.item.published_at]
    assert len(dates) == 12
    assert min(dates) == datetime(2023, 4, 27, 9, 2, 46, tzinfo=UTC)
    assert max(dates) == datetime(2023, 5, 1, 9, 2, 30, tzinfo=UTC)


def test_missing_channel_is_no_preview_not_an_empty_channel(corpora: Path) -> None:
    with pytest.raises(ChannelUnavailableError) as caught:
        _read(corpora, "not_existed_channel")
    assert caught.value.channel == "not_existed_channel"
    assert "@not_existed_channel has no public preview" in str(caught.value)


def test_reparse_is_stable(corpora: Path) -> None:
    first = _read(corpora, "thecodemedia")
    again = _read(corpora, "thecodemedia")
    assert first == again


# --- synthetic fragments: markup the saved pages do not show ---------------------------------


def _message(post: str | None, inner: str, *, classes: str = "") -> str:
    data_post = f' data-post="{post}"' if post else ""
    return (
        '<div class="tgme_widget_message_wrap js-widget_message_wrap">'
        f'<div class="tgme_widget_message js-widget_message {classes}"{data_post}>'
        f'<div class="tgme_widget_message_bubble">{inner}</div></div></div>'
    )


def _footer(post: str, when: str = "2024-10-24T08:00:00+00:00", meta: str = "") -> str:
    return (
        '<div class="tgme_widget_message_footer"><div class="tgme_widget_message_info">'
        f'<span class="tgme_widget_message_meta">{meta}<a class="tgme_widget_message_date" '
        f'href="https://t.me/{post}"><time datetime="{when}" class="time">08:00</time></a>'
        "</span></div></div>"
    )


def _page(*messages: str, channel_info: bool = True, prev: str | None = None) -> bytes:
    head = f'<link rel="prev" href="{prev}">' if prev else ""
    info = (
        '<div class="tgme_channel_info"><div class="tgme_channel_info_header_title">'
        '<span dir="auto">War &amp; News</span></div>'
        '<div class="tgme_channel_info_header_username"><a href="https://t.me/warnews">'
        "@warnews</a></div></div>"
        if channel_info
        else ""
    )
    return (
        f"<html><head><title>War &amp; News – Telegram</title>{head}</head><body>{info}"
        f'<section class="tgme_channel_history">{"".join(messages)}</section></body></html>'
    ).encode()


def _parse(body: bytes) -> ChannelPage:
    return parse_channel_page(body, channel="warnews", base_url="https://t.me/s/warnews")


def test_reply_forward_author_sponsored_and_service() -> None:
    reply = _message(
        "warnews/101",
        '<a class="tgme_widget_message_reply" href="https://t.me/warnews/90">'
        '<div class="tgme_widget_message_text js-message_reply_text">quoted older post</div></a>'
        '<div class="tgme_widget_message_forwarded_from accent_color">Forwarded from&nbsp;'
        '<a class="tgme_widget_message_forwarded_from_name" href="https://t.me/origin/5">'
        '<span dir="auto">Origin Channel</span></a></div>'
        '<div class="tgme_widget_message_text js-message_text" dir="auto">'
        "Генштаб ЗСУ: 11 тис. військових КНДР уже в Курській області.<br/>Друга лінія.</div>"
        + _footer("warnews/101", meta='<span class="tgme_widget_message_from_author">Ivan</span>'),
    )
    sponsored = _message(None, '<div class="tgme_widget_message_text">Buy now</div>')
    service = _message(
        "warnews/99", '<div class="message_media_not_supported">pinned</div>',
        classes="service_message",
    )  # fmt: skip
    page = _parse(_page(service, reply, sponsored, prev="/s/warnews?before=99"))
    assert page.title == "War & News"
    assert page.username == "warnews"
    (post,) = page.posts
    item = post.item
    assert post.id == 101
    assert item.text == "Генштаб ЗСУ: 11 тис. військових КНДР уже в Курській області.\nДруга лінія."
    assert item.forwarded_from == "Origin Channel"
    assert item.author == "Ivan"
    assert item.url == "https://t.me/warnews/101"
    assert item.published_at == datetime(2024, 10, 24, 8, 0, tzinfo=UTC)
    assert item.lang == "uk"
    assert item.title is None
    assert page.min_id == 99  # the service message still counts for paging
    assert page.before == 99


def test_forward_without_a_name_tag_and_photo_only_post() -> None:
    forwarded = _message(
        "other_slug/7",
        '<div class="tgme_widget_message_forwarded_from">Forwarded from Someone</div>'
        '<a class="tgme_widget_message_photo_wrap" href="https://t.me/other_slug/7"></a>',
    )
    page = _parse(_page(forwarded))
    (post,) = page.posts
    assert post.item.forwarded_from == "Someone"
    assert post.item.text == ""
    assert post.item.url == "https://t.me/other_slug/7"  # no date link: built from data-post
    assert post.item.published_at is None
    assert page.before is None


def test_future_dates_are_dropped_when_fetched_at_is_known() -> None:
    body = _page(_message("warnews/5", '<div class="tgme_widget_message_text">x</div>'
                          + _footer("warnews/5", when="2030-01-01T00:00:00+00:00")))  # fmt: skip
    page = parse_channel_page(
        body, channel="warnews", base_url="https://t.me/s/warnews", fetched_at=FETCHED_AT
    )
    assert page.posts[0].item.published_at is None


def test_channel_without_posts_is_an_empty_page() -> None:
    page = _parse(_page())
    assert page.posts == ()
    assert page.min_id is None
    assert page.title == "War & News"


def test_unreadable_data_post_is_skipped_with_a_warning() -> None:
    page = _parse(_page(_message("warnews/abc", '<div class="tgme_widget_message_text">x</div>')))
    assert page.posts == ()
    assert page.warnings == ("post with an unreadable data-post 'warnews/abc'",)


def test_a_page_that_is_not_a_preview() -> None:
    with pytest.raises(ParseError) as caught:
        _parse(b"<html><body><p>Hello</p></body></html>")
    assert not isinstance(caught.value, ChannelUnavailableError)


def test_contact_card_by_title_alone() -> None:
    body = b"<html><head><title>Telegram: Contact @someone</title></head><body></body></html>"
    with pytest.raises(ChannelUnavailableError):
        _parse(body)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_parse_error(body: bytes) -> None:
    with contextlib.suppress(ParseError):
        _parse(body)


def test_a_channel_post_update_matches_the_preview_post() -> None:
    text_html = "Генштаб: 11 тис. військових.<br/>Друга лінія."
    page = _parse(
        _page(_message("warnews/7", f'<div class="tgme_widget_message_text">{text_html}</div>'
                       + _footer("warnews/7")))
    )  # fmt: skip
    update = build_channel_post(
        message_id=7,
        text="Генштаб: 11 тис. військових.\nДруга лінія.",  # the update's plain text
        posted_at=datetime(2024, 10, 24, 8, 0, tzinfo=UTC),
        url="https://t.me/warnews/7",
    )
    assert update.item == page.posts[0].item
    assert update.ids == (7,)
