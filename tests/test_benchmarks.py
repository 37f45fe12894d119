"""The benchmark scripts keep working: a tiny generated ledger, one timed run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reconcile.checks.run import check_file
from tests.conftest import ROOT

BENCH = ROOT / "benchmarks"


def _generate(tmp_path: Path, *extra: str) -> Path:
    done = subprocess.run(
        [sys.executable, str(BENCH / "generate.py"), "60", "--out", str(tmp_path), *extra],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.split()[0])


def test_generated_ledgers_validate_clean(tmp_path: Path) -> None:
    path = _generate(tmp_path)
    checked = check_file(path)
    assert checked.issues == ()
    assert checked.ledger is not None and len(checked.ledger.estimates) == 60
    assert len(checked.texts) == 12  # one archived document per five estimates


def test_planted_errors_are_found_and_located(tmp_path: Path) -> None:
    path = _generate(tmp_path, "--errors", "5")
    checked = check_file(path)
    assert sorted(i.check for i in checked.issues) == [
        "bad-date",
        "duplicate-key",
        "figure-not-in-quote",
        "unknown-field",
        "unknown-reference",
    ]
    assert all(i.location.line > 1 for i in checked.issues)


@pytest.mark.integration
def test_the_harness_writes_the_report(tmp_path: Path) -> None:
    out = tmp_path / "performance.md"
    done = subprocess.run(
        [sys.executable, str(BENCH / "run.py"), "--quick", "--out", str(out),
         "--data", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert "| `reconcile --help` vs `import typer` |" in report
    assert "reconcile validate, 100 with 2 planted errors" in report
    assert "| 1 |" in report.split("## All timings")[1]  # exit 1 for the planted errors
    assert "## Evidence for the parser choice" in report
