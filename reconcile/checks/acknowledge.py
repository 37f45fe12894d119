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
from reconcile.core.models import SECTIONS, Ledger
from reconcile.ingest.loader import Loaded
from reconcile.ingest.origins import Origins


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
    pre: Iterable[tuple[object, str, Issue]] = (),
) -> tuple[list[Issue], list[Acknowledged]]:
    """(the issues still reported, the warnings set aside with their reasons).

    `pre` are warnings a check set aside itself, having seen the entry's
    acknowledgement ((the entry, check id, issue)): it
    spares locating them, which a clean ledger read on the fast path never
    has to do.  Entry spans are computed only when a warning may need them.
    """
    found = list(issues)
    acknowledging = [
        (section, entry, entry.acknowledged)
        for section in SECTIONS
        for entry in getattr(ledger, section)
        if entry.acknowledged
    ]
    if not acknowledging:
        return found, []
    used: set[tuple[int, str]] = set()  # (id of the entry, check id)
    aside: list[Acknowledged] = []
    sections = {id(entry): (section, entry) for section, entry, _ in acknowledging}

    def set_aside(key: int, check: str, issue: Issue) -> None:
        used.add((key, check))
        section, entry = sections[key]
        aside.append(Acknowledged(issue, section, entry.id, entry.acknowledged.get(check, "")))

    for entry, check, issue in pre:
        set_aside(id(entry), check, issue)
    wanted = {check for _, _, checks in acknowledging for check in checks}
    spans: list[tuple[str, int, int, object, dict[str, str]]] = []
    if any(i.severity is Severity.WARNING and i.check in wanted for i in found):
        for section, entry, checks in acknowledging:
            loaded, original = origins.origin(entry)
            first, last = entry_span(loaded, section, original)
            spans.append((loaded.path, first, last, entry, checks))
    kept: list[Issue] = []
    for issue in found:
        place = issue.location
        match = None
        if issue.severity is Severity.WARNING and issue.check in wanted:
            for path, first, last, entry, checks in spans:
                if place.path == path and first <= place.line <= last and issue.check in checks:
                    match = (id(entry), issue.check)
                    break
        if match is None:
            kept.append(issue)
        else:
            set_aside(*match, issue)
    if any(issue.severity is Severity.ERROR for issue in kept):
        return kept, aside  # with errors, not every check ran: "unused" would mislead
    for _, entry, checks in acknowledging:
        for check in checks:
            if (id(entry), check) in used:
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
                    origins.at(entry, "acknowledged", check, key=True),
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
    later = [loaded.locate((key,), key=True).line for key in loaded.top_keys]
    ends = [line for line in later if line > first]
    return first, (min(ends) - 1 if ends else 10**9)
