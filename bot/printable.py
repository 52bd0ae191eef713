"""Text from feeds and users made safe to print on a terminal.

A feed title is written by whoever runs the feed. Printed raw, ESC and CSI sequences move the
cursor, recolour or clear the screen, OSC sequences set the window title or plant hyperlinks, BEL
rings, backspace and carriage return overwrite what was printed before them, and bidi overrides
show text in an order other than the one stored. ``escape_controls`` turns each such character
into its visible escape (``\\u001b``), which also keeps JSON valid and equal in meaning: JSON reads
``\\u001b`` inside a string as the same character.
"""

from __future__ import annotations

import re
import sys

__all__ = ["echo", "escape_controls", "readable_input"]

# C0 controls but newline and tab; DEL and the C1 controls (U+009B is a one-character CSI);
# bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069); lone surrogates,
# which are no text and would print as invalid UTF-8.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")
_SURROGATES = re.compile("[\ud800-\udfff]")


def escape_controls(text: str) -> str:
    """``text`` with every control character that acts on a terminal written as ``\\uXXXX``."""
    return _CONTROLS.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def echo(text: str, *, err: bool = False) -> None:
    """Print a line of the command line's output (stderr with ``err``), controls escaped."""
    print(escape_controls(text), file=sys.stderr if err else sys.stdout)


def readable_input(line: str) -> str:
    """A line read from a terminal with its undecodable bytes as U+FFFD.

    prompt_toolkit decodes what is typed with ``surrogateescape``, as Python's standard input
    does in the C and POSIX locales, so invalid UTF-8 arrives as lone surrogates, which no
    encoder, database or Telegram accepts.
    """
    return _SURROGATES.sub("\ufffd", line)
