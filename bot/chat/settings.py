"""/settings: the digest time and time zone, the language, alerts, digest size and the empty
digest.

Shown with buttons (alerts and the empty digest on/off, size − and +); changed by the buttons or
by text: ``/settings time 07:30``, ``tz Europe/Kyiv``, ``lang uk``, ``alerts on``, ``size 15``,
``empty off``. Anyone may look; in groups only the admins may change them. A change of language
is answered in the new language.
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
from bot.subscribers.chats import SettingsChange, change_settings, chat_settings
from bot.translation import LANGUAGE_NAMES, LANGUAGES, N_, _, format_clock, ngettext, speaking
from storage.records import Subscriber

ON_OFF = {"on": True, "off": False, "yes": True, "no": False, "true": True, "false": False}
FORMS = "time 07:30, tz Europe/Kyiv, lang en|ru|uk, alerts on|off, size 15, empty on|off"
DOING = N_("change this chat's settings")


async def settings_command(request: Request) -> Reply:
    if not request.args:
        return render_settings(await chat_settings(request.services, request.chat.id))
    change = parse_setting(request.args)
    await require(Access.CHAT_ADMINS, request, _(DOING))
    subscriber = await change_settings(request.services, request.chat.id, change)
    with speaking(subscriber.language):
        return render_settings(subscriber, saved=True)


async def settings_button(request: Request, change: SettingsChange) -> Reply:
    await require(Access.CHAT_ADMINS, request, _(DOING))
    subscriber = await change_settings(request.services, request.chat.id, change)
    return render_settings(subscriber, toast=_("Saved"))


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
        if close:
            raise UsageError(
                _(
                    "There is no setting %(name)s. Did you mean %(close)s? Settings: %(forms)s.",
                    name=repr(name[:40]),
                    close=close[0],
                    forms=FORMS,
                )
            )
        raise UsageError(
            _(
                "There is no setting %(name)s. Settings: %(forms)s.",
                name=repr(name[:40]),
                forms=FORMS,
            )
        )
    if not value:
        raise UsageError(_("Give a value for %(name)s: %(forms)s.", name=name, forms=FORMS))
    return key(value)  # fmt: skip


def parse_language(text: str) -> str:
    """``en``, ``ru`` or ``uk`` (case aside)."""
    language = text.casefold()
    if language not in LANGUAGES:
        choices = ", ".join(f"{code} ({LANGUAGE_NAMES[code]})" for code in LANGUAGES)
        raise UsageError(_("There is no language %(text)s here. Choose one of: %(choices)s.",
                           text=repr(text[:40]), choices=choices))  # fmt: skip
    return language


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
        if close:
            raise UsageError(_("%(text)s is not a time zone I know. Did you mean %(close)s? "
                               "Write it like Europe/Kyiv.", text=repr(text[:60]),
                               close=", ".join(zones[c] for c in close)))  # fmt: skip
        raise UsageError(_("%(text)s is not a time zone I know. Write it like Europe/Kyiv.",
                           text=repr(text[:60])))  # fmt: skip
    return parse_timezone(name)


def _time(text: str) -> SettingsChange:
    try:
        return SettingsChange(digest_time=parse_clock_time(text))
    except ValueError:
        raise UsageError(_("%(text)s is not a time of day; write HH:MM, e.g. 08:00",
                           text=repr(text[:40]))) from None  # fmt: skip


def _on_off(text: str) -> bool:
    if text.casefold() not in ON_OFF:
        raise UsageError(_("Write on or off, not %(text)s.", text=repr(text[:40])))
    return ON_OFF[text.casefold()]


def _size(text: str) -> int:
    if (
        not text.isascii()
        or not text.isdigit()
        or not DIGEST_SIZE_MIN <= int(text) <= DIGEST_SIZE_MAX
    ):
        raise UsageError(
            _("The digest size is a number of stories from %(low)s to %(high)s.",
              low=DIGEST_SIZE_MIN, high=DIGEST_SIZE_MAX)
        )  # fmt: skip
    return int(text)


_KEYS: dict[str, Callable[[str], SettingsChange]] = {
    "time": _time,
    "tz": lambda text: SettingsChange(timezone=parse_timezone_name(text)),
    "timezone": lambda text: SettingsChange(timezone=parse_timezone_name(text)),
    "lang": lambda text: SettingsChange(language=parse_language(text)),
    "language": lambda text: SettingsChange(language=parse_language(text)),
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
    size, at = subscriber.digest_size, format_clock(subscriber.digest_time)
    lines = [
        _("Saved. This chat's settings:") if saved else _("This chat's settings:"),
        _("Digest: every day at %(at)s (%(zone)s)", at=at, zone=escape(subscriber.timezone)),
        _("Language: %(language)s", language=LANGUAGE_NAMES[subscriber.language]),
        _("Alerts about new conflicts: on") if alerts else _("Alerts about new conflicts: off"),
        ngettext("Digest size: up to %(count)s story", "Digest size: up to %(count)s stories",
                 size),
        _("Empty digest: a one-line note when there is nothing new")
        if empty
        else _("Empty digest: not sent when there is nothing new"),
        "",
        _("Or by text: %(example)s; the forms: %(forms)s.", example=code("/settings time 07:30"),
          forms=escape(FORMS)),
    ]  # fmt: skip
    toggles = (
        Button(
            _("Alerts: turn off") if alerts else _("Alerts: turn on"),
            SETTINGS_ALERTS.data("off" if alerts else "on"),
        ),
        Button(
            _("Empty digest: skip") if empty else _("Empty digest: send"),
            SETTINGS_EMPTY.data("off" if empty else "on"),
        ),
    )
    sizes = tuple(
        Button(label, SETTINGS_SIZE.data(target))
        for label, target in ((_("Size −"), size - 1), (_("Size +"), size + 1))
        if DIGEST_SIZE_MIN <= target <= DIGEST_SIZE_MAX
    )
    return Reply("\n".join(lines), buttons=(toggles, sizes) if sizes else (toggles,), toast=toast)
