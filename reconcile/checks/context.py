"""What every check runs over: the ledger, where its entries came from, the
archived texts that could be read, the day it runs, and what the checks share
within one run (each quote's normalised text and numbers, each document's
normalised text, each estimate's figures and what each report printed)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from reconcile.core.figures import Figure
from reconcile.core.issues import Issue
from reconcile.core.models import Estimate, Ledger, Metric
from reconcile.core.text import normalise
from reconcile.ingest.loader import Loaded
from reconcile.ingest.originals import Originals
from reconcile.ingest.origins import Origins


class Quotes(dict[str, str]):
    """Each quote as written -> its normalised text (core/text.py `normalise`),
    computed the first time a check asks for it: the checks that read quotes
    (provenance, meaning, evidence, timing) normalise each quote once per run."""

    def __missing__(self, quote: str) -> str:
        found = normalise(quote)
        if found == quote:  # most quotes are normal already: keep one string, not two
            found = quote
        self[quote] = found
        return found


class Figures(dict[int, tuple[Estimate, dict[Metric, Figure]]]):
    """Each estimate's figures (`Estimate.figures()`) and what each of its reports
    printed (`Estimate.printed_by`), computed the first time a check asks: the
    checks (provenance, meaning, evidence, consistency) ask for them once per run,
    not once each.  Kept by the estimate's `id()` with the estimate itself, so an
    entry is never another estimate's.  The dicts handed out are shared: read them,
    never change them."""

    def __init__(self) -> None:
        super().__init__()
        self.printed: dict[tuple[int, int, bool], tuple[Estimate, dict[Metric, Figure]]] = {}

    def of(self, estimate: Estimate) -> dict[Metric, Figure]:
        """`estimate.figures()`."""
        kept = self.get(id(estimate))
        if kept is None or kept[0] is not estimate:
            kept = self[id(estimate)] = (estimate, estimate.figures())
        return kept[1]

    def printed_by(
        self, estimate: Estimate, number: int, comma: bool, said: set[int]
    ) -> dict[Metric, Figure]:
        """`estimate.printed_by(estimate.reported_in[number], comma=comma, said=said)`;
        `said` must be the numbers of that report's quote read with `comma` (the
        callers' `Numbers`), which is what makes the first answer every caller's."""
        key = (id(estimate), number, comma)
        kept = self.printed.get(key)
        if kept is None or kept[0] is not estimate:
            report = estimate.reported_in[number]
            found = estimate.printed_by(report, comma=comma, said=said)
            kept = self.printed[key] = (estimate, found)
        return kept[1]


@dataclass(frozen=True, slots=True)
class Context:
    ledger: Ledger
    origins: Origins
    texts: Mapping[str, str] = field(default_factory=dict)
    """The archived text of each document that could be read, by document id."""
    today: date = field(default_factory=date.today)
    files: Sequence[Loaded] = ()
    """The files the ledger was read from (the root, then those it includes)."""
    originals: Originals | None = None
    """The root ledger's archived originals, hashed on demand (ingest/originals.py)."""
    numbers: Any = None
    """provenance.Numbers: each quote's numbers, shared by the checks that read quotes."""
    bodies: dict[str, str] = field(default_factory=dict)
    """Each document's normalised text, filled by provenance for the checks after it."""
    acknowledged: list[tuple[object, str, Issue]] = field(default_factory=list)
    """Warnings a check found acknowledged by their entry: (the entry, the check id,
    the warning) (checks/acknowledge.py)."""
    cache: Any = None
    """checks.cached.ProvenanceCache: provenance's results kept between runs, if asked."""
    quotes: Quotes = field(default_factory=Quotes)
    """Each quote's normalised text, shared by the checks that read quotes."""
    figures: Figures = field(default_factory=Figures)
    """Each estimate's figures and what each report printed, shared by the checks."""
