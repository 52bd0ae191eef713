"""One item from the raw fields any source format offers: the single place where text is cleaned,
the URL canonicalized, the date checked, the language guessed and the identity computed."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from datetime import datetime

from bot.normalize.dates import plausible
from bot.normalize.identity import content_hash, item_guid
from bot.normalize.language import detect_language
from bot.normalize.text import clean_plain_text, html_to_text, single_line, storable
from bot.normalize.urls import canonicalize_url
from storage.records import NewItem


def build_item(
    *,
    guid: str | None,
    link: str | None,
    title: str | None,
    body: str | None,
    published_at: datetime | None,
    fetched_at: datetime | None,
    base_url: str | None = None,
    date_raw: str | None = None,
    title_is_html: bool = False,
    body_is_html: bool = True,
    author: str | None = None,
    forwarded_from: str | None = None,
    declared_language: str | None = None,
) -> NewItem | None:
    """The item, or None when the entry holds nothing at all (no id, link, title or body; an
    entry whose body is only an image is still an item, with empty text).

    ``date_raw`` is the date as the source wrote it: it enters the fallback identity, which
    must not depend on ``fetched_at``. Every field is ``storable``: no NUL, no lone surrogate."""
    guid, link, title, body, date_raw = map(_storable, (guid, link, title, body, date_raw))
    text = (html_to_text(body) if body_is_html else clean_plain_text(body)) if body else ""
    raw_title = (title or "").strip()
    if title:
        title = single_line(html_to_text(title) if title_is_html else title) or None
    raw_link = (link or "").strip() or None
    url = canonicalize_url(raw_link, base=base_url) if raw_link else None
    raw_guid = (guid or "").strip() or None
    if not (raw_guid or raw_link or raw_title or (body or "").strip()):
        return None
    if date_raw is None and published_at is not None:
        date_raw = published_at.isoformat()
    identity = item_guid(
        raw_guid, url or raw_link, title=title, date=date_raw, text=text or (body or "").strip()
    )
    language_sample = f"{title}\n{text}" if title else text
    return NewItem(
        guid=identity,
        url=url,
        title=title,
        text=text,
        published_at=plausible(published_at, fetched_at),
        lang=detect_language(language_sample, declared=declared_language),
        content_hash=content_hash(text, fallback=title or url or identity),
        author=single_line(author) or None if author else None,
        forwarded_from=single_line(forwarded_from) or None if forwarded_from else None,
    )


def _storable(text: str | None) -> str | None:
    return None if text is None else storable(text)


def fill_languages(items: list[NewItem], *, minimum: int = 3, share: float = 0.6) -> list[NewItem]:
    """Items whose language was undecided get the source's prevailing one (at least ``minimum``
    decided items, ``share`` of them agreeing), when their own script fits it."""
    counts = Counter(item.lang for item in items if item.lang)
    if not counts:
        return items
    language, count = counts.most_common(1)[0]
    if count < minimum or count < share * sum(counts.values()):
        return items
    filled: list[NewItem] = []
    for item in items:
        if item.lang is None:
            sample = f"{item.title}\n{item.text}" if item.title else item.text
            guess = detect_language(sample, declared=language)
            if guess is not None:
                item = replace(item, lang=guess)
        filled.append(item)
    return filled


def collect_items(
    candidates: Iterable[tuple[NewItem | None, bool]],
    *,
    singular: str,
    plural: str,
    skipped_reason: str,
) -> tuple[list[NewItem], list[str]]:
    """Each item once, in feed order: empty candidates skipped, a repeated guid keeps the first.

    A candidate is (the item or None, whether its entry carried a date at all); the warnings say
    what was dropped, in the format's own words for an entry and for an empty one.
    """
    items: list[NewItem] = []
    guids: set[str] = set()
    skipped = repeated = undated = 0
    for item, dated in candidates:
        if item is None:
            skipped += 1
        elif item.guid in guids:
            repeated += 1
        else:
            guids.add(item.guid)
            undated += dated and item.published_at is None
            items.append(item)
    warnings = [
        f"{skipped} {skipped_reason}" if skipped else "",
        f"{repeated} {plural} repeat an earlier {singular}'s id: dropped" if repeated else "",
        f"{undated} {plural} dated in the future or before 1970: date ignored" if undated else "",
    ]
    return items, [warning for warning in warnings if warning]
