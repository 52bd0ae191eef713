"""HTML or plain text to clean text that keeps its paragraphs.

Block elements become blank lines; ``<br>``, list items and table rows start a new line;
entities are decoded; scripts, styles and other non-text elements are dropped; whitespace is
collapsed (at most one blank line between paragraphs, no spaces at line ends).

``storable`` removes what no database text column takes (NUL, which PostgreSQL refuses, and
lone surrogates, which are not UTF-8): every text the normalize stage returns went through it.
"""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

_PARAGRAPH = "\n\n"
_LINE = "\n"

_BLOCK_TAGS = frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
        "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
        "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "main",
        "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
    }
)  # fmt: skip
_LINE_TAGS = frozenset({"br", "li", "tr", "caption", "thead", "tbody", "tfoot"})
_CELL_TAGS = frozenset({"td", "th"})
_DROPPED_TAGS = frozenset(
    {
        "applet", "audio", "button", "canvas", "embed", "head", "iframe", "map", "math",
        "noembed", "noframes", "noscript", "object", "script", "select", "style", "svg",
        "template", "textarea", "title", "video",
    }
)  # fmt: skip
_VOID_TAGS = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)

_TAG_START = re.compile(r"<[A-Za-z/!?]")
_TAG = re.compile(r"<[^>]*>?")
_INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff"))
_SPACES = re.compile(r"[^\S\n]+")
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storable(text: str) -> str:
    """``text`` without NUL and lone surrogates (a JSON ``\\u0000`` or ``\\ud800`` decodes to
    them): PostgreSQL refuses the first, UTF-8 cannot encode the second."""
    return _UNSTORABLE.sub("", text)


def html_to_text(markup: str) -> str:
    """Clean text from an HTML fragment (or a whole page). Text without any tag keeps its line
    breaks, so plain text that was labelled HTML is not run together."""
    if not markup:
        return ""
    if not _TAG_START.search(markup):
        return clean_plain_text(html.unescape(markup))
    extractor = _TextExtractor()
    try:
        extractor.feed(markup)
        extractor.close()
    except Exception:  # html.parser has rare crashes on hostile markup
        return clean_plain_text(html.unescape(_TAG.sub(" ", markup)))
    return _tidy("".join(extractor.parts))


def clean_plain_text(text: str) -> str:
    """Plain text with whitespace collapsed inside lines and at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    return _tidy(text)


def single_line(text: str) -> str:
    """A title or a name: every run of whitespace, newlines included, becomes one space."""
    return " ".join(storable(text).translate(_INVISIBLE).split())


def _tidy(text: str) -> str:
    text = _CONTROL.sub("", text.translate(_INVISIBLE))
    lines = [" ".join(line.split()) for line in text.split("\n")]
    out: list[str] = []
    blank = False
    for line in lines:
        if not line:
            blank = bool(out)
            continue
        if blank:
            out.append("")
            blank = False
        out.append(line)
    return "\n".join(out)


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._dropped = 0  # depth inside elements whose content is not text
        self._pre = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "body":
            self._dropped = 0  # an unclosed <head> ends here
        if tag in _DROPPED_TAGS:
            if tag not in _VOID_TAGS:
                self._dropped += 1
            return
        if self._dropped:
            return
        if tag == "pre":
            self._pre += 1
        self._break(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if not self._dropped and tag not in _DROPPED_TAGS:
            self._break(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED_TAGS:
            if tag not in _VOID_TAGS and self._dropped:
                self._dropped -= 1
            return
        if self._dropped:
            return
        if tag == "pre" and self._pre:
            self._pre -= 1
        if tag in _BLOCK_TAGS:
            self.parts.append(_PARAGRAPH)
        elif tag in _CELL_TAGS:
            self.parts.append(" ")

    def handle_data(self, data: str) -> None:
        if self._dropped:
            return
        if self._pre:
            self.parts.append(data.replace("\r\n", "\n").replace("\r", "\n"))
        else:
            self.parts.append(_SPACES.sub(" ", data.replace("\n", " ").replace("\r", " ")))

    def _break(self, tag: str) -> None:
        if tag in _BLOCK_TAGS:
            self.parts.append(_PARAGRAPH)
        elif tag in _LINE_TAGS:
            self.parts.append(_LINE)
        elif tag in _CELL_TAGS:
            self.parts.append(" ")
