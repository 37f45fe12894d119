"""The Economist's 124 published claims on the Russia–Ukraine war (tests/data/economist-ukraine,
MIT licence), imported as a ledger as a user would: the column maps the import's warnings
ask for, and the pairs its did-you-mean finds (by spelling, and by the institutional
synonyms), merged as it suggests.  The one
command line for every test that reads these claims (test_economist, test_export,
test_browser, test_publish)."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT

CSV = ROOT / "tests" / "data" / "economist-ukraine" / "estimates.csv"
IMPORT_ARGS = [
    "import",
    str(CSV.relative_to(ROOT)),
    "--map",
    "country=subject",
    "--map",
    "ignore for chart, data from warring parties=party",
    # the alias pairs the import's did-you-mean finds, merged as it suggests
    "--merge",
    "UK Ministry of Defence=UK MoD",
    "--merge",
    "The Centre for Strategic and International Studies=CSIS",
    "--merge",
    "Mediazona; Meduza (cumulative)=Mediazona; Meduza",
    "--merge",
    "Dutch Military Intelligence and Security Service (MIVD; note, timing clarified via "
    "email)=Dutch Military Intelligence and Security Service (MIVD)",
    # one institution under names that share no spelling (core/institutions.toml): the
    # Pentagon leak was of the US Department of Defense's documents, and the Secretary
    # of Defense (Lloyd Austin, defense.gov) speaks for it
    "--merge",
    "Pentagon leak=US DoD",
    "--merge",
    "US Sec of Def=US DoD",
]


def import_ledger(folder: Path) -> Path:
    """The claims as a ledger in `folder`: all 124 rows read, with warnings only."""
    path = folder / "economist.yaml"
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        result = CliRunner().invoke(app, [*IMPORT_ARGS, "-o", str(path)], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "reconcile: imported 124 of 124 row(s)"
    return path
