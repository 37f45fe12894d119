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
from typing import Any

from reconcile.checks import CHECKS
from reconcile.issues import Issue, Severity, warning
from reconcile.loader import Loaded
from reconcile.models import Ledger
from reconcile.origins import Origins

SECTIONS = ("sources", "documents", "estimates")


def acknowledge(
    ledger: Ledger, origins: Origins, issues: Iterable[Issue]
) -> tuple[list[Issue], list[Issue]]:
    """(the issues still reported, the warnings set aside)."""
    found = list(issues)
    spans: list[tuple[str, int, int, dict[str, str], Loaded, tuple[Any, ...]]] = []
    for section in SECTIONS:
        entries = getattr(ledger, section)
        for index, entry in enumerate(entries):
            if not entry.acknowledged:
                continue
            loaded, original = origins.entries[section][index]
            first, last = entry_span(loaded, section, original)
            spans.append(
                (loaded.path, first, last, entry.acknowledged, loaded, (section, original))
            )
    if not spans:
        return found, []
    kept: list[Issue] = []
    aside: list[Issue] = []
    used: set[tuple[int, str]] = set()
    for issue in found:
        place = issue.location
        match = None
        if issue.severity is Severity.WARNING:
            for number, (path, first, last, checks, _, _) in enumerate(spans):
                if place.path == path and first <= place.line <= last and issue.check in checks:
                    match = (number, issue.check)
                    break
        if match is None:
            kept.append(issue)
        else:
            used.add(match)
            aside.append(issue)
    for number, (_, _, _, checks, loaded, at) in enumerate(spans):
        for check in checks:
            if (number, check) in used:
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
                    loaded.locate((*at, "acknowledged", check), key=True),
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
