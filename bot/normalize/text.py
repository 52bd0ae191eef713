"""HTML or plain text to clean text that keeps its paragraphs.

Block elements become blank lines; ``<br>``, list items and table rows start a new line;
entities are decoded; scripts, styles and other non-text elements are dropped; whitespace is
collapsed (at most one blank line between paragraphs, no spaces at line ends).

The HTML is parsed by lexbor (selectolax), an HTML5 parser written in C: the breaks are marked
in the tree with two Unicode noncharacters, the text is read in one call, and the marks become
line breaks. Per-node work in Python is only for the few nodes that need a break.

``storable`` removes what no database text column takes (NUL, which PostgreSQL refuses, and
lone surrogates, which are not UTF-8): every text the normalize stage returns went through it.
"""

from __future__ import annotations

import html
import re

from selectolax.lexbor import LexborHTMLParser
from selectolax.lexbor import LexborNode as Node

# Noncharacters: Unicode promises never to assign them, so text never needs them (they are
# removed from the input before it is parsed).
_PARAGRAPH_MARK = "\ufdd0"
_LINE_MARK = "\ufdd1"

_BLOCK_TAGS = (
    "address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog",
    "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1",
    "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "legend", "main",
    "menu", "nav", "ol", "p", "pre", "section", "summary", "table", "ul",
)  # fmt: skip
_LINE_TAGS = ("br", "li", "tr", "caption", "thead", "tbody", "tfoot")
_CELL_TAGS = ("td", "th")
_DROPPED_TAGS = [
    "applet", "audio", "button", "canvas", "embed", "head", "iframe", "map", "math",
    "noembed", "noframes", "noscript", "object", "script", "select", "style", "svg",
    "template", "textarea", "title", "video",
]  # fmt: skip
_BREAKING = ",".join(_BLOCK_TAGS + _LINE_TAGS + _CELL_TAGS)

_TAG_START = re.compile(r"<[A-Za-z/!?]")
_TAG = re.compile(r"<[^>]*>?")
_VOID_TAGS = (
    "area", "base", "br", "col", "embed", "hr", "img", "input", "keygen", "link", "meta",
    "param", "source", "track", "wbr",
)  # fmt: skip
# ``<script src="..."/>``: feeds carry XHTML, where that tag is empty; an HTML5 parser reads on
# to ``</script>`` and would drop the text after it. Such tags are closed before parsing.
_SELF_CLOSED = re.compile(rf"<(?!(?:{'|'.join(_VOID_TAGS)})\b)([A-Za-z][\w:.-]*)(\s[^<>]*?)?/>")
_MARKS = re.compile(f"[{_PARAGRAPH_MARK}{_LINE_MARK}]")
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
# Control characters but tab and line breaks, lone surrogates, and invisible characters.
_DROPPED_CHARS = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff{_INVISIBLE}]")
_INVISIBLE_CHARS = re.compile(f"[{_INVISIBLE}]")
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
_LINE_BREAKS = str.maketrans("\r\n", "  ")


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
    try:
        marked = _marked_text(_as_html(markup))
    except Exception:  # the parser refused the markup (it should not): keep its words
        return clean_plain_text(html.unescape(_TAG.sub(" ", markup)))
    return _tidy(
        marked.replace("\r", " ")
        .replace("\n", " ")
        .replace(_PARAGRAPH_MARK, "\n\n")
        .replace(_LINE_MARK, "\n")
    )


def clean_plain_text(text: str) -> str:
    """Plain text with whitespace collapsed inside lines and at most one blank line in a row."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    return _tidy(text)


def single_line(text: str) -> str:
    """A title or a name: every run of whitespace, newlines included, becomes one space."""
    return " ".join(_INVISIBLE_CHARS.sub("", storable(text)).split())


def _as_html(markup: str) -> str:
    """``markup`` without our marks, its self-closed XHTML tags closed as HTML closes them."""
    if _PARAGRAPH_MARK in markup or _LINE_MARK in markup:
        markup = _MARKS.sub("", markup)
    return _SELF_CLOSED.sub(r"<\1\2></\1>", markup) if "/>" in markup else markup


def _marked_text(markup: str) -> str:
    """The text of ``markup`` with its breaks as marks; line breaks only inside ``<pre>``."""
    tree = LexborHTMLParser(markup)
    root = tree.root
    if root is None:
        return ""
    tree.strip_tags(_DROPPED_TAGS)
    for node in root.css(_BREAKING):  # one pass over the tree finds every element that breaks
        tag = node.tag
        if tag in _CELL_TAGS:
            node.insert_before(" ")
            node.insert_after(" ")
        elif tag in _LINE_TAGS:
            node.insert_before(_LINE_MARK)
        else:
            node.insert_before(_PARAGRAPH_MARK)
            node.insert_after(_PARAGRAPH_MARK)
            if tag == "pre":
                _mark_lines(node)
    return root.text(deep=True, separator="")


def _mark_lines(pre: Node) -> None:
    """Line breaks inside ``<pre>`` become marks (elsewhere they are spaces)."""
    for text in [part for part in pre.traverse(include_text=True) if part.is_text_node]:
        lines = (text.text_content or "").replace("\r\n", "\n").replace("\r", "\n")
        if "\n" in lines:
            text.replace_with(lines.replace("\n", _LINE_MARK))


def _tidy(text: str) -> str:
    text = _DROPPED_CHARS.sub("", text)
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
