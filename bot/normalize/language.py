"""A cheap, explainable language guess: English, Russian and Ukrainian, or None when unsure.

The script decides first (Latin or Cyrillic letters). Within Cyrillic, letters only Ukrainian
uses (і ї є ґ) are weighed against letters only Russian uses (ы э ё), plus frequent function
words of each; letters of other Cyrillic alphabets (Serbian ј, Kazakh ә, Belarusian ў, a
Bulgarian-looking ъ) mean "neither". Within Latin, English function words are weighed against
those of the common European languages and against diacritics. A language the source declares
(``<language>``, ``xml:lang``) is used only when the text is too short to tell and the declared
language fits the script.
"""

from __future__ import annotations

import re
from collections.abc import Iterable


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


def _all_but_letters(codes: Iterable[int], *, but: str = "") -> re.Pattern[str]:
    """Runs of anything but the letters among ``codes`` (those ``str.isalpha`` calls letters),
    ``but`` excepted. Removing them leaves those letters: the text is counted in C, a run at a
    time, not letter by letter in Python."""
    letters = (chr(code) for code in codes if chr(code).isalpha() and chr(code) not in but)
    return re.compile(f"[^{''.join(map(re.escape, letters))}]+")


def _count(letters: re.Pattern[str], text: str) -> int:
    return len(letters.sub("", text))


def _script_counts(sample: str) -> tuple[int, int, int, int]:
    """Letters of ``sample``: (Latin, Cyrillic, other scripts, Latin beyond ASCII). ASCII
    letters are counted on bytes (the common case: English is almost all ASCII); the regular
    expressions look only at the rest."""
    ascii_part = sample.encode("ascii", "ignore")
    ascii_letters = len(ascii_part) - len(ascii_part.translate(None, _ASCII_LETTERS))
    if len(ascii_part) == len(sample):
        return ascii_letters, 0, 0, 0
    rest = _ASCII_RUNS.sub("", sample)
    diacritics = _count(_NOT_DIACRITIC, rest)
    cyrillic = _count(_NOT_CYRILLIC, rest)
    other = sum(map(str.isalpha, _LATIN_OR_CYRILLIC.sub("", rest)))
    return ascii_letters + diacritics, cyrillic, other, diacritics


_SAMPLE = 6000  # characters looked at; enough to decide, cheap on long articles
_WORD = re.compile(r"[^\W\d_]+")

_UK_LETTERS = frozenset("іїєґ")
_RU_LETTERS = frozenset("ыэё")
_RU_UK_ALPHABET = "абвгдеёжзийклмнопрстуфхцчшщъыьэюяіїєґ"
_ASCII_LETTERS = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
_ASCII_RUNS = re.compile("[\x00-\x7f]+")
_NOT_CYRILLIC = _all_but_letters(range(0x400, 0x530))
_NOT_FOREIGN_CYRILLIC = _all_but_letters(range(0x400, 0x530), but=_RU_UK_ALPHABET)
_NOT_DIACRITIC = _all_but_letters(range(0x80, 0x250))  # Latin letters beyond ASCII
_LATIN_OR_CYRILLIC = re.compile("[\x00-\u024f\u0400-\u052f]+")
_UK_WORDS = _words(
    "і й та що це як від був була було були його її які який яка яке також буде вже цього "
    "щоб коли ще але або тому між після цей ця ці вони ми ви він вона їх своїх який де має "
    "можна тільки навіть якщо через"
)
_RU_WORDS = (
    _words(
        "и что это как от был была было были его её ее которые который которая также будет уже "
        "этого чтобы когда ещё еще но или после между этот эта эти они мы вы он она их своих где "
        "имеет можно только даже если через"
    )
    - _UK_WORDS
)
_EN_WORDS = _words(
    "the and of to in is are was were that for it with on as by this be at from have has "
    "had not but they which their said will would been its an or who"
)
_OTHER_LATIN_WORDS = (
    _words(
        # de
        "der die und das ist nicht mit ein eine den von zu auf für sich auch dem des im wird "
        # fr
        "le la les et des est une du dans pour qui que sur pas au avec ce sont par "
        # es, it, pt
        "el los las y del en es por con una para se su al lo como más il di che è per non "
        "sono della gli não um uma do da em "
        # nl, pl
        "het een van niet dat zijn voor met w nie na się jest że"
    )
    - _EN_WORDS
)

CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "be", "bg", "sr", "mk", "kk", "ky", "tg", "mn"})
_NON_LATIN_LANGUAGES = CYRILLIC_LANGUAGES | frozenset(
    {"zh", "ja", "ko", "ar", "he", "fa", "ur", "el", "hi", "th", "ka", "hy"}
)
_DECLARED = re.compile(r"^([A-Za-z]{2,3})(?:[-_].*)?$")
_ALIASES = {"ua": "uk", "rus": "ru", "ukr": "uk", "eng": "en"}


def detect_language(text: str, *, declared: str | None = None) -> str | None:
    """``"en"``, ``"ru"`` or ``"uk"`` when the text says so clearly; otherwise the declared
    language (its primary subtag, lowercased) when it fits the script; otherwise None."""
    sample = text[:_SAMPLE].casefold()
    latin, cyrillic, other, diacritics = _script_counts(sample)
    total = latin + cyrillic + other
    language = normalize_language_tag(declared)
    if total == 0:
        return language
    if cyrillic >= 0.6 * total:
        guess = _guess_cyrillic(sample)
        if guess in ("ru", "uk"):
            return guess
        if language not in CYRILLIC_LANGUAGES:
            return None
        return None if guess == "other" and language in ("ru", "uk") else language
    if latin >= 0.6 * total:
        guess = _guess_latin(sample, latin, diacritics)
        if guess == "en":
            return "en"
        if language is None or language in _NON_LATIN_LANGUAGES:
            return None
        return None if guess == "other" and language == "en" else language
    # another script (Arabic, CJK, Greek, ...): trust the source unless it names one we detect
    return None if language in CYRILLIC_LANGUAGES or language == "en" else language


def normalize_language_tag(tag: str | None) -> str | None:
    """``"en-US"`` -> ``"en"``, ``"ru_RU"`` -> ``"ru"``, ``"ua"`` -> ``"uk"``; None if not a tag."""
    if not tag:
        return None
    match = _DECLARED.match(tag.strip())
    if not match:
        return None
    primary = match.group(1).lower()
    return _ALIASES.get(primary, primary)


def _guess_cyrillic(sample: str) -> str | None:
    """``"ru"``, ``"uk"``, ``"other"`` (another Cyrillic language) or None (cannot tell)."""
    uk = sum(map(sample.count, _UK_LETTERS))
    ru = sum(map(sample.count, _RU_LETTERS))
    hard_sign = sample.count("ъ")
    foreign = _count(_NOT_FOREIGN_CYRILLIC, sample)
    if foreign >= 2 or (hard_sign >= 2 and hard_sign > ru):
        return "other"  # Serbian, Kazakh, Belarusian, Bulgarian, ...: not ours to name
    for word in _WORD.findall(sample):
        if word in _UK_WORDS:
            uk += 2
        elif word in _RU_WORDS:
            ru += 2
    if uk >= 2 and uk >= 2 * ru:
        return "uk"
    if ru >= 2 and ru >= 2 * uk:
        return "ru"
    return None


def _guess_latin(sample: str, latin: int, diacritics: int) -> str | None:
    """``"en"``, ``"other"`` (clearly not English) or None (cannot tell)."""
    words = _WORD.findall(sample)
    english = sum(map(_EN_WORDS.__contains__, words))
    foreign = sum(map(_OTHER_LATIN_WORDS.__contains__, words))
    if diacritics >= 2 and diacritics >= 0.02 * latin:
        return "other"
    if english >= 2 and english >= 2 * foreign:
        return "en"
    if english == 1 and foreign == 0 and 3 <= len(words) <= 12:
        return "en"
    if foreign >= 2 and foreign > english:
        return "other"
    return None
