"""Places compared across scripts and inflections: Kursk, Курская область, Курской, Курщина.

A figure's place is the capitalized name after a place preposition nearest to the figure in its
clause ("в Турции погибли 24 617 человек, в Сирии — 3 575": two places, two figures). Two places
are the same when their keys agree: the name is stripped of its case ending and of a region
suffix (-ская, -ська, -щина), transliterated to Latin, and reduced to its consonants with the
sounds that scripts spell differently merged (h/g/kh, c/k/ts, b/v, w/v, y/i/j). A town and the
country it is in have different names, so a count for one is never a rival of the other's.
"""

from __future__ import annotations

import re
import unicodedata

from bot.analysis.sentences import Token, word_list

_PREPOSITIONS = frozenset(word_list("in into at near inside across throughout в во у на під под"))
_ADJECTIVES = frozenset(
    word_list(
        "the eastern western northern southern central occupied entire whole восточной западной "
        "северной южной центральной оккупированной східній західній північній південній "
        "центральній окупованій"
    )
)
# Capitalized words after "in" that name a time, not a place: "in March", "in Monday's report".
_NOT_PLACES = frozenset(
    word_list(
        "january february march april may june july august september october november december "
        "jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday wednesday thursday "
        "friday saturday sunday"
    )
)
_CLAUSE_END = frozenset(",;:()[].!?")
_REACH = 8  # tokens either side of a figure searched for its place
_PREFIX = "~"  # ends the key of a region named by a shortened stem: it matches as a prefix

_TRANSLIT = str.maketrans(
    {
        "а": "a", "б": "b", "в": "v", "г": "g", "ґ": "g", "д": "d", "е": "e", "є": "e",
        "ж": "z", "з": "z", "и": "i", "і": "i", "ї": "i", "й": "i", "к": "k", "л": "l",
        "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t", "у": "u",
        "ф": "f", "х": "h", "ц": "c", "ч": "c", "ш": "s", "щ": "s", "ъ": "", "ы": "i",
        "ь": "", "э": "e", "ю": "u", "я": "a", "'": "",
    }
)  # fmt: skip
# Region and adjective forms ("Курская", "Харківщина", "Донецької") and case endings.
_REGION = re.compile(r"(?:щин|шин)[аиіуеоюя]\w*$")  # "Курщина": a prefix of "Курск"
_ADJECTIVE = (  # "Курская" -> "Курск", "Донецької" -> "Донецьк"
    re.compile(r"(?<=ськ|цьк|зьк)[аиіуеоюяйої]\w*$"),
    re.compile(r"(?<=ск|цк)[аиіуеоюяйої]\w*$"),
)
_CHYNA = re.compile(r"(?<=ч)чин[аиіуеоюя]\w*$")  # "Донеччина" -> "Донеч"
_ENDING = re.compile(
    r"(?:ами|ями|ах|ях|ой|ей|ою|ею|ом|ем|ам|ям|ии|ия|ию|ія|ії|ію|ья|а|я|у|ю|е|і|и|ы|ї|ь|й)$"
)
_LATIN_PAIRS = (
    ("kh", "h"), ("zh", "z"), ("ck", "k"), ("ph", "f"), ("ts", "c"), ("sh", "s"), ("ch", "c"),
)  # fmt: skip
_LATIN_ENDING = re.compile(r"(?:'s|s')$")
_MERGED = str.maketrans({"g": "h", "c": "k", "q": "k", "b": "v", "w": "v", "x": "k", "z": "s"})
_VOWELS = re.compile(r"[aeiouyj]")


def place_key(name: str) -> str:
    """The key two spellings of one place share: "Kursk", "Курская", "Курщина" -> "kr...".
    Names of people read the same way: "Kirby", "Кірбі", "Кирби"; "Пригожина", "Prigozhin"."""
    word = name.lower().strip("'’")
    prefix = ""
    if not word.isascii():
        if _REGION.search(word) and len(word) > 6:
            word, prefix = _REGION.sub("", word), _PREFIX
        for adjective in _ADJECTIVE:
            word = adjective.sub("", word)
        word = _CHYNA.sub("", word)
        stripped = _ENDING.sub("", word)
        word = stripped if len(stripped) >= 3 else word
        word = word.translate(_TRANSLIT)
    word = _LATIN_ENDING.sub("", word)
    word = "".join(c for c in unicodedata.normalize("NFKD", word) if c.isascii() and c.isalpha())
    for pair, single in _LATIN_PAIRS:
        word = word.replace(pair, single)
    skeleton = word[:1] + _VOWELS.sub("", word[1:])
    skeleton = _VOWELS.sub("", skeleton) or skeleton
    skeleton = skeleton.translate(_MERGED)
    return re.sub(r"(.)\1+", r"\1", skeleton) + prefix


def same_place(a: str, b: str) -> bool:
    """Whether two place keys name one place: equal, or a region's prefix ("Курщина") of the
    name it is made from."""
    if a == b:
        return True
    for short, long in ((a, b), (b, a)):
        if short.endswith(_PREFIX) and len(short) > 2 and long.startswith(short[:-1]):
            return True
    return False


def place_near(tokens: list[Token], first: int, last: int) -> str | None:
    """The key of the place nearest to the figure spanning ``tokens[first:last]``, searched
    within its clause, or None."""
    best: tuple[int, str] | None = None
    for position in range(first - 1, max(-1, first - _REACH - 1), -1):
        if tokens[position].text in _CLAUSE_END:
            break
        name = _name_after(tokens, position)
        if name is not None:
            best = (first - position, name)
            break
    for position in range(last, min(len(tokens), last + _REACH)):
        if tokens[position].text in _CLAUSE_END:
            break
        if best is not None and position - last >= best[0]:
            break
        name = _name_after(tokens, position)
        if name is not None:
            best = (position - last, name)
            break
    return place_key(best[1]) if best is not None else None


def _name_after(tokens: list[Token], position: int) -> str | None:
    if tokens[position].low not in _PREPOSITIONS or position + 1 >= len(tokens):
        return None
    candidate = tokens[position + 1]
    if candidate.low in _ADJECTIVES and position + 2 < len(tokens):
        candidate = tokens[position + 2]
    text = candidate.text
    capitalized = candidate.kind == "word" and text[0].isupper() and not text.isupper()
    demonym = candidate.low.endswith(("ian", "ean", "ese", "ский", "ських", "ских"))
    time = candidate.low.removesuffix("'s") in _NOT_PLACES
    return text if capitalized and not demonym and not time else None


def scope_place(scope: str) -> str | None:
    """The key of the place a claim's scope names ("arrived in Russia"), or None."""
    _, found, place = scope.partition("in ")
    return place_key(place.split()[0]) if found and place.strip() else None
