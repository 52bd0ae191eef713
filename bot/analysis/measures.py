"""What is counted (the measure) and what happened to it (the predicate of the scope).

Measures are synonym classes across English, Russian and Ukrainian, matched by word stem so that
inflection does not matter: troops, soldiers, servicemen, военнослужащих, бійців -> "troops".
A casualty predicate wins over the counted noun: "300 soldiers were killed" counts the killed,
so it never conflicts with "11,000 soldiers deployed".
"""

from __future__ import annotations


def _stems(value: str, stems: str) -> tuple[tuple[str, str], ...]:
    return tuple((stem, value) for stem in stems.split())


# (stem, measure). English stems include the plural; Cyrillic stems stop before the ending.
_NOUNS: tuple[tuple[str, str], ...] = (
    *_stems(
        "troops",
        "troop soldier servicem servicewom personnel infantry fighters conscript reservist "
        "mercenar marines paratrooper contingent военнослужащ военных военные солдат бойц "
        "боец наемник мобилизованн контингент срочник резервист десантник військовослужбов "
        "військових військові бійц боєць вояк найманц мобілізован строковик резервіст",
    ),
    *_stems("officers", "officer офицер офіцер"),
    *_stems("generals", "general генерал"),
    *_stems(
        "killed",
        "dead death fatalit lives bodies погибш погибл убит жертв смерт загибл загиблих вбит "
        "убитых загинул",
    ),
    *_stems(
        "wounded",
        "wounded injured injuries ранен раненых пострадавш травмирован поранен травмован "
        "постраждал",
    ),
    *_stems("casualties", "casualt losses потер втрат"),
    *_stems("missing", "missing пропавш безвест зниклих безвіст"),
    *_stems("prisoners", "prisoner pows captives пленн военнопленн полонен військовополонен"),
    *_stems("hostages", "hostage заложник заручник"),
    *_stems("civilians", "civilian мирных мирные цивільн мирних"),
    *_stems("children", "children kids детей дети дітей діти"),
    *_stems("refugees", "refugee displaced беженц беженец переселенц біженц біженець"),
    *_stems("evacuated", "evacuee эвакуирован евакуйован"),
    *_stems("detained", "arrest detain задержан затриман арестован"),
    *_stems("missiles", "missile rockets ракет"),
    *_stems("drones", "drone uav shahed дрон беспилотник безпілотник бпла шахед"),
    *_stems("shells", "shells rounds снаряд боеприпас боєприпас"),
    *_stems("tanks", "tanks танк"),
    *_stems("aircraft", "aircraft planes jets самолет літак винищувач"),
    *_stems("helicopters", "helicopter вертолет гелікоптер вертоліт"),
    *_stems("vehicles", "vehicle armoured armored бронетехник бронемашин"),
    *_stems("artillery", "howitzer гаубиц гармат"),
    *_stems("containers", "container контейнер"),
    *_stems("ships", "ships vessels корабл судов суден"),
    *_stems("attacks", "attack strikes атак ударов удары ударів удари"),
    *_stems("buildings", "homes houses buildings домов будинк зданий"),
    *_stems("weapons", "weapons rifles оружи зброї"),
    *_stems(
        "people",
        "people persons individuals residents человек люде люди жител осіб особи мешканц "
        "граждан громадян",
    ),
)
# A generic count takes its measure from the predicate: "300 people were killed".
GENERIC = frozenset({"people", "civilians"})
# Nouns that refer back to a count given earlier: "the figure could reach 12,000".
_ANAPHORA = (
    "figure",
    "number",
    "total",
    "toll",
    "estimate",
    "count",
    "число",
    "количеств",
    "цифр",
    "численност",
    "кількіст",
    "чисельніст",
)

_PREDICATES: tuple[tuple[str, str], ...] = (
    *_stems("homeless", "homeless бездомн житла жилья крова"),
    *_stems("displaced", "displaced fled flee переселен беженц біженц покинул покинули"),
    *_stems("evacuated", "evacuat эвакуир евакуйов евакуюв"),
    *_stems("detained", "arrested detained задержан затриман арестован"),
    *_stems(
        "killed",
        "killed killing died dead death погиб убит убил скончал загин загиб вбит вбил помер",
    ),
    *_stems("wounded", "wounded injur ранен ранил поранен травм"),
    *_stems("missing", "missing пропал пропав зник"),
    *_stems("captured", "captured взят захвачен полон"),
    *_stems("arrived", "arriv reached прибыл прибыв прибул прибув"),
    *_stems(
        "deployed",
        "deploy sent send sending dispatch transferr shipped shipment moved stationed based "
        "mobiliz mobilis направ отправ переброс развернут размещ дислоц відправ перекин "
        "розгорн розміщ мобилиз мобіліз supplied supply постав передал передав",
    ),
    *_stems("training", "train обуча тренир навча тренув"),
    *_stems("fighting", "fight combat воюют сражают воюють бою боях"),
    *_stems("withdrawn", "withdr returned вывед вивед отвед"),
)
# Predicates that are what is counted, not just what happened to it.
CASUALTY_PREDICATES = frozenset(
    {"killed", "wounded", "missing", "captured", "homeless", "displaced", "evacuated", "detained"}
)
# Predicates that describe the same presence on the ground; any of them may compare.
PRESENCE = frozenset({"arrived", "deployed", "training", "fighting"})


def _index(pairs: tuple[tuple[str, str], ...]) -> dict[str, tuple[tuple[str, str], ...]]:
    index: dict[str, list[tuple[str, str]]] = {}
    for stem, value in pairs:
        index.setdefault(stem[:3], []).append((stem, value))
    return {key: tuple(sorted(v, key=lambda p: -len(p[0]))) for key, v in index.items()}


_NOUN_INDEX = _index(_NOUNS)
_PREDICATE_INDEX = _index(_PREDICATES)


def _lookup(index: dict[str, tuple[tuple[str, str], ...]], word: str) -> str | None:
    for stem, value in index.get(word[:3], ()):
        if word.startswith(stem) and _inflects(stem, word):
            return value
    return None


def _inflects(stem: str, word: str) -> bool:
    """Short Latin stems must be the whole word or its plural: "sent" is not "sentenced"."""
    if len(stem) > 4 or not stem.isascii():
        return True
    return word in (stem, stem + "s", stem + "es")


def measure_of(word: str) -> str | None:
    """The measure a (lowercased) noun counts, else None."""
    return _lookup(_NOUN_INDEX, word)


def predicate_of(word: str) -> str | None:
    """The canonical predicate a (lowercased) verb or participle names, else None."""
    return _lookup(_PREDICATE_INDEX, word)


def is_anaphora(word: str) -> bool:
    return word.startswith(_ANAPHORA)
