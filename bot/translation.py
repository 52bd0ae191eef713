"""The language the bot speaks to a chat: gettext catalogues, numbers and dates (Babel).

English is the source language: the messages in the code are English, and the catalogues in
``bot/locales/<language>/LC_MESSAGES/claimwatch.po`` translate them into Russian and Ukrainian.
A reply, a digest or an alert is written inside ``speaking(language)``; ``gettext``,
``ngettext`` and the formatters read the language from a context variable, so concurrent tasks
(two chats answered at once) each keep their own. Outside ``speaking`` everything is English:
the command line and the logs never set a language.

Every number and date shown to a person goes through this module, so one place decides how
each language writes them ("1,500" and "2 Dec 2026"; "1 500" and "2 дек. 2026").
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time, tzinfo
from functools import cache, lru_cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date
from babel.numbers import format_decimal

DEFAULT_LANGUAGE = "en"
LANGUAGES = ("en", "ru", "uk")  # the order /settings lists them in
LANGUAGE_NAMES = {"en": "English", "ru": "Русский", "uk": "Українська"}
DOMAIN = "claimwatch"
LOCALES = Path(__file__).parent / "locales"

_language: ContextVar[str] = ContextVar("claimwatch_language", default=DEFAULT_LANGUAGE)


def language_of(code: str | None) -> str:
    """The language for a Telegram user's ``language_code`` ("ru", "uk", "en-US", None):
    Russian and Ukrainian as given, anything else English."""
    base = (code or "").replace("_", "-").split("-")[0].casefold()
    return base if base in LANGUAGES else DEFAULT_LANGUAGE


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Write in ``language`` (an unknown one: English) until the block ends."""
    token = _language.set(language if language in LANGUAGES else DEFAULT_LANGUAGE)
    try:
        yield
    finally:
        _language.reset(token)


def current_language() -> str:
    return _language.get()


@cache
def catalogue(language: str) -> _gettext.NullTranslations:
    """The compiled catalogue of ``language``; English is the messages themselves. A missing
    catalogue raises: it is a packaging mistake, not something to hide."""
    if language == DEFAULT_LANGUAGE:
        return _gettext.NullTranslations()
    return _gettext.translation(DOMAIN, LOCALES, languages=[language])


def gettext(message: str, /, **values: object) -> str:
    """``message`` in the current language, its ``%(name)s`` placeholders filled."""
    text = catalogue(_language.get()).gettext(message)
    return text % values if values else text


_ = gettext


def ngettext(singular: str, plural: str, count: int, /, **values: object) -> str:
    """The form for ``count`` (Russian and Ukrainian have three); ``%(count)s`` is the count
    written the language's way."""
    text = catalogue(_language.get()).ngettext(singular, plural, count)
    return text % {"count": format_integer(count), **values}


def N_(message: str) -> str:  # gettext's name: a message marked, not translated
    """Mark a constant for the catalogue; it is translated (``gettext``) where it is shown."""
    return message


@cache
def _locale(language: str) -> Locale:
    return Locale.parse(language)  # parsed once: Babel would parse the name at every call


# Babel takes microseconds a number or a day, and a digest repeats the same figures and days:
# the formatted texts are kept (bounded), by value and language.
_FORMATTED = 4096


def format_integer(value: int) -> str:
    return _decimal(value, "#,##0", _language.get())


def format_number(value: float) -> str:
    """At most two decimals, none for a whole number: "1,500", "2.5" ("1 500", "2,5")."""
    return _decimal(value, "#,##0.##", _language.get())


def format_day(at: datetime, tz: tzinfo) -> str:
    """The day in ``tz``: "2 Dec 2026", "2 дек. 2026", "2 груд. 2026"."""
    return _date(at.astimezone(tz).date(), "d MMM y", _language.get())


def format_short_day(at: datetime) -> str:
    """A day without its year, for a chart's axis: "2 Dec", "2 дек."."""
    return _date(at.date(), "d MMM", _language.get())


@lru_cache(maxsize=_FORMATTED)
def _decimal(value: float, pattern: str, language: str) -> str:
    return format_decimal(value, pattern, locale=_locale(language))


@lru_cache(maxsize=_FORMATTED)
def _date(day: date, pattern: str, language: str) -> str:
    return format_date(day, pattern, locale=_locale(language))


def format_moment(at: datetime, tz: tzinfo) -> str:
    """The day and minute in ``tz``, with the zone's abbreviation: "2 Dec 2026, 08:00 UTC"."""
    local = at.astimezone(tz)
    return f"{format_day(at, tz)}, {local:%H:%M} {local.tzname() or ''}".rstrip()


def format_clock(at: time) -> str:
    """A time of day on the 24-hour clock ("07:30"), as all three languages write it here."""
    return at.strftime("%H:%M")


def format_iso_day(at: datetime) -> str:
    """The day as digits ("2026-12-02"): the same in every language, for lists."""
    return at.strftime("%Y-%m-%d")


def format_iso_minute(at: datetime, tz: tzinfo) -> str:
    """The minute in ``tz`` as digits ("2026-12-02 08:00"), for lists and /status."""
    return at.astimezone(tz).strftime("%Y-%m-%d %H:%M")
