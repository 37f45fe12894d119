"""Dates: nothing after today, and no claim dated after a report of it."""

from __future__ import annotations

from reconcile.checks.context import Context
from reconcile.core.dates import DateSpan
from reconcile.core.issues import Issue, error


def check(context: Context) -> list[Issue]:
    ledger, where, today = context.ledger, context.origins, context.today
    dated: list[tuple[object, str, DateSpan | None]] = [
        (document, "published", document.published) for document in ledger.documents
    ]
    for estimate in ledger.estimates:
        dated.append((estimate, "as_of", estimate.as_of))
        dated.append((estimate, "period", estimate.period))
    issues = [
        error(
            "future-date",
            f"{field} {span} is after today ({today})",
            where.at(entry, field),
        )
        for entry, field, span in dated
        if span is not None and span.start > today
    ]
    published = {d.id: d.published for d in ledger.documents if d.published is not None}
    for estimate in ledger.estimates:
        for report in estimate.reported_in:
            span = published.get(report.document)
            if span is not None and estimate.as_of.start > span.end:
                issues.append(
                    error(
                        "as-of-after-publication",
                        f"as_of {estimate.as_of} is after document '{report.document}' "
                        f"was published ({span})",
                        where.at(estimate, "as_of"),
                        hint="a document cannot report a claim made after it was published; "
                        "check both dates",
                    )
                )
    return issues
