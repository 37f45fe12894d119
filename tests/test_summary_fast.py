"""The summary's own steps as issue 18 made them (each claimant's latest figure in one
pass, the default D with `known_by` worked out in place, the series by day without a
midpoint per single day) against the plain code they replace, kept here as the
reference: on a generated ledger, the Economist's claims, the shipped ledger and
hypothesis-drawn groups of figures."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from itertools import permutations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from reconcile.core.dates import DateSpan
from reconcile.core.figures import Interval
from reconcile.core.models import Ledger, Metric
from reconcile.reports import discrepancies as d
from reconcile.reports import summary as s
from reconcile.reports.comparison import DEFAULT_GROWTH, Series, allowance, series_of
from reconcile.reports.observations import Observation, grouped, known_by, observations
from tests.test_discrepancy_ranking import _groups


def _reference_latest(found: Sequence[Observation]) -> dict[str, Observation]:
    latest: dict[str, Observation] = {}
    for o in sorted(found, key=lambda o: (o.as_of.start, o.as_of.end, not o.derived)):
        latest[o.claimant] = o
    return latest


def _reference_default_as_of(
    ledger: Ledger, found: Sequence[Observation], today: date
) -> tuple[date, str, date]:
    by_id = {e.id: e for e in ledger.estimates}
    best: tuple[date, date, str] | None = None
    for estimate_id in dict.fromkeys(o.estimate for o in found):
        estimate = by_id[estimate_id]
        known = min(known_by(ledger, estimate), today)
        start = min(estimate.as_of.start, known)
        if best is None or (known, start) > best[:2]:
            best = (known, start, estimate_id)
    assert best is not None
    return best[0], best[2], best[1]


def _reference_series(found: Sequence[Observation]) -> dict[str, Series]:
    by_claimant: dict[str, dict[date, int]] = {}
    for o in found:
        if o.period is not None or o.derived:
            continue
        days = by_claimant.setdefault(o.claimant, {})
        day = o.as_of.midpoint()
        days[day] = max(days.get(day, 0), o.best)
    return {
        claimant: Series(tuple(sorted(days.items())))
        for claimant, days in by_claimant.items()
        if len(days) >= 2
    }


def _same_latest(found: Sequence[Observation]) -> None:
    """The same figure (not only an equal one) for each claimant; the summary sorts the
    claimants, so the dict's order is free."""
    mine, theirs = s._latest(found), _reference_latest(found)
    assert mine.keys() == theirs.keys()
    assert all(mine[c] is theirs[c] for c in mine)


@pytest.mark.parametrize("which", ["generated", "economist", "shipped"])
def test_the_summary_steps_are_the_references(which: str, request: pytest.FixtureRequest) -> None:
    ledger: Ledger = request.getfixturevalue(which)
    found = observations(ledger)
    for group in grouped(found).values():
        running = [o for o in group if o.period is None]
        _same_latest(running)
        _same_latest(running[::-1])  # any order: the last given of equals
        assert series_of(group) == _reference_series(group)
    days = sorted({o.as_of.end for o in found})
    for today in (days[0], days[len(days) // 2], days[-1], date(2100, 1, 1)):
        assert s.default_as_of(ledger, found, today) == _reference_default_as_of(
            ledger, found, today
        )


@given(_groups(), st.booleans())
def test_drawn_groups_have_the_references_latest_and_series(
    group: list[Observation], backwards: bool
) -> None:
    """Generated figures: overlapping dates, one day's several figures, stated and derived
    totals of the same dates, periods."""
    found = group[::-1] if backwards else group
    _same_latest(found)
    assert series_of(found) == _reference_series(found)


def test_of_equal_figures_the_last_given_is_latest() -> None:
    """Two derived totals and two stated figures of one claimant on the same dates, in
    every order: the stated one last given wins, as the stable sort made it win."""
    day = DateSpan(date(2024, 5, 1), date(2024, 5, 3), "2024-05-01/2024-05-03")

    def made(estimate: str, derived: bool) -> Observation:
        return Observation(
            estimate, "p", False, "war", Metric.CASUALTIES, day, None, "9", "9",
            Interval(9, 9), 9, derived, ("doc",),
        )  # fmt: skip

    figures = [made("d1", True), made("d2", True), made("s1", False), made("s2", False)]
    for order in permutations(figures):
        _same_latest(list(order))
        _same_latest(list(order[:2]))


@st.composite
def _slow_series(draw: st.DrawFn) -> Series:
    """A claimant's figures rising at most about DEFAULT_GROWTH a day (some falling)."""
    day, value = 0, draw(st.integers(1, 10**7))
    points = [(_DAY0 + timedelta(days=day), value)]
    for _ in range(draw(st.integers(1, 8))):
        gap = draw(st.integers(1, 400))
        rate = draw(
            st.sampled_from([0.0, 0.001, 0.0049, 0.00499, 0.004999, 0.00501, 0.0051, -0.01])
        )
        day, value = day + gap, max(0, int(value * (1 + rate) ** gap))
        points.append((_DAY0 + timedelta(days=day), value))
    return Series(tuple(points))


_DAY0 = date(2024, 1, 1)


@given(
    _slow_series(),
    st.lists(st.tuples(st.integers(-300, 3500), st.integers(1, 400)), min_size=1, max_size=10),
    st.integers(1, 10**9),
)
def test_a_slow_series_never_allows_more_than_the_default(
    series: Series, asked: list[tuple[int, int]], top: int
) -> None:
    """The sweep leaves out a series whose levels never rise faster than
    `discrepancies._SLOW` a day: the default growth bounds it on every stretch, as
    the sweep computes both (times the lower figure, times compare's slack)."""
    assume(series.fastest <= d._SLOW)  # most drawn are; a steeper one is asked of the sweep
    for start, days in asked:
        first = _DAY0.toordinal() + start
        grown = series.growth_days(first, first + days)
        assert top * grown * d._SLACK <= top * allowance(days, DEFAULT_GROWTH) * d._SLACK
