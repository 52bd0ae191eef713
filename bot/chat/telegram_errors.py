"""Telegram's errors as text fit to show: scrubbed of the token, without quoted error pages.

python-telegram-bot's ``InvalidToken`` names the token, and an error page echoing the request path
(``/bot<token>/getMe``) puts it in any error's text; an answer that is not JSON (a proxy's page)
is quoted whole. What claimwatch says of Telegram's errors (the log-in outcome, admin notices,
outbox errors stored with a message) goes through ``error_text``.
"""

from __future__ import annotations

import re
from datetime import timedelta

from bot.logs import Scrubber

_UNPARSED_ANSWER = re.compile(r"\. Parsing the server response .* failed$", re.DOTALL)


def error_text(error: BaseException, scrubber: Scrubber) -> str:
    """An error's text, scrubbed, without the page python-telegram-bot quotes when the answer is
    not JSON (a proxy's error page)."""
    text = _UNPARSED_ANSWER.sub(", not a Bot API answer", str(error)) or type(error).__name__
    return scrubber.scrub(text)


def retry_delay(value: int | timedelta) -> timedelta:
    """A ``RetryAfter``'s wait (seconds before python-telegram-bot 22.2, a timedelta after)."""
    return value if isinstance(value, timedelta) else timedelta(seconds=value)
