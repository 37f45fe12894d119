"""Archived originals: fields still to review, and originals that changed.

`reconcile archive add` records which metadata fields it could not read
(`needs_review`) and the sha256 of the file it archived (`original`,
`sha256`).  A field to review is a warning until a person checks it and
removes it from the list; an original whose bytes no longer match is an error
(the text quoted may no longer be what the page said).
"""

from __future__ import annotations

from reconcile.checks.context import Context
from reconcile.core.issues import Issue, error, warning


def check(context: Context) -> list[Issue]:
    """Fields still to review, and archived originals (in the root ledger's archive
    folder) whose bytes changed."""
    ledger, where = context.ledger, context.origins
    if context.originals is None:
        return []
    originals = context.originals
    issues: list[Issue] = []
    for document in ledger.documents:
        if document.needs_review:
            fields = ", ".join(document.needs_review)
            issues.append(
                warning(
                    "needs-review",
                    f"document '{document.id}': {fields} not read from its metadata; "
                    "check against the original",
                    where.at(document, "needs_review"),
                    hint="correct the field if needed, then remove it from needs_review",
                )
            )
        if document.original is None or document.sha256 is None:
            continue
        problem = originals.problem(document.original, document.sha256)
        if problem is not None:
            check, words = problem
            issues.append(
                error(
                    check,
                    f"document '{document.id}': the original {document.original!r} {words}",
                    where.at(document, "sha256"),
                    hint="restore the archived original; never edit it in place"
                    if check == "original-changed"
                    else "archive fewer or smaller originals",
                )
            )
    return issues
