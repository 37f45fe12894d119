"""The Economist's 124 published claims on the Russia–Ukraine war (tests/data/economist-ukraine,
MIT licence), imported as a ledger the way its README's columns ask."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT

CSV = ROOT / "tests" / "data" / "economist-ukraine" / "estimates.csv"
MAP = (
    "--map", "estimate_low=low", "--map", "estimate_high=high", "--map", "country=subject",
    "--map", "ignore for chart, data from warring parties=party",
)  # fmt: skip


def import_ledger(folder: Path) -> Path:
    """The claims as a ledger in `folder`; 3 rows cannot be read, and the import says so."""
    path = folder / "economist.yaml"
    result = CliRunner().invoke(
        app, ["import", str(CSV), *MAP, "-o", str(path)], catch_exceptions=False
    )
    assert result.exit_code == 1, result.stderr
    assert "imported 121 of 124 row(s); 3 could not be read" in result.stderr
    return path
