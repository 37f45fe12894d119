"""The timeline as a text chart in the terminal, one letter per claimant, and the
chart parts it shares with the image."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from reconcile.core import escape
from reconcile.render.tables import console, strip_trailing, terminal_width
from reconcile.views.charts import charts_of, letters_of

if TYPE_CHECKING:
    from reconcile.reports.observations import Observation
    from reconcile.reports.timeline import Panel, Timeline

# --- charts: the timeline in the terminal and as an image --------------------

CHART_HEIGHT = 10
"""Rows of the terminal chart's value axis."""
COLOURS = ("cyan", "magenta", "yellow", "green", "red", "blue", "bright_cyan", "bright_magenta")


class ChartsMissing(RuntimeError):
    """matplotlib (the optional 'charts' extra) is not installed."""


@dataclass(frozen=True, slots=True)
class _Axes:
    """What every chart of one panel shares: its first and last day (ordinals), its
    highest count, its last date, and the claimants with a derived figure."""

    first: int
    last: int
    highest: int
    end: date
    derived: frozenset[str]

    @classmethod
    def of(cls, panel: Panel) -> _Axes:
        """The axes of a panel (of one entry at least), in one pass over its entries."""
        first = panel.entries[0]
        start, end = first.as_of.start, first.as_of.end
        highest = first.interval.low if first.interval.high is None else first.interval.high
        derived = set()
        for o in panel.entries:
            span, interval = o.as_of, o.interval
            start, end = min(start, span.start), max(end, span.end)
            highest = max(highest, interval.low if interval.high is None else interval.high)
            if o.derived:
                derived.add(o.claimant)
        return cls(start.toordinal(), end.toordinal(), highest, end, frozenset(derived))


def _chart_lines(
    panel: Panel,
    plot_width: int,
    claimants: Sequence[str],
    axes: _Axes | None = None,
    entries: Sequence[Observation] | None = None,
) -> tuple[list[str], list[str]]:
    """One panel's `claimants` as text rows (value axis down the left, dates
    along the bottom) and a legend.  The axes span the whole panel, so the
    charts of one panel's parts line up.

    Each estimate is a column at the middle of its dates: the claimant's letter
    in lower case over the range of counts its words allow, in upper case at
    its best value, `^` on top when it has no upper bound; `-` marks the days
    its date spans, at the best value.  `entries`: the panel's entries of these
    claimants, in the panel's order, when the caller has them.
    """
    from reconcile.core.numbers import format_count

    letters = letters_of(claimants)
    if entries is None:
        entries = _of(panel.entries, letters)
    if axes is None:
        axes = _Axes.of(panel)
    first, last = axes.first, axes.last
    top = max(1, axes.highest * 11 // 10)
    drawn = _Grid(CHART_HEIGHT, plot_width)
    grid = drawn.cells

    # a value's row: CHART_HEIGHT - 1 - min(CHART_HEIGHT - 1, value * (CHART_HEIGHT - 1) // top);
    # a day's column: (day - first) * (plot_width - 1) // (last - first), 0 when the
    # panel has one day (worked out in the loop: two calls an estimate fewer)
    lowest = CHART_HEIGHT - 1
    wide, span = (plot_width - 1, last - first) if last != first else (0, 1)
    for o in entries:
        letter = letters[o.claimant]
        best = lowest - min(lowest, o.best * lowest // top)
        line = grid[best]
        since, until = o.as_of.start.toordinal() - first, o.as_of.end.toordinal() - first
        for x in range(since * wide // span, until * wide // span + 1):
            if line[x] == " ":
                line[x] = "-"  # not a letter: the columns' letters are unchanged
        high = o.interval.high
        rows = range(
            0 if high is None else lowest - min(lowest, high * lowest // top),
            lowest - min(lowest, o.interval.low * lowest // top) + 1,
        )
        # the middle of its dates (`DateSpan.midpoint`, as an ordinal)
        x = drawn.free_column(((since + until) // 2) * wide // span, rows, letter)
        drawn.fill(rows, x, letter.lower())
        if high is None:
            drawn.put(0, x, "^")
        drawn.put(best, x, letter)
    labels = {
        0: format_count(top),
        CHART_HEIGHT // 2: format_count(top // 2),
        CHART_HEIGHT - 1: "0",
    }
    size = max(len(label) for label in labels.values())
    lines = [f"{labels.get(y, ''):>{size}} ┤{''.join(cells)}" for y, cells in enumerate(grid)]
    lines.append(" " * size + " └" + "─" * plot_width)
    start, end = panel.entries[0].as_of.start, axes.end
    left, right = start.isoformat(), end.isoformat()
    lines.append(" " * (size + 2) + left + right.rjust(max(1, plot_width - len(left))))
    derived = axes.derived
    legend = [f"{letters[c]} {c}{' (derived)' if c in derived else ''}" for c in claimants]
    return lines, legend


class _Grid:
    """A chart's cells, and for each column the rows its letters hold (a bit per
    row) in all and per claimant: whether a column is free of other claimants'
    letters in some rows is then two integer operations, not a look at every cell
    (a panel of 100,000 estimates asked 1.75 million times).  A cell holds one
    character, so a row's bit belongs to one claimant at most."""

    __slots__ = ("_held", "_letters", "cells")

    def __init__(self, height: int, width: int) -> None:
        self.cells = [[" "] * width for _ in range(height)]
        self._held = [0] * width
        self._letters: list[dict[str, int]] = [{} for _ in range(width)]

    def put(self, y: int, x: int, char: str) -> None:
        """Write `char` at row `y`, column `x` (over whatever was there)."""
        line = self.cells[y]
        old = line[x]
        bit = 1 << y
        if old.isalpha():
            self._letters[x][old.upper()] &= ~bit
            self._held[x] &= ~bit
        line[x] = char
        if char.isalpha():
            letters = self._letters[x]
            owner = char.upper()
            letters[owner] = letters.get(owner, 0) | bit
            self._held[x] |= bit

    def fill(self, rows: range, x: int, letter: str) -> None:
        """`put(y, x, letter)` for each row `y` of `rows` (a letter: its claimant holds
        them all), with one update of the column's bits."""
        if not rows:
            return
        cells, letters = self.cells, self._letters[x]
        for y in rows:
            line = cells[y]
            old = line[x]
            if old.isalpha():  # another letter's row, or its own: cleared, then held again
                letters[old.upper()] &= ~(1 << y)
            line[x] = letter
        mask = ((1 << rows.stop) - 1) ^ ((1 << rows.start) - 1)
        owner = letter.upper()
        letters[owner] = letters.get(owner, 0) | mask
        self._held[x] |= mask

    def free_column(self, x: int, rows: range, letter: str) -> int:
        """The column nearest `x` (right before left at one distance) where no
        other claimant's letter lies in `rows`, so that a claimant is never drawn
        over another (and disappears); `x` when the whole row is taken."""
        if not rows:
            return x
        mask = ((1 << rows.stop) - 1) ^ ((1 << rows.start) - 1)
        held, letters = self._held, self._letters
        width = len(held)
        for step in range(width):
            at = x + step
            if 0 <= at < width and not held[at] & mask & ~letters[at].get(letter, 0):
                return at
            at = x - step
            if step and 0 <= at < width and not held[at] & mask & ~letters[at].get(letter, 0):
                return at
        return x


def _of(entries: Sequence[Observation], letters: dict[str, str]) -> list[Observation]:
    """The entries of the claimants a chart draws (a panel of many claimants is drawn
    as several charts)."""
    return [o for o in entries if o.claimant in letters]


def _entries_of(
    charts: Sequence[tuple[Panel, str, tuple[str, ...]]], start: int
) -> dict[int, list[Observation]]:
    """The entries of each chart of the panel whose first chart is `charts[start]` (by
    chart number), in one pass over the panel's entries: `_of` of each chart's claimants
    (its charts' claimants are apart: each is drawn in one chart)."""
    panel = charts[start][0]
    owner: dict[str, int] = {}
    end = start
    while end < len(charts) and charts[end][0] is panel:
        for claimant in charts[end][2]:
            owner.setdefault(claimant, end)
        end += 1
    split: dict[int, list[Observation]] = {number: [] for number in range(start, end)}
    for o in panel.entries:
        number = owner.get(o.claimant)
        if number is not None:
            split[number].append(o)
    return split


def legend_lines(items: Sequence[str], width: int) -> list[str]:
    """The legend's items ('I src-0011'), two spaces apart, wrapped between items:
    a letter never ends up on one line and its claimant on the next."""
    from reconcile.render.plain import cell_width  # rich's count (render.plain)

    lines: list[str] = []
    line = ""
    for item in items:
        piece = "  " + item
        if line and cell_width(line) + cell_width(piece) > width:
            lines.append(line)
            line = ""
        line += piece
    return [*lines, line] if line else lines


def _chart_texts(timeline: Timeline, size: int) -> Iterator[tuple[str, str | None]]:
    """What the chart prints, in order: each text with the claimants' letters
    coloured (the panel's charts), or with None (titles, legends, notes); an
    empty text is a blank line."""
    axes: tuple[Panel, _Axes] | None = None  # the panel's, for each of its charts
    charts = charts_of(timeline)
    own: dict[int, list[Observation]] = {}
    for number, (panel, title, claimants) in enumerate(charts):
        if number:
            yield "", None
        yield escape.plain(title), None
        if axes is None or axes[0] is not panel:
            axes = (panel, _Axes.of(panel))
            own = _entries_of(charts, number)
        lines, legend = _chart_lines(
            panel, max(10, size - 12), claimants, axes[1], own.get(number, [])
        )
        letters = "".join(letters_of(claimants).values())
        for line in lines:
            yield line, letters
        for line in legend_lines([escape.plain(item) for item in legend], size):
            yield line, None
    if timeline.panels:
        yield (
            (
                "  upper case: best value; lower case: the counts its words allow; "
                "^: no upper bound; -: its dates"
            ),
            None,
        )
    else:
        yield "Timeline: no estimates", None


def timeline_chart(timeline: Timeline, *, width: int | None, terminal: bool) -> str:
    """The timeline as text charts, one per subject and metric, one letter per claimant."""
    return "".join(chart_chunks(timeline, width=width, terminal=terminal))


def chart_chunks(timeline: Timeline, *, width: int | None, terminal: bool) -> Iterator[str]:
    """`timeline_chart` a line at a time: drawn by rich in colour on a terminal
    without NO_COLOR, else laid out as rich would (`render.plain.wrap`)."""
    if terminal and not os.environ.get("NO_COLOR"):
        yield _rich_chart(timeline, width=width, terminal=terminal)
        return
    from reconcile.render.plain import wrap

    size = terminal_width(width, terminal) or console(width, terminal, io.StringIO()).width
    github = escape.under_github()
    for text, _ in _chart_texts(timeline, size):
        for line in wrap(text, size, None):
            for part in line.splitlines() or [""]:
                part = part.rstrip()  # noqa: PLW2901
                yield (escape.workflow_safe(part) if github else part) + "\n"


def _rich_chart(timeline: Timeline, *, width: int | None, terminal: bool) -> str:
    from rich.text import Text

    buffer = io.StringIO()
    out = console(width, terminal, buffer)
    plain = not terminal or bool(os.environ.get("NO_COLOR"))
    for text, letters in _chart_texts(timeline, out.width):
        if not text:
            out.print()
            continue
        drawn = Text(text)
        if letters and not plain:
            colours = {letter: COLOURS[n % len(COLOURS)] for n, letter in enumerate(letters)}
            for at, char in enumerate(text):
                colour = colours.get(char.upper())
                if colour and at > text.find("┤") >= 0:
                    drawn.stylize(colour, at, at + 1)
        out.print(drawn, crop=True)
    return escape.workflow_safe(strip_trailing(buffer.getvalue()))
