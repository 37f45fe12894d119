"""Reports as evidence, and claim identity: what each report printed, and who said what once.

Warnings, like the consistency checks: the ledger records what was said, and
these findings are about the claims (docs/reports.md).

- `report-parts-vs-total`: the figures one report printed (its `wording`, less
  what it `omits`) do not add up — parts above their total, killed + wounded
  unable to make the casualties, a toll above those deployed — where the
  estimate's own figures do;
- `report-metric-swapped`: a report prints one metric's figure under another
  (the claim's casualties as "killed");
- `report-contradicts-claim`: a report prints a figure that shares no count with
  the claim it relays;
- `same-day-contradiction`: one claimant (aliases merged) gives figures for one
  subject and metric on the same day that share no count;
- `re-report`: an estimate repeats an earlier claim of the same claimant (same
  figures in the same words), quoted in other documents and dated later: most
  likely the earlier claim reported again, which makes a toll seem to stall;
- `duplicate-statement`: one statement (claimant, date, figures and a shared
  report) recorded twice, typically in two included files; reports count it once;
- `near-duplicate-source`: two sources whose names look like one organisation
  ("UK MoD", "UK Ministry of Defence"; by abbreviation, punctuation or a
  bracketed remark, not by a close spelling) or name one institution ("Pentagon",
  "US DoD": `checks/institutions.py`), neither listing the other in its aliases.
"""

from __future__ import annotations

from collections.abc import Iterator

from reconcile.checks.context import Context, Quotes
from reconcile.checks.institutions import synonym_sources
from reconcile.checks.provenance import Numbers
from reconcile.core.claims import duplicates, figures_key, merged_ids
from reconcile.core.consistency import figure_problems
from reconcile.core.figure_text import format_figure
from reconcile.core.figures import Figure, implied
from reconcile.core.issues import Issue, warning
from reconcile.core.models import Estimate, Ledger, Metric
from reconcile.core.names import alike_pairs
from reconcile.ingest.origins import Origins


def _alike_sources(ledger: Ledger, where: Origins) -> Iterator[Issue]:
    """Two sources whose names look like one organisation, neither merged into the other."""
    sources = ledger.sources
    merged = merged_ids(ledger)
    for i, j in alike_pairs([source.name for source in sources], spelling=False):
        first, second = sources[i], sources[j]
        if merged.get(first.id, first.id) == merged.get(second.id, second.id):
            continue
        yield warning(
            "near-duplicate-source",
            f"source '{second.id}' ({second.name}) looks like '{first.id}' ({first.name}): "
            "the same organisation? Their series are kept apart",
            where.at(sources[j], "name"),
            hint=f"if so, add '{second.name}' to the aliases of '{first.id}' (one series)",
        )


def check(context: Context) -> list[Issue]:
    ledger, where = context.ledger, context.origins
    issues: list[Issue] = []
    commas = context.decimal_commas()
    numbers = context.numbers if context.numbers is not None else Numbers()
    for estimate in context.own:
        issues.extend(_reports(estimate, where, commas, numbers, context.quotes))
    if not context.whole:
        return issues
    issues.extend(_alike_sources(ledger, where))
    issues.extend(synonym_sources(ledger, where))
    issues.extend(_same_day(ledger, where))
    keys = [figures_key(estimate) for estimate in ledger.estimates]  # once per run
    folded = duplicates(ledger, keys)
    for index, earlier in folded.items():
        first = ledger.estimates[earlier]
        issues.append(
            warning(
                "duplicate-statement",
                f"estimate '{ledger.estimates[index].id}' records the same statement as "
                f"'{first.id}' (same claimant, date, figures and report); reports count it once",
                where.at(ledger.estimates[index], "id"),
                hint=f"keep one; the first is at {where.at(first, 'id')}",
            )
        )
    issues.extend(_re_reports(ledger, where, set(folded), keys))
    return issues


def _reports(
    estimate: Estimate, where: Origins, commas: dict[str, bool], numbers: Numbers, quotes: Quotes
) -> Iterator[Issue]:
    """Each report's printed figures against the claim it relays.  `numbers` and
    `quotes`: each quote's numbers and normalised text, shared with provenance
    (read once per run)."""
    own = estimate.figures()
    own_problems: set[tuple[str, Metric]] | None = None  # computed for the first wording
    for number, report in enumerate(estimate.reported_in):
        wording = report.wording or {}
        if not wording:
            continue  # a report without its own words prints the claim's figures
        for metric, said in wording.items():
            if metric in report.omits:
                continue
            claim = own.get(metric)
            if claim is None or implied(claim.interval).overlaps(implied(said.interval)):
                continue  # round figures read as rounded: "almost 2,700" fits "2,700"
            # located only when found: a clean ledger never computes positions
            at = where.at(estimate, "reported_in", number, "wording", metric.value)
            other = _same_as_other(said, own, metric)
            if other is not None:
                yield warning(
                    "report-metric-swapped",
                    f"document '{report.document}' prints {format_figure(said)} as {metric}, "
                    f"the claim's {other} figure; its {metric} is {format_figure(claim)}",
                    at,
                    hint="check the article: if it mislabels the figure, say so in the "
                    "report's notes",
                )
            else:
                yield warning(
                    "report-contradicts-claim",
                    f"document '{report.document}' prints {metric} {format_figure(said)}, "
                    f"which shares no count with the claim it relays "
                    f"({format_figure(claim)})",
                    at,
                    hint="if the article gives a different claim, record it as its own estimate",
                )
        comma = commas.get(report.document, False)
        values = {m.value for m in numbers[quotes[report.quote], comma]}
        printed = estimate.printed_by(report, comma=comma, said=values)
        if own_problems is None:
            own_problems = {(check_id, metric) for check_id, metric, _ in figure_problems(own)}
        for check_id, metric, message in figure_problems(printed):
            if (check_id, metric) in own_problems:
                continue  # the estimate's own figures already say so
            key = metric.value if metric in wording else None
            at = (
                where.at(estimate, "reported_in", number, "wording", key)
                if key
                else where.at(estimate, "reported_in", number, "document")
            )
            yield warning(
                "report-parts-vs-total",
                f"as printed in document '{report.document}': {message}",
                at,
            )


def _same_as_other(said: Figure, own: dict[Metric, Figure], metric: Metric) -> Metric | None:
    for other, figure in own.items():
        if other is not metric and figure.interval == said.interval:
            return other
    return None


def _same_day(ledger: Ledger, where: Origins) -> Iterator[Issue]:
    merged = merged_ids(ledger)
    by_day: dict[tuple[str, str, str, Metric], list[tuple[int, Figure]]] = {}
    for index, estimate in enumerate(ledger.estimates):
        if not estimate.as_of.is_day or estimate.period is not None:
            continue
        claimant = merged.get(estimate.claimant, estimate.claimant)
        day, subject = estimate.as_of.text, ledger.subject_of(estimate)  # once per estimate
        for metric, figure in estimate.figures().items():
            key = (claimant, day, subject, metric)
            same_day = by_day.get(key)
            if same_day is None:  # the usual case: nothing else that day
                by_day[key] = [(index, figure)]
                continue
            for earlier, theirs in same_day:
                if not implied(theirs.interval).overlaps(implied(figure.interval)):
                    yield warning(
                        "same-day-contradiction",
                        f"{claimant} gives {metric} {format_figure(figure)} on {estimate.as_of} "
                        f"and {format_figure(theirs)} the same day "
                        f"(estimate '{ledger.estimates[earlier].id}'): no count fits both",
                        where.at(estimate, metric.value),
                        hint="check both articles: one may relay an older figure",
                    )
                    break
            same_day.append((index, figure))


def _re_reports(
    ledger: Ledger, where: Origins, folded: set[int], figures: list[tuple[tuple[str, str], ...]]
) -> Iterator[Issue]:
    """`figures`: each estimate's `figures_key`, in order (computed once, for duplicates too)."""
    merged = merged_ids(ledger)
    earlier: dict[tuple[str, str, tuple[tuple[str, str], ...]], list[int]] = {}
    estimates = ledger.estimates
    spans = [estimate.as_of for estimate in estimates]
    # in date order; the sort is stable: ties keep the ledger's order
    for index in sorted(range(len(spans)), key=lambda i: (spans[i].start, spans[i].end)):
        if index in folded:
            continue
        estimate = estimates[index]
        claimant = merged.get(estimate.claimant, estimate.claimant)
        key = (claimant, estimate.subject or ledger.subject, figures[index])  # `subject_of`
        same = earlier.get(key)
        if same is None:  # the usual case: no earlier claim in these words
            earlier[key] = [index]
            continue
        for before in same:
            first = estimates[before]
            if first.as_of.end < estimate.as_of.start and not (
                {r.document for r in estimate.reported_in} & {r.document for r in first.reported_in}
            ):
                yield warning(
                    "re-report",
                    f"estimate '{estimate.id}' repeats the claim of {claimant} dated "
                    f"{first.as_of} ('{first.id}': the same figures in the same words) in "
                    "other documents, dated later: if it is that claim reported again, the "
                    "toll seems to stall",
                    where.at(estimate, "as_of"),
                    hint=f"if so, add its report to '{first.id}'s reported_in and remove it",
                )
                break
        same.append(index)
