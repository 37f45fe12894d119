"""The checks an entry that failed the schema can still have, so one run says everything.

An estimate dropped by the schema (a missing `as_of`, a figure that does not
parse) still names a claimant, documents and quotes; those are checked as
`references` and `provenance` check a valid estimate: an unknown claimant or
document (with did-you-mean), a quote not in its archived document, a figure
(that parses) not in any of its quotes.  Nothing is reported twice: the
schema's own problems stay the schema's.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from reconcile.checks.context import Context
from reconcile.checks.provenance import _first_difference, _stated
from reconcile.checks.references import _near, _near_source
from reconcile.core.figures import FigureError, parse_figure
from reconcile.core.issues import Issue, error
from reconcile.core.models import ID_PATTERN, METRICS
from reconcile.core.numbers import find_numbers
from reconcile.core.text import normalise

_ID = re.compile(ID_PATTERN)


def check(context: Context) -> list[Issue]:
    ledger, where, texts = context.ledger, context.origins, context.texts
    failed = where.failed.get("estimates", ())
    if not failed:
        return []
    issues: list[Issue] = []
    sources = sorted({s.id for s in ledger.sources})
    documents = sorted({d.id for d in ledger.documents})
    known_sources = set(sources) | where.invalid_ids.get("sources", set())
    known_documents = set(documents) | where.invalid_ids.get("documents", set())
    bodies: dict[str, str] = {}
    for loaded, index, item in failed:
        if not isinstance(item, dict):
            continue
        at = ("estimates", index)
        claimant = item.get("claimant")
        if _is_id(claimant) and claimant not in known_sources:
            issues.append(
                error(
                    "unknown-reference",
                    f"claimant '{claimant}' is not a source id",
                    loaded.locate((*at, "claimant")),
                    hint=_near_source(claimant, ledger) or _near(claimant, sources),
                )
            )
        quotes: list[str] = []
        reports = item.get("reported_in")
        for number, report in enumerate(reports if isinstance(reports, list) else []):
            if not isinstance(report, dict):
                continue
            document, quote = report.get("document"), report.get("quote")
            if isinstance(quote, str) and quote.strip():
                quotes.append(normalise(quote))
            if not _is_id(document):
                continue
            if document not in known_documents:
                issues.append(
                    error(
                        "unknown-reference",
                        f"document '{document}' is not a document id",
                        loaded.locate((*at, "reported_in", number, "document")),
                        hint=_near(document, documents),
                    )
                )
                continue
            if document not in texts or not isinstance(quote, str) or not quote.strip():
                continue
            if document not in bodies:
                bodies[document] = normalise(texts[document])
            said = normalise(quote)
            if said not in bodies[document]:
                issues.append(
                    error(
                        "quote-not-found",
                        f"the quote does not occur in document '{document}'",
                        loaded.locate((*at, "reported_in", number, "quote")),
                        hint=_first_difference(said, bodies[document]),
                    )
                )
        issues.extend(_figures(item, quotes, loaded, at))
    return issues


def _figures(
    item: dict[str, Any], quotes: list[str], loaded: Any, at: tuple[Any, ...]
) -> list[Issue]:
    if not quotes:
        return []
    issues: list[Issue] = []
    numbers = [find_numbers(quote) for quote in quotes]
    for metric in METRICS:
        value = item.get(metric.value)
        if isinstance(value, bool) or not isinstance(value, int | str):
            continue
        try:
            figure = parse_figure(value)
        except FigureError:
            continue  # the schema reported it
        if not any(_stated(figure, q, n) for q, n in zip(quotes, numbers, strict=True)):
            issues.append(
                error(
                    "figure-not-in-quote",
                    f"{metric} '{figure.text}' does not occur in any of its quotes",
                    loaded.locate((*at, metric.value)),
                    hint="quote the sentence that gives this figure, or correct the figure",
                )
            )
    return issues


def _is_id(value: Any) -> TypeGuard[str]:
    return isinstance(value, str) and bool(_ID.match(value)) and len(value) <= 80
