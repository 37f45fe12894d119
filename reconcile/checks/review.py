"""Archived originals: fields still to review, and originals that changed.

`reconcile archive add` records which metadata fields it could not read
(`needs_review`) and the sha256 of the file it archived (`original`,
`sha256`).  A field to review is a warning until a person checks it and
removes it from the list; an original whose bytes no longer match is an error
(the text quoted may no longer be what the page said).
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from reconcile.checks.context import Context
from reconcile.core.issues import Issue, error, warning

MAX_ORIGINAL_BYTES = 64 * 1024 * 1024


def check(context: Context) -> list[Issue]:
    """Fields still to review, and archived originals (in the root ledger's archive
    folder) whose bytes changed."""
    ledger, where = context.ledger, context.origins
    if context.archive_folder is None:
        return []
    folder = context.archive_folder
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
        problem = _digest_problem(folder, document.original, document.sha256)
        if problem is not None:
            issues.append(
                error(
                    "original-changed",
                    f"document '{document.id}': the original {document.original!r} {problem}",
                    where.at(document, "sha256"),
                    hint="restore the archived original; never edit it in place",
                )
            )
    return issues


def _digest_problem(folder: Path, name: str, expected: str) -> str | None:
    try:
        target = (folder / name).resolve()
        if not target.is_relative_to(folder):
            return "is outside the archive folder"
        if not target.is_file():
            return "is missing"
        if target.stat().st_size > MAX_ORIGINAL_BYTES:
            return f"is over {MAX_ORIGINAL_BYTES:,} bytes"
        digest = hashlib.sha256()
        with target.open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except (OSError, RuntimeError, ValueError) as exc:
        return f"cannot be read ({exc})"
    if digest.hexdigest() != expected:
        return "no longer has the sha256 recorded for it"
    return None
