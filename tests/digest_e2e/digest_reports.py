"""What outlets published about the North Korean troops in October 2024, hand-written after the
real coverage, in English, Russian and Ukrainian; and many distinct stories, for long digests.

``COVERAGE`` is in publication order: the Kyiv Independent's 12,000 (which contradicts the NIS
figure on the watchlist) first, then one story carried by three English outlets, one by two
Russian and one by two Ukrainian outlets, a casualty figure and the Kremlin's denial.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from bot.app.services import Services
from storage.records import Item
from tests.digest_e2e.digest_world import Outlet, Report, publish

KYIV_INDEPENDENT = Outlet("Kyiv Independent", "https://kyivindependent.example/rss")
REUTERS = Outlet("Reuters", "https://reuters.example/world.xml")
AP = Outlet("AP", "https://apnews.example/rss")
GUARDIAN = Outlet("The Guardian", "https://guardian.example/world/rss")
MEDUZA = Outlet("Медуза", "https://meduza.example/rss")
NOVAYA = Outlet("Новая газета", "https://novaya.example/rss")
PRAVDA = Outlet("Українська правда", "https://pravda.example/rss")
SUSPILNE = Outlet("Суспільне", "https://suspilne.example/rss")
TASS = Outlet("TASS", "https://tass.example/rss")
WEATHER = Outlet("Weather desk", "https://weather.example/rss")

GUR_12000 = Report(
    "ki-1",
    "Ukraine's intelligence: 12,000 North Korean troops in Russia",
    "Ukraine's defence intelligence said 12,000 North Korean troops had arrived in Russia.",
    "https://kyivindependent.example/nk-12000",
)
COVERAGE: tuple[tuple[Outlet, Report], ...] = (
    (KYIV_INDEPENDENT, GUR_12000),
    (REUTERS, Report(
        "r-1", "North Korean troops arrive in Kursk, Ukraine says",
        "Ukraine's military intelligence said the first units reached the Kursk region.",
        "https://reuters.example/nk-kursk",
    )),
    (AP, Report(
        "ap-1", "Ukraine says North Korean troops have arrived in Russia's Kursk region",
        "Kyiv's intelligence service said on Wednesday the first units had arrived.",
        "https://apnews.example/nk-kursk",
    )),
    (GUARDIAN, Report(
        "g-1", "North Korean troops reach Russia's Kursk region, says Ukraine",
        "The first North Korean units have reached the Kursk region, Kyiv said.",
        "https://guardian.example/nk-kursk",
    )),
    (MEDUZA, Report(
        "m-1", "Северная Корея направила в Россию около 10 тысяч военных",
        "По данным разведки, КНДР перебросила в Россию около 10 тысяч военнослужащих.",
        "https://meduza.example/nk", "ru",
    )),
    (NOVAYA, Report(
        "n-1", "Северная Корея отправила в Россию 10 тысяч военных, заявила разведка Украины",
        "Украинская разведка сообщила о переброске северокорейских солдат в Курскую область.",
        "https://novaya.example/nk", "ru",
    )),
    (PRAVDA, Report(
        "p-1", "Північна Корея відправила до Росії 12 тисяч військових — ГУР",
        "За даними розвідки, КНДР перекинула до Росії 12 тисяч військових.",
        "https://pravda.example/nk", "uk",
    )),
    (SUSPILNE, Report(
        "s-1", "ГУР: Північна Корея відправила до Росії 12 тисяч військових",
        "Серед них 500 офіцерів і три генерали.",
        "https://suspilne.example/nk", "uk",
    )),
    (TASS, Report(
        "t-1", "Kremlin calls reports of North Korean troops in Russia fake news",
        "Kremlin spokesman Dmitry Peskov called reports that North Korean troops had arrived "
        "in Russia fake news.",
        "https://tass.example/nk",
    )),
    (WEATHER, Report(
        "w-1", "Frost expected in Kyiv", "Temperatures will fall below zero at night.",
        "https://weather.example/kyiv",
    )),
)  # fmt: skip


async def publish_coverage(services: Services, start: datetime) -> list[Item]:
    """``COVERAGE``, one report every ten minutes from ``start``."""
    items: list[Item] = []
    for n, (outlet, report) in enumerate(COVERAGE):
        items += await publish(services, outlet, [report], at=start + timedelta(minutes=10 * n))
    return items


FRONT_DESK = Outlet("Front desk", "https://frontdesk.example/rss")
PLACES = (
    "Sudzha", "Lgov", "Rylsk", "Glushkovo", "Korenevo", "Lyubimovka", "Plekhovo", "Martynovka",
    "Kurchatov", "Oboyan", "Fatezh", "Zheleznogorsk", "Dmitriyev", "Shchigry", "Tim", "Solntsevo",
    "Medvenka", "Belaya", "Gorshechnoye", "Manturovo", "Pristen", "Khomutovka", "Konyshevka",
    "Bolshoye Soldatskoye", "Cheremisinovo", "Kastornoye", "Ponyri", "Zolotukhino", "Khalino",
    "Pogrebki", "Olgovka", "Kremyanoye", "Zaoleshenka", "Sverdlikovo", "Guevo", "Gornal",
    "Oleshnya", "Novoivanovka", "Tetkino", "Veseloye",
)  # fmt: skip


def story_title(place: str, prefix: str = "") -> str:
    return f"{prefix}Drone strike reported near {place} as North Korean units join the fighting"


async def publish_stories(
    services: Services, places: Sequence[str], start: datetime, *, prefix: str = ""
) -> list[Item]:
    """One single-source story a place, a minute apart from ``start``, each with a long address
    so that the digest grows quickly; ``prefix`` starts every title."""
    items: list[Item] = []
    for n, place in enumerate(places):
        title = story_title(place, prefix)
        slug = "-".join(story_title(place).lower().split())
        report = Report(
            f"story-{n}", title, f"{title}. Local officials said so.",
            f"https://frontdesk.example/2024/10/23/{slug}",
        )  # fmt: skip
        items += await publish(services, FRONT_DESK, [report], at=start + timedelta(minutes=n))
    return items


def figure_report(guid: str, speaker: str, figure: str) -> Report:
    """``speaker`` saying how many North Korean troops arrived in Russia."""
    slug = "-".join(speaker.lower().replace("'", "").split())
    return Report(
        guid,
        f"{speaker}: {figure} North Korean troops in Russia",
        f"{speaker} said {figure} North Korean troops had arrived in Russia.",
        f"https://wire.example/{slug}-{guid}",
    )


WIRE = Outlet("Wire", "https://wire.example/rss")
ZELENSKY_10000 = figure_report("z-1", "Zelensky", "10,000")
WHITE_HOUSE_3000 = figure_report("wh-1", "The White House", "3,000")
PENTAGON_8000 = figure_report("p-1", "The Pentagon", "about 8,000")
KREMLIN_DENIAL = Report(
    "k-1",
    "Kremlin calls reports of North Korean troops in Russia fake news",
    "Kremlin spokesman Dmitry Peskov called reports that North Korean troops had arrived in "
    "Russia fake news.",
    "https://wire.example/kremlin-denial",
)
