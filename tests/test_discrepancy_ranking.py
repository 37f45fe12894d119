"""The discrepancies as the summary ranks them (`ranked`: only the shown ones worded, the
conflict sweep without slices) against the plain reference they replace: every
discrepancy built and worded, then sorted, then cut — on a generated ledger with
thousands of conflicts, on the Economist's claims and on the shipped ledger."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from reconcile.checks.run import check_file
from reconcile.core.dates import shifted
from reconcile.core.figures import Interval
from reconcile.core.models import Ledger, Metric
from reconcile.reports import discrepancies as d
from reconcile.reports.comparison import compare, implied, series_of
from reconcile.reports.observations import (
    CUMULATIVE,
    Filters,
    Observation,
    grouped,
    kept_estimates,
    observations,
)
from reconcile.reports.summary import summarise
from tests.conftest import ROOT, SHIPPED
from tests.economist import import_ledger


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


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    out = tmp_path_factory.mktemp("generated")
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "1500", "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    checked = check_file(Path(done.stdout.split()[0]))
    assert checked.ledger is not None
    return checked.ledger


@pytest.fixture(scope="module")
def economist(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    checked = check_file(import_ledger(tmp_path_factory.mktemp("economist")))
    assert checked.ledger is not None
    return checked.ledger


@pytest.fixture(scope="module")
def shipped() -> Ledger:
    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    return checked.ledger


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
