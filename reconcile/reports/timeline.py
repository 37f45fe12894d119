"""The timeline: per subject and metric, the estimates in date order, one series per claimant."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from reconcile.core.models import Ledger
from reconcile.reports.observations import Filters, Observation, grouped, observations


@dataclass(frozen=True, slots=True)
class Panel:
    """One subject and metric: its estimates in date order and the claimants among them."""

    subject: str
    metric: str
    entries: tuple[Observation, ...]
    period: bool = False
    """True for the figures that count a period (not running totals): a panel of their own."""

    @property
    def claimants(self) -> tuple[str, ...]:
        """One series per claimant, in the order they first speak."""
        return tuple(dict.fromkeys(o.claimant for o in self.entries))

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "metric": self.metric,
            "period": self.period,
            "claimants": list(self.claimants),
            "entries": [o.to_json() for o in self.entries],
        }


@dataclass(frozen=True, slots=True)
class Timeline:
    filters: Filters
    panels: tuple[Panel, ...]

    def to_json(self) -> dict[str, Any]:
        return {"filters": self.filters.to_json(), "panels": [p.to_json() for p in self.panels]}


def timeline(ledger: Ledger, filters: Filters | None = None) -> Timeline:
    """Per subject and metric, the running totals in one panel and the figures for a
    period (killed in three days) in a panel of their own: never one series."""
    chosen = filters or Filters()
    panels: list[Panel] = []
    for (subject, metric), found in grouped(observations(ledger, chosen), in_order=True).items():
        running = tuple(o for o in found if o.period is None)
        periods = tuple(o for o in found if o.period is not None)
        if running:
            panels.append(Panel(subject, metric.value, running))
        if periods:
            panels.append(Panel(subject, metric.value, periods, period=True))
    return Timeline(chosen, tuple(panels))
