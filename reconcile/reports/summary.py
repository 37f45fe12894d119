"""The summary: per subject and metric, how many said what, the range and its spread.

Lowest and highest are by best value (docs/qualifiers.md: "around 3,800" →
3,800, "more than 3,000" → 3,001), ties broken by the lower bound and then the
date.  They, the median and the spread are taken over the figures someone
stated; a derived total (killed + wounded) enters them only when no claimant
stated the total, so "estimates range from X to Y" always quotes real words.
The median of an even number of values is the midpoint of the middle two,
rounded down (as a range's best is).  The spread is highest ÷ lowest.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconcile.core.models import Ledger
from reconcile.reports.discrepancies import DEFAULT_WINDOW, Discrepancy, find
from reconcile.reports.observations import (
    Filters,
    Observation,
    direct_first,
    grouped,
    observations,
)


@dataclass(frozen=True, slots=True)
class MetricSummary:
    subject: str
    metric: str
    estimates: int
    derived: int
    claimants: int
    lowest: Observation
    highest: Observation
    median: int
    latest: tuple[Observation, ...]
    """The latest estimate of each claimant (latest first day, then last day)."""
    from_derived: bool
    """True when nobody stated this total and the range is of derived figures."""

    @property
    def spread(self) -> float | None:
        """highest ÷ lowest best value, rounded to 2 places (None when the lowest is 0)."""
        if self.lowest.best == 0:
            return None
        return round(self.highest.best / self.lowest.best, 2)

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "metric": self.metric,
            "estimates": self.estimates,
            "derived": self.derived,
            "claimants": self.claimants,
            "lowest": self.lowest.to_json(),
            "highest": self.highest.to_json(),
            "median": self.median,
            "spread": self.spread,
            "from_derived": self.from_derived,
            "latest": [o.to_json() for o in self.latest],
        }


@dataclass(frozen=True, slots=True)
class Summary:
    filters: Filters
    window: int
    metrics: tuple[MetricSummary, ...]
    discrepancies: tuple[Discrepancy, ...]
    """The highest-ranked discrepancies (at most `top`; all when `top` is 0)."""
    discrepancies_total: int = 0

    def to_json(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_json(),
            "window": self.window,
            "metrics": [m.to_json() for m in self.metrics],
            "discrepancies": [d.to_json() for d in self.discrepancies],
            "discrepancies_total": self.discrepancies_total,
        }


def _rank(o: Observation) -> tuple[int, int, Any, Any]:
    return (o.best, o.interval.low, o.as_of.start, o.as_of.end)


DEFAULT_TOP = 20
"""A summary is an overview: it lists the highest-ranked discrepancies, and says how
many there are (`reconcile discrepancies` lists them all)."""


def summarise(
    ledger: Ledger,
    filters: Filters | None = None,
    window: int = DEFAULT_WINDOW,
    top: int = DEFAULT_TOP,
) -> Summary:
    chosen = filters or Filters()
    rows: list[MetricSummary] = []
    for (subject, metric), found in grouped(observations(ledger, chosen)).items():
        pool = direct_first(found)
        values = sorted(o.best for o in pool)
        middle = len(values) // 2
        median = values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) // 2
        latest: dict[str, Observation] = {}
        for o in found:  # in date order: the last one seen is the latest
            latest[o.claimant] = o
        rows.append(
            MetricSummary(
                subject=subject,
                metric=metric.value,
                estimates=len(found),
                derived=sum(o.derived for o in found),
                claimants=len({o.claimant for o in found}),
                lowest=min(pool, key=_rank),
                highest=max(pool, key=_rank),
                median=median,
                latest=tuple(sorted(latest.values(), key=lambda o: o.claimant)),
                from_derived=pool[0].derived,
            )
        )
    found_all = find(ledger, chosen, window)
    shown = found_all[:top] if top > 0 else found_all
    return Summary(chosen, window, tuple(rows), tuple(shown), len(found_all))
