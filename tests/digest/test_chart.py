"""The chart of a dispute: a PNG of a sensible size, every speaker's label drawn, bars for
ranges and approximations, arrows for bounds, a log scale when the spread is wide."""

from __future__ import annotations

from matplotlib.collections import LineCollection
from matplotlib.text import Annotation

from bot.digest.chart import chart_figure, draw_chart
from bot.digest.disputes import build_disputes
from storage.records import Conflict, ConflictKind, Modifier
from tests.digest.digest_samples import ALL_CLAIMS, CONFLICTS, OCT, make_claim
from tests.digest.test_disputes import FIVE, PAIRS

PNG = b"\x89PNG\r\n\x1a\n"


def five_figures():
    [dispute] = build_disputes(FIVE, PAIRS, {})
    return dispute


def texts(figure) -> list[str]:
    return [t.get_text() for t in figure.findobj(match=lambda a: hasattr(a, "get_text"))]


def test_the_png_is_an_image_of_a_sensible_size() -> None:
    png = draw_chart(five_figures())
    assert png.startswith(PNG)
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    assert (width, height) == (960, 540)
    assert 10_000 < len(png) < 500_000


def test_every_speaker_is_labelled_with_its_figure() -> None:
    figure = chart_figure(five_figures())
    labels = [t.get_text() for t in figure.axes[0].texts]
    assert sorted(labels) == sorted(
        ["NIS: about 1,500", "White House: 3,000", "Zelensky: 10,000",
         "Budanov: at least 11,000", "GUR: 12,000", ""]  # "": the bound's arrow
    )  # fmt: skip
    assert "troops arrived in Russia: 1,500 to 12,000: ×8" in texts(figure)
    assert "North Korean troops in Russia" in texts(figure)


def test_a_wide_spread_is_drawn_on_a_log_scale_and_a_narrow_one_is_not() -> None:
    assert chart_figure(five_figures()).axes[0].get_yscale() == "log"
    near = make_claim(60, 1700, speaker="Seoul", at=OCT.replace(day=20))
    nis = FIVE[1]
    [narrow] = build_disputes(
        {nis.id: nis, near.id: near},
        [Conflict(70, near.id, nis.id, ConflictKind.NUMERIC, "r", near.stated_at)],
        {},
    )
    assert chart_figure(narrow).axes[0].get_yscale() == "linear"


def test_ranges_and_approximations_are_bars_and_bounds_are_arrows() -> None:
    ranged = make_claim(61, None, speaker="HUR", at=OCT.replace(day=27), modifier=Modifier.RANGE,
                        low=11000, high=12000)  # fmt: skip
    claims = FIVE | {ranged.id: ranged}
    conflicts = [*PAIRS, Conflict(71, ranged.id, 1, ConflictKind.NUMERIC, "r", ranged.stated_at)]
    [dispute] = build_disputes(claims, conflicts, {})
    axes = chart_figure(dispute).axes[0]
    bars = [c for c in axes.collections if isinstance(c, LineCollection)]
    spans = sorted(
        tuple(round(y) for y in sorted(seg[:, 1])) for bar in bars for seg in bar.get_segments()
    )
    assert spans == [(1350, 1650), (11000, 12000)]  # about 1,500 and 11,000-12,000
    arrows = [t for t in axes.texts if isinstance(t, Annotation) and t.arrow_patch is not None]
    assert len(arrows) == 1  # "at least 11,000"


def test_a_denial_is_marked_and_labelled_without_a_number() -> None:
    [dispute] = build_disputes(ALL_CLAIMS, CONFLICTS[:3], {})
    labels = [t.get_text() for t in chart_figure(dispute).axes[0].texts]
    assert "Kremlin: denies it" in labels
    assert "NIS: 3,000" in labels and "NIS: about 1,500" in labels


def test_labels_numbers_and_days_are_in_the_current_language() -> None:
    from bot.translation import speaking

    with speaking("uk"):
        figure = chart_figure(five_figures())
        axes = figure.axes[0]
        day = axes.xaxis.get_major_formatter()(axes.get_xticks()[0])
        assert axes.get_ylabel() == "названа цифра (логарифмічна шкала)"
        assert "NIS: близько 1\xa0500" in [t.get_text() for t in axes.texts]
        assert "від 1\xa0500 до 12\xa0000" in axes.get_title(loc="left")
        assert day.endswith("жовт.")
    english = chart_figure(five_figures()).axes[0]
    assert english.get_ylabel() == "reported figure (log scale)"
