"""`near-duplicate-source` for one organisation under names that share no spelling.

Two sources named "Pentagon" and "US Department of Defense", neither listing the other
in its aliases, keep two series of one organisation.  The institutional synonyms of
`core.institutions` find them, with the reason; the look-alike names of `core.names`
are reported by `checks/evidence.py`, and a pair found by both is reported once.
"""

from __future__ import annotations

from reconcile.core.claims import merged_ids
from reconcile.core.institutions import synonym_pairs
from reconcile.core.issues import Issue, warning
from reconcile.core.models import Ledger
from reconcile.core.names import looks_alike
from reconcile.ingest.origins import Origins


def synonym_sources(ledger: Ledger, where: Origins) -> list[Issue]:
    """Sources whose names mention one institution, neither merged into the other."""
    sources, merged = ledger.sources, merged_ids(ledger)
    issues: list[Issue] = []
    for i, j, institution in synonym_pairs([source.name for source in sources]):
        first, second = sources[i], sources[j]
        if merged.get(first.id, first.id) == merged.get(second.id, second.id):
            continue
        if looks_alike(first.name, second.name, spelling=False):
            continue  # checks/evidence.py reports it
        issues.append(
            warning(
                "near-duplicate-source",
                f"source '{second.id}' ({second.name}) and '{first.id}' ({first.name}) both "
                f"name {institution.name} ({institution.why}): the same organisation? "
                "Their series are kept apart",
                where.at(second, "name"),
                hint=f"if so, add '{second.name}' to the aliases of '{first.id}' (one series)",
            )
        )
    return issues
