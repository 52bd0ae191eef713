"""Telegram public channel previews: the HTML of ``https://t.me/s/<channel>``.

Each ``div.tgme_widget_message[data-post]`` is one post, keyed by the numeric id after the
slash: the slug before it can differ from the name the page was requested as. An album is one
block (its other message ids appear only as ``?single`` links) and so one item. Service
messages (pins, live streams) are skipped; a sponsored message has no ``data-post`` and is
skipped too. A name with no preview (unknown, a user, a group) answers with a "Contact @name"
card: that is ``ChannelUnavailableError``, never a channel with no posts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import datetime
from urllib.parse import parse_qs, urlsplit

from bs4 import BeautifulSoup, Tag

from bot.errors import ParseError
from bot.normalize.dates import parse_iso_datetime
from bot.normalize.errors import ChannelUnavailableError
from bot.normalize.items import build_item, fill_languages
from bot.normalize.markup import parse_html
from bot.normalize.records import ChannelPage, ChannelPost
from bot.normalize.text import single_line

_POST_ID = re.compile(r"/(\d+)$")
_SINGLE_ID = re.compile(r"/(\d+)\?single")
_TITLE_SUFFIX = re.compile(r"\s*[–-]\s*Telegram\s*$")


def parse_channel_page(
    html: bytes, *, channel: str, base_url: str, fetched_at: datetime | None = None
) -> ChannelPage:
    """The posts of one preview page, oldest first as the page lists them.

    ``channel`` is the name the page was requested as, ``base_url`` the page's URL (relative
    links resolve against it), ``fetched_at`` (optional) bounds plausible dates. Raises
    ``ChannelUnavailableError`` for the "Contact @name" card, ``ParseError`` for a page that is
    not a channel preview at all."""
    try:
        soup = parse_html(html.decode("utf-8", "replace"))
    except Exception as exc:  # the HTML parser failing is a parse failure
        raise ParseError(f"unreadable page: {type(exc).__name__}: {exc}", base_url) from exc
    blocks = [tag for tag in soup.select("div.tgme_widget_message") if tag.has_attr("data-post")]
    info = soup.select_one(".tgme_channel_info")
    if not blocks and info is None:
        if _is_contact_card(soup):
            raise ChannelUnavailableError(channel, base_url)
        raise ParseError(f"not a Telegram channel preview page (@{channel})", base_url)

    posts: list[ChannelPost] = []
    ids: list[int] = []
    warnings: list[str] = []
    for block in blocks:
        post_id = _post_id(block)
        if post_id is None:
            warnings.append(f"post with an unreadable data-post {block.get('data-post')!r}")
            continue
        album = _album_ids(block, post_id)
        ids.extend(album)
        if "service_message" in _classes(block):
            continue
        posts.append(_post(block, post_id, album, base_url=base_url, fetched_at=fetched_at))
    filled = fill_languages([post.item for post in posts])
    posts = [replace(post, item=item) for post, item in zip(posts, filled, strict=True)]
    return ChannelPage(
        channel=channel,
        username=_username(soup),
        title=_title(soup),
        posts=tuple(posts),
        min_id=min(ids) if ids else None,
        before=_before(soup),
        warnings=tuple(warnings),
    )


def _post(
    block: Tag, post_id: int, album: tuple[int, ...], *, base_url: str, fetched_at: datetime | None
) -> ChannelPost:
    text_html = _message_text(block)
    if text_html is None:
        text_html = _poll_html(block)
    date_link = block.select_one("a.tgme_widget_message_date")
    link = _href(date_link) if date_link else None
    if not link:
        slug = str(block.get("data-post", "")).rpartition("/")[0]
        link = f"https://t.me/{slug}/{post_id}" if slug else None
    time_tag = block.select_one(".tgme_widget_message_date time[datetime]") or block.select_one(
        ".tgme_widget_message_footer time[datetime]"
    )
    date_raw = _string_attr(time_tag, "datetime") if time_tag else None
    author = block.select_one(".tgme_widget_message_from_author")
    origin = block.select_one(".tgme_widget_message_forwarded_from_name")
    if origin is None:
        origin = block.select_one(".tgme_widget_message_forwarded_from")
    forwarded = _forwarded_name(origin) if origin else None
    meta = block.select_one(".tgme_widget_message_meta")
    return build_channel_post(
        message_id=post_id,
        text=text_html or "",
        text_is_html=True,
        posted_at=parse_iso_datetime(date_raw),
        url=link,
        author=author.get_text() if author else None,
        forwarded_from=forwarded,
        album_ids=album,
        edited=bool(meta and "edited" in meta.get_text().lower()),
        base_url=base_url,
        fetched_at=fetched_at,
    )


def build_channel_post(
    *,
    message_id: int,
    text: str,
    text_is_html: bool = False,
    posted_at: datetime | None,
    url: str | None,
    author: str | None = None,
    forwarded_from: str | None = None,
    album_ids: tuple[int, ...] = (),
    edited: bool = False,
    base_url: str | None = None,
    fetched_at: datetime | None = None,
) -> ChannelPost:
    """One channel post as an item, keyed by its numeric message id: the same post read from the
    preview page or received as a ``channel_post`` update (pass ``message.text_html`` with
    ``text_is_html=True``) gets the same guid, so it is stored once."""
    item = build_item(
        guid=str(message_id),
        link=url,
        title=None,
        body=text,
        body_is_html=text_is_html,
        published_at=posted_at,
        fetched_at=fetched_at,
        base_url=base_url,
        author=author,
        forwarded_from=forwarded_from,
    )
    assert item is not None  # the guid alone makes it an item
    ids = tuple(sorted({message_id, *album_ids}))
    return ChannelPost(id=message_id, ids=ids, item=item, edited=edited)


def _message_text(block: Tag) -> str | None:
    """The post's own text, not the text of the post it replies to or of a link preview."""
    for tag in block.select(".tgme_widget_message_text"):
        if tag.find_parent(class_=["tgme_widget_message_reply", "link_preview_wrap"]):
            continue
        if tag.find_parent(class_="tgme_widget_message_poll"):
            continue
        return tag.decode_contents()
    return None


def _poll_html(block: Tag) -> str | None:
    question = block.select_one(".tgme_widget_message_poll_question")
    if question is None:
        return None
    options = [
        tag.decode_contents() for tag in block.select(".tgme_widget_message_poll_option_text")
    ]
    return "<p>" + question.decode_contents() + "</p>" + "".join(f"<li>{o}</li>" for o in options)


def _forwarded_name(origin: Tag) -> str | None:
    name_tag = origin.select_one(".tgme_widget_message_forwarded_from_name") or origin
    name = single_line(name_tag.get_text())
    name = re.sub(r"^Forwarded from\s*", "", name)
    return name or _href(name_tag)


def _post_id(block: Tag) -> int | None:
    match = _POST_ID.search(str(block.get("data-post", "")).strip())
    return int(match.group(1)) if match else None


def _album_ids(block: Tag, post_id: int) -> tuple[int, ...]:
    ids = {post_id}
    for wrap in block.select(".tgme_widget_message_grouped_wrap"):
        for anchor in wrap.select("a[href]"):
            match = _SINGLE_ID.search(_href(anchor) or "")
            if match:
                ids.add(int(match.group(1)))
    return tuple(sorted(ids))


def _is_contact_card(soup: BeautifulSoup) -> bool:
    if soup.select_one('.tgme_page_action a[href^="tg://resolve"]') is not None:
        return True
    title = soup.find("title")
    return isinstance(title, Tag) and title.get_text().strip().startswith("Telegram: Contact @")


def _title(soup: BeautifulSoup) -> str | None:
    header = soup.select_one(".tgme_channel_info_header_title")
    if header is not None and (text := single_line(header.get_text())):
        return text
    meta = soup.select_one('meta[property="og:title"]')
    if meta is not None and (text := single_line(_string_attr(meta, "content") or "")):
        return text
    title = soup.find("title")
    if isinstance(title, Tag):
        return _TITLE_SUFFIX.sub("", single_line(title.get_text())) or None
    return None


def _username(soup: BeautifulSoup) -> str | None:
    tag = soup.select_one(".tgme_channel_info_header_username")
    text = single_line(tag.get_text()) if tag else ""
    return text.removeprefix("@") or None


def _before(soup: BeautifulSoup) -> int | None:
    for tag in soup.select('link[rel="prev"], a.tme_messages_more[data-before]'):
        value = _string_attr(tag, "data-before")
        if value is None:
            query = parse_qs(urlsplit(_href(tag) or "").query)
            value = next(iter(query.get("before", [])), None)
        if value and value.isdigit():
            return int(value)
    return None


def _classes(tag: Tag) -> list[str]:
    value = tag.get("class")
    if value is None:
        return []
    return value.split() if isinstance(value, str) else list(value)


def _href(tag: Tag) -> str | None:
    return _string_attr(tag, "href")


def _string_attr(tag: Tag, name: str) -> str | None:
    value = tag.get(name)
    if isinstance(value, list):
        return " ".join(value)
    return value
