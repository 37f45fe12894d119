"""When two figures made at different times can both be right: the time-aware rule.

A cumulative toll (killed, wounded, casualties, captured, missing) is a rising
function of time.  Two claimants' figures conflict only when no reading of them
fits one rising toll: the later one below the earlier one, or above it by more
than the toll can have grown in between.  docs/reports.md states the rule for
journalists; in short:

- **precision**: a bare number ending in zeros is read as rounded (`implied`):
  783,000 is 782,500–783,500, and 20,000 is 18,000–22,000 (half its last
  significant place, at most 10% either way); 783,138 stays exact.  Words
  ("about", "at least") already say how precise they are, and are read as
  docs/qualifiers.md says;
- **growth**: between two dates a toll may grow by the factor the claimants' own
  series show over those dates (log-linear between their figures, the nearest
  stretch's rate beyond them, never below zero), and at least by the default
  rate (`DEFAULT_GROWTH`, 0.5% a day: about 16% a month);
- **window**: figures further apart than the window are not compared at all
  ("too far apart to compare"): a verdict across years says nothing.

`deployed` may fall (troops leave): there the allowance applies both ways.

Pure functions on observations; the property tests (tests/test_comparison.py)
hold the rule to two promises: a claimant's own rising series never conflicts
with itself, and moving two figures further apart in time never creates a conflict.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from reconcile.core.figures import Interval
from reconcile.core.figures import implied as implied_interval
from reconcile.core.models import Metric
from reconcile.reports.observations import CUMULATIVE, Observation

__all__ = [
    "DEFAULT_GROWTH",
    "Comparison",
    "Series",
    "allowance",
    "compare",
    "implied",
    "series_of",
]

DEFAULT_GROWTH = 0.005
"""The growth a cumulative toll may show per day when the claimants' series say no
more: 0.5% a day, about 16% in a month (compounded)."""


def implied(o: Observation) -> Interval:
    """The counts a figure allows once its implied precision is read (see module doc).

    Only an exact figure (a bare number, as stated) is widened; a figure with
    words, a range or a derived total keeps its interval.
    """
    return o.interval if o.derived else implied_interval(o.interval)


@dataclass(frozen=True, slots=True)
class Series:
    """One claimant's figures for one subject and metric: (day, stated best) in date order."""

    points: tuple[tuple[date, int], ...]
    _days: list[int] = field(init=False, repr=False, compare=False)
    _logs: list[float] = field(init=False, repr=False, compare=False)
    _levels: dict[int, float] = field(init=False, repr=False, compare=False)
    _rates: list[float] = field(init=False, repr=False, compare=False)
    fastest: float = field(init=False, repr=False, compare=False)
    """The steepest rate of its levels a day: `growth_days` is at most exp(fastest x days)."""

    def __post_init__(self) -> None:
        # worked out once: a summary asks a series its growth for every pair of
        # figures it compares (millions at 100,000 estimates)
        days = [p[0].toordinal() for p in self.points]
        logs = _rising_logs(self.points)
        object.__setattr__(self, "_days", days)
        object.__setattr__(self, "_logs", logs)
        object.__setattr__(self, "_levels", {})
        # each stretch's rate a day (0 for a stretch of no days)
        rates = [
            (logs[i + 1] - logs[i]) / (days[i + 1] - days[i]) if days[i + 1] - days[i] else 0.0
            for i in range(len(days) - 1)
        ]
        object.__setattr__(self, "_rates", rates)
        object.__setattr__(self, "fastest", max(rates, default=0.0))

    def level(self, day: date) -> float:
        """The log of the toll on `day`: log-linear between points, the nearest stretch's
        rate beyond them; falls are read as flat, so the level never goes down."""
        return self._level(day.toordinal())

    def _level(self, t: int) -> float:
        found = self._levels.get(t)
        if found is None:
            if len(self._days) == 1:
                return self._logs[0]
            found = self._levels[t] = self._worked_out(t)
        return found

    def _worked_out(self, t: int) -> float:
        """The level on day `t` (of a series of two points or more)."""
        logs, days = self._logs, self._days
        # the stretch: the last whose start is before `t`, the first and last
        # stretches extended beyond the points
        i = min(len(days) - 2, max(0, bisect_left(days, t) - 1))
        return logs[i] + self._rates[i] * (t - days[i])

    def growth(self, first: date, last: date) -> float:
        """The factor by which the series grows from `first` to `last` (1 when it cannot say)."""
        return self.growth_days(first.toordinal(), last.toordinal())

    def growth_days(self, first: int, last: int) -> float:
        """`growth` between two days given as ordinals, from the levels remembered per
        day (not per pair of days: pairs seldom repeat, and keeping them cost more
        time and memory than working them out again)."""
        if last <= first or len(self._days) < 2:
            return 1.0
        levels = self._levels  # `_level` of each day, read here (asked millions of times)
        high = levels.get(last)
        if high is None:
            high = levels[last] = self._worked_out(last)
        low = levels.get(first)
        if low is None:
            low = levels[first] = self._worked_out(first)
        try:
            return math.exp(high - low)
        except OverflowError:  # extrapolated over millennia: any growth
            return math.inf


def _rising_logs(points: Sequence[tuple[date, int]]) -> list[float]:
    logs: list[float] = []
    for _, value in points:
        level = math.log(max(value, 1))
        logs.append(max(level, logs[-1]) if logs else level)
    return logs


def series_of(found: Iterable[Observation]) -> dict[str, Series]:
    """Each claimant's series: its stated, non-period figures by the middle of their dates
    (the highest when one day has several)."""
    by_claimant: dict[str, dict[date, int]] = {}
    for o in found:
        if o.period is not None or o.derived:
            continue
        days = by_claimant.get(o.claimant)
        if days is None:
            days = by_claimant[o.claimant] = {}
        span = o.as_of
        day = span.start if span.start == span.end else span.midpoint()  # a day is its middle
        held = days.get(day, 0)
        days[day] = o.best if o.best > held else held
    return {
        claimant: Series(tuple(sorted(days.items())))
        for claimant, days in by_claimant.items()
        if len(days) >= 2
    }


@dataclass(frozen=True, slots=True)
class Comparison:
    """How two figures compare once time and precision are allowed for."""

    compared: bool
    """False when the figures are further apart than the window (no verdict)."""
    conflict: bool
    growth: float
    """The growth factor allowed between the two dates (1.0: none)."""
    least: int
    most: int
    """The fewest and the most days that can lie between the two figures."""


def allowance(days: int, rate: float = DEFAULT_GROWTH) -> float:
    """The factor a toll may grow by in `days` at the default `rate` a day."""
    try:
        return (1.0 + rate) ** days
    except OverflowError:  # dates millennia apart (0001-01-01 .. 9999-12-31): any growth
        return math.inf


def compare(
    a: Observation,
    b: Observation,
    *,
    window: int,
    series: dict[str, Series] | None = None,
    rate: float = DEFAULT_GROWTH,
) -> Comparison:
    """Whether `a` and `b` (one subject and metric, different claimants) can both be right."""
    least, most = a.as_of.days_between(b.as_of), a.as_of.most_days_between(b.as_of)
    if least > window:
        return Comparison(False, False, 1.0, least, most)
    ia, ib = implied(a), implied(b)
    if ia.overlaps(ib):
        return Comparison(True, False, 1.0, least, most)
    low, high = (a, b) if ia.entirely_below(ib) else (b, a)
    i_low, i_high = (ia, ib) if low is a else (ib, ia)
    cumulative = a.metric in CUMULATIVE and a.metric is not Metric.DEPLOYED
    if cumulative:
        if high.as_of.end < low.as_of.start:
            # the higher figure is certainly the earlier: the later one is below it
            return Comparison(True, True, 1.0, least, most)
        first, last = low.as_of.start, high.as_of.end
    else:
        first, last = min(a.as_of.start, b.as_of.start), max(a.as_of.end, b.as_of.end)
    days = max(0, (last - first).days)
    growth = allowance(days, rate)
    for claimant in (a.claimant, b.claimant):
        found = (series or {}).get(claimant)
        if found is not None:
            growth = max(growth, found.growth(first, last))
    top = i_low.last()
    conflict = top is not None and i_high.first() > top * growth * (1 + 1e-9)  # float slack
    return Comparison(True, conflict, round(growth, 4), least, most)
