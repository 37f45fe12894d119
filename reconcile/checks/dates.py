"""Dates: nothing after today, and no claim dated after a report of it."""

from __future__ import annotations

from datetime import date

from reconcile.issues import Issue, error
from reconcile.models import Ledger
from reconcile.origins import Origins


def check(ledger: Ledger, where: Origins, today: date) -> list[Issue]:
    issues: list[Issue] = []
    published = {}
    for index, document in enumerate(ledger.documents):
        if document.published is None:
            continue
        published[document.id] = document.published
        if document.published.start > today:
            issues.append(
                error(
                    "future-date",
                    f"published {document.published} is after today ({today})",
                    where.where("documents", index, "published"),
                )
            )
    for index, estimate in enumerate(ledger.estimates):
        if estimate.as_of.start > today:
            issues.append(
                error(
                    "future-date",
                    f"as_of {estimate.as_of} is after today ({today})",
                    where.where("estimates", index, "as_of"),
                )
            )
        if estimate.period is not None and estimate.period.start > today:
            issues.append(
                error(
                    "future-date",
                    f"period {estimate.period} starts after today ({today})",
                    where.where("estimates", index, "period"),
                )
            )
        for report in estimate.reported_in:
            span = published.get(report.document)
            if span is not None and estimate.as_of.start > span.end:
                issues.append(
                    error(
                        "as-of-after-publication",
                        f"as_of {estimate.as_of} is after document '{report.document}' "
                        f"was published ({span})",
                        where.where("estimates", index, "as_of"),
                        hint="a document cannot report a claim made after it was published; "
                        "check both dates",
                    )
                )
    return issues
