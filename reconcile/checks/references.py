"""References: ids are unique within a section, and every id used exists."""

from __future__ import annotations

import difflib
import re

from reconcile.checks.context import Context
from reconcile.core.issues import Issue, error
from reconcile.core.models import Ledger


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
                    hint=_near_source(estimate.claimant, ledger)
                    or _near(estimate.claimant, sources),
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


def _near_source(word: str, ledger: Ledger) -> str | None:
    """A source whose id, name or alias looks like `word` ("South Korea's National
    Intelligence Service" written as an id finds 'nis' by its name)."""
    keys: dict[str, str] = {}
    for source in ledger.sources:
        for name in (source.name, *source.aliases):
            keys.setdefault(_folded(name), source.id)
    close = difflib.get_close_matches(_folded(word), list(keys), n=1, cutoff=0.6)
    if not close or keys[close[0]] == word:
        return None
    found = keys[close[0]]
    if found in difflib.get_close_matches(word, [s.id for s in ledger.sources], n=1, cutoff=0.6):
        return None  # the id itself is close: _near says it
    name = next(source.name for source in ledger.sources if source.id == found)
    return f"did you mean '{found}' ({name})?"


def _folded(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", " ", text.casefold()).strip()
