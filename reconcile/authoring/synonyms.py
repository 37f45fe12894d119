"""`import`'s did-you-mean for one organisation under names that share no spelling.

"Pentagon leak" and "US DoD" are one organisation, the US Department of Defense, which
nothing in the spelling says: the institutional synonyms of `core.institutions` do.
Each pair is reported as `import-near-duplicate-claimant`, as the look-alike names of
`core.names` are, with the reason and the `--merge` that would make one source of the
two; nothing is merged without asking (docs/workflow.md).
"""

from __future__ import annotations

from reconcile.core.institutions import synonym_pairs
from reconcile.core.issues import Issue, Location, warning
from reconcile.core.names import looks_alike


def synonym_issues(
    names: dict[str, tuple[str, int]], merge: dict[str, str], file: str, column: int
) -> list[Issue]:
    """Claimant names (name → (source id, first row)) that mention one institution and
    are neither one source already nor found alike by their spelling."""
    listed = list(names)
    issues: list[Issue] = []
    for i, j, institution in synonym_pairs(listed):
        first, second = sorted((listed[i], listed[j]), key=lambda n: names[n][1])
        (first_id, first_row), (second_id, second_row) = names[first], names[second]
        if first_id == second_id or merge.get(first) == second or merge.get(second) == first:
            continue  # one source already, or merged on request
        if looks_alike(first, second, spelling=False):
            continue  # reported by the spelling rules
        kept, alias = (first, second) if len(first) <= len(second) else (second, first)
        issues.append(
            warning(
                "import-near-duplicate-claimant",
                f"row {second_row}: claimant '{second}' (id '{second_id}') and '{first}' "
                f"(id '{first_id}', row {first_row}) both name {institution.name} "
                f"({institution.why}): the same source?",
                Location(file, second_row, column),
                hint=f"if so, merge them: --merge '{alias}={kept}'",
            )
        )
    return issues
