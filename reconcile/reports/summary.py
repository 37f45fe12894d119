"""The summary: the state of knowledge as of a date, per subject and metric.

By default (docs/reports.md, "summary"): for each claimant, its latest figure as
of D (the `--as-of` date, else the latest date in the ledger); the *range of
claims* across claimants at D — lowest, highest, median, spread — never a
confidence interval.  Each claimant counts once.  Claims older than `recent` days
before D are listed but left out of the range (a 2022 toll says little about
2026).  Figures for a period (`period`, e.g. killed in three days) are not
running totals and are left out (counted apart).  A derived total (killed +
wounded) enters the range only when nobody stated that total.

Statistics use the numbers as stated (`figures.stated_value`): "more than
10,000" is 10,000, never 10,001; a central value inside a range is that value.
The median of an even count is the midpoint of the middle two, rounded down.
The spread is highest ÷ lowest stated value.

`history=True` gives the whole history instead: every stated figure over time
(lowest and highest ever, how many), and no median or spread, which would mix
tolls of different dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from reconcile.core.figures import parse_figure, stated_value
from reconcile.core.models import Ledger
from reconcile.reports.discrepancies import DEFAULT_WINDOW, Discrepancy, ranked
from reconcile.reports.observations import (
    Filters,
    Observation,
    direct_first,
    grouped,
    observations,
)

DEFAULT_RECENT = 365
"""Days before D within which a claimant's latest figure enters the range of claims."""


def stated(o: Observation) -> int:
    """The number the claimant stated (a derived total: the sum of the stated parts)."""
    if o.derived:
        return o.best
    return stated_value(parse_figure(o.words))


@dataclass(frozen=True, slots=True)
class MetricSummary:
    subject: str
    metric: str
    estimates: int
    """How many figures the range is over (as of D: one per claimant shown)."""
    derived: int
    claimants: int
    lowest: Observation
    highest: Observation
    median: int | None
    """Of the stated values shown (None in the history, which mixes dates)."""
    latest: tuple[Observation, ...]
    """The latest figure of each claimant as of D (latest first day, then last day)."""
    from_derived: bool
    """True when nobody stated this total and the range is of derived figures."""
    older: tuple[Observation, ...] = ()
    """Claimants' latest figures older than `recent` days before D: not in the range."""
    period_figures: int = 0
    """Figures for a period (not running totals), left out."""

    @property
    def lowest_stated(self) -> int:
        return stated(self.lowest)

    @property
    def highest_stated(self) -> int:
        return stated(self.highest)

    @property
    def spread(self) -> float | None:
        """highest ÷ lowest stated value, rounded to 2 places (None when the lowest is 0,
        and in the history)."""
        if self.median is None or self.lowest_stated == 0:
            return None
        return round(self.highest_stated / self.lowest_stated, 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "metric": self.metric,
            "estimates": self.estimates,
            "derived": self.derived,
            "claimants": self.claimants,
            "lowest": self.lowest.to_json(),
            "highest": self.highest.to_json(),
            "lowest_stated": self.lowest_stated,
            "highest_stated": self.highest_stated,
            "median": self.median,
            "spread": self.spread,
            "from_derived": self.from_derived,
            "latest": [o.to_json() for o in self.latest],
            "older": [o.estimate for o in self.older],
            "period_figures": self.period_figures,
        }


@dataclass(frozen=True, slots=True)
class Summary:
    filters: Filters
    window: int
    metrics: tuple[MetricSummary, ...]
    discrepancies: tuple[Discrepancy, ...]
    """The highest-ranked discrepancies (at most `top`; all when `top` is 0)."""
    discrepancies_total: int = 0
    as_of: date | None = None
    """D: the date of the state of knowledge (None in the history)."""
    recent: int = DEFAULT_RECENT

    @property
    def history(self) -> bool:
        return self.as_of is None

    def to_json(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_json(),
            "mode": "history" if self.history else "as-of",
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "recent": None if self.history else self.recent,
            "window": self.window,
            "metrics": [m.to_json() for m in self.metrics],
            "discrepancies": [d.to_json() for d in self.discrepancies],
            "discrepancies_total": self.discrepancies_total,
        }


def _rank(o: Observation) -> tuple[int, int, Any, Any]:
    return (stated(o), o.interval.low, o.as_of.start, o.as_of.end)


def _median(values: Sequence[int]) -> int:
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) // 2


DEFAULT_TOP = 20
"""A summary is an overview: it lists the highest-ranked discrepancies, and says how
many there are (`reconcile discrepancies` lists them all)."""


def _latest(found: Sequence[Observation]) -> dict[str, Observation]:
    """Each claimant's latest figure: latest first day, then last day; a stated one
    before a derived one of the same dates."""
    latest: dict[str, Observation] = {}
    for o in sorted(found, key=lambda o: (o.as_of.start, o.as_of.end, not o.derived)):
        latest[o.claimant] = o
    return latest


def summarise(
    ledger: Ledger,
    filters: Filters | None = None,
    window: int = DEFAULT_WINDOW,
    top: int = DEFAULT_TOP,
    *,
    history: bool = False,
    recent: int = DEFAULT_RECENT,
) -> Summary:
    chosen = filters or Filters()
    found_all = observations(ledger, chosen)
    as_of: date | None = None
    if not history:
        ends = [o.as_of.end for o in found_all]
        as_of = chosen.as_of or (max(ends) if ends else None)
    rows: list[MetricSummary] = []
    for (subject, metric), found in grouped(found_all).items():
        running = [o for o in found if o.period is None]
        if not running:
            continue
        period = len(found) - len(running)
        if as_of is None:
            shown, older = running, []
        else:
            latest = sorted(_latest(running).values(), key=lambda o: o.claimant)
            shown = [o for o in latest if (as_of - o.as_of.end).days <= recent]
            older = [o for o in latest if (as_of - o.as_of.end).days > recent]
            if not shown:
                shown, older = latest, []
        pool = direct_first(shown)
        latest_all = sorted(_latest(running).values(), key=lambda o: o.claimant)
        rows.append(
            MetricSummary(
                subject=subject,
                metric=metric.value,
                estimates=len(pool),
                derived=sum(o.derived for o in pool),
                claimants=len({o.claimant for o in pool}),
                lowest=min(pool, key=_rank),
                highest=max(pool, key=_rank),
                median=None if as_of is None else _median([stated(o) for o in pool]),
                latest=tuple(latest_all),
                from_derived=pool[0].derived,
                older=tuple(older),
                period_figures=period,
            )
        )
    shown_d, total = ranked(ledger, chosen, window, top, observed=found_all)
    return Summary(chosen, window, tuple(rows), tuple(shown_d), total, as_of, recent)
