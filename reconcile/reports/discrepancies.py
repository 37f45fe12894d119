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

import heapq
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import partial
from typing import Any

from reconcile.core.consistency import problems
from reconcile.core.dates import shifted
from reconcile.core.figures import Interval
from reconcile.core.models import Ledger, Metric, decimal_commas
from reconcile.reports.comparison import Comparison, compare, implied, series_of
from reconcile.reports.observations import (
    CUMULATIVE,
    Filters,
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


def _conflicts(
    found: Sequence[Observation], window: int, reasons: list[Callable[[], str]]
) -> list[Discrepancy]:
    """Pairs of claimants' figures that no rising toll fits, dated within `window` days.

    The rule is `comparison.compare`: precision implied by round figures, growth
    allowed between the dates.  A sweep over the estimates in order of their
    first possible day: each is compared only with those starting no later than
    `window` days after its last possible day, so the cost follows the pairs
    that can conflict, not the square of the ledger.  Each conflict's reason is
    left empty, its wording appended to `reasons` (one per conflict, in order).
    """
    out: list[Discrepancy] = []
    ordered = sorted(found, key=lambda o: o.as_of.start)
    series = series_of(found)
    count = len(ordered)
    for i, a in enumerate(ordered):
        horizon = shifted(a.as_of.end, window)
        for j in range(i + 1, count):  # an index, not a slice: slicing made the sweep quadratic
            b = ordered[j]
            if b.as_of.start > horizon:
                break
            if a.claimant == b.claimant or (a.period is None) != (b.period is None):
                continue
            if a.period is not None and a.period != b.period:
                continue  # figures for different stretches of time count different things
            verdict = compare(a, b, window=window, series=series)
            if not verdict.conflict:
                continue
            ia, ib = implied(a), implied(b)
            low, high = (a, b) if ia.entirely_below(ib) else (b, a)
            out.append(
                Discrepancy(
                    0,
                    Kind.CONFLICT,
                    a.subject,
                    a.metric.value,
                    "",  # worded by _conflict_reason for the discrepancies shown only
                    (high.estimate, low.estimate),
                    (high.claimant, low.claimant),
                    gap_factor(implied(low), implied(high)),
                    certain=verdict.most <= window,
                    days_apart=(verdict.least, verdict.most),
                    derived=a.derived or b.derived,
                )
            )
            reasons.append(partial(_conflict_reason, high, low, verdict, window))
    return out


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
    by_claimant: dict[str, list[Observation]] = {}
    for o in found:
        if o.period is None:
            by_claimant.setdefault(o.claimant, []).append(o)
    for later in (o for o in found if o.period is None):
        earlier = [
            o
            for o in by_claimant[later.claimant]
            if o.as_of.end < later.as_of.start and later.interval.entirely_below(o.interval)
        ]
        if not earlier:
            continue
        before = max(earlier, key=lambda o: (o.as_of.end, o.as_of.start))
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
) -> tuple[list[Discrepancy], int]:
    """The `top` highest-ranked discrepancies (all when `top` is 0), and how many there are.

    Only those returned are worded and numbered: a summary shows 20 of what can be
    hundreds of thousands of conflicts.  The ranking is `find`'s whatever `top` is.
    """
    chosen = filters or Filters()
    if observed is None:
        observed = observations(ledger, chosen)
    groups = grouped(observed)
    total = 0

    def every() -> Iterator[tuple[Discrepancy, Callable[[], str] | None]]:
        # one group's conflicts at a time: with `top`, only the best `top` are kept
        # (a summary of 100,000 estimates has hundreds of thousands of conflicts)
        nonlocal total
        for group in groups.values():
            reasons: list[Callable[[], str]] = []
            found = _conflicts(group, window, reasons)
            total += len(found)
            yield from zip(found, reasons, strict=True)
            falls = _falls(group)
            total += len(falls)
            yield from ((d, None) for d in falls)
        for others in (_wordings(ledger, chosen), _parts(ledger, chosen)):
            total += len(others)
            yield from ((d, None) for d in others)

    kinds = {kind: n for n, kind in enumerate(Kind)}

    def key(pair: tuple[Discrepancy, Callable[[], str] | None]) -> tuple[Any, ...]:
        d = pair[0]
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

    # nsmallest is sorted(...)[:top], ties kept in order, holding only `top` of them
    shown = heapq.nsmallest(top, every(), key=key) if top > 0 else sorted(every(), key=key)
    return [
        replace(d, rank=n, reason=d.reason if reason is None else reason())
        for n, (d, reason) in enumerate(shown, 1)
    ], total


def report(ledger: Ledger, filters: Filters | None = None, window: int = DEFAULT_WINDOW) -> Found:
    """The discrepancies report: `find`'s ranking with the filters and window it used."""
    chosen = filters or Filters()
    return Found(chosen, window, tuple(find(ledger, chosen, window)))
