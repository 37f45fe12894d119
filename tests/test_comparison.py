"""The time-aware rule of comparison: precision, growth, window (analysis/comparison.py)."""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from reconcile.core.dates import parse_span
from reconcile.core.figure_text import format_figure
from reconcile.core.figures import Interval, parse_figure
from reconcile.core.models import Metric
from reconcile.reports.comparison import DEFAULT_GROWTH, compare, implied, series_of
from reconcile.reports.observations import Observation

START = date(2022, 2, 24)


def seen(
    claimant: str,
    day: date | str,
    words: str,
    metric: Metric = Metric.KILLED,
    estimate: str | None = None,
) -> Observation:
    figure = parse_figure(words)
    span = parse_span(day.isoformat() if isinstance(day, date) else day)
    return Observation(
        estimate or f"{claimant}-{span.text}",
        claimant,
        False,
        "war",
        metric,
        span,
        None,
        figure.text,
        format_figure(figure),
        figure.interval,
        figure.best,
        False,
        ("doc",),
    )


def test_round_figures_carry_their_implied_precision() -> None:
    assert implied(seen("a", START, "783,000")) == Interval(782_500, 783_500)
    assert implied(seen("a", START, "783,138")) == Interval(783_138, 783_138)
    assert implied(seen("a", START, "20,000")) == Interval(18_000, 22_000)  # at most 10%
    assert implied(seen("a", START, "1,340")) == Interval(1_340, 1_340)  # one zero: exact
    assert implied(seen("a", START, "about 3,800")) == parse_figure("about 3,800").interval


def test_a_rounded_and_an_exact_figure_of_one_day_agree() -> None:
    """The Economist's data: IISS "783,000" and UK MoD "783,138", both 1 January 2025."""
    verdict = compare(seen("iiss", START, "783,000"), seen("uk", START, "783,138"), window=14)
    assert verdict.compared and not verdict.conflict


def test_further_apart_than_the_window_is_not_compared() -> None:
    later = START + timedelta(days=1340)
    verdict = compare(seen("uk", START, "15,000"), seen("csis", later, "1,490,000"), window=14)
    assert not verdict.compared and not verdict.conflict


def test_growth_is_allowed_between_dates_and_a_later_lower_figure_conflicts() -> None:
    low, high = seen("a", START, "1,000"), seen("b", START + timedelta(days=10), "1,040")
    assert not compare(low, high, window=14).conflict  # 4% in 10 days: within 0.5% a day
    jump = seen("b", START + timedelta(days=10), "2,000")
    assert compare(low, jump, window=14).conflict
    fallen = seen("b", START + timedelta(days=10), "900")
    assert compare(seen("a", START, "1,001"), fallen, window=14).conflict


def test_a_claimants_own_series_sets_the_growth_allowed() -> None:
    fast = [seen("b", START + timedelta(days=d), str(v)) for d, v in ((0, 1_001), (10, 2_001))]
    series = series_of(fast)
    jump = seen("b", START + timedelta(days=10), "2,001")
    a = seen("a", START, "1,001")
    assert compare(a, jump, window=14).conflict
    assert not compare(a, jump, window=14, series=series).conflict


def test_deployed_may_fall() -> None:
    before = seen("a", START, "12,001", Metric.DEPLOYED)
    after = seen("b", START + timedelta(days=10), "11,501", Metric.DEPLOYED)
    assert not compare(before, after, window=14).conflict


@st.composite
def rising_series(draw: st.DrawFn) -> list[tuple[date, int]]:
    steps = draw(st.lists(st.tuples(st.integers(1, 60), st.integers(0, 50_000)), min_size=2,
                          max_size=8))  # fmt: skip
    day, value, points = START, draw(st.integers(1, 100_000)), []
    for gap, rise in steps:
        points.append((day, value))
        day, value = day + timedelta(days=gap), value + rise
    return points


@given(rising_series(), st.integers(0, 400))
def test_a_claimants_own_rising_series_never_conflicts_with_itself(
    points: list[tuple[date, int]], window: int
) -> None:
    found = [seen("a", day, str(value), estimate=f"e{i}") for i, (day, value) in
             enumerate(points)]  # fmt: skip
    series = series_of(found)
    for i, first in enumerate(found):
        for second in found[i + 1 :]:
            # as if another claimant had said it: the series' own growth allows it
            other = seen("b", second.as_of.start, second.words)
            assert not compare(first, other, window=window, series=series).conflict


@given(
    st.tuples(st.integers(1, 2_000_000), st.integers(1, 2_000_000)),
    st.tuples(st.integers(0, 30), st.integers(0, 300), st.integers(0, 300)),
    st.sampled_from(list(Metric)),
    st.sampled_from(["", "about ", "at least ", "nearly ", "up to "]),
)
def test_moving_two_figures_further_apart_never_creates_a_conflict(
    figures: tuple[int, int], days: tuple[int, int, int], metric: Metric, words: str
) -> None:
    (x, y), (gap, earlier, later) = figures, days
    first, second = START, START + timedelta(days=gap)

    def pair(d1: date, d2: date) -> bool:
        a = seen("a", d1, f"{words}{x}", metric)
        b = seen("b", d2, str(y), metric)
        return compare(a, b, window=60, rate=DEFAULT_GROWTH).conflict

    near = pair(first, second)
    far = pair(first - timedelta(days=earlier), second + timedelta(days=later))
    assert far <= near
