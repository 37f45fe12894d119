"""`reconcile estimate`: a consensus estimate over time from the claims of one metric.

The method (docs/estimate.md explains it for journalists, with its limits):

1. **Observations.** Each claim (one figure of one estimate; figures for a period
   and derived totals left out) gives up to three values, as The Economist's
   tracker does: its low, its central and its high, each weighted 1/k within the
   claim (k: how many it has).  "at least N" gives a low; "up to N" a high;
   "about N", an exact N or "nearly N" a central N; "85,600 (75,600–99,600)" all
   three; a bare range its two ends.  Values are taken as logarithms.
2. **Local fit in time.** At each date t the toll is a weighted local-linear
   regression of the log values on time (a kernel smoother): a claim's weight
   falls off as a Gaussian of its distance in days, with a bandwidth of at least
   `MIN_BANDWIDTH` days, widened until `NEIGHBOURS` claimants are within it.
3. **No claimant dominates.** At each t every claimant weighs at most one: its
   claims' kernel weights are scaled so that their sum is the kernel weight of
   its nearest claim.  A weekly series and a one-off assessment of the same day
   weigh the same.  Each point reports each claimant's share.
4. **Monotone.** For a cumulative metric the series of best values (and of each
   bound) is made non-decreasing by weighted isotonic regression
   (`scipy.optimize.isotonic_regression`).
5. **Interval.** A bootstrap over claimants (claimants drawn with replacement,
   `BOOTSTRAP` times, fixed seed) gives the spread that disagreement between
   claimants causes; the weighted residual spread of the claims around the local
   fit, divided by the effective number of observations, adds the model's own
   error.  The two are combined in log space into a 95% interval.
6. **Sensitivity.** Leaving each claimant out in turn, the largest change of the
   best value over the dates.

Dates run monthly from the first claim to the last (and any `at` dates between
them): never past the last claim.  numpy and scipy are the optional `estimate`
extra; this module is imported only by the `estimate` command.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
from numpy.typing import NDArray
from scipy.optimize import isotonic_regression

from reconcile.core.figures import Qualifier, parse_figure
from reconcile.core.models import Ledger, Metric
from reconcile.reports.observations import CUMULATIVE, Filters, Observation, observations

__all__ = ["BOOTSTRAP", "MIN_BANDWIDTH", "NEIGHBOURS", "Estimate", "NoClaims", "estimate"]

MIN_BANDWIDTH = 45
"""Days: the narrowest kernel (its standard deviation)."""
NEIGHBOURS = 3
"""Claimants the kernel reaches at each date (when the ledger has that many)."""
BOOTSTRAP = 300
"""Resamples of claimants for the interval."""
SEED = 20_250_113
Z95 = 1.959963984540054
MIN_SHARE = 0.005
"""Claims weighing less than this share at a date are not listed for it."""

Floats = NDArray[np.float64]


class NoClaims(ValueError):
    """Nothing to estimate from: the message says why."""


@dataclass(frozen=True, slots=True)
class Claim:
    """One figure used, with the values it gives (low, central, high; None when not given)."""

    estimate: str
    claimant: str
    day: date
    shown: str
    low: int | None
    central: int | None
    high: int | None

    def values(self) -> list[int]:
        return [v for v in (self.low, self.central, self.high) if v is not None]


@dataclass(frozen=True, slots=True)
class Weighted:
    estimate: str
    claimant: str
    weight: float
    """Its share of the weight at this date (all claims at a date sum to 1)."""

    def to_json(self) -> dict[str, Any]:
        return {"estimate": self.estimate, "claimant": self.claimant, "weight": self.weight}


@dataclass(frozen=True, slots=True)
class Point:
    day: date
    low: int
    best: int
    high: int
    claims: tuple[Weighted, ...]
    shares: tuple[tuple[str, float], ...]
    """Each claimant's share of the weight at this date, largest first."""

    def to_json(self) -> dict[str, Any]:
        return {
            "date": self.day.isoformat(),
            "low": self.low,
            "best": self.best,
            "high": self.high,
            "claimants": dict(self.shares),
            "claims": [c.to_json() for c in self.claims],
        }


@dataclass(frozen=True, slots=True)
class Sensitivity:
    claimant: str
    change: float
    """The largest relative change of the best value when this claimant is left out."""
    day: date

    def to_json(self) -> dict[str, Any]:
        return {"claimant": self.claimant, "max_change": self.change, "date": self.day.isoformat()}


@dataclass(frozen=True, slots=True)
class Estimate:
    subject: str
    metric: str
    independent: bool
    claims: tuple[Claim, ...]
    points: tuple[Point, ...]
    shares: tuple[tuple[str, float], ...]
    """Each claimant's mean share over the dates, largest first."""
    sensitivity: tuple[Sensitivity, ...]
    left_out: int
    """Figures for a period and derived totals, not used."""

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "metric": self.metric,
            "independent": self.independent,
            "method": {
                "observations": "low, central and high of each claim, weighted 1/k within it",
                "fit": "local-linear kernel regression of log values on time",
                "min_bandwidth_days": MIN_BANDWIDTH,
                "neighbours": NEIGHBOURS,
                "claimant_weight": "at most one per claimant at each date",
                "monotone": self.metric in {m.value for m in CUMULATIVE},
                "interval": "95%: bootstrap over claimants combined with model error",
                "bootstrap": BOOTSTRAP,
                "seed": SEED,
            },
            "claims": len(self.claims),
            "left_out": self.left_out,
            "claimants": dict(self.shares),
            "sensitivity": [s.to_json() for s in self.sensitivity],
            "points": [p.to_json() for p in self.points],
        }


def _claim(o: Observation) -> Claim:
    figure = parse_figure(o.words)
    q, numbers = figure.qualifier, figure.numbers
    low = central = high = None
    if q in (Qualifier.EXACT, Qualifier.ABOUT, Qualifier.NEARLY, Qualifier.VAGUE):
        central = numbers[0] if numbers else figure.best
    elif q in (Qualifier.AT_LEAST, Qualifier.MORE_THAN):
        low = numbers[0]
    elif q in (Qualifier.UP_TO, Qualifier.FEWER_THAN):
        high = numbers[0]
    else:  # a range, perhaps with its central value
        low, high = numbers[0], numbers[1]
        central = numbers[2] if len(numbers) == 3 else None
    return Claim(o.estimate, o.claimant, o.as_of.midpoint(), o.shown, low, central, high)


def monthly(first: date, last: date) -> list[date]:
    """The first day of each month after `first` up to `last`, with `first` and `last`."""
    days = [first]
    year, month = first.year, first.month
    while True:
        month += 1
        if month > 12:
            year, month = year + 1, 1
        day = date(year, month, 1)
        if day >= last:
            break
        days.append(day)
    if last != first:
        days.append(last)
    return days


@dataclass(frozen=True, slots=True)
class _Data:
    """The observations as arrays: one row per value (low, central or high) of a claim."""

    day: Floats  # ordinal day of each value
    log: Floats  # log of each value
    within: Floats  # 1/k within its claim
    claimant: NDArray[np.int64]  # index of its claimant
    claim: NDArray[np.int64]  # index of its claim
    claimants: tuple[str, ...]


def _data(claims: Sequence[Claim]) -> _Data:
    names = tuple(dict.fromkeys(c.claimant for c in claims))
    index = {name: i for i, name in enumerate(names)}
    day, log, within, who, which = [], [], [], [], []
    for n, claim in enumerate(claims):
        values = claim.values()
        for value in values:
            day.append(float(claim.day.toordinal()))
            log.append(math.log(max(value, 1)))
            within.append(1.0 / len(values))
            who.append(index[claim.claimant])
            which.append(n)
    return _Data(
        np.array(day, dtype=np.float64),
        np.array(log, dtype=np.float64),
        np.array(within, dtype=np.float64),
        np.array(who, dtype=np.int64),
        np.array(which, dtype=np.int64),
        names,
    )


def _weights(data: _Data, days: Sequence[date]) -> Floats:
    """Kernel weights (dates × values), each claimant's total at a date capped at one."""
    t = np.array([d.toordinal() for d in days], dtype=np.float64)[:, None]
    distance = np.abs(data.day[None, :] - t)
    claimants = len(data.claimants)
    # per date, each claimant's nearest claim; the bandwidth reaches NEIGHBOURS claimants
    nearest = np.full((len(days), claimants), np.inf)
    for c in range(claimants):
        mine = data.claimant == c
        nearest[:, c] = distance[:, mine].min(axis=1)
    reach = np.sort(nearest, axis=1)[:, min(NEIGHBOURS, claimants) - 1]
    bandwidth = np.maximum(MIN_BANDWIDTH, reach)[:, None]
    kernel = np.exp(-0.5 * (distance / bandwidth) ** 2) * data.within[None, :]
    weights: Floats = np.zeros_like(kernel)
    for c in range(claimants):
        mine = data.claimant == c
        total = kernel[:, mine].sum(axis=1, keepdims=True)
        top = np.exp(-0.5 * (nearest[:, c : c + 1] / bandwidth) ** 2)
        scale = np.divide(top, total, out=np.zeros_like(total), where=total > 0)
        weights[:, mine] = kernel[:, mine] * scale
    return weights


def _fit(data: _Data, days: Sequence[date], weights: Floats) -> tuple[Floats, Floats]:
    """Local-linear fit at each date: the log level and its model standard error."""
    t = np.array([d.toordinal() for d in days], dtype=np.float64)[:, None]
    d = data.day[None, :] - t
    y = data.log[None, :]
    s0 = weights.sum(axis=1)
    s1 = (weights * d).sum(axis=1)
    s2 = (weights * d * d).sum(axis=1)
    t0 = (weights * y).sum(axis=1)
    t1 = (weights * d * y).sum(axis=1)
    determinant = s0 * s2 - s1 * s1
    safe = np.where(s0 > 0, s0, 1.0)
    constant = t0 / safe
    linear_ok = determinant > 1e-9 * np.maximum(s0 * s2, 1e-300)
    level = np.where(
        linear_ok,
        (s2 * t0 - s1 * t1) / np.where(linear_ok, determinant, 1.0),
        constant,
    )
    # never beyond the values of the claims that weigh on the date: a steep local slope
    # over few claims would otherwise run away (no extrapolation, in value as in time)
    weighs = weights > 0.01 * weights.max(axis=1, keepdims=True)
    lowest = np.where(weighs, y, np.inf).min(axis=1)
    highest = np.where(weighs, y, -np.inf).max(axis=1)
    level = np.clip(level, np.minimum(lowest, constant), np.maximum(highest, constant))
    slope = np.where(linear_ok, (s0 * t1 - s1 * t0) / np.where(linear_ok, determinant, 1.0), 0.0)
    residual = y - (level[:, None] + slope[:, None] * d)
    variance = (weights * residual**2).sum(axis=1) / safe
    effective = s0**2 / np.maximum((weights**2).sum(axis=1), 1e-300)
    error: Floats = np.sqrt(variance / np.maximum(effective, 1.0))
    return level, error


def _monotone(values: Floats, weights: Floats) -> Floats:
    result = isotonic_regression(values, weights=np.maximum(weights, 1e-9), increasing=True)
    return np.asarray(result.x, dtype=np.float64)


def _curve(data: _Data, days: Sequence[date], weights: Floats, rising: bool) -> Floats:
    level, _ = _fit(data, days, weights)
    return _monotone(level, weights.sum(axis=1)) if rising else level


def estimate(
    ledger: Ledger,
    metric: Metric,
    *,
    subject: str | None = None,
    independent: bool = False,
    at: Sequence[date] = (),
) -> Estimate:
    """The consensus estimate over time (see the module doc); raises NoClaims."""
    found = observations(
        ledger, Filters(metrics=frozenset({metric}), subject=subject, independent=independent)
    )
    subjects = list(dict.fromkeys(o.subject for o in found))
    if len(subjects) > 1:
        raise NoClaims(
            f"the claims are about {len(subjects)} subjects ({', '.join(subjects)}): "
            "choose one with --subject"
        )
    used = [o for o in found if o.period is None and not o.derived]
    if not used:
        raise NoClaims(f"no stated {metric.value} figure to estimate from")
    claims = tuple(sorted((_claim(o) for o in used), key=lambda c: (c.day, c.claimant)))
    first, last = claims[0].day, claims[-1].day
    for day in at:
        if not first <= day <= last:
            raise NoClaims(
                f"--at {day.isoformat()} is outside the claims ({first.isoformat()} to "
                f"{last.isoformat()}): the estimate is never extrapolated"
            )
    days = sorted({*monthly(first, last), *at})
    data = _data(claims)
    rising = metric in CUMULATIVE
    weights = _weights(data, days)
    level, model_error = _fit(data, days, weights)
    best = _monotone(level, weights.sum(axis=1)) if rising else level

    low, high = _interval(data, days, weights, (best, model_error), rising)
    sensitivity = _sensitivity(data, days, weights, best, rising)
    points, overall = _points(data, claims, days, weights, (low, best, high))
    return Estimate(
        subjects[0],
        metric.value,
        independent,
        claims,
        points,
        overall,
        sensitivity,
        len(found) - len(used),
    )


def _interval(
    data: _Data,
    days: Sequence[date],
    weights: Floats,
    fitted: tuple[Floats, Floats],
    rising: bool,
) -> tuple[Floats, Floats]:
    """The 95% interval (log scale): bootstrap over claimants combined with model error."""
    best, model_error = fitted
    rng = np.random.default_rng(SEED)
    claimants = len(data.claimants)
    curves = np.empty((BOOTSTRAP, len(days)))
    for b in range(BOOTSTRAP):
        drawn = np.bincount(rng.integers(0, claimants, claimants), minlength=claimants)
        resampled = weights * drawn[data.claimant][None, :]
        if not (resampled.sum(axis=1) > 0).all():
            resampled = weights  # a draw that leaves a date without claims: keep all
        curves[b] = _curve(data, days, resampled, rising)
    q_low, q_high = np.quantile(curves, [0.025, 0.975], axis=0)
    below = np.sqrt((best - np.minimum(q_low, best)) ** 2 + (Z95 * model_error) ** 2)
    above = np.sqrt((np.maximum(q_high, best) - best) ** 2 + (Z95 * model_error) ** 2)
    low, high = best - below, best + above
    if rising:
        total = weights.sum(axis=1)
        low, high = _monotone(low, total), _monotone(high, total)
    return np.minimum(low, best), np.maximum(high, best)


def _sensitivity(
    data: _Data, days: Sequence[date], weights: Floats, best: Floats, rising: bool
) -> tuple[Sensitivity, ...]:
    """Each claimant left out in turn: the largest relative change of the best value."""
    found: list[Sensitivity] = []
    if len(data.claimants) < 2:
        return ()
    for c, name in enumerate(data.claimants):
        without = weights * (data.claimant != c)[None, :]
        empty = without.sum(axis=1) <= 0
        without = np.where(empty[:, None], weights, without)  # its dates alone: unchanged
        change = np.exp(_curve(data, days, without, rising) - best) - 1.0
        worst = int(np.argmax(np.abs(change)))
        found.append(Sensitivity(name, round(float(change[worst]), 4), days[worst]))
    return tuple(sorted(found, key=lambda s: (-abs(s.change), s.claimant)))


def _points(
    data: _Data,
    claims: Sequence[Claim],
    days: Sequence[date],
    weights: Floats,
    curves: tuple[Floats, Floats, Floats],
) -> tuple[tuple[Point, ...], tuple[tuple[str, float], ...]]:
    """The points with the claims and shares behind each, and each claimant's mean share."""
    low, best, high = curves
    claimants = len(data.claimants)
    points: list[Point] = []
    mean_share = np.zeros(claimants)
    for i, day in enumerate(days):
        row = weights[i]
        total = float(row.sum())
        per_claim = np.bincount(data.claim, weights=row, minlength=len(claims)) / total
        share = np.bincount(data.claimant, weights=row, minlength=claimants) / total
        mean_share += share
        listed = tuple(
            Weighted(claims[n].estimate, claims[n].claimant, round(float(per_claim[n]), 4))
            for n in np.argsort(-per_claim, kind="stable")
            if per_claim[n] >= MIN_SHARE
        )
        shares = tuple(
            (data.claimants[c], round(float(share[c]), 4))
            for c in np.argsort(-share, kind="stable")
            if share[c] >= MIN_SHARE
        )
        points.append(
            Point(
                day,
                round(math.exp(low[i])),
                round(math.exp(best[i])),
                round(math.exp(high[i])),
                listed,
                shares,
            )
        )
    mean_share /= len(days)
    overall = tuple(
        (data.claimants[c], round(float(mean_share[c]), 4))
        for c in np.argsort(-mean_share, kind="stable")
    )
    return tuple(points), overall
