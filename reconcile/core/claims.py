"""Claim identity, shared by the evidence checks and the reports: which sources
merge into one series (a source whose aliases name another), and which estimates
record one statement twice (same claimant, date, subject, figures and a shared
report), so that reports count it once."""

from __future__ import annotations

from reconcile.core.models import Estimate, Ledger

__all__ = ["duplicates", "figures_key", "merged_ids", "statement_key"]


def merged_ids(ledger: Ledger) -> dict[str, str]:
    """Source id → the id its series merges into (a source whose aliases name it)."""
    names: dict[str, str] = {}
    for source in ledger.sources:
        names.setdefault(source.id.casefold(), source.id)
        names.setdefault(source.name.casefold(), source.id)
    merged: dict[str, str] = {}
    for source in ledger.sources:
        for alias in source.aliases:
            other = names.get(alias.casefold())
            if other is not None and other != source.id and other not in merged:
                merged[other] = source.id
    resolved: dict[str, str] = {}
    for start, first in merged.items():
        seen, current = {start}, first
        while current in merged and current not in seen:
            seen.add(current)
            current = merged[current]
        if current != start and current not in merged:
            resolved[start] = current
    return resolved


def figures_key(estimate: Estimate) -> tuple[tuple[str, str], ...]:
    return tuple(
        [(metric.value, " ".join(f.text.split())) for metric, f in estimate.figures().items()]
    )


def statement_key(
    ledger: Ledger,
    estimate: Estimate,
    merged: dict[str, str],
    figures: tuple[tuple[str, str], ...] | None = None,
) -> tuple[str, ...]:
    """Who said what when, about what: equal keys and a shared report are one statement.
    `figures`: the estimate's `figures_key`, when the caller has it."""
    claimant = merged.get(estimate.claimant, estimate.claimant)
    if figures is None:
        figures = figures_key(estimate)
    said = "; ".join(f"{m}={t}" for m, t in figures)
    return (claimant, estimate.as_of.text, ledger.subject_of(estimate), said)


_LAST: list[tuple[Ledger, dict[int, int]]] = []
"""The last ledger's duplicates: reports ask for them several times per run."""


def duplicates(
    ledger: Ledger, keys: list[tuple[tuple[str, str], ...]] | None = None
) -> dict[int, int]:
    """Index of each estimate that repeats an earlier one's statement → the earlier index.
    `keys`: each estimate's `figures_key`, in order, when the caller has them."""
    if _LAST and _LAST[0][0] is ledger:
        return _LAST[0][1]
    found = _duplicates(ledger, keys)
    _LAST[:] = [(ledger, found)]
    return found


def _duplicates(
    ledger: Ledger, keys: list[tuple[tuple[str, str], ...]] | None = None
) -> dict[int, int]:
    merged = merged_ids(ledger)
    seen: dict[tuple[str, ...], list[int]] = {}
    found: dict[int, int] = {}
    reports: dict[int, set[tuple[str, str]]] = {}  # read only for estimates whose keys meet
    for index, estimate in enumerate(ledger.estimates):
        key = statement_key(ledger, estimate, merged, None if keys is None else keys[index])
        for earlier in seen.get(key, []):
            if _reports(ledger, index, reports) & _reports(ledger, earlier, reports):
                found[index] = earlier
                break
        else:
            seen.setdefault(key, []).append(index)
    return found


def _reports(
    ledger: Ledger, index: int, known: dict[int, set[tuple[str, str]]]
) -> set[tuple[str, str]]:
    """An estimate's reports as (document, quote with its white space made single)."""
    if index not in known:
        estimate = ledger.estimates[index]
        known[index] = {(r.document, " ".join(r.quote.split())) for r in estimate.reported_in}
    return known[index]
