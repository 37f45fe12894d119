"""Discrepancies: where figures cannot all be right, each with a one-line reason.

Five kinds, reported only when certain (docs/reports.md):

- `conflict`: two claimants' figures for one subject and metric cannot both be
  right by the time-aware rule of `comparison.compare` (implied precision,
  growth between the dates), although their dates lie within `window` days of
  each other (and they count the same period);
- `falling`: a claimant's own cumulative toll falls: an estimate dated
  certainly later (its first day after the other's last) lies entirely below
  an earlier one.  Estimates with a `period` count a stretch of time, not a
  running total, and are left out;
- `wording`: one claim reported in words that mean different things ("around
  3,800" and "nearly 3,800"); synonyms ("more than" and "over") are not;
  a report that `omits` a metric is not credited with it;
- `parts-vs-total`: parts that exceed or cannot make their total within one
  estimate (the consistency checks of `reconcile validate`);
- `drop`: those deployed fall in one claimant's series (troops leave): a note.

They are ranked by kind in that order; conflicts between stated figures come
before those with a derived total (killed + wounded, a sum nobody stated); then
conflicts between claims certainly made within the window before those that
imprecise dates only allow; then the largest gap factor first, then the most
precisely dated.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right, insort
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any

from reconcile.core.consistency import problems
from reconcile.core.dates import DateSpan
from reconcile.core.figures import Interval
from reconcile.core.models import Ledger, Metric, decimal_commas
from reconcile.reports.comparison import (
    DEFAULT_GROWTH,
    Comparison,
    Series,
    allowance,
    compare,
    implied,
    series_of,
)
from reconcile.reports.observations import (
    CUMULATIVE,
    Filters,
    Key,
    Observation,
    grouped,
    kept_estimates,
    observations,
)

DEFAULT_WINDOW = 14


class Kind(StrEnum):
    CONFLICT = "conflict"
    FALLING = "falling"
    WORDING = "wording"
    PARTS_VS_TOTAL = "parts-vs-total"
    DROP = "drop"


KINDS: dict[Kind, str] = {
    Kind.CONFLICT: "two claimants' figures share no count although made within the window",
    Kind.FALLING: "a claimant's cumulative toll falls between two certainly ordered dates",
    Kind.WORDING: "one claim reported in words that mean different counts",
    Kind.PARTS_VS_TOTAL: "parts that exceed or cannot make their total within one estimate",
    Kind.DROP: "a claimant's figure of those deployed drops (troops may have left): a note",
}
"""What each kind of discrepancy means (the HTML report explains the kinds it lists)."""


@dataclass(frozen=True, slots=True)
class Discrepancy:
    rank: int
    kind: Kind
    subject: str
    metric: str
    reason: str
    estimates: tuple[str, ...]
    claimants: tuple[str, ...]
    factor: float | None
    """How many times apart the figures are at the least (None when not a gap in numbers)."""
    certain: bool = True
    """False when imprecise dates leave open that the claims were further apart than the window."""
    days_apart: tuple[int, int] | None = None
    """For conflicts: the fewest and the most days that can lie between the two claims."""
    derived: bool = False
    """For conflicts: one side is a derived total (killed + wounded), which nobody stated."""

    def to_json(self) -> dict[str, Any]:
        return {
            "rank": self.rank,
            "kind": self.kind.value,
            "subject": self.subject,
            "metric": self.metric,
            "reason": self.reason,
            "estimates": list(self.estimates),
            "claimants": list(self.claimants),
            "factor": self.factor,
            "certain": self.certain,
            "days_apart": None
            if self.days_apart is None
            else {"least": self.days_apart[0], "most": self.days_apart[1]},
            "derived": self.derived,
        }


@dataclass(frozen=True, slots=True)
class Found:
    """The discrepancies report: what `find` found under these filters and window."""

    filters: Filters
    window: int
    discrepancies: tuple[Discrepancy, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_json(),
            "window": self.window,
            "discrepancies": [d.to_json() for d in self.discrepancies],
        }


def gap_factor(lower: Interval, upper: Interval) -> float | None:
    """The least ratio between a count of `upper` and one of `lower` (rounded to 2 places)."""
    last = lower.last()
    if not last:
        return None
    return round(upper.first() / last, 2)


def _said(o: Observation) -> str:
    derived = "derived, " if o.derived else ""
    return f"{o.claimant} {o.shown} ({derived}{o.as_of})"


_Pair = tuple[Observation, Observation, Observation, Observation, int, float]
"""A conflict found by the sweep: (a, b, the higher figure, the lower, the most days
between them, minus its gap factor or 0.0: `gap_factor` of their implied intervals)."""


def _conflicts(
    found: Sequence[Observation],
    window: int,
    series: dict[str, Series] | None = None,
    best: _Best | None = None,
) -> Iterator[_Pair]:
    """Pairs of claimants' figures that no rising toll fits, dated within `window` days.

    The rule is `comparison.compare`: precision implied by round figures, growth
    allowed between the dates.  A sweep over the estimates in order of their
    first possible day: each is compared only with those starting no later than
    `window` days after its last possible day, so the cost follows the pairs
    that can conflict, not the square of the ledger.

    Each pair is decided on numbers worked out once per figure (`_point`) by the
    arithmetic of `compare` (tests/test_discrepancy_ranking.py holds the verdicts
    equal); a pair with an empty interval is left to `compare` itself.  `compare`
    allows the largest of three growths (the default, each claimant's series): a
    gap past the largest is past each (a product rounds monotonically), so each is
    tried in turn, the first that allows the gap ending the test.  Nothing is built
    for a pair: the caller words only the conflicts it shows; with `best`, those
    ranked below the worst it keeps are only counted there.
    """
    if window < 0:
        return  # no two claims are fewer than 0 days apart: nothing is compared
    if series is None:
        series = series_of(found)
    ordered = sorted(found, key=lambda o: o.as_of.start)
    points = [_point(o, series) for o in ordered]
    starts = [point[0] for point in points]
    latest = date.max.toordinal()
    grown: dict[int, float] = {}  # the default allowance for so many days
    top: int | None
    for i, point in enumerate(points):
        a_start, a_end, a_claimant, a_period, a_first, a_last, a_empty, a, a_rise = point
        cumulative = a.metric in CUMULATIVE and a.metric is not Metric.DEPLOYED
        # those starting no later than `window` days after a's last day (`shifted`,
        # held at the calendar's end): b starts no earlier than a (the order), so
        # the days between them are 0 when the dates overlap, never above the window
        until = bisect_right(starts, min(a_end + window, latest), i + 1)
        for j in range(i + 1, until):  # an index, not a slice: slicing made the sweep quadratic
            b_start, b_end, b_claimant, b_period, b_first, b_last, b_empty, b, b_rise = points[j]
            if a_claimant == b_claimant or (a_period is not b_period and a_period != b_period):
                continue  # one claimant, or figures for different stretches of time
            if a_empty or b_empty:  # no count at all: as `compare` reads it
                pair = _compared(a, b, window, series)
                if pair is None:
                    continue
                high, low, most, factor = pair[2:]
            else:
                if (b_last is None or a_first <= b_last) and (a_last is None or b_first <= a_last):
                    continue  # some count fits both
                if a_last is not None and a_last < b_first:
                    low, high, top, above, first, last = a, b, a_last, b_first, a_start, b_end
                else:
                    low, high, top, above, first, last = b, a, b_last, a_first, b_start, a_end
                if top is None:
                    continue  # never: of two figures no count fits, the lower is bounded
                if not cumulative or first <= last:  # else the higher is certainly the earlier
                    if not cumulative:
                        first, last = a_start, max(a_end, b_end)
                    days = last - first if last > first else 0
                    growth = grown.get(days)
                    if growth is None:
                        growth = grown[days] = allowance(days, DEFAULT_GROWTH)
                    if not above > top * growth * _SLACK:
                        continue  # the default growth allows the gap
                    if days and (
                        (a_rise and not above > top * a_rise.growth_days(first, last) * _SLACK)
                        or (b_rise and not above > top * b_rise.growth_days(first, last) * _SLACK)
                    ):  # fmt: skip
                        continue  # a claimant's own series allows it
                most = (b_end if b_end > a_end else a_end) - a_start
                factor = -(round(above / top, 2) if top else 0.0)
            # one ranked below the worst `best` keeps (`_Best.bar`): counted, not yielded
            if (
                best is not None
                and (bar := best.bar) is not None
                and (a.derived or b.derived, most > window, factor) > bar
            ):
                best.seen += 1
                continue
            yield a, b, high, low, most, factor


def _compared(
    a: Observation, b: Observation, window: int, series: dict[str, Series]
) -> _Pair | None:
    """A pair as `compare` decides it (one with an empty interval), as the sweep yields it."""
    if not compare(a, b, window=window, series=series).conflict:
        return None
    low, high = (a, b) if implied(a).entirely_below(implied(b)) else (b, a)
    most = max(a.as_of.end, b.as_of.end).toordinal() - a.as_of.start.toordinal()
    return a, b, high, low, most, -(gap_factor(implied(low), implied(high)) or 0.0)


_SLACK = 1 + 1e-9  # `compare`'s float slack on the allowed growth
_SLOW = math.log1p(DEFAULT_GROWTH) - 1e-9
"""A series whose levels never rise faster a day allows less growth than the default: at
most exp(_SLOW x d) in d days, below (1 + DEFAULT_GROWTH) ** d by exp(-1e-9 x d), far past
any rounding of either, so a gap past the default is past it too."""


def _point(
    o: Observation, series: dict[str, Series]
) -> tuple[int, int, str, DateSpan | None, int, int | None, bool, Observation, Series | None]:
    """What the sweep reads of a figure: its first and last day (ordinals), claimant,
    period, the first and last count its implied interval allows, whether it allows none,
    the figure, and its claimant's series when that may allow more than the default
    growth (`_SLOW`: most series never do, and are then never asked)."""
    telling = series.get(o.claimant)
    if telling is not None and telling.fastest <= _SLOW:
        telling = None
    interval = implied(o)
    first, last = interval.first(), interval.last()
    empty = last is not None and first > last
    start, end = o.as_of.start.toordinal(), o.as_of.end.toordinal()
    return start, end, o.claimant, o.period, first, last, empty, o, telling


def _conflict(pair: _Pair, series: dict[str, Series], *, window: int) -> Discrepancy:
    """One conflict of the sweep, worded (only those shown are: a summary lists 20 of
    what can be hundreds of thousands); its verdict is `compare`'s own."""
    a, b, high, low, _, _ = pair
    verdict = compare(a, b, window=window, series=series)
    return Discrepancy(
        0,
        Kind.CONFLICT,
        a.subject,
        a.metric.value,
        _conflict_reason(high, low, verdict, window),
        (high.estimate, low.estimate),
        (high.claimant, low.claimant),
        gap_factor(implied(low), implied(high)),
        certain=verdict.most <= window,
        days_apart=(verdict.least, verdict.most),
        derived=a.derived or b.derived,
    )


def _conflict_reason(high: Observation, low: Observation, verdict: Comparison, window: int) -> str:
    """The one-line reason of a conflict (worded only when it is shown: a summary lists 20
    of what can be hundreds of thousands)."""
    days = _days_apart(verdict.least, verdict.most, window)
    grown = ""
    if verdict.growth > 1.0:
        grown = f" even allowing {verdict.growth - 1:.0%} growth between the dates"
    order = ""
    if high.as_of.end < low.as_of.start and low.metric in CUMULATIVE:
        order = " (the later figure is the lower)"
    return f"{_said(high)} vs {_said(low)}: no count fits both{grown}{order}, {days}"


def _days_apart(least: int, most: int, window: int) -> str:
    """How far apart two claims were made, as surely as their dates allow."""
    if most == least:
        return "same day" if most == 0 else f"{most} day{'s' * (most != 1)} apart"
    closest = "dates overlap" if least == 0 else f"at least {least} day{'s' * (least != 1)} apart"
    if most <= window:
        return f"{closest}, at most {most} days"
    return f"{closest} but maybe {most} days (a date is imprecise)"


def _falls(found: Sequence[Observation]) -> list[Discrepancy]:
    """A claimant's running total falls (a cumulative toll: `falling`; those deployed,
    who may leave: a soft `drop`, ranked last)."""
    out: list[Discrepancy] = []
    if not found or found[0].metric not in {*CUMULATIVE, Metric.DEPLOYED}:
        return out
    soft = found[0].metric not in CUMULATIVE
    by_claimant: dict[str, _Earlier] = {}
    for o in found:
        if o.period is None:
            if (earlier := by_claimant.get(o.claimant)) is None:
                earlier = by_claimant[o.claimant] = _Earlier()
            earlier.add(o)
    for later in (o for o in found if o.period is None):
        before = by_claimant[later.claimant].before(later)
        if before is None:
            continue
        if soft:
            out.append(
                Discrepancy(
                    0,
                    Kind.DROP,
                    later.subject,
                    later.metric.value,
                    f"{later.claimant}'s {later.metric} drop from {before.value} "
                    f"({before.as_of}) to {later.value} ({later.as_of}); troops may have left",
                    (before.estimate, later.estimate),
                    (later.claimant,),
                    gap_factor(later.interval, before.interval),
                )
            )
            continue
        out.append(
            Discrepancy(
                0,
                Kind.FALLING,
                later.subject,
                later.metric.value,
                f"{later.claimant}'s {later.metric} fall from {before.value} ({before.as_of}) "
                f"to {later.value} ({later.as_of}); a cumulative toll only rises",
                (before.estimate, later.estimate),
                (later.claimant,),
                gap_factor(later.interval, before.interval),
            )
        )
    return out


class _Earlier:
    """One claimant's running totals, to find the one a later figure falls from: the
    latest (last day, then first day; the first given on a tie) dated entirely before
    it whose counts all lie above its own.  A look-up, not a scan of every earlier
    figure (a claimant of 100,000 estimates has thousands)."""

    def __init__(self) -> None:
        self.found: list[Observation] = []
        self.ordered: list[tuple[date, date, int, Observation]] = []
        self.ends: list[date] = []
        self.highest: list[int] = []
        """The highest first count of a non-empty interval among `ordered[: n + 1]`."""

    def add(self, o: Observation) -> None:
        self.found.append(o)
        self.ends.clear()  # sorted again when first asked

    def _sort(self) -> None:
        self.ordered = sorted(
            [(o.as_of.end, o.as_of.start, -n, o) for n, o in enumerate(self.found)]
        )
        self.ends = [end for end, _, _, _ in self.ordered]
        self.highest = highest = []
        most = -1
        for _, _, _, o in self.ordered:
            interval = o.interval
            first, top = interval.first(), interval.last()
            if (top is None or first <= top) and first > most:  # an empty one lies above nothing
                most = first
            highest.append(most)

    def before(self, later: Observation) -> Observation | None:
        """`max(o for o in found if o.as_of.end < later.as_of.start and
        later.interval.entirely_below(o.interval), key=(end, start))`, or None."""
        if not self.ends:
            self._sort()
        last = later.interval.last()
        if last is None or later.interval.first() > last:
            return None  # unbounded or empty: below nothing
        k = bisect_left(self.ends, later.as_of.start)
        if not k or self.highest[k - 1] <= last:
            return None  # nothing dated before it lies above it
        ordered = self.ordered
        for n in range(k - 1, -1, -1):
            o = ordered[n][3]
            if later.interval.entirely_below(o.interval):
                return o
        return None


def _wordings(ledger: Ledger, filters: Filters) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    commas = decimal_commas(ledger)
    for estimate in kept_estimates(ledger, filters):
        if len(estimate.reported_in) < 2:
            continue  # one report words a claim one way (and finding its numbers is dear)
        for metric in estimate.figures():
            if filters.metrics and metric not in filters.metrics:
                continue
            said: dict[Interval, list[tuple[str, str]]] = {}
            for report in estimate.reported_in:
                comma = commas.get(report.document, False)
                used = estimate.printed_by(report, comma=comma).get(metric)
                if used is None:
                    continue  # it did not print this figure: no words to credit it with
                said.setdefault(used.interval, []).append((used.text, report.document))
            if len(said) < 2:
                continue
            parts = []
            for reports in said.values():
                words = list(dict.fromkeys(text for text, _ in reports))
                documents = list(dict.fromkeys(document for _, document in reports))
                parts.append(f"'{' / '.join(words)}' ({', '.join(documents)})")
            out.append(
                Discrepancy(
                    0,
                    Kind.WORDING,
                    ledger.subject_of(estimate),
                    metric.value,
                    f"{estimate.claimant}'s {metric} reported as " + " vs ".join(parts),
                    (estimate.id,),
                    (estimate.claimant,),
                    None,
                )
            )
    return out


def _parts(ledger: Ledger, filters: Filters) -> list[Discrepancy]:
    out: list[Discrepancy] = []
    for estimate in kept_estimates(ledger, filters):
        for _, metric, message in problems(estimate):
            if filters.metrics and metric not in filters.metrics:
                continue
            out.append(
                Discrepancy(
                    0,
                    Kind.PARTS_VS_TOTAL,
                    ledger.subject_of(estimate),
                    metric.value,
                    f"{estimate.claimant}: {message}",
                    (estimate.id,),
                    (estimate.claimant,),
                    None,
                )
            )
    return out


def find(
    ledger: Ledger,
    filters: Filters | None = None,
    window: int = DEFAULT_WINDOW,
    observed: Sequence[Observation] | None = None,
) -> list[Discrepancy]:
    """Every discrepancy among the estimates the filters keep, ranked from 1.

    `observed`: the filters' `observations` when the caller has them already.
    """
    return ranked(ledger, filters, window, observed=observed)[0]


def ranked(
    ledger: Ledger,
    filters: Filters | None = None,
    window: int = DEFAULT_WINDOW,
    top: int = 0,
    *,
    observed: Sequence[Observation] | None = None,
    groups: dict[Key, list[Observation]] | None = None,
) -> tuple[list[Discrepancy], int]:
    """The `top` highest-ranked discrepancies (all when `top` is 0), and how many there are.

    Only those returned are worded and numbered: a summary shows 20 of what can be
    hundreds of thousands of conflicts.  The ranking is `find`'s whatever `top` is.
    `observed` (and `groups`, its `grouped`): the filters' observations when the
    caller has them already.
    """
    chosen = filters or Filters()
    if groups is None:
        groups = (
            grouped(observations(ledger, chosen), in_order=True)
            if observed is None
            else grouped(observed)
        )
    kinds = {kind: n for n, kind in enumerate(Kind)}
    best = _Best(top)
    for group in groups.values():
        # one group's conflicts at a time, only the best `top` kept: a summary of
        # 100,000 estimates has hundreds of thousands of conflicts
        series = series_of(group)
        metric = group[0].metric.value
        for pair in _conflicts(group, window, series, best):
            # those ranked below every one kept were counted by the sweep, no key made
            a, b, high, low, most, factor = pair
            key = (
                0,
                a.derived or b.derived,
                most > window,
                factor,
                most,
                a.subject,
                metric,
                (high.estimate, low.estimate),
            )
            best.offer(key, (pair, series))
        for fall in _falls(group):
            best.offer(_key(fall, kinds), fall)
    for others in (_wordings(ledger, chosen), _parts(ledger, chosen)):
        for other in others:
            best.offer(_key(other, kinds), other)
    return [
        replace(
            found if isinstance(found, Discrepancy) else _conflict(*found, window=window), rank=n
        )
        for n, found in enumerate(best.chosen(), 1)
    ], best.seen


def _key(d: Discrepancy, kinds: dict[Kind, int]) -> tuple[Any, ...]:
    """The ranking (module doc): kind, stated before derived, certain before not, the
    largest gap first, the most precisely dated first; then subject, metric, estimates."""
    return (
        kinds[d.kind],
        d.derived,
        not d.certain,
        -(d.factor or 0.0),
        d.days_apart[1] if d.days_apart else 0,
        d.subject,
        d.metric,
        d.estimates,
    )


class _Best:
    """The `top` discrepancies of lowest key among those offered (every one when `top`
    is 0), ties in the order offered, and how many were offered: `sorted(...)[:top]`
    holding only `top` of them, and the key of the worst kept to turn the rest away
    without a search."""

    def __init__(self, top: int) -> None:
        self.top = max(top, 0)
        self.seen = 0
        self.kept: list[tuple[tuple[Any, ...], int, Any]] = []
        self.bar: tuple[Any, ...] | None = None
        """When `top` are kept and the worst is a conflict: its (derived, uncertain,
        factor), which a conflict ranking strictly below cannot beat."""

    def offer(self, key: tuple[Any, ...], found: Any) -> None:
        self.seen += 1
        kept = self.kept
        if not self.top:
            kept.append((key, self.seen, found))
            return
        if len(kept) == self.top:
            if key >= kept[-1][0]:  # no better than the worst kept (a tie: offered later)
                return
            kept.pop()
        insort(kept, (key, self.seen, found))  # `seen` is unique: `found` is never compared
        if len(kept) == self.top and kept[-1][0][0] == 0:
            self.bar = kept[-1][0][1:4]

    def chosen(self) -> list[Any]:
        if not self.top:
            self.kept.sort(key=lambda kept: kept[:2])
        return [found for _, _, found in self.kept]


def report(ledger: Ledger, filters: Filters | None = None, window: int = DEFAULT_WINDOW) -> Found:
    """The discrepancies report: `find`'s ranking with the filters and window it used."""
    chosen = filters or Filters()
    return Found(chosen, window, tuple(find(ledger, chosen, window)))
