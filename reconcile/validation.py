"""Validation: read one ledger file and run every check over it.

This is the whole of `reconcile validate` apart from printing: it reads the
file and the files it includes, builds the ledger, reads its archive and
collects every check's issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reconcile.acknowledge import acknowledge
from reconcile.archive import read_archive
from reconcile.checks import (
    characters,
    consistency,
    dates,
    evidence,
    meaning,
    partial,
    provenance,
    references,
    review,
    schema,
)
from reconcile.includes import load_ledger
from reconcile.issues import Issue, Severity, sort_issues
from reconcile.loader import DEFAULT_MAX_BYTES, load_bytes
from reconcile.models import Ledger
from reconcile.origins import Origins
from reconcile.settings import DEFAULT_SETTINGS, Settings, find_settings


@dataclass(frozen=True, slots=True)
class Checked:
    """A ledger as far as it could be read, and every problem found in it."""

    path: str
    ledger: Ledger | None
    origins: Origins
    issues: tuple[Issue, ...]
    texts: dict[str, str]
    files: tuple[str, ...] = ()
    """The display names of the ledger's files: the root, then those it includes."""
    acknowledged: tuple[Issue, ...] = ()
    """Warnings the ledger's entries acknowledge (`acknowledged:`), set aside."""
    settings: Settings = DEFAULT_SETTINGS
    """reconcile.toml or [tool.reconcile] (strict, ignore), if the ledger has them."""
    ignored: tuple[Issue, ...] = ()
    """Warnings set aside by the settings' `ignore`."""
    left_out: tuple[str, ...] = ()
    """Estimates a report leaves out because they have errors (usable.usable_part)."""
    partial: bool = False
    """A report runs on the usable part of a ledger with errors (exit 1 after it)."""


def check_file(
    path: Path,
    *,
    display: str | None = None,
    today: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Checked:
    name = display if display is not None else str(path)
    files = load_ledger(path, max_bytes=max_bytes, display=name)
    names = tuple(loaded.path for loaded in files.files)
    issues: list[Issue] = [issue for loaded in files.files for issue in loaded.issues]
    issues.extend(files.issues)
    if not files.root.usable:
        return Checked(name, None, Origins(), tuple(sort_issues(issues)), {}, names)
    ledger, origins, found = schema.build(files.files)
    issues.extend(found)
    texts: dict[str, str] = {}
    if ledger is not None:
        archive = read_archive(ledger, origins, path, files.archives)
        texts = archive.texts
        issues.extend(archive.issues)
        issues.extend(references.check(ledger, origins))
        issues.extend(characters.check(ledger, origins, files.files))
        issues.extend(dates.check(ledger, origins, today or date.today()))
        issues.extend(consistency.check(ledger, origins))
        issues.extend(evidence.check(ledger, origins))
        numbers, bodies = provenance.Numbers(), dict[str, str]()
        issues.extend(provenance.check(ledger, origins, texts, numbers, bodies))
        issues.extend(review.check(ledger, origins, archive.folder))
        issues.extend(partial.check(ledger, origins, texts))
        pre: list[tuple[str, int, str, Issue]] = []
        issues.extend(
            meaning.check(ledger, origins, texts, numbers=numbers, bodies=bodies, acknowledged=pre)
        )
        issues, aside = acknowledge(ledger, origins, issues, pre)
        settings = find_settings(path)
        ignored = [
            issue
            for issue in issues
            if issue.severity is Severity.WARNING and issue.check in settings.ignore
        ]
        kept = [issue for issue in issues if issue not in ignored]
        kept.extend(settings.issues)
        return Checked(
            name,
            ledger,
            origins,
            tuple(sort_issues(kept)),
            texts,
            names,
            tuple(aside),
            settings,
            tuple(ignored),
        )
    return Checked(name, ledger, origins, tuple(sort_issues(issues)), texts, names)


def check_bytes(raw: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Checked:
    """A ledger from bytes (a file at a git revision): read and schema only.

    Its `include:`s are not followed and its archive is not read, since neither
    is at hand as it was at that revision.
    """
    loaded = load_bytes(raw, name, max_bytes=max_bytes)
    issues: list[Issue] = list(loaded.issues)
    if not loaded.usable:
        return Checked(name, None, Origins(), tuple(sort_issues(issues)), {}, (name,))
    ledger, origins, found = schema.build([loaded])
    issues.extend(found)
    if ledger is not None:
        issues.extend(references.check(ledger, origins))
    return Checked(name, ledger, origins, tuple(sort_issues(issues)), {}, (name,))
