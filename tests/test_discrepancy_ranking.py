"""The discrepancies as the summary ranks them (`ranked`: only the shown ones worded, the
conflict sweep without slices) against the plain reference they replace: every
discrepancy built and worded, then sorted, then cut — on a generated ledger with
thousands of conflicts, on the Economist's claims and on the shipped ledger."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reconcile.core.dates import DateSpan, shifted
from reconcile.core.figures import Interval
from reconcile.core.models import Ledger, Metric
from reconcile.reports import discrepancies as d
from reconcile.reports.comparison import Series, compare, implied, series_of
from reconcile.reports.observations import (
    CUMULATIVE,
    Filters,
    Observation,
    grouped,
    kept_estimates,
    merged_claimants,
    observations,
    observe,
)
from reconcile.reports.summary import summarise


def _reference_conflicts(found: Sequence[Observation], window: int) -> list[d.Discrepancy]:
    """The sweep as it was before issue 18: a slice per estimate, every reason worded."""
    out: list[d.Discrepancy] = []
    ordered = sorted(found, key=lambda o: o.as_of.start)
    series = series_of(found)
    for i, a in enumerate(ordered):
        horizon = shifted(a.as_of.end, window)
        for b in ordered[i + 1 :]:
            if b.as_of.start > horizon:
                break
            if a.claimant == b.claimant or (a.period is None) != (b.period is None):
                continue
            if a.period is not None and a.period != b.period:
                continue
            verdict = compare(a, b, window=window, series=series)
            if not verdict.conflict:
                continue
            ia, ib = implied(a), implied(b)
            low, high = (a, b) if ia.entirely_below(ib) else (b, a)
            days = d._days_apart(verdict.least, verdict.most, window)
            grown = ""
            if verdict.growth > 1.0:
                grown = f" even allowing {verdict.growth - 1:.0%} growth between the dates"
            order = ""
            if high.as_of.end < low.as_of.start and low.metric in CUMULATIVE:
                order = " (the later figure is the lower)"
            out.append(
                d.Discrepancy(
                    0,
                    d.Kind.CONFLICT,
                    a.subject,
                    a.metric.value,
                    f"{d._said(high)} vs {d._said(low)}: no count fits both{grown}{order}, {days}",
                    (high.estimate, low.estimate),
                    (high.claimant, low.claimant),
                    d.gap_factor(implied(low), implied(high)),
                    certain=verdict.most <= window,
                    days_apart=(verdict.least, verdict.most),
                    derived=a.derived or b.derived,  # the ranking rule since round 2
                )
            )
    return out


def _reference_wordings(ledger: Ledger, filters: Filters) -> list[d.Discrepancy]:
    """The wording check as it was before issue 18: every estimate's reports read."""
    out: list[d.Discrepancy] = []
    for estimate in kept_estimates(ledger, filters):
        for metric in estimate.figures():
            if filters.metrics and metric not in filters.metrics:
                continue
            said: dict[Interval, list[tuple[str, str]]] = {}
            for report in estimate.reported_in:
                used = estimate.printed_by(report).get(metric)
                if used is None:
                    continue
                said.setdefault(used.interval, []).append((used.text, report.document))
            if len(said) < 2:
                continue
            parts = []
            for reports in said.values():
                words = list(dict.fromkeys(text for text, _ in reports))
                documents = list(dict.fromkeys(document for _, document in reports))
                parts.append(f"'{' / '.join(words)}' ({', '.join(documents)})")
            out.append(
                d.Discrepancy(
                    0,
                    d.Kind.WORDING,
                    ledger.subject_of(estimate),
                    metric.value,
                    f"{estimate.claimant}'s {metric} reported as " + " vs ".join(parts),
                    (estimate.id,),
                    (estimate.claimant,),
                    None,
                )
            )
    return out


def _reference(ledger: Ledger, filters: Filters, window: int) -> list[d.Discrepancy]:
    found: list[d.Discrepancy] = []
    for group in grouped(observations(ledger, filters)).values():
        found.extend(_reference_conflicts(group, window))
        found.extend(d._falls(group))
    found.extend(_reference_wordings(ledger, filters))
    found.extend(d._parts(ledger, filters))
    kinds = list(d.Kind)
    found.sort(
        key=lambda x: (
            kinds.index(x.kind),
            x.derived,
            not x.certain,
            -(x.factor or 0.0),
            x.days_apart[1] if x.days_apart else 0,
            x.subject,
            x.metric,
            x.estimates,
        )
    )
    return [replace(x, rank=n) for n, x in enumerate(found, 1)]


FILTERS = [
    Filters(),
    Filters(metrics=frozenset({Metric.KILLED})),
    Filters(independent=True),
]


@pytest.mark.parametrize("which", ["generated", "economist", "shipped"])
@pytest.mark.parametrize("filters", FILTERS, ids=["all", "killed", "independent"])
@pytest.mark.parametrize("window", [0, 14, 90])
def test_ranked_is_the_reference_cut(
    which: str, filters: Filters, window: int, request: pytest.FixtureRequest
) -> None:
    ledger: Ledger = request.getfixturevalue(which)
    reference = _reference(ledger, filters, window)
    if which == "generated" and window == 14 and filters == Filters():
        assert len(reference) > 100  # the sweep and the cut are really exercised
    if which == "shipped" and filters == Filters():  # so are the wordings
        assert any(x.kind is d.Kind.WORDING for x in reference)
    assert d.find(ledger, filters, window) == reference
    for top in (1, 20, len(reference) + 5):
        shown, total = d.ranked(ledger, filters, window, top)
        assert total == len(reference)
        assert shown == reference[:top]


def test_summary_shows_the_reference_top_and_counts_them_all(generated: Ledger) -> None:
    reference = _reference(generated, Filters(), d.DEFAULT_WINDOW)
    summary = summarise(generated)
    assert summary.discrepancies_total == len(reference)
    assert list(summary.discrepancies) == reference[:20]
    assert all(x.reason for x in summary.discrepancies)
    assert list(summarise(generated, top=0).discrepancies) == reference


# --- the sweep against the reference on generated groups (issue 18) -----------------

_DAY0 = date(2024, 1, 1)


def _old_level(points: tuple[tuple[date, int], ...], day: date) -> float:
    """`Series.level` as it was before issue 18: the logs and a linear search per call."""
    logs: list[float] = []
    for _, value in points:
        level = math.log(max(value, 1))
        logs.append(max(level, logs[-1]) if logs else level)
    days = [p[0].toordinal() for p in points]
    t = day.toordinal()
    if len(points) == 1:
        return logs[0]
    i = 0
    while i < len(points) - 2 and t > days[i + 1]:
        i += 1
    span = days[i + 1] - days[i]
    rate = (logs[i + 1] - logs[i]) / span if span else 0.0
    return logs[i] + rate * (t - days[i])


@given(
    st.dictionaries(st.integers(0, 400), st.integers(0, 10**7), min_size=1, max_size=12),
    st.lists(st.integers(-200, 700), min_size=1, max_size=8),
)
def test_a_series_level_is_the_linear_searchs(values: dict[int, int], asked: list[int]) -> None:
    points = tuple(sorted((_DAY0 + timedelta(days=k), v) for k, v in values.items()))
    series = Series(points)
    for offset in [*asked, *asked]:  # twice: the second answer is the remembered one
        day = _DAY0 + timedelta(days=offset)
        assert series.level(day) == _old_level(points, day)


def _reference_falls(found: Sequence[Observation]) -> list[tuple[str, ...]]:
    """`_falls` as it was before issue 18 (every earlier figure of the claimant scanned),
    as the estimates of each fall."""
    out: list[tuple[str, ...]] = []
    if not found or found[0].metric not in {*CUMULATIVE, Metric.DEPLOYED}:
        return out
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
        if earlier:
            before = max(earlier, key=lambda o: (o.as_of.end, o.as_of.start))
            out.append((before.estimate, later.estimate))
    return out


_INTERVALS = st.one_of(
    st.sampled_from([0, 90, 100, 1000, 1200, 3800, 20_000, 783_000, 783_138]).map(
        lambda v: Interval(v, v)
    ),
    st.builds(
        lambda low, width, lc, hc, bounded: Interval(low, low + width if bounded else None, lc, hc),
        st.integers(0, 5000),
        st.integers(0, 3000),
        st.booleans(),
        st.booleans(),
        st.booleans(),
    ),
)


@st.composite
def _groups(draw: st.DrawFn) -> list[Observation]:
    """One subject and metric's observations: few claimants, dates that overlap and
    touch, rounded, exact, open, unbounded and empty intervals, periods, derived totals."""
    metric = draw(st.sampled_from([Metric.KILLED, Metric.DEPLOYED, Metric.CASUALTIES]))
    found = []
    for n in range(draw(st.integers(0, 24))):
        start = _DAY0 + timedelta(days=draw(st.integers(0, 60)))
        end = start + timedelta(days=draw(st.sampled_from([0, 0, 0, 3, 30])))
        text = start.isoformat() if start == end else f"{start}/{end}"
        period = draw(st.sampled_from([None, None, None, "a", "b"]))
        interval = draw(_INTERVALS)
        best = interval.first()
        found.append(
            Observation(
                f"e{n:02d}",
                draw(st.sampled_from(["p", "q", "r"])),
                False,
                "war",
                metric,
                DateSpan(start, end, text),
                None if period is None else DateSpan(_DAY0, _DAY0, period),
                str(best),
                str(best),
                interval,
                best,
                draw(st.booleans()),
                ("doc",),
            )
        )
    return sorted(found, key=Observation.order)


@given(_groups(), st.sampled_from([-1, 0, 3, 14, 90]))
def test_the_sweep_finds_the_references_conflicts_in_its_order(
    group: list[Observation], window: int
) -> None:
    expected = _reference_conflicts(group, window)
    pairs = list(d._conflicts(group, window))
    series = series_of(group)
    assert [d._conflict(pair, series, window=window) for pair in pairs] == expected
    for (_, _, _, _, most, factor), shown in zip(pairs, expected, strict=True):
        assert shown.days_apart is not None
        assert (most, factor) == (shown.days_apart[1], -(shown.factor or 0.0))
    assert [(x.estimates) for x in d._falls(group)] == _reference_falls(group)


@pytest.mark.parametrize("which", ["generated", "economist", "shipped"])
def test_falls_are_the_references(which: str, request: pytest.FixtureRequest) -> None:
    ledger: Ledger = request.getfixturevalue(which)
    for group in grouped(observations(ledger)).values():
        assert [x.estimates for x in d._falls(group)] == _reference_falls(group)


def test_a_summary_runs_the_full_rule_only_for_the_conflicts_it_shows(
    generated: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The sweep decides every pair on numbers worked out once per figure; `compare`
    (objects, implied intervals, series looked up per call) words the 20 shown."""
    calls = 0
    real = compare

    def counted(*args: Any, **kwargs: Any) -> Any:
        nonlocal calls
        calls += 1
        return real(*args, **kwargs)

    monkeypatch.setattr(d, "compare", counted)
    summary = summarise(generated)
    assert summary.discrepancies_total > 100
    shown = [x for x in summary.discrepancies if x.kind is d.Kind.CONFLICT]
    assert len(shown) == calls == 20


@pytest.mark.parametrize("which", ["generated", "economist", "shipped"])
@pytest.mark.parametrize("filters", FILTERS, ids=["all", "killed", "independent"])
def test_observations_are_every_estimates_sorted_one_by_one(
    which: str, filters: Filters, request: pytest.FixtureRequest
) -> None:
    """Sorting estimates, not their observations, gives the observations' own order."""
    ledger: Ledger = request.getfixturevalue(which)
    merged = merged_claimants(ledger)
    every = [
        o
        for estimate in kept_estimates(ledger, filters)
        for o in observe(ledger, estimate, merged=merged)
        if not filters.metrics or o.metric in filters.metrics
    ]
    assert observations(ledger, filters) == sorted(every, key=Observation.order)


@given(_groups(), st.sampled_from([0, 14]), st.integers(1, 8))
def test_the_top_of_generated_groups_is_the_full_rankings_cut(
    shipped: Ledger, group: list[Observation], window: int, top: int
) -> None:
    """Ties on everything but the dates and ids (the same gap between the same
    kinds of figure) are where turning a conflict away early could go wrong."""
    groups = grouped(group)
    every, total = d.ranked(shipped, Filters(), window, 0, observed=group, groups=groups)
    shown, counted = d.ranked(shipped, Filters(), window, top, observed=group, groups=groups)
    assert (shown, counted) == (every[:top], total)


@given(
    st.dictionaries(st.integers(0, 400), st.integers(0, 10**7), min_size=2, max_size=12),
    st.lists(st.tuples(st.integers(-200, 700), st.integers(-200, 700)), min_size=1, max_size=8),
)
@example({0: 0, 1: 653429}, [(-1, 53)])  # extrapolated growth past a float: inf
def test_a_series_growth_is_its_levels(
    values: dict[int, int], asked: list[tuple[int, int]]
) -> None:
    """Growth from the levels remembered per day is the exponential of the levels' difference."""
    points = tuple(sorted((_DAY0 + timedelta(days=k), v) for k, v in values.items()))
    series = Series(points)
    for first, last in [*asked, *asked]:
        a, b = _DAY0 + timedelta(days=first), _DAY0 + timedelta(days=last)
        assert series.growth(a, b) == (_old_growth(points, a, b) if b > a else 1.0)


def _old_growth(points: tuple[tuple[date, int], ...], a: date, b: date) -> float:
    """`Series.growth` as it was: any growth (inf) where extrapolating a steep
    series over a long span overflows."""
    try:
        return math.exp(_old_level(points, b) - _old_level(points, a))
    except OverflowError:
        return math.inf
