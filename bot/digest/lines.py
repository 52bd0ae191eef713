"""Lines of segments (plain text, bold, italic, links), drawn as Telegram HTML or plain text.

Everything shown to people is first made of these lines, so the terminal shows exactly what
Telegram would. In HTML every text is escaped, links are ``<a href>`` with the address escaped,
and each line is balanced, so ``split.split_message`` can cut at line boundaries; a text from a
feed or a chat stays on its line. Pure.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

MAX_LINK_LENGTH = 2048  # a longer address is shown without a link: it could not fit a message
_LINKABLE = re.compile(r"^(?:https?|tg)://", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Text:
    text: str
    style: str = ""  # "", "b" or "i"


@dataclass(frozen=True, slots=True)
class Link:
    text: str
    url: str | None
    bare: bool = False  # plain text shows the address alone ("source" says nothing there)


Segment = Text | Link
Line = Sequence[Segment]


def to_html(lines: Iterable[Line]) -> str:
    return "\n".join("".join(_html_segment(s) for s in line) for line in lines)


def to_text(lines: Iterable[Line]) -> str:
    """No tags, no entities, every address in full."""
    return "\n".join("".join(_text_segment(s) for s in line) for line in lines)


def _html_segment(segment: Segment) -> str:
    text = html.escape(_one_line(segment.text), quote=False)
    if isinstance(segment, Link):
        if not segment.url or not _linkable(segment.url):
            return text
        return f'<a href="{html.escape(segment.url, quote=True)}">{text}</a>'
    return f"<{segment.style}>{text}</{segment.style}>" if segment.style else text


def _text_segment(segment: Segment) -> str:
    text = _one_line(segment.text)
    if isinstance(segment, Link) and segment.url:
        return segment.url if segment.bare else f"{text} ({segment.url})"
    return text


def _one_line(text: str) -> str:
    """A feed's or a chat's text stays on its line: lines are what messages are split at."""
    return text.replace("\r", " ").replace("\n", " ")


def _linkable(url: str) -> bool:
    """Web and tg:// addresses Telegram takes; never "javascript:", never an endless one."""
    return len(url) <= MAX_LINK_LENGTH and _LINKABLE.match(url) is not None
