"""`diff A B`: two claimants, or two documents, metric by metric.

Two claimants: each figure of A is set beside B's figure for the same subject
and metric on the nearest date (then each figure of B left over beside A's
nearest); a metric only one side gives is listed with the other side empty.
Two documents: each claim both carry is set beside itself, in each document's
words, and the claims only one carries are listed apart.  The
verdict is about the figures: `agree` (=) when both give the same best value
and their intervals meet, `consistent` (≈) when some count fits both,
`conflict` (≠) when none does.  The date gap is shown beside it, because a
cumulative toll may rightly grow between two dates far apart.

A document side reads each estimate in the words that document used.
"""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from reconcile.core.claims import duplicates
from reconcile.core.models import Ledger, decimal_commas
from reconcile.reports.comparison import Comparison, compare, implied, series_of
from reconcile.reports.observations import Key, Observation, grouped, merged_claimants, observe

DEFAULT_WINDOW = 14
"""Days within which two figures are compared (as `discrepancies` does)."""


class SideKind(StrEnum):
    CLAIMANT = "claimant"
    DOCUMENT = "document"


PREFIXES = {"claimant:": SideKind.CLAIMANT, "source:": SideKind.CLAIMANT,
            "document:": SideKind.DOCUMENT}  # fmt: skip


class Verdict(StrEnum):
    AGREE = "agree"
    CONSISTENT = "consistent"
    CONFLICT = "conflict"
    TOO_FAR = "too-far-apart"


MARKERS: dict[Verdict, str] = {Verdict.AGREE: "=", Verdict.CONSISTENT: "≈", Verdict.CONFLICT: "≠",
                               Verdict.TOO_FAR: "…"}  # fmt: skip
VERDICT_WORDS: dict[Verdict, str] = {
    Verdict.AGREE: "agree",
    Verdict.CONSISTENT: "consistent",
    Verdict.CONFLICT: "conflict",
    Verdict.TOO_FAR: "too far apart to compare",
}


class UnknownSide(ValueError):
    """A name that is not (exactly one) claimant or document; `suggestions` are near names."""

    def __init__(self, message: str, suggestions: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.message = message
        self.suggestions = tuple(suggestions)


@dataclass(frozen=True, slots=True)
class Side:
    kind: SideKind
    id: str
    name: str

    def to_json(self) -> dict[str, Any]:
        return {"kind": self.kind.value, "id": self.id, "name": self.name}


def resolve(ledger: Ledger, text: str) -> Side:
    """A claimant (by id, name or alias, any case) or a document (by id).

    `claimant:ID` / `source:ID` / `document:ID` say which when an id is both.
    Raises UnknownSide with near names when it is neither, or both unprefixed.
    """
    wanted: SideKind | None = None
    name = text
    for prefix, kind in PREFIXES.items():
        if text.lower().startswith(prefix):
            wanted, name = kind, text[len(prefix) :]
    folded = name.casefold()
    claimants = [
        Side(SideKind.CLAIMANT, s.id, s.name)
        for s in ledger.sources
        if folded in {s.id.casefold(), s.name.casefold(), *(a.casefold() for a in s.aliases)}
    ]
    documents = [
        Side(SideKind.DOCUMENT, d.id, d.title)
        for d in ledger.documents
        if d.id.casefold() == folded
    ]
    found = [
        side for side in claimants[:1] + documents[:1] if wanted is None or side.kind is wanted
    ]
    if len(found) == 1:
        return found[0]
    if found:
        raise UnknownSide(
            f"'{name}' is both a claimant and a document; write claimant:{name} or document:{name}",
            [f"claimant:{found[0].id}", f"document:{found[1].id}"],
        )
    names = [s.id for s in ledger.sources] + [a for s in ledger.sources for a in s.aliases]
    if wanted is not SideKind.CLAIMANT:
        names += [d.id for d in ledger.documents]
    if wanted is SideKind.DOCUMENT:
        names = [d.id for d in ledger.documents]
    what = {None: "a claimant or a document", SideKind.CLAIMANT: "a claimant",
            SideKind.DOCUMENT: "a document"}[wanted]  # fmt: skip
    near = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    return _raise(f"'{name}' is not {what} in this ledger", near)


def _raise(message: str, near: Sequence[str]) -> Side:
    raise UnknownSide(message, near)


@dataclass(frozen=True, slots=True)
class Row:
    subject: str
    metric: str
    a: Observation | None
    b: Observation | None
    comparison: Comparison | None = None
    """The time-aware comparison of a and b (analysis/comparison.py)."""

    @property
    def gap(self) -> int | None:
        if self.a is None or self.b is None:
            return None
        return self.a.as_of.days_between(self.b.as_of)

    @property
    def difference(self) -> int | None:
        """B's best value minus A's."""
        return None if self.a is None or self.b is None else self.b.best - self.a.best

    @property
    def ratio(self) -> float | None:
        """B's best value ÷ A's, rounded to 2 places (None when A's is 0)."""
        if self.a is None or self.b is None or self.a.best == 0:
            return None
        return round(self.b.best / self.a.best, 2)

    @property
    def verdict(self) -> Verdict | None:
        if self.a is None or self.b is None:
            return None
        if self.comparison is not None:
            if not self.comparison.compared:
                return Verdict.TOO_FAR
            if self.comparison.conflict:
                return Verdict.CONFLICT
        elif not implied(self.a).overlaps(implied(self.b)):
            return Verdict.CONFLICT
        return Verdict.AGREE if self.a.best == self.b.best else Verdict.CONSISTENT

    def to_json(self) -> dict[str, Any]:
        return {
            "subject": self.subject,
            "metric": self.metric,
            "a": self.a.to_json() if self.a else None,
            "b": self.b.to_json() if self.b else None,
            "difference": self.difference,
            "ratio": self.ratio,
            "days_apart": self.gap,
            "growth_allowed": self.comparison.growth if self.comparison else None,
            "verdict": self.verdict.value if self.verdict else None,
        }


@dataclass(frozen=True, slots=True)
class Claim:
    """An estimate's figure that one document carries and the other does not."""

    estimate: str
    claimant: str
    metric: str
    shown: str
    low: int | None = None
    best: int | None = None
    high: int | None = None
    """The counts its words allow (`high` None when open), as data for CSV."""
    words: str = ""

    def to_json(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate,
            "claimant": self.claimant,
            "metric": self.metric,
            "shown": self.shown,
        }


@dataclass(frozen=True, slots=True)
class Diff:
    a: Side
    b: Side
    rows: tuple[Row, ...]
    window: int
    only_a: tuple[Claim, ...]
    """With two documents: claims A carries that B lacks (empty for claimants)."""
    only_b: tuple[Claim, ...]

    def count(self, verdict: Verdict) -> int:
        return sum(row.verdict is verdict for row in self.rows)

    def to_json(self) -> dict[str, Any]:
        return {
            "a": self.a.to_json(),
            "b": self.b.to_json(),
            "window": self.window,
            "counts": {v.value: self.count(v) for v in Verdict}
            | {"unmatched": sum(row.verdict is None for row in self.rows)},
            "rows": [row.to_json() for row in self.rows],
            "only_a": [claim.to_json() for claim in self.only_a],
            "only_b": [claim.to_json() for claim in self.only_b],
        }


def _side(ledger: Ledger, side: Side) -> list[Observation]:
    found: list[Observation] = []
    merged = merged_claimants(ledger)
    wanted = merged.get(side.id, side.id)
    folded = duplicates(ledger)
    comma = side.kind is SideKind.DOCUMENT and decimal_commas(ledger).get(side.id, False)
    for index, estimate in enumerate(ledger.estimates):
        if index in folded:
            continue
        if side.kind is SideKind.CLAIMANT and merged.get(estimate.claimant, estimate.claimant) == (
            wanted
        ):
            found.extend(observe(ledger, estimate, merged=merged))
        elif side.kind is SideKind.DOCUMENT and any(
            report.document == side.id for report in estimate.reported_in
        ):
            found.extend(observe(ledger, estimate, side.id, merged, comma=comma))
    return found


def _nearest(o: Observation, others: Sequence[Observation]) -> Observation | None:
    """The other side's figure nearest in time that counts the same thing: a figure for a
    period pairs only with one for the same period, a running total with a running total."""
    alike = [other for other in others if other.period == o.period]
    if not alike:
        return None
    return min(
        alike,
        key=lambda other: (
            o.as_of.days_between(other.as_of),
            abs(o.as_of.midpoint().toordinal() - other.as_of.midpoint().toordinal()),
            other.estimate != o.estimate,
            other.order(),
        ),
    )


def _rows(key: Key, a: Sequence[Observation], b: Sequence[Observation], window: int) -> list[Row]:
    subject, metric = key[0], key[1].value
    series = series_of([*a, *b])

    def row(x: Observation | None, y: Observation | None) -> Row:
        if x is None or y is None:
            return Row(subject, metric, x, y)
        return Row(subject, metric, x, y, compare(x, y, window=window, series=series))

    rows = [row(o, _nearest(o, b)) for o in a]
    used = {id(r.b) for r in rows}
    rows += [row(_nearest(o, a), o) for o in b if id(o) not in used]
    return sorted(rows, key=_row_order)


def _row_order(row: Row) -> tuple[Any, ...]:
    first = row.a if row.a is not None else row.b
    return first.order() if first is not None else ()


def _same_claims(
    key: Key, a: Sequence[Observation], b: Sequence[Observation], window: int
) -> list[Row]:
    """Two documents: each claim both carry, side by side in each one's words."""
    theirs = {o.estimate: o for o in b}
    return [
        Row(key[0], key[1].value, o, theirs[o.estimate], compare(o, theirs[o.estimate], window=0))
        for o in a
        if o.estimate in theirs
    ]


def _claims(found: Sequence[Observation], other: Sequence[Observation]) -> tuple[Claim, ...]:
    carried = {(o.estimate, o.metric) for o in other}
    return tuple(
        Claim(
            o.estimate,
            o.claimant,
            o.metric.value,
            o.shown,
            o.interval.first(),
            o.best,
            o.interval.last(),
            o.words,
        )
        for o in found
        if (o.estimate, o.metric) not in carried
    )


def diff(ledger: Ledger, a: Side, b: Side, window: int = DEFAULT_WINDOW) -> Diff:
    """A beside B; figures more than `window` days apart are "too far apart to compare"."""
    found_a, found_b = _side(ledger, a), _side(ledger, b)
    groups_a, groups_b = grouped(found_a), grouped(found_b)
    keys = list(dict.fromkeys([*groups_a, *groups_b]))
    order = list(grouped([*found_a, *found_b]))
    documents = a.kind is SideKind.DOCUMENT and b.kind is SideKind.DOCUMENT
    pair = _same_claims if documents else _rows
    rows: list[Row] = []
    for key in sorted(keys, key=order.index):
        rows.extend(pair(key, groups_a.get(key, []), groups_b.get(key, []), window))
    return Diff(
        a,
        b,
        tuple(rows),
        window,
        _claims(found_a, found_b) if documents else (),
        _claims(found_b, found_a) if documents else (),
    )
