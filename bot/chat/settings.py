"""/settings: the digest time and time zone, alerts, digest size and the empty digest.

Shown with buttons (alerts and the empty digest on/off, size − and +); changed by the buttons or
by text: ``/settings time 07:30``, ``tz Europe/Kyiv``, ``alerts on``, ``size 15``, ``empty off``.
Anyone may look; in groups only the admins may change them.
"""

from __future__ import annotations

import difflib
import zoneinfo
from collections.abc import Callable
from functools import cache

from bot.chat.access import Access, require
from bot.chat.arguments import split_first
from bot.chat.callbacks import SETTINGS_ALERTS, SETTINGS_EMPTY, SETTINGS_SIZE
from bot.chat.limits import DIGEST_SIZE_MAX, DIGEST_SIZE_MIN
from bot.chat.markup import code, escape
from bot.chat.requests import Button, Reply, Request, UsageError
from bot.settings import parse_clock_time, parse_timezone
from bot.subscriptions import SettingsChange, change_settings, chat_settings
from storage.records import Subscriber

ON_OFF = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}
FORMS = "time 07:30, tz Europe/Kyiv, alerts on|off, size 15, empty on|off"
DOING = "change this chat's settings"


async def settings_command(request: Request) -> Reply:
    if not request.args:
        return render_settings(await chat_settings(request.services, request.chat.id))
    change = parse_setting(request.args)
    await require(Access.CHAT_ADMINS, request, DOING)
    subscriber = await change_settings(request.services, request.chat.id, change)
    return render_settings(subscriber, saved=True)


async def settings_button(request: Request, change: SettingsChange) -> Reply:
    await require(Access.CHAT_ADMINS, request, DOING)
    subscriber = await change_settings(request.services, request.chat.id, change)
    return render_settings(subscriber, toast="Saved")


async def alerts_button(request: Request) -> Reply:
    return await settings_button(request, SettingsChange(alerts=request.args == "on"))


async def empty_digest_button(request: Request) -> Reply:
    return await settings_button(request, SettingsChange(empty_digest=request.args == "on"))


async def size_button(request: Request) -> Reply:
    return await settings_button(request, SettingsChange(digest_size=_size(request.args)))


def parse_setting(args: str) -> SettingsChange:
    """``<name> <value>``: one setting, validated."""
    name, value = split_first(args)
    key = _KEYS.get(name)
    if key is None:
        close = difflib.get_close_matches(name, list(_KEYS), n=1)
        hint = f" Did you mean {close[0]}?" if close else ""
        raise UsageError(f"There is no setting {name[:40]!r}.{hint} Settings: {FORMS}.")
    if not value:
        raise UsageError(f"Give a value for {name}: {FORMS}.")
    return key(value)


def parse_timezone_name(text: str) -> str:
    """An IANA time zone, case aside; a city alone when one zone has it ("kyiv")."""
    zones = _zones()
    name = zones.get(text.casefold())
    if name is None and "/" not in text:
        cities = [
            zone for zone in zones.values() if zone.casefold().endswith("/" + text.casefold())
        ]
        name = cities[0] if len(cities) == 1 else None
    if name is None:
        close = difflib.get_close_matches(text.casefold(), list(zones), n=3, cutoff=0.6)
        hint = f" Did you mean {', '.join(zones[c] for c in close)}?" if close else ""
        raise UsageError(
            f"{text[:60]!r} is not a time zone I know.{hint} Write it like Europe/Kyiv."
        )
    return parse_timezone(name)


def _time(text: str) -> SettingsChange:
    try:
        return SettingsChange(digest_time=parse_clock_time(text))
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def _on_off(text: str) -> bool:
    if text.casefold() not in ON_OFF:
        raise UsageError(f"Write on or off, not {text[:40]!r}.")
    return ON_OFF[text.casefold()]


def _size(text: str) -> int:
    if (
        not text.isascii()
        or not text.isdigit()
        or not DIGEST_SIZE_MIN <= int(text) <= DIGEST_SIZE_MAX
    ):
        raise UsageError(
            f"The digest size is a number of stories from {DIGEST_SIZE_MIN} to {DIGEST_SIZE_MAX}."
        )
    return int(text)


_KEYS: dict[str, Callable[[str], SettingsChange]] = {
    "time": _time,
    "tz": lambda text: SettingsChange(timezone=parse_timezone_name(text)),
    "timezone": lambda text: SettingsChange(timezone=parse_timezone_name(text)),
    "alerts": lambda text: SettingsChange(alerts=_on_off(text)),
    "size": lambda text: SettingsChange(digest_size=_size(text)),
    "empty": lambda text: SettingsChange(empty_digest=_on_off(text)),
}


@cache
def _zones() -> dict[str, str]:
    """Every IANA zone name by its case-folded form."""
    return {zone.casefold(): zone for zone in zoneinfo.available_timezones()}


def render_settings(
    subscriber: Subscriber, *, saved: bool = False, toast: str | None = None
) -> Reply:
    alerts, empty = subscriber.alerts, subscriber.empty_digest
    size, at = subscriber.digest_size, subscriber.digest_time.strftime("%H:%M")
    lines = [
        "Saved. This chat's settings:" if saved else "This chat's settings:",
        f"Digest: every day at {at} ({escape(subscriber.timezone)})",
        f"Alerts about new conflicts: {'on' if alerts else 'off'}",
        f"Digest size: up to {size} stories",
        f"Empty digest: {'a one-line note' if empty else 'not sent'} when there is nothing new",
        "",
        f"Or by text: {code('/settings time 07:30')}; the forms: {escape(FORMS)}.",
    ]
    toggles = (
        Button(
            f"Alerts: turn {'off' if alerts else 'on'}",
            SETTINGS_ALERTS.data("off" if alerts else "on"),
        ),
        Button(
            f"Empty digest: {'skip' if empty else 'send'}",
            SETTINGS_EMPTY.data("off" if empty else "on"),
        ),
    )
    sizes = tuple(
        Button(label, SETTINGS_SIZE.data(target))
        for label, target in (("Size −", size - 1), ("Size +", size + 1))
        if DIGEST_SIZE_MIN <= target <= DIGEST_SIZE_MAX
    )
    return Reply("\n".join(lines), buttons=(toggles, sizes) if sizes else (toggles,), toast=toast)
