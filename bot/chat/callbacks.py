"""Inline buttons' callback data: ``<family>:<action>[:<argument>]``, validated before use.

Callback data comes back from the client, and a modified client can send any string, so a
button press is only acted on when its family and action are known and its argument has the
expected form. Anything else (an old button of a previous version, a forgery) is "expired".
Buttons that change something name the target state ("settings:alerts:off"), never a relative
step, so pressing a stale button twice does no harm.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.translation import N_

MAX_DATA_BYTES = 64  # Telegram's limit for callback data
EXPIRED = N_("This button has expired.")  # translated where it is shown


@dataclass(frozen=True, slots=True)
class ButtonAction:
    family: str
    action: str
    argument: str  # a regular expression the whole argument must match ("" for none)

    @property
    def key(self) -> str:
        return f"{self.family}:{self.action}"

    def data(self, argument: object = "") -> str:
        """The callback data of a button doing this with ``argument``."""
        text = str(argument)
        if not re.fullmatch(self.argument, text):
            raise ValueError(f"{text!r} is not an argument of {self.key}")
        data = f"{self.key}:{text}" if text else self.key
        if len(data.encode()) > MAX_DATA_BYTES:
            raise ValueError(f"callback data longer than {MAX_DATA_BYTES} bytes: {data!r}")
        return data


CLAIMS_PAGE = ButtonAction("claims", "page", r"[0-9]{1,5}")
SETTINGS_ALERTS = ButtonAction("settings", "alerts", r"on|off")
SETTINGS_EMPTY = ButtonAction("settings", "empty", r"on|off")
SETTINGS_SIZE = ButtonAction("settings", "size", r"[0-9]{1,2}")
FORGET_CONFIRM = ButtonAction("forget", "confirm", r"[0-9]{1,12}")  # when it was offered
FORGET_CANCEL = ButtonAction("forget", "cancel", r"")
BUTTON_ACTIONS = (
    CLAIMS_PAGE,
    SETTINGS_ALERTS,
    SETTINGS_EMPTY,
    SETTINGS_SIZE,
    FORGET_CONFIRM,
    FORGET_CANCEL,
)
_BY_KEY = {action.key: action for action in BUTTON_ACTIONS}


@dataclass(frozen=True, slots=True)
class Pressed:
    action: ButtonAction
    argument: str


def parse_callback(data: str) -> Pressed | None:
    """The button pressed, or None for data no current button sends."""
    if not data or len(data.encode()) > MAX_DATA_BYTES:
        return None
    family, _, rest = data.partition(":")
    verb, _, argument = rest.partition(":")
    action = _BY_KEY.get(f"{family}:{verb}")
    if action is None or not re.fullmatch(action.argument, argument):
        return None
    return Pressed(action, argument)
