"""The catalogues and the language module: every message translated with the same placeholders,
three plural forms, compiled catalogues that match their .po files and the code; numbers, dates
and plurals as each language writes them."""

from __future__ import annotations

import ast
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po
from babel.util import pathmatch

from bot.translation import (
    LANGUAGES,
    LOCALES,
    format_day,
    format_moment,
    format_number,
    gettext,
    language_of,
    ngettext,
    speaking,
)

ROOT = Path(__file__).resolve().parents[1]
TRANSLATED = ("ru", "uk")
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")
STRAY_PERCENT = re.compile(r"%(?!\(\w+\)[sd])")  # a "%" that is no placeholder breaks formatting
# CLDR's rule for Russian and Ukrainian: one (1, 21, 31...), few (2-4, 22-24...), many.
PLURAL_FORMS = (
    "nplurals=3; plural=n % 10 == 1 && n % 100 != 11 ? 0 : n % 10 >= 2 && n % 10 <= 4 "
    "&& (n % 100 < 12 || n % 100 > 14) ? 1 : 2;"
)


def po_file(language: str) -> Path:
    return LOCALES / language / "LC_MESSAGES" / "claimwatch.po"


def catalogue(language: str) -> Catalog:
    with po_file(language).open("rb") as f:
        return read_po(f, locale=language)


def ids(message_id: str | tuple[str, ...] | list[str]) -> tuple[str, ...]:
    """One message's texts (a plural one has several; read_mo gives them as a list)."""
    return tuple(message_id) if isinstance(message_id, tuple | list) else (message_id,)


def placeholders(*texts: str) -> set[str]:
    return {name for text in texts for name in PLACEHOLDER.findall(text)}


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_is_translated_with_the_same_placeholders(language):
    problems = []
    messages = [m for m in catalogue(language) if m.id]
    assert len(messages) > 200
    for message in messages:
        wanted = placeholders(*ids(message.id))
        forms = ids(message.string)
        if message.fuzzy:
            problems.append(f"fuzzy (not compiled until reviewed): {message.id!r}")
        if isinstance(message.id, tuple) and len(forms) != 3:
            problems.append(f"{len(forms)} plural forms, not 3: {message.id!r}")
        for form in forms:
            if not form.strip():
                problems.append(f"untranslated: {message.id!r}")
            elif placeholders(form) != wanted:
                problems.append(f"placeholders {placeholders(form)} != {wanted}: {form!r}")
            elif STRAY_PERCENT.search(form):
                problems.append(f"a stray %: {form!r}")
    assert problems == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_plural_rule_has_three_forms(language):
    assert catalogue(language).plural_forms == PLURAL_FORMS


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_compiled_catalogue_is_the_po_file(language):
    """Run `make catalogues` after editing a .po file: the bot reads the .mo."""
    source = catalogue(language)
    with (LOCALES / language / "LC_MESSAGES" / "claimwatch.mo").open("rb") as f:
        compiled = read_mo(f)
    assert messages(compiled) == messages(source)


def messages(catalog: Catalog) -> dict[tuple[str, ...], tuple[str, ...]]:
    """What a catalogue translates (a fuzzy message is not compiled)."""
    return {ids(m.id): ids(m.string) for m in catalog if m.id and not m.fuzzy}


def test_the_catalogues_hold_exactly_the_messages_of_the_code():
    """A message added or changed in the code and not yet in the catalogues: `make catalogues`,
    then translate what is new."""
    method_map = babel_method_map()
    assert method_map, "babel.cfg names no source to extract from"
    in_code = {
        ids(message)[0] for _file, _line, message, _comments, _context in
        extract_from_dir(ROOT, method_map)
    }  # fmt: skip
    for language in TRANSLATED:
        assert {ids(m.id)[0] for m in catalogue(language) if m.id} == in_code


def babel_method_map() -> list[tuple[str, str]]:
    """The files `make catalogues` extracts from, as babel.cfg says (``[python: <pattern>]``)."""
    lines = (ROOT / "babel.cfg").read_text(encoding="utf-8").splitlines()
    sections = [line.strip()[1:-1] for line in lines if line.strip().startswith("[")]
    return [(pattern.strip(), method) for method, pattern in (s.split(":", 1) for s in sections)]


def marks(node: ast.AST) -> bool:
    """A call that marks a message: ``_("...")``, ``ngettext("...", ...)``."""
    return (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id in {"_", "gettext", "ngettext", "N_"}
        and bool(node.args)
        and isinstance(node.args[0], ast.Constant)
    )


def test_no_message_hides_inside_an_f_string():
    """pybabel does not read f-strings: a message marked inside one is never translated."""
    hidden = []
    patterns = [pattern for pattern, _method in babel_method_map()]
    extracted = (
        p
        for p in ROOT.glob("bot/**/*.py")
        if any(pathmatch(pattern, p.relative_to(ROOT).as_posix()) for pattern in patterns)
    )
    for path in extracted:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.JoinedStr):
                continue
            hidden += [f"{path.name}:{inner.lineno}" for inner in ast.walk(node) if marks(inner)]
    assert hidden == []


@pytest.mark.parametrize(
    ("code", "language"),
    [("ru", "ru"), ("uk", "uk"), ("en", "en"), ("ru-RU", "ru"), ("uk_UA", "uk"), ("UK", "uk"),
     ("be", "en"), ("de-DE", "en"), ("", "en"), (None, "en")],
)  # fmt: skip
def test_language_of_a_telegram_language_code(code, language):
    assert language_of(code) == language


@pytest.mark.parametrize(
    ("language", "value", "shown"),
    [
        ("en", 1500, "1,500"),
        ("en", 2.5, "2.5"),
        ("en", 12_000.333, "12,000.33"),
        ("ru", 1500, "1\xa0500"),
        ("ru", 2.5, "2,5"),
        ("uk", 1_000_000, "1\xa0000\xa0000"),
        ("uk", 0.75, "0,75"),
    ],
)
def test_numbers_per_language(language, value, shown):
    with speaking(language):
        assert format_number(value) == shown


def test_dates_per_language_in_the_chats_time_zone():
    at = datetime(2024, 10, 23, 22, 30, tzinfo=UTC)  # already the 24th in Kyiv
    kyiv = ZoneInfo("Europe/Kyiv")
    shown = {}
    for language in LANGUAGES:
        with speaking(language):
            shown[language] = (format_day(at, kyiv), format_moment(at, kyiv))
    assert shown == {
        "en": ("24 Oct 2024", "24 Oct 2024, 01:30 EEST"),
        "ru": ("24 окт. 2024", "24 окт. 2024, 01:30 EEST"),
        "uk": ("24 жовт. 2024", "24 жовт. 2024, 01:30 EEST"),
    }


@pytest.mark.parametrize(
    ("count", "ru", "uk"),
    [
        (1, "1 источник", "1 джерело"),
        (2, "2 источника", "2 джерела"),
        (5, "5 источников", "5 джерел"),
        (11, "11 источников", "11 джерел"),
        (21, "21 источник", "21 джерело"),
        (24, "24 источника", "24 джерела"),
        (112, "112 источников", "112 джерел"),
    ],
)
def test_plural_forms(count, ru, uk):
    for language, wanted in (("ru", ru), ("uk", uk)):
        with speaking(language):
            assert ngettext("%(count)s source", "%(count)s sources", count) == wanted


def test_outside_speaking_everything_is_english():
    with speaking("ru"):
        assert gettext("Saved") == "Сохранено"
        with speaking("xx"):  # an unknown language: English, never a crash
            assert gettext("Saved") == "Saved"
    assert gettext("Saved") == "Saved" and format_number(1500) == "1,500"
