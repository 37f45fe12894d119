"""Every quote and archived text the differential tests read: the shipped ledger's,
the Economist sheet's (imported, tests/economist.py) and a generated benchmark
ledger's (benchmarks/generate.py), each ledger with the archive it names."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

from reconcile.checks.run import Checked, check_file
from reconcile.core.models import Estimate, Report
from tests.conftest import SHIPPED, generate
from tests.economist import import_ledger


def ledgers(folder: Path) -> list[Path]:
    """The three ledgers, written under `folder` where they need writing."""
    (folder / "economist").mkdir()
    return [SHIPPED, import_ledger(folder / "economist"), generate(400, folder)]


def quotes_and_texts(paths: list[Path]) -> list[str]:
    """Each ledger's quotes as written, then its archived texts."""
    found: list[str] = []
    for path in paths:
        checked = check_file(path, today=date(2026, 12, 1))
        assert checked.ledger is not None
        found.extend(r.quote for e in checked.ledger.estimates for r in e.reported_in)
        found.extend(checked.texts.values())
    return found


def every_report(paths: list[Path]) -> Iterator[tuple[Checked, Estimate, Report]]:
    """Each report of each estimate of the ledgers, with its checked ledger."""
    for path in paths:
        checked = check_file(path, today=date(2026, 12, 1))
        assert checked.ledger is not None
        for estimate in checked.ledger.estimates:
            for report in estimate.reported_in:
                yield checked, estimate, report
