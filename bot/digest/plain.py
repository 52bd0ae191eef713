"""Telegram HTML as plain text: for the terminal chat, and to resend a message Telegram refused.

Tags are dropped, entities unescaped, and a link keeps its address: ``<a href="u">t</a>``
becomes ``t (u)``, or just ``u`` when the text is the address itself.
"""

from __future__ import annotations

from html.parser import HTMLParser


class _PlainText(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._links: list[tuple[str | None, int]] = []  # (href, where its text starts)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            self._links.append((dict(attrs).get("href"), len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag != "a" or not self._links:
            return
        href, start = self._links.pop()
        text = "".join(self.parts[start:]).strip()
        if href and href != text:
            self.parts.append(f" ({href})")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_plain(html: str) -> str:
    parser = _PlainText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts)
