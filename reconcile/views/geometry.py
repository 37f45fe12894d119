"""Timeline charts as geometry: what to draw where, before any drawing.

Pure functions from a timeline panel to a `Chart`: pixel positions of every
estimate, the ticks of both axes and their labels, and one style per claimant.
The HTML report and `timeline -o x.svg` write it as SVG text through a Jinja
template (reconcile/templates); `timeline -o x.png` draws the same geometry
with matplotlib and Pillow (reconcile/render/image.py).  Nothing here escapes
text: the template does (autoescape), and render/image.py (core/escape, plain).

What the marks mean (docs/reports.md, "Charts"):

- a marker at the estimate's best value, placed at the middle of its date;
- a vertical bar over the counts its words allow ("10,000–12,000");
- an arrow up from the marker when the words set no upper bound ("at least
  15,000"): the figure is open-ended, not large;
- a horizontal band over the days its date can mean when it is not one day
  ("2024" spans the year, it is not mid-year);
- a dashed band over the period a period figure counts;
- a hollow marker for a derived total (killed + wounded, nobody stated it).
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from reconcile.core import escape
from reconcile.core.figure_text import format_interval
from reconcile.core.models import Ledger
from reconcile.core.numbers import format_count
from reconcile.reports.observations import Observation
from reconcile.reports.timeline import Timeline

PALETTE: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermilion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#E69F00",  # orange
    "#56B4E9",  # sky blue
    "#7F3C8D",  # purple
    "#3B7D23",  # dark green
    "#A6761D",  # brown
    "#444444",  # dark grey
)
"""Okabe and Ito's colour-blind safe colours, then four more of similar weight."""
SHAPES: tuple[str, ...] = ("circle", "square", "triangle", "diamond", "down", "cross")
"""Marker shapes: with the colours, 60 distinct claimant styles; colour is never the only cue."""

WIDTH = 720
PLOT_HEIGHT = 240
TOP = 14
BOTTOM = 34
RIGHT = 18
CHAR = 7.0
"""Average width of a 12 px sans-serif character, for laying out labels."""
ARROW = 16
"""Length of the arrow of an open-ended figure, in pixels."""
MIN_TICK_GAP = 78
"""Least pixels between two date labels."""
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True, slots=True)
class Style:
    """A claimant's look in every chart of a ledger."""

    colour: str
    shape: str
    index: int


def claimant_styles(claimants: Iterable[str]) -> dict[str, Style]:
    """One style per claimant, by its place among the ledger's sources, so a claimant
    keeps its colour and shape in every chart of the ledger, whatever is filtered."""
    styles: dict[str, Style] = {}
    for n, claimant in enumerate(dict.fromkeys(claimants)):
        styles[claimant] = Style(
            PALETTE[n % len(PALETTE)], SHAPES[(n // len(PALETTE)) % len(SHAPES)], n
        )
    return styles


@dataclass(frozen=True, slots=True)
class Tick:
    at: float
    label: str


@dataclass(frozen=True, slots=True)
class Mark:
    """One estimate's figure, placed."""

    estimate: str
    claimant: str
    name: str
    style: Style
    x: float
    """The middle of its dates."""
    x0: float
    x1: float
    """The first and last day its date can mean (equal to x for one day)."""
    y: float
    """Its best value."""
    y_low: float
    y_high: float | None
    """The top of the counts its words allow; None when there is no upper bound (an arrow)."""
    derived: bool
    period: tuple[float, float] | None
    """The days a period figure counts."""
    label: str
    """What a reader sees on hover and what a screen reader reads."""

    @property
    def spans(self) -> bool:
        return self.x1 - self.x0 >= 2

    @property
    def ranged(self) -> bool:
        return self.y_high is not None and self.y_low - self.y_high >= 1

    @property
    def open(self) -> bool:
        return self.y_high is None


@dataclass(frozen=True, slots=True)
class Chart:
    """One subject and metric: axes, ticks and marks in pixels."""

    title: str
    description: str
    width: int
    height: int
    left: float
    top: float
    right: float
    bottom: float
    x_ticks: tuple[Tick, ...]
    y_ticks: tuple[Tick, ...]
    marks: tuple[Mark, ...]
    claimants: tuple[tuple[str, str, Style], ...]
    """The key: (id, name, style) in the order claimants first speak."""

    @property
    def series(self) -> tuple[tuple[str, tuple[Mark, ...]], ...]:
        """The marks of each claimant, claimants in the order they first speak."""
        by: dict[str, list[Mark]] = {claimant: [] for claimant, _, _ in self.claimants}
        for mark in self.marks:
            by[mark.claimant].append(mark)
        return tuple((claimant, tuple(marks)) for claimant, marks in by.items())


KEY_ROW = 18
TITLE_ROW = 26
KEY_NAME_CHARS = 30
"""A name in a chart's key is cut to this many characters (the full name is its tooltip)."""


@dataclass(frozen=True, slots=True)
class KeyItem:
    x: float
    y: float
    claimant: str
    name: str
    short: str
    style: Style


@dataclass(frozen=True, slots=True)
class Line:
    """A line of text in a picture: where its baseline is, its words and size."""

    y: float
    text: str
    size: int


@dataclass(frozen=True, slots=True)
class Stack:
    """Charts drawn as one picture: a title on top; up to GRID_AFTER charts one
    above the other, each with its title and its key below it; more as small
    multiples, GRID_COLUMNS to a row, with one key for all (a claimant has one
    style in every chart); then the notes (legend, source).  Text is wrapped or
    cut to the picture's width so nothing runs off its edge."""

    width: int
    height: int
    places: tuple[tuple[float, float], ...]
    """Where each chart's top left corner goes."""
    titles: tuple[str, ...]
    keys: tuple[tuple[KeyItem, ...], ...]
    """Each chart's key, placed relative to the chart (empty for small multiples)."""
    shared: tuple[KeyItem, ...]
    """The key of small multiples, placed in the picture."""
    header: tuple[Line, ...]
    footer: tuple[Line, ...]
    title_row: int = TITLE_ROW


GRID_AFTER = 6
"""More charts than this are drawn as small multiples."""
GRID_COLUMNS = 3
MOST_CHARTS = 24
"""One picture draws at most this many charts (eight rows of small multiples, about
1,500 px tall); a timeline with more says which it drew and how to choose others."""
SMALL_WIDTH = 360
SMALL_PLOT_HEIGHT = 130


def short(name: str, size: int = KEY_NAME_CHARS) -> str:
    """`name` in at most `size` characters as a picture shows it: its control
    characters as codes (core/escape.py `plain`, as the SVG and PNG print them),
    then cut with an ellipsis, so an escaped name keeps to its column."""
    name = escape.plain(name)
    return name if len(name) <= size else name[: size - 1].rstrip() + "…"


def _wrapped(text: str, size: int, width: int) -> list[str]:
    """`text` in lines that fit `width` pixels at `size` px (a character is about
    0.6 of the size wide; bold titles a little more)."""
    return textwrap.wrap(text, max(20, int((width - 24) / (size * 0.62)))) or [""]


def _key(
    claimants: Sequence[tuple[str, str, Style]], x: float, y: float, width: float
) -> tuple[KeyItem, ...]:
    columns = max(1, int(width - 24) // 230)
    column = (width - 24) / columns
    return tuple(
        KeyItem(
            round(x + 12 + (n % columns) * column, 1),
            y + (n // columns) * KEY_ROW,
            claimant,
            name,
            short(name),
            style,
        )
        for n, (claimant, name, style) in enumerate(claimants)
    )


def stack(charts: Sequence[Chart], title: str = "", notes: Sequence[str] = ()) -> Stack:
    """Where each chart, its title and its key go when charts are drawn as one picture."""
    grid = len(charts) > GRID_AFTER
    cell = max((c.width for c in charts), default=WIDTH)
    width = cell * (GRID_COLUMNS if grid and len(charts) > 1 else 1)
    header = [Line(22 + n * 20, text, 16) for n, text in enumerate(_wrapped(title, 17, width))]
    places: list[tuple[float, float]] = []
    keys: list[tuple[KeyItem, ...]] = []
    y = header[-1].y + 12
    columns = GRID_COLUMNS if grid else 1
    for first in range(0, len(charts), columns):
        tallest = 0.0
        for n, c in enumerate(charts[first : first + columns]):
            places.append((n * cell, y))
            if grid:
                keys.append(())
                tallest = max(tallest, TITLE_ROW + c.height + 12)
            else:
                keys.append(_key(c.claimants, 0, TITLE_ROW + c.height + 6, c.width))
                rows = -(-len(keys[-1]) // max(1, int(c.width - 24) // 230))
                tallest = max(tallest, TITLE_ROW + c.height + rows * KEY_ROW + 16)
        y += tallest
    shared: tuple[KeyItem, ...] = ()
    if grid:
        everyone = list({c[0]: c for chart in charts for c in chart.claimants}.values())
        shared = _key(everyone, 0, y + 10, width)
        y += 10 + -(-len(shared) // max(1, int(width - 24) // 230)) * KEY_ROW
    footer: list[Line] = []
    for note in notes:
        for text in _wrapped(note, 11, width):
            y += 15
            footer.append(Line(y, text, 11))
    titles = tuple(short(c.title, int((c.width - 24) / (13 * 0.62))) for c in charts)
    return Stack(
        width,
        int(y + 12),
        tuple(places),
        titles,
        tuple(keys),
        shared,
        tuple(header),
        tuple(footer),
    )


LEGEND = (
    "Marker: best value · bar: the counts the words allow · arrow: no upper bound · "
    "band: the days the date can mean · dashed: the period counted · hollow: derived total"
)


def nice_step(span: float, most: int) -> int:
    """The smallest 1, 2 or 5 × 10^k step that cuts `span` into at most `most` parts."""
    if span <= 0:
        return 1
    raw = span / max(1, most)
    power = 10 ** max(0, math.floor(math.log10(raw)))
    for factor in (1, 2, 5, 10):
        if power * factor >= raw:
            return int(power * factor)
    return int(power * 10)  # pragma: no cover (the loop always returns)


def _month_add(day: date, months: int) -> date:
    total = day.year * 12 + day.month - 1 + months
    return date(total // 12, total % 12 + 1, 1)


def date_ticks(first: date, last: date, width: float) -> list[tuple[date, str]]:
    """Dates to label between `first` and `last`, spaced so labels never overlap."""
    room = max(1, int(width // MIN_TICK_GAP))
    days = (last - first).days
    if days <= 0:
        return [(first, f"{first.day} {MONTHS[first.month - 1]} {first.year}")]
    months = days / 30.44
    if months >= 1.5:
        step = next((s for s in (1, 2, 3, 6) if months / s <= room), None)
        if step is not None:
            day = _month_add(first, 0 if first.day == 1 else 1)
            while (day.month - 1) % step:
                day = _month_add(day, 1)
            ticks: list[tuple[date, str]] = []
            while day <= last:
                ticks.append((day, f"{MONTHS[day.month - 1]} {day.year}"))
                day = _month_add(day, step)
            return ticks
        years = days / 365.25
        start = first.year + 1 if (first.month, first.day) != (1, 1) else first.year
        for every in (1, 2, 5, 10, 20, 50, 100, 1000):
            if years / every <= room:
                year = start + -start % every
                found = [(date(y, 1, 1), str(y)) for y in range(year, last.year + 1, every)]
                if found:
                    return found
        return [(date(start, 1, 1), str(start))]
    every = next((s for s in (1, 2, 7, 14) if days / s <= room), -(-days // room))
    return [
        (day, f"{day.day} {MONTHS[day.month - 1]}")
        for n in range(0, days + 1, every)
        for day in [first + timedelta(days=n)]
    ]


def _top(o: Observation) -> int:
    """The highest count an observation draws at (its best when open-ended)."""
    last = o.interval.last()
    return o.best if last is None else max(last, o.best)


def chart(
    subject: str,
    metric: str,
    entries: Sequence[Observation],
    styles: Mapping[str, Style],
    names: Mapping[str, str],
    *,
    width: int = WIDTH,
    plot_height: int = PLOT_HEIGHT,
    days: tuple[date, date] | None = None,
) -> Chart:
    """The chart of one subject and metric.  `days` fixes the time axis (to line up
    several charts); by default it spans the entries' dates and periods."""
    if not entries:
        raise ValueError("a chart needs at least one estimate")
    if days is None:
        days = span_of(entries)
    first, last = days
    pad = max(7, (last - first).days // 40)
    # padded, but never past the calendar's ends (a ledger may say 0001-01-01)
    first = first - timedelta(days=pad) if (first - date.min).days > pad else date.min
    last = last + timedelta(days=pad) if (date.max - last).days > pad else date.max
    highest = max(_top(o) for o in entries)
    step = nice_step(highest * 1.08, 5)
    ceiling = max(step, -(-int(highest * 1.08) // step) * step)
    y_labels = [format_count(v) for v in range(0, ceiling + 1, step)]
    left = 12 + CHAR * max(len(label) for label in y_labels)
    top = TOP + ARROW  # room for an arrow on a figure at the top
    plot_width = width - left - RIGHT
    bottom = top + plot_height
    span = max(1, (last - first).days)

    def x_at(day: date) -> float:
        return round(left + (day - first).days * plot_width / span, 1)

    def y_at(value: int) -> float:
        return round(bottom - value * plot_height / ceiling, 1)

    marks = []
    for o in entries:
        low, high = o.interval.first(), o.interval.last()
        who = names.get(o.claimant, o.claimant)
        label = f"{who}: {o.shown}{' (derived)' if o.derived else ''} {metric}, {o.as_of}"
        if o.words != o.shown:
            label += f" (“{o.words}”)"
        if o.period is not None:
            label += f", counted over {o.period}"
        marks.append(
            Mark(
                estimate=o.estimate,
                claimant=o.claimant,
                name=who,
                style=styles[o.claimant],
                x=x_at(o.as_of.midpoint()),
                x0=x_at(o.as_of.start),
                x1=x_at(o.as_of.end),
                y=y_at(o.best),
                y_low=y_at(low),
                y_high=None if high is None else y_at(high),
                derived=o.derived,
                period=None if o.period is None else (x_at(o.period.start), x_at(o.period.end)),
                label=label,
            )
        )
    order = list(dict.fromkeys(o.claimant for o in entries))
    when = f"{entries[0].as_of.start.isoformat()} to {max(o.as_of.end for o in entries)}"
    lowest = min(entries, key=lambda o: (o.best, o.interval.low))
    top_one = max(entries, key=lambda o: (o.best, o.interval.low))
    description = (
        f"{len(entries)} estimate{'s' * (len(entries) != 1)} of {metric} by "
        f"{len(order)} claimant{'s' * (len(order) != 1)}, dated {when}; from "
        f"{format_interval(lowest.interval)} ({names.get(lowest.claimant, lowest.claimant)}, "
        f"{lowest.as_of}) to {format_interval(top_one.interval)} "
        f"({names.get(top_one.claimant, top_one.claimant)}, {top_one.as_of})."
    )
    return Chart(
        title=f"{metric.capitalize()} — {subject}",
        description=description,
        width=width,
        height=int(bottom + BOTTOM),
        left=left,
        top=top,
        right=width - RIGHT,
        bottom=bottom,
        x_ticks=tuple(
            Tick(x, text)
            for d, text in date_ticks(first, last, plot_width)
            for x in [x_at(d)]
            # a label that would run past either edge is left out, never clipped
            if x - len(text) * CHAR / 2 >= 0 and x + len(text) * CHAR / 2 <= width
        ),
        y_ticks=tuple(
            Tick(y_at(v), text)
            for v, text in zip(range(0, ceiling + 1, step), y_labels, strict=True)
        ),
        marks=tuple(marks),
        claimants=tuple((c, names.get(c, c), styles[c]) for c in order),
    )


def span_of(entries: Iterable[Observation]) -> tuple[date, date]:
    """The first and last day the entries' dates (and periods) can mean."""
    starts: list[date] = []
    ends: list[date] = []
    for o in entries:
        starts.append(o.as_of.start)
        ends.append(o.as_of.end)
        if o.period is not None:
            starts.append(o.period.start)
            ends.append(o.period.end)
    return min(starts), max(ends)


def marker_points(shape: str, x: float, y: float, r: float = 4.5) -> str:
    """An SVG `points` list for a polygon marker (circle is drawn as a circle)."""
    if shape == "square":
        pts = [(x - r, y - r), (x + r, y - r), (x + r, y + r), (x - r, y + r)]
    elif shape == "triangle":
        pts = [(x, y - r * 1.2), (x + r * 1.1, y + r * 0.8), (x - r * 1.1, y + r * 0.8)]
    elif shape == "down":
        pts = [(x, y + r * 1.2), (x + r * 1.1, y - r * 0.8), (x - r * 1.1, y - r * 0.8)]
    elif shape == "diamond":
        pts = [(x, y - r * 1.3), (x + r, y), (x, y + r * 1.3), (x - r, y)]
    else:  # cross: a plus sign with arms of width r
        a, b = r * 0.45, r * 1.2
        pts = [(x - a, y - b), (x + a, y - b), (x + a, y - a), (x + b, y - a), (x + b, y + a),
               (x + a, y + a), (x + a, y + b), (x - a, y + b), (x - a, y + a), (x - b, y + a),
               (x - b, y - a), (x - a, y - a)]  # fmt: skip
    return " ".join(f"{px:.1f},{py:.1f}" for px, py in pts)


def timeline_charts(ledger: Ledger, found: Timeline, *, width: int = WIDTH) -> list[Chart]:
    """A timeline's charts, one per subject and metric, on one time axis, each claimant
    in its ledger-wide style and named by its name."""
    styles = claimant_styles(
        [s.id for s in ledger.sources] + [e.claimant for e in ledger.estimates]
    )
    names = {s.id: s.name for s in ledger.sources}
    entries = [o for panel in found.panels for o in panel.entries]
    if not entries:
        return []
    days = span_of(entries)
    small = len(found.panels) > GRID_AFTER
    return [
        chart(
            panel.subject,
            panel.metric,
            panel.entries,
            styles,
            names,
            width=SMALL_WIDTH if small else width,
            plot_height=SMALL_PLOT_HEIGHT if small else PLOT_HEIGHT,
            days=days,
        )
        for panel in found.panels
    ]


def source_line(title: str, ledger: str, estimates: int, today: date, version: str) -> str:
    """The line under a chart that says where its figures come from."""
    return (
        f"Source: reconcile ledger “{short(title, 70)}” ({short(ledger, 50)}), "
        f"{estimates} estimate{'s' * (estimates != 1)}; drawn {today.isoformat()} "
        f"with reconcile {version}"
    )
