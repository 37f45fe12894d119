"""Timeline charts as geometry: what to draw where, before any drawing.

Pure functions from a timeline panel to a `Chart`: pixel positions of every
estimate, the ticks of both axes and their labels, and one style per claimant.
The HTML report and `timeline -o x.svg` write it as SVG text through a Jinja
template (reconcile/templates); `timeline -o x.png` draws the same geometry
with matplotlib (reconcile/render.py).  Nothing here escapes text: the
template does (autoescape), and matplotlib draws text as text.

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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from reconcile.analysis.observations import Observation
from reconcile.figures import format_interval
from reconcile.numbers import format_count

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
        every = next(s for s in (1, 2, 5, 10, 20, 50, 100, 1000) if years / s <= room)
        year = first.year + 1 if (first.month, first.day) != (1, 1) else first.year
        year += -year % every
        return [(date(y, 1, 1), str(y)) for y in range(year, last.year + 1, every)]
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
    first, last = first - timedelta(days=pad), last + timedelta(days=pad)
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
