"""Every quote and archived text the differential tests read: the shipped ledger's,
the Economist sheet's (imported, tests/economist.py) and a generated benchmark
ledger's (benchmarks/generate.py), each ledger with the archive it names."""

from __future__ import annotations

import subprocess
import sys
from datetime import date
from pathlib import Path

from reconcile.checks.run import check_file
from tests.conftest import ROOT, SHIPPED
from tests.economist import import_ledger


def ledgers(folder: Path) -> list[Path]:
    """The three ledgers, written under `folder` where they need writing."""
    (folder / "economist").mkdir()
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), "400", "--out", str(folder)],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return [SHIPPED, import_ledger(folder / "economist"), Path(done.stdout.split()[0])]


def quotes_and_texts(paths: list[Path]) -> list[str]:
    """Each ledger's quotes as written, then its archived texts."""
    found: list[str] = []
    for path in paths:
        checked = check_file(path, today=date(2026, 12, 1))
        assert checked.ledger is not None
        found.extend(r.quote for e in checked.ledger.estimates for r in e.reported_in)
        found.extend(checked.texts.values())
    return found
