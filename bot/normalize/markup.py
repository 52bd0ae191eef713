"""The one way this package builds an HTML tree (BeautifulSoup on the stdlib parser), without
BeautifulSoup's advice warnings: XML and URL-like bodies are expected input here."""

from __future__ import annotations

import warnings

from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning, XMLParsedAsHTMLWarning


def parse_html(markup: bytes | str, *, encoding: str | None = None) -> BeautifulSoup:
    """The tree of ``markup``; bytes are decoded from ``encoding``, else from what the document
    declares (``<meta charset>``), else by detection."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", XMLParsedAsHTMLWarning)
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)
        if isinstance(markup, bytes):
            return BeautifulSoup(markup, "html.parser", from_encoding=encoding)
        return BeautifulSoup(markup, "html.parser")
