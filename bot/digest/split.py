"""Telegram HTML cut into messages Telegram accepts: at most ``MESSAGE_LIMIT`` UTF-16 code
units each, cut at line boundaries where possible, a longer line between words with its open
tags closed at the cut and reopened after it."""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

MESSAGE_LIMIT = 4096  # Telegram's limit on a message, counted here in UTF-16 code units

_TOKEN = re.compile(  # a tag, an entity, a newline, a run of text, or a stray "<" or "&"
    r"</?\s*[a-zA-Z][\w-]*[^<>]*>|&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});"
    r"|\n|[^<&\n]+|[<&]"
)
_TAG = re.compile(r"<(/?)\s*([a-zA-Z][\w-]*)[^<>]*?(/?)>")


def split_message(html_text: str, limit: int = MESSAGE_LIMIT) -> list[str]:
    """Telegram HTML cut into messages of at most ``limit`` UTF-16 code units (what Telegram
    counts), at line boundaries where possible. A line longer than a message is cut between
    words (inside a word when it has to), never inside a tag or an entity; tags open at a cut
    are closed before it and reopened after it, so every message is balanced. A tag that could
    not fit even an empty message is dropped with its closing tag, its text kept. Blank
    messages are left out."""
    if limit < _MIN_LIMIT:
        raise ValueError(f"a message limit of {limit} is too small to split at")
    if _units(html_text) <= limit:
        return [html_text] if _visible(html_text) else []
    tokens = deque(_TOKEN.findall(html_text))
    messages: list[str] = []
    open_tags: list[_OpenTag] = []
    while tokens:
        message, open_tags = _next_message(tokens, open_tags, limit)
        if _visible(message):
            messages.append(message)
    return messages


_MIN_LIMIT = 32  # room for any entity and a few tags


@dataclass(frozen=True, slots=True)
class _OpenTag:
    name: str
    opening: str  # the tag as written; "" when it was dropped


def _next_message(
    tokens: deque[str], open_tags: list[_OpenTag], limit: int
) -> tuple[str, list[_OpenTag]]:
    """Take the tokens of one message, which starts inside ``open_tags``, off ``tokens``;
    return it and the tags open at its end."""
    while tokens and tokens[0] == "\n":
        tokens.popleft()
    prefix = "".join(tag.opening for tag in open_tags)
    parts: list[str] = []
    used = _units(prefix)
    stack = list(open_tags)
    last_break: tuple[int, int, list[_OpenTag]] | None = None  # (parts before it, used, stack)
    while tokens:
        token = tokens[0]
        after = _after(stack, token)
        if _closes_nothing(stack, token):
            tokens.popleft()
            stack = after
            continue
        if used + _units(token) + _closing_units(after) <= limit:
            if token == "\n":
                last_break = (len(parts), used, list(stack))
            parts.append(tokens.popleft())
            used += _units(token)
            stack = after
            continue
        if last_break is not None and last_break[0] > 0:  # end at the last line boundary
            kept, used, stack = last_break
            tokens.extendleft(reversed(parts[kept + 1 :]))  # the newline itself is dropped
            del parts[kept:]
        elif not token.startswith(("<", "&")):  # a line longer than a message: cut its text
            head = _head(token, limit - used - _closing_units(stack))
            if head:
                parts.append(head)
                tokens[0] = token[len(head) :]
        elif not parts and _TAG.fullmatch(token) and not _is_closing(token):
            tokens.popleft()  # it would not fit even alone: drop it, and its closing tag
            stack = [*stack, _OpenTag(_tag_name(token), "")]
            continue
        break
    if not parts and tokens and stack == open_tags:  # no room left after the reopened tags
        return "", []  # go on without them
    while parts and parts[-1] == "\n":
        parts.pop()
    return prefix + "".join(parts) + _closers(stack), stack


def _head(text: str, room: int) -> str:
    """The longest start of ``text`` within ``room`` code units, cut after a space if one is
    in its second half."""
    head = []
    used = 0
    for char in text:
        width = 2 if ord(char) > 0xFFFF else 1
        if used + width > room:
            break
        head.append(char)
        used += width
    cut = "".join(head)
    space = cut.rfind(" ")
    return cut[: space + 1] if space >= len(cut) // 2 and len(cut) < len(text) else cut


def _after(stack: list[_OpenTag], token: str) -> list[_OpenTag]:
    """The open tags after ``token``."""
    match = _TAG.fullmatch(token)
    if match is None or match.group(3):  # not a tag, or self-closing
        return stack
    name = match.group(2).lower()
    if not match.group(1):
        return [*stack, _OpenTag(name, token)]
    for depth in range(len(stack) - 1, -1, -1):
        if stack[depth].name == name:
            return stack[:depth] + stack[depth + 1 :]
    return stack


def _is_closing(token: str) -> bool:
    match = _TAG.fullmatch(token)
    return match is None or bool(match.group(1))


def _tag_name(token: str) -> str:
    match = _TAG.fullmatch(token)
    return match.group(2).lower() if match else ""


def _closes_nothing(stack: list[_OpenTag], token: str) -> bool:
    """A closing tag of a dropped tag, or of none at all: left out, to stay balanced."""
    match = _TAG.fullmatch(token)
    if match is None or not match.group(1):
        return False
    name = match.group(2).lower()
    innermost = next((tag for tag in reversed(stack) if tag.name == name), None)
    return innermost is None or not innermost.opening


def _closers(stack: list[_OpenTag]) -> str:
    return "".join(f"</{tag.name}>" for tag in reversed(stack) if tag.opening)


def _closing_units(stack: list[_OpenTag]) -> int:
    return sum(len(tag.name) + 3 for tag in stack if tag.opening)


def _units(text: str) -> int:
    """Length in UTF-16 code units: characters beyond the BMP (most emoji) count twice."""
    return len(text) + sum(1 for char in text if ord(char) > 0xFFFF)


def _visible(message: str) -> bool:
    return bool(re.sub(r"<[^<>]*>", "", message).strip())
