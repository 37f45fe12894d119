"""Consistency within one estimate: parts, totals and those deployed agree.

Only what must be wrong is reported: a part is "above" a total when every
value the part's words allow exceeds every value the total's words allow.

These are warnings, not errors: the ledger records what a source said, and a
source may well give figures that do not add up.  That is a finding about the
claim (reports list it as a discrepancy), not a mistake in the ledger; the
ledger's author checks the figures against the quote, and `--strict` fails.
"""

from __future__ import annotations

from reconcile.checks.context import Context
from reconcile.core.consistency import problems
from reconcile.core.issues import Issue, warning


def check(context: Context) -> list[Issue]:
    ledger, where = context.ledger, context.origins
    issues: list[Issue] = []
    for estimate in ledger.estimates:
        for check_id, metric, message in problems(estimate):
            issues.append(warning(check_id, message, where.at(estimate, metric.value)))
    return issues
