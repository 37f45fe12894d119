"""Observations as the reports now make them (issue 18: one `_Shown` text per figure,
each Observation built through its slots, the derived total put in place, every
estimate kept without a filter call when no filter narrows the estimates) against
the plain code they replace, kept here as the reference: on a generated ledger, on
the Economist's claims, on the shipped ledger, and on hypothesis-drawn figures."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import fields, replace
from datetime import date
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reconcile.core.claims import duplicates
from reconcile.core.dates import DateSpan
from reconcile.core.figure_text import format_figure, format_interval
from reconcile.core.figures import parse_figure
from reconcile.core.models import Estimate, Ledger, Metric, decimal_commas
from reconcile.reports import observations as obs
from reconcile.reports.observations import Filters, Observation

# --- the references: the code as it was before this change -------------------------

_ORDER = {metric: n for n, metric in enumerate(Metric)}


def _reference_observe(
    ledger: Ledger,
    estimate: Estimate,
    document: str | None = None,
    merged: dict[str, str] | None = None,
    *,
    comma: bool | None = None,
) -> list[Observation]:
    party = {s.id: s.is_party for s in ledger.sources}.get(estimate.claimant, False)
    if merged is None:
        merged = obs.merged_claimants(ledger)
    claimant = merged.get(estimate.claimant, estimate.claimant)
    subject = ledger.subject_of(estimate)
    documents = tuple(dict.fromkeys(report.document for report in estimate.reported_in))
    if document is not None:
        documents = (document,)
    if comma is None:
        comma = document is not None and decimal_commas(ledger).get(document, False)
    figures = obs.figures_of(estimate, document, comma=comma)
    found = [
        Observation(
            estimate.id,
            claimant,
            party,
            subject,
            metric,
            estimate.as_of,
            estimate.period,
            figure.text,
            format_figure(figure),
            figure.interval,
            figure.best,
            False,
            documents,
        )
        for metric, figure in figures.items()
    ]
    killed, wounded = figures.get(Metric.KILLED), figures.get(Metric.WOUNDED)
    if Metric.CASUALTIES not in figures and killed is not None and wounded is not None:
        total = killed.interval + wounded.interval
        found.append(
            Observation(
                estimate.id,
                claimant,
                party,
                subject,
                Metric.CASUALTIES,
                estimate.as_of,
                estimate.period,
                f"{killed.text} killed + {wounded.text} wounded",
                f"{format_interval(total)} = {format_figure(killed)} killed + "
                f"{format_figure(wounded)} wounded",
                total,
                killed.best + wounded.best,
                True,
                documents,
            )
        )
        found.sort(key=lambda o: _ORDER[o.metric])
    return found


def _reference_kept(ledger: Ledger, filters: Filters) -> Iterator[Estimate]:
    parties = {source.id: source.is_party for source in ledger.sources}
    if filters.claimants:
        merged = obs.merged_claimants(ledger)
        chosen = {merged.get(c, c) for c in filters.claimants}
        members = {c for c in parties if merged.get(c, c) in chosen}
        filters = replace(filters, claimants=frozenset(members | filters.claimants))
    folded = duplicates(ledger)
    for index, estimate in enumerate(ledger.estimates):
        if index in folded:
            continue
        if filters.keeps_estimate(ledger, estimate, parties.get(estimate.claimant, False)):
            yield estimate


def _reference_observations(ledger: Ledger, filters: Filters) -> list[Observation]:
    merged = obs.merged_claimants(ledger)
    every = [
        o
        for estimate in _reference_kept(ledger, filters)
        for o in _reference_observe(ledger, estimate, merged=merged)
        if not filters.metrics or o.metric in filters.metrics
    ]
    return sorted(every, key=Observation.order)


def _same(found: list[Observation], expected: list[Observation]) -> None:
    """Equal, field by field, with the same types (an Observation made through its slots
    is a whole one: every field set, each as the dataclass would set it)."""
    assert found == expected
    for mine, theirs in zip(found, expected, strict=True):
        assert type(mine) is Observation
        for field in fields(Observation):
            assert type(getattr(mine, field.name)) is type(getattr(theirs, field.name))


# --- the ledgers --------------------------------------------------------------------


def _filters(ledger: Ledger) -> list[Filters]:
    claimants = sorted({e.claimant for e in ledger.estimates})
    days = sorted(e.as_of.start for e in ledger.estimates)
    return [
        Filters(),
        Filters(metrics=frozenset({Metric.CASUALTIES})),
        Filters(metrics=frozenset({Metric.KILLED, Metric.WOUNDED})),
        Filters(independent=True),
        Filters(claimants=frozenset(claimants[:3])),
        Filters(since=days[len(days) // 2]),
        Filters(until=days[len(days) // 3], metrics=frozenset({Metric.KILLED})),
        Filters(as_of=days[len(days) // 2]),
        Filters(subject=ledger.subject_of(ledger.estimates[0]).upper()),
    ]


@pytest.mark.parametrize("which", ["generated", "economist", "shipped"])
def test_observations_are_the_references(which: str, request: pytest.FixtureRequest) -> None:
    ledger: Ledger = request.getfixturevalue(which)
    for filters in _filters(ledger):
        assert list(obs.kept_estimates(ledger, filters)) == list(_reference_kept(ledger, filters))
        found = obs.observations(ledger, filters)
        _same(found, _reference_observations(ledger, filters))
        # in date order already: grouping keeps it, as sorting each group would
        assert obs.grouped(found, in_order=True) == obs.grouped(found)
        assert obs.grouped(found[::-1]) == obs.grouped(found)
    if which == "generated":  # derived totals really are made (the others have none)
        assert any(o.derived for o in obs.observations(ledger))


@pytest.mark.parametrize("which", ["generated", "economist", "shipped"])
def test_observe_is_the_references(which: str, request: pytest.FixtureRequest) -> None:
    """One estimate at a time, as a whole and as each of its documents words it (with
    its language's decimal rule, and with each rule forced)."""
    ledger: Ledger = request.getfixturevalue(which)
    merged = obs.merged_claimants(ledger)
    for estimate in ledger.estimates[:300]:
        _same(obs.observe(ledger, estimate), _reference_observe(ledger, estimate))
        _same(
            obs.observe(ledger, estimate, merged=merged),
            _reference_observe(ledger, estimate, merged=merged),
        )
        for report in estimate.reported_in:
            for comma in (None, False, True):
                _same(
                    obs.observe(ledger, estimate, report.document, merged, comma=comma),
                    _reference_observe(ledger, estimate, report.document, merged, comma=comma),
                )


_TEXTS = st.sampled_from(
    ["300", "about 3,800", "at least 2,700", "more than 10,000", "nearly 1,000",
     "fewer than 50", "up to 12,000", "125,000-150,000", "hundreds", "thousands",
     "85,600 (75,600-99,600)", "0", "20,000", "783,138", "~1,200", "some 40"]
)  # fmt: skip


@given(
    st.fixed_dictionaries(
        {},
        optional={metric.value: _TEXTS for metric in Metric},
    ).filter(bool),
    st.booleans(),
)
def test_drawn_figures_observe_as_the_reference(texts: dict[str, str], period: bool) -> None:
    """Any set of figures: the derived total lands where sorting put it, each text as
    `format_figure` writes it (figures parsed once and shared, as the build shares them)."""
    parsed = {text: parse_figure(text) for text in set(texts.values())}
    day = DateSpan(date(2024, 5, 1), date(2024, 5, 1), "2024-05-01")
    drawn: dict[str, Any] = {metric: parsed[text] for metric, text in texts.items()}
    estimate = Estimate.model_construct(
        id="e1", claimant="src", as_of=day, period=day if period else None, subject=None,
        reported_in=(), **drawn,
    )  # fmt: skip
    figures = estimate.figures()
    made = obs._observed(estimate, "src", True, "war", figures, ("doc",), obs._Shown())
    expected = [
        replace(o, subject="war", documents=("doc",), party=True)
        for o in _reference_observe(_LEDGER, estimate)
    ]
    _same(made, expected)


_LEDGER = Ledger.model_construct(title="t", subject="war", sources=(), documents=(), estimates=())
