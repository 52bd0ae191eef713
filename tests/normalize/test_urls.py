from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.normalize.urls import canonicalize_url, is_tracking_parameter


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://Example.COM/Path?a=1#frag", "https://example.com/Path?a=1"),
        ("HTTP://example.com", "http://example.com/"),
        ("http://example.com:80/x", "http://example.com/x"),
        ("https://example.com:443/x", "https://example.com/x"),
        ("https://example.com:8443/x", "https://example.com:8443/x"),
        (
            "https://news.example/a?utm_source=tw&utm_medium=social&id=7&UTM_Campaign=x",
            "https://news.example/a?id=7",
        ),
        ("https://x.example/?fbclid=abc", "https://x.example/"),
        ("https://x.example/p?gclid=1&yclid=2&mc_cid=3&mc_eid=4&q=ok", "https://x.example/p?q=ok"),
        ("https://x.example/p?q=a%20b&r=c+d&empty=", "https://x.example/p?q=a%20b&r=c+d&empty="),
        ("https://x.example/p?b=2&a=1", "https://x.example/p?b=2&a=1"),
        ("  https://x.example/p  ", "https://x.example/p"),
        ("https://user:Pw@Example.com/", "https://user:Pw@example.com/"),
        ("http://[::1]:80/x", "http://[::1]/x"),
        ("https://example.com./x", "https://example.com/x"),
        ("ftp://example.com/file", None),
        ("mailto:someone@example.com", None),
        ("javascript:alert(1)", None),
        ("/relative/path", None),
        ("", None),
        ("http://[broken", None),
        ("https://", None),
    ],
)
def test_canonicalize_url(url: str, expected: str | None) -> None:
    assert canonicalize_url(url) == expected


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("/feed.xml", "https://blog.example/posts/1", "https://blog.example/feed.xml"),
        ("feed.xml", "https://blog.example/posts/", "https://blog.example/posts/feed.xml"),
        ("//cdn.example/rss", "https://blog.example/", "https://cdn.example/rss"),
        ("https://other.example/", "https://blog.example/", "https://other.example/"),
        ("?page=2#top", "https://blog.example/list?page=1", "https://blog.example/list?page=2"),
    ],
)
def test_canonicalize_relative_url(url: str, base: str, expected: str) -> None:
    assert canonicalize_url(url, base=base) == expected


@pytest.mark.parametrize(
    ("name", "tracking"),
    [("utm_source", True), ("UTM_TERM", True), ("fbclid", True), ("yclid", True),
     ("id", False), ("page", False), ("ref", False), ("utmost", False)],
)  # fmt: skip
def test_is_tracking_parameter(name: str, tracking: bool) -> None:
    assert is_tracking_parameter(name) is tracking


@given(st.text())
def test_canonicalize_never_crashes_and_is_idempotent(url: str) -> None:
    canonical = canonicalize_url(url)
    if canonical is not None:
        assert canonicalize_url(canonical) == canonical


_URLS = st.from_regex(
    r"\A[Hh][Tt][Tt][Pp][Ss]?://[A-Za-z0-9.\-@:\[\]]{1,24}"
    r"(/[^\s#?]{0,20})?(\?[^\s#]{0,30})?(#.{0,5})?\Z"
)


@given(_URLS)
def test_canonical_urls_are_idempotent_and_lowercase_host(url: str) -> None:
    canonical = canonicalize_url(url)
    if canonical is not None:
        assert canonicalize_url(canonical) == canonical
        assert "#" not in canonical
        names = [pair.partition("=")[0].lower() for pair in urlsplit(canonical).query.split("&")]
        assert not any(name.startswith("utm_") for name in names)
