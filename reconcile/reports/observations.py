"""Figures flattened into observations: one per estimate, subject and metric.

Figures compare only within a metric and a subject.  When an estimate gives
killed and wounded but no combined figure, its `casualties` are derived as the
interval sum of the two and marked as derived ("≥3,000 = ≥300 killed + 2,700
wounded"); "killed" is never compared with "killed or wounded".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from operator import attrgetter
from typing import Any

from reconcile.core.claims import duplicates, merged_ids
from reconcile.core.dates import DateSpan
from reconcile.core.figure_text import format_figure, format_interval
from reconcile.core.figures import Figure, Interval
from reconcile.core.models import METRICS, Estimate, Ledger, Metric, decimal_commas

CUMULATIVE: frozenset[Metric] = frozenset(
    {Metric.KILLED, Metric.WOUNDED, Metric.CASUALTIES, Metric.CAPTURED, Metric.MISSING}
)
"""Tolls that only rise over time (troops deployed can be withdrawn, so not that)."""


@dataclass(frozen=True, slots=True)
class Observation:
    """One figure of one estimate, as a claimant (or one document) put it."""

    estimate: str
    claimant: str
    party: bool
    subject: str
    metric: Metric
    as_of: DateSpan
    period: DateSpan | None
    words: str
    """The words as written ("around 3,800"); for a derived total, how it is made."""
    shown: str
    """Reporter style ("~3,800"; a derived total: "≥3,000 = ≥300 killed + 2,700 wounded")."""
    interval: Interval
    best: int
    derived: bool
    documents: tuple[str, ...]

    @property
    def value(self) -> str:
        """The figure alone, reporter style: "~3,800", or "≥3,000" for a derived total."""
        return self.shown.split(" = ", 1)[0]

    def order(self) -> tuple[date, date, str, str]:
        return (self.as_of.start, self.as_of.end, self.claimant, self.estimate)

    def to_json(self) -> dict[str, Any]:
        return {
            "estimate": self.estimate,
            "claimant": self.claimant,
            "subject": self.subject,
            "metric": self.metric.value,
            "as_of": self.as_of.text,
            "period": self.period.text if self.period else None,
            "words": self.words,
            "shown": self.shown,
            "interval": interval_json(self.interval),
            "best": self.best,
            "derived": self.derived,
            "documents": list(self.documents),
        }


def interval_json(interval: Interval) -> dict[str, Any]:
    """`{"low": 300, "high": null, "low_closed": true, "high_closed": true}`; null: no bound."""
    return {
        "low": interval.low,
        "high": interval.high,
        "low_closed": interval.low_closed,
        "high_closed": interval.high_closed,
    }


def figures_of(
    estimate: Estimate, document: str | None = None, *, comma: bool = False
) -> dict[Metric, Figure]:
    """An estimate's figures; with `document`, in the words that document used (its
    quote read with a decimal comma when `comma`: its language writes one)."""
    figures = estimate.figures()
    if document is None:
        return figures
    for report in estimate.reported_in:
        if report.document == document:
            return estimate.printed_by(report, comma=comma)  # only what it printed
    return figures


def merged_claimants(ledger: Ledger) -> dict[str, str]:
    """Source id → the id its series is merged into (only the merged ones are listed).

    A source whose `aliases` name another source (its id or name, any case) takes
    that source's estimates into its own series: "UK MoD" listing "UK Ministry of
    Defence" makes one claimant of the two in every report.  The first source to
    claim a name keeps it; chains are followed, and a cycle leaves its sources apart.
    """
    return merged_ids(ledger)


def observe(
    ledger: Ledger,
    estimate: Estimate,
    document: str | None = None,
    merged: dict[str, str] | None = None,
    *,
    comma: bool | None = None,
) -> list[Observation]:
    """The observations of one estimate (with `document`: as that document words it,
    its quote read with a decimal comma when `comma`, by default its language's rule).

    The claimant is the merged one (`merged_claimants`); pass `merged` (and `comma`)
    when observing many estimates of one ledger, so it is worked out once.
    """
    if merged is None:
        merged = merged_claimants(ledger)
    documents = _documents(estimate)
    if document is not None:
        documents = (document,)
    if comma is None:
        comma = document is not None and decimal_commas(ledger).get(document, False)
    return _observed(
        estimate,
        merged.get(estimate.claimant, estimate.claimant),
        _parties(ledger).get(estimate.claimant, False),
        ledger.subject_of(estimate),
        figures_of(estimate, document, comma=comma),
        documents,
        _Shown(),
    )


def _documents(estimate: Estimate) -> tuple[str, ...]:
    """The documents reporting an estimate, each once, in the order given."""
    reported = estimate.reported_in
    if len(reported) == 1:  # the common estimate: nothing to make once each
        return (reported[0].document,)
    return tuple(dict.fromkeys([report.document for report in reported]))


class _Shown(dict[int, str]):
    """Each figure's reporter-style text (`format_figure`), made once per figure:
    estimates that write a figure alike share one `Figure` (the build parses each
    distinct text once), and a derived total writes its parts again.  Keyed by
    identity; each figure is held, so no other object can take its id."""

    __slots__ = ("_held",)

    def __init__(self) -> None:
        super().__init__()
        self._held: list[Figure] = []

    def of(self, figure: Figure) -> str:
        text = self.get(id(figure))
        if text is None:
            text = self[id(figure)] = format_figure(figure)
            self._held.append(figure)
        return text


def _observed(  # noqa: PLR0917 (what one estimate's observations share)
    estimate: Estimate,
    claimant: str,
    party: bool,
    subject: str,
    figures: dict[Metric, Figure],
    documents: tuple[str, ...],
    shown: _Shown,
) -> list[Observation]:
    """`observe`'s observations, from what it worked out (`figures` in METRICS order)."""
    ident, as_of, period = estimate.id, estimate.as_of, estimate.period
    found = [
        _observation(
            ident,
            claimant,
            party,
            subject,
            metric,
            as_of,
            period,
            figure.text,
            shown.of(figure),
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
        derived = _observation(
            ident,
            claimant,
            party,
            subject,
            Metric.CASUALTIES,
            as_of,
            period,
            f"{killed.text} killed + {wounded.text} wounded",
            f"{format_interval(total)} = {shown.of(killed)} killed + {shown.of(wounded)} wounded",
            total,
            killed.best + wounded.best,
            True,
            documents,
        )
        # the derived total among the others, in METRICS order (which `figures` keeps)
        found.insert(sum(metric in _BEFORE_CASUALTIES for metric in figures), derived)
    return found


_SETTERS = tuple(Observation.__dict__[field.name].__set__ for field in fields(Observation))
_NEW = object.__new__


def _observation(  # noqa: PLR0917 (Observation's fields, in order)
    estimate: str,
    claimant: str,
    party: bool,
    subject: str,
    metric: Metric,
    as_of: DateSpan,
    period: DateSpan | None,
    words: str,
    shown: str,
    interval: Interval,
    best: int,
    derived: bool,
    documents: tuple[str, ...],
) -> Observation:
    """`Observation(...)`, each field set through its slot: a frozen dataclass's own
    `__init__` calls `object.__setattr__` per field, which was a sixth of building a
    report's observations (tests/test_observations_fast.py holds the two equal)."""
    made: Observation = _NEW(Observation)
    values = (estimate, claimant, party, subject, metric, as_of, period, words, shown,
              interval, best, derived, documents)  # fmt: skip
    for put, value in zip(_SETTERS, values, strict=True):
        put(made, value)
    return made


_BEFORE_CASUALTIES = frozenset(METRICS[: METRICS.index(Metric.CASUALTIES)])
_PARTIES: list[tuple[Ledger, dict[str, bool]]] = []


_PUBLISHED: list[tuple[Ledger, dict[str, date]]] = []


def known_by(ledger: Ledger, estimate: Estimate) -> date:
    """The latest day by which the ledger knows the claim was made: the earliest of its
    date's last day and the publication dates (last day) of the documents reporting it.

    A claim dated "2025" reported in an article of 2025-01-20 was made by 2025-01-20;
    one whose documents are undated, by the last day of its own date (docs/reports.md)."""
    published = published_days(ledger)
    days = [published[r.document] for r in estimate.reported_in if r.document in published]
    return min([estimate.as_of.end, *days])


def published_days(ledger: Ledger) -> dict[str, date]:
    """Each dated document's (by id) last day of publication, worked out once per ledger."""
    if not _PUBLISHED or _PUBLISHED[0][0] is not ledger:
        published = {d.id: d.published.end for d in ledger.documents if d.published}
        _PUBLISHED[:] = [(ledger, published)]
    return _PUBLISHED[0][1]


def _parties(ledger: Ledger) -> dict[str, bool]:
    """Source id → is a party, worked out once per ledger (not once per estimate)."""
    if not _PARTIES or _PARTIES[0][0] is not ledger:
        _PARTIES[:] = [(ledger, {source.id: source.is_party for source in ledger.sources})]
    return _PARTIES[0][1]


@dataclass(frozen=True, slots=True)
class Filters:
    """Which estimates a report looks at; every field narrows, None means no limit.

    `since`/`until` keep an estimate whose date can fall on or after `since`
    (its last day is not before it) and on or before `until`; `as_of` keeps only
    what had certainly been claimed by then (`known_by`: the estimate's last day,
    or a reporting document's publication if earlier, is not after it);
    `independent` leaves out claimants that are a party to the conflict.
    """

    metrics: frozenset[Metric] = frozenset()
    subject: str | None = None
    claimants: frozenset[str] = frozenset()
    since: date | None = None
    until: date | None = None
    as_of: date | None = None
    independent: bool = False

    def keeps_estimate(self, ledger: Ledger, estimate: Estimate, party: bool) -> bool:
        span = estimate.as_of
        return not (
            (self.claimants and estimate.claimant not in self.claimants)
            or (
                self.subject is not None
                and ledger.subject_of(estimate).casefold() != self.subject.casefold()
            )
            or (self.since is not None and span.end < self.since)
            or (self.until is not None and span.start > self.until)
            or (self.as_of is not None and known_by(ledger, estimate) > self.as_of)
            or (self.independent and party)
        )

    def to_json(self) -> dict[str, Any]:
        return {
            "metrics": sorted(m.value for m in self.metrics),
            "subject": self.subject,
            "claimants": sorted(self.claimants),
            "since": self.since.isoformat() if self.since else None,
            "until": self.until.isoformat() if self.until else None,
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "independent": self.independent,
        }


def kept_estimates(ledger: Ledger, filters: Filters) -> Iterator[Estimate]:
    """The estimates the filters keep (claimant, subject, dates, independence)."""
    folded = duplicates(ledger)  # one statement recorded twice counts once
    if _keeps_every(filters):  # no filter on estimates (a report's common run): none asked
        for index, estimate in enumerate(ledger.estimates):
            if index not in folded:
                yield estimate
        return
    parties = {source.id: source.is_party for source in ledger.sources}
    if filters.claimants:  # a merged series is kept whole, whichever of its names is asked
        merged = merged_claimants(ledger)
        chosen = {merged.get(c, c) for c in filters.claimants}
        members = {c for c in parties if merged.get(c, c) in chosen}
        filters = replace(filters, claimants=frozenset(members | filters.claimants))
    for index, estimate in enumerate(ledger.estimates):
        if index in folded:
            continue
        if filters.keeps_estimate(ledger, estimate, parties.get(estimate.claimant, False)):
            yield estimate


def _keeps_every(filters: Filters) -> bool:
    """Whether `filters.keeps_estimate` keeps every estimate (only `metrics`, which
    narrows figures, not estimates, may be set)."""
    return (
        not filters.claimants
        and filters.subject is None
        and filters.since is None
        and filters.until is None
        and filters.as_of is None
        and not filters.independent
    )


def observations(ledger: Ledger, filters: Filters | None = None) -> list[Observation]:
    """Every observation the filters keep, in date order: `observe` of each kept
    estimate, what they share (claimants, parties, figures' texts) worked out once."""
    chosen = filters or Filters()
    merged = merged_claimants(ledger)
    parties = _parties(ledger)
    shown = _Shown()
    subject = ledger.subject
    per_estimate: list[list[Observation]] = []
    for estimate in kept_estimates(ledger, chosen):
        claimant = estimate.claimant
        found = _observed(
            estimate,
            merged.get(claimant, claimant),
            parties.get(claimant, False),
            estimate.subject or subject,  # `ledger.subject_of`
            estimate.figures(),  # `figures_of` with no document
            _documents(estimate),
            shown,
        )
        if chosen.metrics:
            found = [o for o in found if o.metric in chosen.metrics]
        if found:
            per_estimate.append(found)
    # one estimate's observations share the sort key (its dates, claimant and id), so
    # sorting the estimates (stable, as sorting their observations is) is the same order
    per_estimate.sort(key=lambda found: _BY_ORDER(found[0]))
    return [o for found in per_estimate for o in found]


Key = tuple[str, Metric]

_BY_ORDER = attrgetter("as_of.start", "as_of.end", "claimant", "estimate")
"""`Observation.order` without a Python call per observation (a sort key of 100,000)."""


def grouped(
    found: Iterable[Observation], *, in_order: bool = False
) -> dict[Key, list[Observation]]:
    """Observations per (subject, metric), subjects in first-seen order, metrics in ledger
    order, each group in date order (`Observation.order`).  `in_order`: `found` is in
    that order already (as `observations` gives it), which each group keeps."""
    groups: dict[Key, list[Observation]] = defaultdict(list)
    for observation in found:
        groups[(observation.subject, observation.metric)].append(observation)
    subjects = list(dict.fromkeys(subject for subject, _ in groups))
    order = {metric: n for n, metric in enumerate(Metric)}
    return {
        key: groups[key] if in_order else sorted(groups[key], key=_BY_ORDER)
        for key in sorted(groups, key=lambda k: (subjects.index(k[0]), order[k[1]]))
    }


def direct_first(found: Sequence[Observation]) -> list[Observation]:
    """The figures someone stated, or the derived ones when nobody stated one."""
    direct = [o for o in found if not o.derived]
    return direct or list(found)
