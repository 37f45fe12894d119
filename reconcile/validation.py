"""Validation: read one ledger file and run every check over it.

This is the whole of `reconcile validate` apart from printing: it reads the
file, builds the ledger, reads its archive and collects every check's issues.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from reconcile.archive import read_archive
from reconcile.checks import consistency, dates, provenance, references, schema
from reconcile.issues import Issue, sort_issues
from reconcile.loader import DEFAULT_MAX_BYTES, load_file
from reconcile.models import Ledger
from reconcile.origins import Origins


@dataclass(frozen=True, slots=True)
class Checked:
    """A ledger as far as it could be read, and every problem found in it."""

    path: str
    ledger: Ledger | None
    origins: Origins
    issues: tuple[Issue, ...]
    texts: dict[str, str]


def check_file(
    path: Path,
    *,
    display: str | None = None,
    today: date | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Checked:
    name = display if display is not None else str(path)
    loaded = load_file(path, max_bytes=max_bytes, display=name)
    issues: list[Issue] = list(loaded.issues)
    if not loaded.usable:
        return Checked(name, None, Origins(), tuple(issues), {})
    ledger, origins, found = schema.build([loaded])
    issues.extend(found)
    texts: dict[str, str] = {}
    if ledger is not None:
        archive = read_archive(ledger, origins, path)
        texts = archive.texts
        issues.extend(archive.issues)
        issues.extend(references.check(ledger, origins))
        issues.extend(dates.check(ledger, origins, today or date.today()))
        issues.extend(consistency.check(ledger, origins))
        issues.extend(provenance.check(ledger, origins, texts))
    return Checked(name, ledger, origins, tuple(sort_issues(issues)), texts)
