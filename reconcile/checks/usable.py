"""The part of a ledger a report can use when other parts have errors.

A report on a ledger with errors runs on the estimates that have none (in
their own lines) and whose claimant and documents survived the schema; the
others are left out and named, and the report's exit code says the ledger has
problems.  Nothing is computed from an entry that failed a check.
"""

from __future__ import annotations

import dataclasses

from reconcile.checks.acknowledge import entry_span
from reconcile.checks.run import Checked
from reconcile.core.issues import Severity


def usable_part(checked: Checked) -> Checked:
    """`checked` with its ledger reduced to the estimates without errors; `left_out`
    names those dropped (also those the schema refused)."""
    ledger = checked.ledger
    if ledger is None:
        return checked
    errors = [issue for issue in checked.issues if issue.severity is Severity.ERROR]
    sources = {source.id for source in ledger.sources}
    documents = {document.id for document in ledger.documents}
    kept = []
    left_out = [
        str(item.get("id", f"entry {index + 1}"))
        if isinstance(item, dict)
        else f"entry {index + 1}"
        for _, index, item in checked.origins.failed.get("estimates", ())
    ]
    for estimate in ledger.estimates:
        loaded, original = checked.origins.origin(estimate)
        first, last = entry_span(loaded, "estimates", original)
        broken = any(
            issue.location.path == loaded.path and first <= issue.location.line <= last
            for issue in errors
        )
        cited = {report.document for report in estimate.reported_in}
        if broken or estimate.claimant not in sources or not cited <= documents:
            left_out.append(estimate.id)
        else:
            kept.append(estimate)
    if not left_out:
        return dataclasses.replace(checked, partial=True)
    reduced = ledger.model_copy(update={"estimates": tuple(kept)})
    return dataclasses.replace(checked, ledger=reduced, left_out=tuple(left_out), partial=True)
