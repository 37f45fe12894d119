"""References: ids are unique within a section, and every id used exists."""

from __future__ import annotations

import difflib

from reconcile.checks.context import Context
from reconcile.core.issues import Issue, error


def check(context: Context) -> list[Issue]:
    ledger, where = context.ledger, context.origins
    issues: list[Issue] = []
    for section in ("sources", "documents", "estimates"):
        first: dict[str, object] = {}
        for entry in getattr(ledger, section):
            if entry.id in first:
                seen = where.at(first[entry.id], "id")
                issues.append(
                    error(
                        "duplicate-id",
                        f"{section[:-1]} id '{entry.id}' is already used at {seen}",
                        where.at(entry, "id"),
                        hint="give each entry its own id",
                    )
                )
            else:
                first[entry.id] = entry
    sources = sorted({source.id for source in ledger.sources})
    documents = sorted({document.id for document in ledger.documents})
    known_sources = set(sources) | where.invalid_ids.get("sources", frozenset())
    known_documents = set(documents) | where.invalid_ids.get("documents", frozenset())
    for estimate in ledger.estimates:
        if estimate.claimant not in known_sources:
            issues.append(
                error(
                    "unknown-reference",
                    f"claimant '{estimate.claimant}' is not a source id",
                    where.at(estimate, "claimant"),
                    hint=_near(estimate.claimant, sources),
                )
            )
        for number, report in enumerate(estimate.reported_in):
            if report.document not in known_documents:
                issues.append(
                    error(
                        "unknown-reference",
                        f"document '{report.document}' is not a document id",
                        where.at(estimate, "reported_in", number, "document"),
                        hint=_near(report.document, documents),
                    )
                )
    return issues


def _near(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1, cutoff=0.6)
    if close:
        return f"did you mean '{close[0]}'?"
    return "add it to the sources or documents list first"
