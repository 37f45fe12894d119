"""The summary: the state of knowledge as of a date, per subject and metric.

By default (docs/reports.md, "summary"): for each claimant, its latest figure as
of D (the `--as-of` date, else the latest day by which the ledger knows a claim
was made, `observations.known_by`, never after today); the *range of
claims* across claimants at D — lowest, highest, median, spread — never a
confidence interval.  Each claimant counts once.  Claims older than `recent` days
(counted from D, or from the first possible day of the imprecise date that sets the
default D) are listed but left out of the range (a 2022 toll says little about
2026).  Figures for a period (`period`, e.g. killed in three days) are not
running totals and are left out (counted apart).  A derived total (killed +
wounded) enters the range only when nobody stated that total.

Statistics use only numbers a claimant stated (`stated_bounds`): "more than
10,000" is 10,000, never 10,001; a central value inside a range is that value; a
bare range is its two bounds as stated, never its midpoint.  The median
(`median_of`) is one stated figure, or the two stated figures it lies between:
the middle low bound and the middle high bound (for an even count, the lower of
the two middle lows and the higher of the two middle highs).  The spread is the
highest claim's high bound ÷ the lowest claim's low bound.

`history=True` gives the whole history instead: every stated figure over time
(lowest and highest ever, how many), and no median or spread, which would mix
tolls of different dates.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from reconcile.core.figures import Figure, Qualifier, parse_figure
from reconcile.core.models import Ledger
from reconcile.core.numbers import reading_decimal_comma
from reconcile.reports.discrepancies import DEFAULT_WINDOW, Discrepancy, ranked
from reconcile.reports.observations import (
    Filters,
    Observation,
    direct_first,
    grouped,
    known_by,
    observations,
    published_days,
)

DEFAULT_RECENT = 365
"""Days before D within which a claimant's latest figure enters the range of claims."""


def figure_bounds(figure: Figure) -> tuple[int, int]:
    """The lowest and highest number a figure states, as stated: (10,000, 10,000) for
    "more than 10,000"; (85,600, 85,600) for "85,600 (75,600–99,600)", whose central
    value is its claim; (125,000, 150,000) for "125,000–150,000".  A vague word
    ("hundreds") states no number: its best reading (docs/qualifiers.md), twice."""
    numbers = figure.numbers
    if figure.qualifier is Qualifier.RANGE:
        if len(numbers) == 3:
            return numbers[2], numbers[2]
        return numbers[0], numbers[1]
    if numbers:
        return numbers[0], numbers[0]
    return figure.best, figure.best


_KILLED, _WOUNDED = " killed + ", " wounded"


def stated_bounds(o: Observation) -> tuple[int, int]:
    """The lowest and highest number the claimant stated (`figure_bounds`); a derived
    total (killed + wounded), the sums of its parts' stated bounds."""
    comma = reading_decimal_comma()
    if o.derived:
        killed, wounded = o.words.removesuffix(_WOUNDED).split(_KILLED, 1)
        k, w = _bounds_of(killed, comma), _bounds_of(wounded, comma)
        return k[0] + w[0], k[1] + w[1]
    return _bounds_of(o.words, comma)


@lru_cache(maxsize=1 << 14)
def _bounds_of(words: str, comma: bool) -> tuple[int, int]:
    """`figure_bounds` of the figure `words` write, read with a decimal comma when
    `comma` (the reading in force: the key says which).  Remembered: a summary asks
    it of each claim several times (the lowest, the highest, the median)."""
    del comma  # in the key only: parse_figure reads the setting in force itself
    return figure_bounds(parse_figure(words))


@dataclass(frozen=True, slots=True)
class Median:
    """A median of stated figures: one figure (`low == high`), or the two stated
    figures it lies between ("between 1,000 and 3,800")."""

    low: int
    high: int

    def to_json(self) -> dict[str, int]:
        return {"low": self.low, "high": self.high}


def median_of(bounds: Sequence[tuple[int, int]]) -> Median:
    """The median of claims given as their stated (low, high) bounds, each claim once.

    Odd count: the middle low bound and the middle high bound (one figure when the
    middle claim states one).  Even count: the lower of the two middle low bounds and
    the higher of the two middle high bounds.  Each is a bound some claim stated; low
    never exceeds high (the k-th lowest low bound is at most the k-th lowest high)."""
    lows = sorted(low for low, _ in bounds)
    highs = sorted(high for _, high in bounds)
    return Median(lows[(len(lows) - 1) // 2], highs[len(highs) // 2])


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
    median: Median | None
    """Of the stated figures shown (None in the history, which mixes dates)."""
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
        """The lowest number stated: the lowest claim's low bound."""
        return stated_bounds(self.lowest)[0]

    @property
    def highest_stated(self) -> int:
        """The highest number stated: the highest claim's high bound."""
        return stated_bounds(self.highest)[1]

    @property
    def spread(self) -> float | None:
        """highest ÷ lowest stated number, rounded to 2 places (None when the lowest is
        0, and in the history)."""
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
            "median": None if self.median is None else self.median.to_json(),
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
    set_by: str | None = None
    """The estimate whose date (or its documents' publication) sets the default D;
    None when `--as-of` chose D, or in the history."""
    ages_from: date | None = None
    """The day a figure's age is counted from: D, or when the estimate that sets the
    default D has an imprecise date, its first possible day (docs/reports.md)."""
    as_of_note: str | None = None
    """How D was chosen, in words, for the tables' footnote (None in the history)."""

    @property
    def history(self) -> bool:
        return self.as_of is None

    def to_json(self) -> dict[str, Any]:
        return {
            "filters": self.filters.to_json(),
            "mode": "history" if self.history else "as-of",
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "recent": None if self.history else self.recent,
            "set_by": self.set_by,
            "ages_from": self.ages_from.isoformat() if self.ages_from else None,
            "window": self.window,
            "metrics": [m.to_json() for m in self.metrics],
            "discrepancies": [d.to_json() for d in self.discrepancies],
            "discrepancies_total": self.discrepancies_total,
        }


def _low_rank(o: Observation) -> tuple[int, int, Any, Any]:
    return (stated_bounds(o)[0], o.interval.low, o.as_of.start, o.as_of.end)


def _high_rank(o: Observation) -> tuple[int, int, Any, Any]:
    return (stated_bounds(o)[1], o.interval.low, o.as_of.start, o.as_of.end)


DEFAULT_TOP = 20
"""A summary is an overview: it lists the highest-ranked discrepancies, and says how
many there are (`reconcile discrepancies` lists them all)."""


def _latest(found: Sequence[Observation]) -> dict[str, Observation]:
    """Each claimant's latest figure: latest first day, then last day; a stated one
    before a derived one of the same dates; the last given of equals (the last of
    the claimant's figures sorted stably by those three, found in one pass)."""
    latest: dict[str, Observation] = {}
    for o in found:
        held = latest.get(o.claimant)
        if held is not None:
            span, other = o.as_of, held.as_of
            if span.start != other.start:
                if span.start < other.start:
                    continue
            elif span.end != other.end:
                if span.end < other.end:
                    continue
            elif o.derived and not held.derived:
                continue
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
    today: date | None = None,
) -> Summary:
    chosen = filters or Filters()
    found_all = observations(ledger, chosen)
    as_of: date | None = None
    set_by: str | None = None
    ages_from: date | None = None
    note: str | None = None
    if not history:
        if chosen.as_of is not None:
            as_of = ages_from = chosen.as_of
            note = f"D = {as_of.isoformat()}, chosen with --as-of."
        elif found_all:
            day = today or date.today()
            as_of, set_by, ages_from = default_as_of(ledger, found_all, day)
            note = _as_of_note(ledger, set_by, as_of, ages_from, day)
    rows: list[MetricSummary] = []
    groups = grouped(found_all, in_order=True)
    for (subject, metric), found in groups.items():
        running = [o for o in found if o.period is None]
        if not running:
            continue
        period = len(found) - len(running)
        latest_all = sorted(_latest(running).values(), key=lambda o: o.claimant)
        if as_of is None:
            shown, older = running, []
        else:
            latest = latest_all
            assert ages_from is not None
            shown = [o for o in latest if (ages_from - o.as_of.end).days <= recent]
            older = [o for o in latest if (ages_from - o.as_of.end).days > recent]
            if not shown:
                shown, older = latest, []
        pool = direct_first(shown)
        rows.append(
            MetricSummary(
                subject=subject,
                metric=metric.value,
                estimates=len(pool),
                derived=sum(o.derived for o in pool),
                claimants=len({o.claimant for o in pool}),
                lowest=min(pool, key=_low_rank),
                highest=max(pool, key=_high_rank),
                median=None if as_of is None else median_of([stated_bounds(o) for o in pool]),
                latest=tuple(latest_all),
                from_derived=pool[0].derived,
                older=tuple(older),
                period_figures=period,
            )
        )
    shown_d, total = ranked(ledger, chosen, window, top, observed=found_all, groups=groups)
    return Summary(
        chosen, window, tuple(rows), tuple(shown_d), total, as_of, recent, set_by, ages_from, note
    )


def _as_of_note(ledger: Ledger, set_by: str, as_of: date, ages_from: date, today: date) -> str:
    """'D = 2025-01-13: the latest day by which the ledger knows a claim was made
    (nis-2025-01-13, dated 2025-01-13); --as-of DATE chooses another.'"""
    estimate = next(e for e in ledger.estimates if e.id == set_by)
    why = f"{set_by}, dated {estimate.as_of.text}"
    if as_of == today and known_by(ledger, estimate) > today:
        why += "; never after today"
    elif as_of < estimate.as_of.end:
        why += ", reported in a document published by then"
    note = (
        f"D = {as_of.isoformat()}: the latest day by which the ledger knows a claim was "
        f"made ({why}); --as-of DATE chooses another."
    )
    if ages_from < as_of:
        note += (
            f" That date is imprecise, so a figure's age is counted from its first "
            f"possible day, {ages_from.isoformat()}."
        )
    return note


def default_as_of(
    ledger: Ledger, found: Sequence[Observation], today: date
) -> tuple[date, str, date]:
    """The default D, the estimate that sets it, and the day ages are counted from.

    D is the latest day by which the ledger knows a claim was made (`known_by`: the
    claim's last possible day, or an earlier publication of a document reporting it),
    never after today.  Ages are counted from the first possible day of the estimate
    that sets D (at most D): a claim dated only "2025" makes D 2025-12-31, but it may
    have been made on 2025-01-01, and a figure of 2024-10-24 is not thereby a year old
    (an imprecise date read in the way most favourable to keeping a figure).
    `found`: as `observations` makes them (each with all its estimate's documents).
    """
    published = published_days(ledger)
    best: tuple[date, date, str] | None = None
    # read off the observations (each carries its estimate's dates and documents, as
    # `observations` makes them), not the estimates: the latest first (`found` is in
    # date order), so nearly every one is passed over on its last day alone; of
    # equals, the first given still wins (>=)
    for o in reversed(found):
        span = o.as_of
        if best is not None and span.end < best[0]:
            continue  # known by its last day at the latest: before the best, whatever else
        known = span.end  # `known_by`, worked out here
        for document in o.documents:
            day = published.get(document)
            if day is not None and day < known:
                known = day
        known = min(known, today)
        start = min(span.start, known)
        if best is None or (known, start) >= best[:2]:
            best = (known, start, o.estimate)
    assert best is not None
    return best[0], best[2], best[1]
