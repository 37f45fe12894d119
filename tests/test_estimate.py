"""`reconcile estimate` on synthetic claims drawn around a known curve, and its promises."""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from typing import Any

import pytest

from reconcile.core.models import Ledger, Metric
from reconcile.reports.estimate import NoClaims, estimate, monthly

START = date(2022, 3, 1)
DAYS = 1200


def truth(day: date) -> float:
    """The known toll: fast growth at first, then slower (a concave rising curve)."""
    t = (day - START).days
    return 5_000 + 400 * t + 0.08 * t * t


def ledger_of(
    claims: list[tuple[str, date, int | str]], party: frozenset[str] = frozenset()
) -> Ledger:
    sources = sorted({c for c, _, _ in claims})
    data: dict[str, Any] = {
        "title": "synthetic",
        "subject": "war",
        "sources": [
            {
                "id": s,
                "name": s,
                "kind": "other",
                "party": "Ruritania" if s in party else "third-party",
            }
            for s in sources
        ],
        "documents": [{"id": "d", "title": "d", "publisher": None, "published": None}],
        "estimates": [
            {
                "id": f"{claimant}-{n}",
                "claimant": claimant,
                "as_of": day.isoformat(),
                "killed": figure,
                "reported_in": [{"document": "d", "quote": f"{figure}"}],
            }
            for n, (claimant, day, figure) in enumerate(claims)
        ],
    }
    return Ledger.model_validate(data)


def synthetic(seed: int) -> list[tuple[str, date, int | str]]:
    """Eight claimants, each with its own bias (±20%), claims at random dates with 8% noise;
    one publishes weekly (it must not dominate), some give ranges or a central value."""
    rng = random.Random(seed)
    claims: list[tuple[str, date, int | str]] = []
    for k in range(8):
        bias = math.exp(rng.gauss(0, 0.12))
        count = 150 if k == 0 else rng.randint(3, 9)
        for _ in range(count):
            day = START + timedelta(days=rng.randint(0, DAYS))
            value = truth(day) * bias * math.exp(rng.gauss(0, 0.08))
            style = rng.random()
            if style < 0.5 or k == 0:
                figure: int | str = round(value)
            elif style < 0.8:
                figure = f"{round(value * 0.85):,}-{round(value * 1.15):,}"
            else:
                figure = f"{round(value):,} ({round(value * 0.8):,}-{round(value * 1.2):,})"
            claims.append((f"claimant-{k}", day, figure))
    return claims


def test_the_known_curve_lies_inside_the_interval_and_near_the_best() -> None:
    """Over six draws (each with claimants biased by up to ±25%, so a draw's claimants may
    all lean one way): the curve inside the 95% interval at nearly all dates, the best
    value within a few percent of it at the median date."""
    inside, dates, medians = 0, 0, []
    for seed in range(1, 7):
        result = estimate(ledger_of(synthetic(seed)), Metric.KILLED)
        inside += sum(p.low <= truth(p.day) <= p.high for p in result.points)
        dates += len(result.points)
        errors = sorted(abs(p.best / truth(p.day) - 1) for p in result.points)
        medians.append(errors[len(errors) // 2])
        # the weekly claimant weighs about as much as one other claimant, not 150 of them
        assert dict(result.shares)["claimant-0"] < 0.3
    assert inside >= 0.88 * dates, f"{inside} of {dates} inside"
    assert sum(medians) / len(medians) < 0.07
    assert max(medians) < 0.15


def test_the_series_is_monotone_monthly_and_never_past_the_last_claim() -> None:
    claims = synthetic(4)
    result = estimate(ledger_of(claims), Metric.KILLED)
    first, last = min(d for _, d, _ in claims), max(d for _, d, _ in claims)
    days = [p.day for p in result.points]
    assert days == monthly(first, last) and days[0] == first and days[-1] == last
    for before, after in zip(result.points, result.points[1:], strict=False):
        assert before.best <= after.best and before.low <= after.low
        assert before.high <= after.high
    for point in result.points:
        assert point.low <= point.best <= point.high
        assert abs(sum(w for _, w in point.shares) - 1) < 0.02
        assert all(isinstance(v, int) for v in (point.low, point.best, point.high))
    json = result.to_json()
    assert json["points"][0]["date"] == first.isoformat()
    assert json["points"][0]["claims"][0]["weight"] > 0


def test_at_dates_outside_the_claims_are_refused_and_parties_can_be_left_out() -> None:
    claims: list[tuple[str, date, int | str]] = [
        ("a", START, 1_000),
        ("b", START + timedelta(days=100), "2,000-3,000"),
        ("c", START + timedelta(days=200), "at least 4,000"),
    ]
    with pytest.raises(NoClaims, match="never extrapolated"):
        estimate(ledger_of(claims), Metric.KILLED, at=[START + timedelta(days=201)])
    inside = estimate(ledger_of(claims), Metric.KILLED, at=[START + timedelta(days=50)])
    assert START + timedelta(days=50) in [p.day for p in inside.points]
    independent = estimate(
        ledger_of(claims, party=frozenset({"c"})), Metric.KILLED, independent=True
    )
    assert {c.claimant for c in independent.claims} == {"a", "b"}
    with pytest.raises(NoClaims, match="no stated wounded"):
        estimate(ledger_of(claims), Metric.WOUNDED)


def test_leaving_out_an_outlier_claimant_shows_its_influence() -> None:
    claims: list[tuple[str, date, int | str]] = [
        (name, START + timedelta(days=d), round(truth(START + timedelta(days=d)) * factor))
        for name, factor in (("a", 1.0), ("b", 1.05), ("c", 0.95), ("outlier", 3.0))
        for d in (0, 90, 180, 270)
    ]
    result = estimate(ledger_of(claims), Metric.KILLED)
    assert result.sensitivity[0].claimant == "outlier"
    assert result.sensitivity[0].change < -0.15
