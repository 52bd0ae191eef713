from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.normalize.text import clean_plain_text, html_to_text, single_line


@pytest.mark.parametrize(
    ("markup", "expected"),
    [
        ("", ""),
        ("plain words", "plain words"),
        ("<p>One.</p><p>Two.</p>", "One.\n\nTwo."),
        ("<div><p>Nested</p></div><div>blocks</div>", "Nested\n\nblocks"),
        ("line one<br>line two<br/>line three", "line one\nline two\nline three"),
        ("para<br><br>next para", "para\n\nnext para"),
        ("a<br><br><br><br>b", "a\n\nb"),
        ("<ul><li>first</li><li>second</li></ul>after", "first\nsecond\n\nafter"),
        ("Tom &amp; Jerry &lt;3 &quot;x&quot; &#8212; &#x41;&nbsp;B", 'Tom & Jerry <3 "x" — A B'),
        ("<p>  lots   of \n\t whitespace  </p>", "lots of whitespace"),
        ("keep<script>alert('x')</script> text", "keep text"),
        ("<style>p {color: red}</style><p>styled</p>", "styled"),
        ("<html><head><title>T</title></head><body><p>Body</p></body></html>", "Body"),
        ("<h1>Title</h1>Lead <b>bold</b> <a href='x'>link</a>", "Title\n\nLead bold link"),
        ("<table><tr><td>a</td><td>b</td></tr><tr><td>c</td></tr></table>", "a b\nc"),
        ("<pre>code\n  indented\nend</pre>", "code\nindented\nend"),
        ("zero\u200bwidth soft\u00adhyphen", "zerowidth softhyphen"),
        ("<p>unclosed <b>bold", "unclosed bold"),
        ("a < b and c > d", "a < b and c > d"),
        ("<img src='x.png' alt='pic'>", ""),
        ("<![CDATA[x]]>kept", "kept"),
        ("plain\n\n\nparagraphs\nand lines", "plain\n\nparagraphs\nand lines"),
        ("<p>Привіт, світе</p><p>Привет, мир</p>", "Привіт, світе\n\nПривет, мир"),
        # XHTML in feeds: a self-closed script or iframe is empty, the text after it is kept
        ('<p>a<script src="w.js"/>b</p><iframe src="x"/>c', "ab\n\nc"),
        ("<p>a<span class='x'/>b</p>", "ab"),
        # tags named in prose, unescaped: the rest of the article is not lost
        (
            "<p>put it in the <head> of your page.</p><p>Next</p>",
            "put it in the of your page.\n\nNext",
        ),
        ("<p>marks \ufdd0 \ufdd1 are not text</p>", "marks are not text"),
    ],
)
def test_html_to_text(markup: str, expected: str) -> None:
    assert html_to_text(markup) == expected


def test_telegram_message_markup_keeps_line_breaks() -> None:
    markup = (
        "Пора познакомиться с <b>Lyrebird</b> — утилитой.<br/><br/>Тут есть эффекты.<br/>"
        '<a href="https://github.com/x" onclick="return confirm(1);">GitHub</a>.'
        '<i class="emoji" style="background-image:url(x)"><b>❤</b></i>'
    )
    assert html_to_text(markup) == (
        "Пора познакомиться с Lyrebird — утилитой.\n\nТут есть эффекты.\nGitHub.❤"
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a\r\nb\rc", "a\nb\nc"),
        ("  x  \n\n\n\n  y ", "x\n\ny"),
        ("&amp; stays", "&amp; stays"),
    ],
)
def test_clean_plain_text(text: str, expected: str) -> None:
    assert clean_plain_text(text) == expected


def test_single_line() -> None:
    assert single_line("  A\n title\u00a0with\tspaces ") == "A title with spaces"


@given(st.text())
def test_html_to_text_never_crashes_and_is_tidy(markup: str) -> None:
    text = html_to_text(markup)
    assert "\n\n\n" not in text
    assert text == text.strip()
    assert all(line == line.strip() for line in text.split("\n"))
