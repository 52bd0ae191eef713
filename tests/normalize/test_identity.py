from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.normalize.identity import MAX_GUID_LENGTH, content_hash, item_guid, normalize_for_hash


@pytest.mark.parametrize(
    ("guid", "link", "expected"),
    [
        ("urn:uuid:1", "https://x.example/a", "urn:uuid:1"),
        ("  tag:x,2024:1  ", None, "tag:x,2024:1"),
        (None, "https://x.example/a", "https://x.example/a"),
        ("   ", "https://x.example/a", "https://x.example/a"),
    ],
)
def test_guid_prefers_the_source_id_then_the_link(
    guid: str | None, link: str | None, expected: str
) -> None:
    assert item_guid(guid, link) == expected


def test_guid_falls_back_to_a_hash_of_title_date_and_text() -> None:
    first = item_guid(None, None, title="T", date="Mon, 01 Jan 2024", text="Body")
    assert first.startswith("sha256:")
    assert first == item_guid(None, None, title="T", date="Mon, 01 Jan 2024", text="Body")
    assert first == item_guid(None, None, title="T", date="Mon, 01 Jan 2024", text=" BODY ")
    assert first != item_guid(None, None, title="T", date="Tue, 02 Jan 2024", text="Body")
    assert first != item_guid(None, None, title="U", date="Mon, 01 Jan 2024", text="Body")
    assert first != item_guid(None, None, title="T", date="Mon, 01 Jan 2024", text="Other")


def test_overlong_guids_are_hashed() -> None:
    guid = item_guid("x" * (MAX_GUID_LENGTH + 1), None)
    assert guid.startswith("sha256:")
    assert len(guid) <= MAX_GUID_LENGTH


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Hello, World!", "hello world"),
        ("Hello   world\n\nagain", "hello world again"),
        ("«Ёлка» — 1 500 солдат", "ЕЛКА 1 500 СОЛДАТ"),
        ("ﬁne", "fine"),  # NFKC ligature
        ("Troops: 3,000.", "troops 3 000"),
    ],
)
def test_content_hash_ignores_case_space_and_punctuation(a: str, b: str) -> None:
    assert content_hash(a) == content_hash(b)


def test_content_hash_tells_different_texts_apart() -> None:
    assert content_hash("1,500 troops") != content_hash("3,000 troops")
    assert len(content_hash("x")) == 32


def test_empty_text_hashes_its_fallback() -> None:
    assert content_hash("", fallback="Title") == content_hash("title")
    assert content_hash("", fallback="A") != content_hash("", fallback="B")


@given(st.text(alphabet=st.characters(codec="utf-8") | st.sampled_from(" _-.,'’—\u00a0\u2028ё")))
def test_words_for_the_hash_are_what_the_plain_rule_gives(text: str) -> None:
    # the rule normalize_for_hash implements faster: runs of [\W_] become one space
    folded = unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")
    assert normalize_for_hash(text) == " ".join(re.sub(r"[\W_]+", " ", folded).split())
