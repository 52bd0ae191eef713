"""The chart of one dispute: its figures over time, as a PNG. Pure: a dispute in, bytes out.

matplotlib's object API with the Agg canvas: no pyplot, no display, no global figure state, so
charts can be drawn from any thread or task. One marker a claim at the day it was stated,
labelled by its speaker; a range is a bar from its low to its high end, "about N" a short bar of
the ledger's tolerance, a bound ("at least", "up to") an arrow pointing where it leaves open; a
denial (no number) is a mark along the bottom edge. The value axis is logarithmic when the
spread is wide (the highest figure at least ``LOG_SPREAD`` times the lowest). Labels, numbers
and dates are in the current language (``bot.translation``).
"""

from __future__ import annotations

from datetime import UTC, datetime
from io import BytesIO

from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.dates import AutoDateLocator, ConciseDateFormatter
from matplotlib.figure import Figure as Canvas
from matplotlib.ticker import FuncFormatter

from bot.digest.claim_line import speaker_words
from bot.digest.disputes import Dispute, Figure, bound_of, number
from bot.translation import DEFAULT_LANGUAGE, _, current_language, format_short_day
from storage.records import Modifier, Polarity

LOG_SPREAD = 5.0
APPROX = 0.10  # the half-width the ledger gives "about N"
WIDTH, HEIGHT, DPI = 8.0, 4.5, 120  # 960 x 540 pixels: sharp on a phone, small to send
LABEL_CHARS = 32
_COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2")


def draw_chart(dispute: Dispute) -> bytes:
    """The dispute's chart as PNG bytes."""
    figure = chart_figure(dispute)
    FigureCanvasAgg(figure)  # the Agg canvas: no display, no pyplot
    buffer = BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()


def chart_figure(dispute: Dispute) -> Canvas:
    """The chart as a matplotlib figure (tests read its artists)."""
    figure = Canvas(figsize=(WIDTH, HEIGHT), dpi=DPI, layout="constrained")
    axes = figure.add_subplot()
    numbered = [f for f in dispute.figures if f.numbers]
    spread = dispute.spread
    log = spread is not None and spread.ratio >= LOG_SPREAD
    if log:
        axes.set_yscale("log")
    colours = _colours(dispute.figures)
    for position, figure_ in enumerate(numbered):
        _draw_figure(axes, figure_, colours[figure_.speaker], position)
    _draw_unnumbered(axes, [f for f in dispute.figures if not f.numbers], colours)
    _frame(axes, dispute, log)
    return figure


def _draw_figure(axes: Axes, figure: Figure, colour: str, position: int) -> None:
    x = _day_number(figure.stated_at)
    facts = figure.claim.claim
    low, high = min(figure.numbers), max(figure.numbers)
    value = facts.value if facts.value is not None else (low + high) / 2
    if facts.modifier is Modifier.APPROX:
        low, high = value * (1 - APPROX), value * (1 + APPROX)
    if high > low:  # a range, or "about N": a bar
        axes.vlines(x, low, high, colors=colour, linewidth=6, alpha=0.35)
    axes.plot([x], [value], marker="o", markersize=8, color=colour, linestyle="none")
    bound = bound_of(facts)
    if bound is not None:  # an arrow towards what the bound leaves open
        end = value * (1.6 if bound == "above" else 0.6)
        arrow = {"arrowstyle": "-|>", "color": colour, "linewidth": 2}
        axes.annotate("", xy=(x, end), xytext=(x, value), arrowprops=arrow)
    offset = 10 + 12 * (position % 3)  # figures of one day: labels stacked, not on each other
    axes.annotate(
        f"{_short(speaker_words(figure.speaker))}: {figure.value}",
        (x, value),
        xytext=(8, offset if position % 2 == 0 else -offset),
        textcoords="offset points",
        fontsize=9,
        color=colour,
        va="center",
    )


def _draw_unnumbered(axes: Axes, figures: list[Figure], colours: dict[str, str]) -> None:
    """Denials and multiples have no value: a mark along the bottom edge, at their day."""
    for position, figure in enumerate(figures):
        x = _day_number(figure.stated_at)
        colour = colours[figure.speaker]
        denies = figure.claim.claim.polarity is Polarity.DENIES
        edge = axes.get_xaxis_transform()
        axes.plot([x], [0.02], marker="X" if denies else "D", markersize=9, color=colour,
                  linestyle="none", transform=edge, clip_on=False)  # fmt: skip
        said = _("denies it") if denies else figure.value
        label = f"{_short(speaker_words(figure.speaker))}: {said}"
        axes.annotate(label, (x, 0.02), xycoords=axes.get_xaxis_transform(),
                      xytext=(8, 6 + 12 * position), textcoords="offset points", fontsize=9,
                      color=colour)  # fmt: skip


def _frame(axes: Axes, dispute: Dispute, log: bool) -> None:
    spread = dispute.spread
    title = dispute.quantity + (f": {spread.text}" if spread is not None else "")
    axes.set_title(title, fontsize=12, loc="left")
    axes.figure.suptitle(dispute.topic, fontsize=10, x=0.01, ha="left", color="#555555")
    axes.set_ylabel(_("reported figure (log scale)") if log else _("reported figure"))
    locator = AutoDateLocator(minticks=3, maxticks=8)  # type: ignore[no-untyped-call]
    axes.xaxis.set_major_locator(locator)
    if current_language() == DEFAULT_LANGUAGE:
        axes.xaxis.set_major_formatter(ConciseDateFormatter(locator))  # type: ignore[no-untyped-call]
    else:  # matplotlib names months in English only: Babel names them in the chat's language
        axes.xaxis.set_major_formatter(FuncFormatter(_local_day))
    axes.yaxis.set_major_formatter(_thousands)
    axes.grid(True, which="major", alpha=0.3)
    days = [_day_number(f.stated_at) for f in dispute.figures]
    if days and max(days) - min(days) < 1:  # one day: give the labels room either side
        axes.set_xlim(min(days) - 1, max(days) + 1.5)
    else:
        span = max(days) - min(days) if days else 1.0
        axes.set_xlim(min(days) - span * 0.05, max(days) + span * 0.25)
    bottom, top = axes.get_ylim()
    axes.set_ylim(bottom * (0.7 if log else 0.9), top * (1.4 if log else 1.1))


def _day_number(at: datetime) -> float:
    """A day on matplotlib's date axis: days since 1970-01-01 (its default epoch)."""
    return at.timestamp() / 86_400


def _local_day(value: float, _position: float | None = None) -> str:
    return format_short_day(datetime.fromtimestamp(value * 86_400, UTC))  # _day_number undone


def _thousands(value: float, _position: float | None = None) -> str:
    return number(round(value, 2)) if value >= 0 else ""


def _colours(figures: tuple[Figure, ...]) -> dict[str, str]:
    """One colour a speaker, in order of first appearance."""
    colours: dict[str, str] = {}
    for figure in sorted(figures, key=lambda f: f.stated_at):
        colours.setdefault(figure.speaker, _COLOURS[len(colours) % len(_COLOURS)])
    return colours


def _short(text: str) -> str:
    return text if len(text) <= LABEL_CHARS else text[: LABEL_CHARS - 1].rstrip() + "…"
