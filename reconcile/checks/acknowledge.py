"""Warnings a person has checked: `acknowledged:` in an entry, with a reason.

    - id: nis-2025-01-13
      ...
      acknowledged:
        sum-mismatch: the agency's own figures do not add up; recorded as stated

A warning whose check id an entry acknowledges, and which is located inside
that entry, is set aside (counted, not reported), so that `--strict` keeps
failing on the warnings nobody has looked at.  Errors cannot be acknowledged.
An acknowledgement that matches no warning any more (or names no check) is
itself a warning, `unused-acknowledgement`, so that none outlives its reason.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from reconcile.checks import CHECKS
from reconcile.core.issues import Issue, Severity, warning
from reconcile.core.models import Ledger
from reconcile.ingest.loader import Loaded
from reconcile.ingest.origins import Origins

SECTIONS = ("sources", "documents", "estimates")


@dataclass(frozen=True, slots=True)
class Acknowledged:
    """A warning set aside: the issue, the entry that acknowledges it and the reason."""

    issue: Issue
    section: str
    entry: str
    """The acknowledging entry's id."""
    reason: str

    @property
    def check(self) -> str:
        return self.issue.check


def acknowledge(
    ledger: Ledger,
    origins: Origins,
    issues: Iterable[Issue],
    pre: Iterable[tuple[str, int, str, Issue]] = (),
) -> tuple[list[Issue], list[Acknowledged]]:
    """(the issues still reported, the warnings set aside with their reasons).

    `pre` are warnings a check set aside itself, having seen the entry's
    acknowledgement ((section, index in the ledger, check id, issue)): it
    spares locating them, which a clean ledger read on the fast path never
    has to do.  Entry spans are computed only when a warning may need them.
    """
    found = list(issues)
    acknowledging = [
        (section, index, entry.acknowledged)
        for section in SECTIONS
        for index, entry in enumerate(getattr(ledger, section))
        if entry.acknowledged
    ]
    if not acknowledging:
        return found, []
    used: set[tuple[str, int, str]] = set()
    aside: list[Acknowledged] = []

    def set_aside(section: str, index: int, check: str, issue: Issue) -> None:
        used.add((section, index, check))
        entry = getattr(ledger, section)[index]
        aside.append(Acknowledged(issue, section, entry.id, entry.acknowledged.get(check, "")))

    for section, index, check, issue in pre:
        set_aside(section, index, check, issue)
    wanted = {check for _, _, checks in acknowledging for check in checks}
    spans: list[tuple[str, int, int, str, int, dict[str, str]]] = []
    if any(i.severity is Severity.WARNING and i.check in wanted for i in found):
        for section, index, checks in acknowledging:
            loaded, original = origins.entries[section][index]
            first, last = entry_span(loaded, section, original)
            spans.append((loaded.path, first, last, section, index, checks))
    kept: list[Issue] = []
    for issue in found:
        place = issue.location
        match = None
        if issue.severity is Severity.WARNING and issue.check in wanted:
            for path, first, last, section, index, checks in spans:
                if place.path == path and first <= place.line <= last and issue.check in checks:
                    match = (section, index, issue.check)
                    break
        if match is None:
            kept.append(issue)
        else:
            set_aside(*match, issue)
    if any(issue.severity is Severity.ERROR for issue in kept):
        return kept, aside  # with errors, not every check ran: "unused" would mislead
    for section, index, checks in acknowledging:
        for check in checks:
            if (section, index, check) in used:
                continue
            why = (
                f"'{check}' is not a check id"
                if check not in CHECKS
                else f"no '{check}' warning in this entry any more"
            )
            kept.append(
                warning(
                    "unused-acknowledgement",
                    f"acknowledged {why}",
                    origins.where(section, index, "acknowledged", check, key=True),
                    hint="remove the acknowledgement",
                )
            )
    return kept, aside


def entry_span(loaded: Loaded, section: str, index: int) -> tuple[int, int]:
    """The lines (first, last) of entry `index` of `section` in one file."""
    first = loaded.locate((section, index)).line
    following = loaded.locate((section, index + 1))
    if following.line > first:
        return first, following.line - 1
    data = loaded.data
    later = [
        loaded.locate((key,), key=True).line
        for key in (data if isinstance(data, dict) else {})
        if isinstance(key, str)
    ]
    ends = [line for line in later if line > first]
    return first, (min(ends) - 1 if ends else 10**9)
