"""escape_controls and readable_input: what is escaped, what is kept as it is."""

import json

import pytest

from bot.printable import escape_controls, readable_input


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain, Кириллиця, 北朝鮮, ✅ 🇺🇦, עברית, العربية", None),  # unchanged
        ("two\nlines\twith a tab", None),
        ("\x1b[2J\x1b]0;title\x07", "\\u001b[2J\\u001b]0;title\\u0007"),
        ("back\x08, cr\r, nul\x00, del\x7f", "back\\u0008, cr\\u000d, nul\\u0000, del\\u007f"),
        ("c1 \x9b31m \x9d0;x\x9c \x85", "c1 \\u009b31m \\u009d0;x\\u009c \\u0085"),
        ("rlo\u202etxt.exe lri\u2066x\u2069", "rlo\\u202etxt.exe lri\\u2066x\\u2069"),
        ("surrogate \udcc3", "surrogate \\udcc3"),
    ],
)
def test_escape_controls(text, shown):
    assert escape_controls(text) == (text if shown is None else shown)


def test_escaped_json_stays_valid_and_means_the_same():
    value = {"title": "a\x1b[2J\x7f\x9b\u202eb\nc"}
    document = escape_controls(json.dumps(value, ensure_ascii=False))
    assert json.loads(document) == value


def test_readable_input_replaces_undecodable_bytes():
    typed = b"Caf\xc3 \xed\xa0\x80".decode("utf-8", "surrogateescape")
    assert readable_input(typed) == "Caf\ufffd \ufffd\ufffd\ufffd"
    assert readable_input("fine: Київ") == "fine: Київ"
