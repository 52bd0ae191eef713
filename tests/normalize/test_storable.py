"""Every text the normalize stage returns is storable: no NUL (PostgreSQL refuses it) and no
lone surrogate (UTF-8 cannot encode it), whatever field it came in."""

from datetime import UTC, datetime

import pytest

from bot.normalize.items import build_item
from bot.normalize.text import single_line, storable

AT = datetime(2024, 10, 23, tzinfo=UTC)


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("a\x00b", "ab"), ("\ud800x\udfff", "x"), ("ok", "ok"), ("\x00", ""), ("é\u2028", "é\u2028")],
)
def test_storable(raw, clean):
    assert storable(raw) == clean


def test_single_line_is_storable():
    assert single_line("Wi\x00re \ud800 feed") == "Wire feed"


def test_every_field_of_an_item_is_storable():
    item = build_item(
        guid="id\x00-1",
        link="https://news.example/\x00a",
        title="Ti\x00tle \udc80",
        body="<p>Bo\x00dy \ud800</p>",
        published_at=AT,
        fetched_at=AT,
        author="Ann\x00",
        forwarded_from="chan\udfff",
    )
    assert item is not None
    fields = (item.guid, item.url, item.title, item.text, item.author, item.forwarded_from)
    assert fields == ("id-1", "https://news.example/a", "Title", "Body", "Ann", "chan")
