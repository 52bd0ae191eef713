from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.normalize.language import detect_language, normalize_language_tag

UK = "Зеленський заявив, що в Росії вже перебувають 10 тисяч військових КНДР."
RU = "Зеленский заявил, что в России уже находятся 10 тысяч военных КНДР."
EN = "The White House said about 3,000 North Korean troops had arrived in Russia."


@pytest.mark.parametrize(
    ("text", "declared", "expected"),
    [
        (UK, None, "uk"),
        (RU, None, "ru"),
        (EN, None, "en"),
        ("Україна отримала ще одну партію допомоги від партнерів", None, "uk"),
        ("Военкор написал, что контингент утроится", None, "ru"),
        ("Їжак і єнот", None, "uk"),  # letters only Ukrainian has
        ("Съёмки эпизода", None, "ru"),  # letters only Russian has
        ("North Korea sends troops to Russia", None, "en"),
        # too short or without distinctive marks: unsure, unless the source declares a fit
        ("Привет", None, None),
        ("Привет", "ru-RU", "ru"),
        ("Привет", "en", None),  # declared language does not fit the script
        ("QA", None, None),
        ("QA", "en-us", "en"),
        ("", "uk", "uk"),
        ("", None, None),
        ("12 345 — 67", None, None),
        # clear text beats a wrong declaration
        (RU, "en", "ru"),
        (UK, "ru", "uk"),
        (EN, "ru", "en"),
        # other languages are not ours to name, and do not become en/ru/uk
        ("Die Truppen sind in Russland angekommen und das ist nicht gut.", None, None),
        ("Die Truppen sind in Russland angekommen und das ist nicht gut.", "de", "de"),
        ("Die Truppen sind in Russland angekommen und das ist nicht gut.", "en", None),
        ("Les troupes sont arrivées en Russie, selon le ministère.", None, None),
        ("Здраво, како си? Југославија и Србија", None, None),
        ("Здраво, како си? Југославија и Србија", "ru", None),
        ("Това е текст, който съдържа ъ много пъти във всяко изречение.", None, None),
        ("北朝鮮の兵士がロシアに到着した", "ja", "ja"),
        ("北朝鮮の兵士がロシアに到着した", "en", None),
    ],
)
def test_detect_language(text: str, declared: str | None, expected: str | None) -> None:
    assert detect_language(text, declared=declared) == expected


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("en-US", "en"), ("ru_RU", "ru"), ("UK", "uk"), ("ua", "uk"), ("eng", "en"),
     (" de ", "de"), ("", None), (None, None), ("x-klingon-1", None), ("12", None)],
)  # fmt: skip
def test_normalize_language_tag(tag: str | None, expected: str | None) -> None:
    assert normalize_language_tag(tag) == expected


@given(st.text(), st.one_of(st.none(), st.text(max_size=12)))
def test_detect_language_never_crashes(text: str, declared: str | None) -> None:
    result = detect_language(text, declared=declared)
    assert result is None or result.isalpha()
