"""Golden outputs: each report on the shipped ledger, at width 100 without colour.

Regenerate after an intended change with `RECONCILE_UPDATE_GOLDEN=1 python -m pytest
tests/test_golden.py`, and review the diff before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT

GOLDEN = Path(__file__).resolve().parent / "golden"
REPORTS = {
    "summary": ["summary"],
    "discrepancies": ["discrepancies"],
    "diff": ["diff", "nis", "zelensky"],
    "timeline": ["timeline"],
}
FORMATS = {"table": "txt", "json": "json", "csv": "csv", "md": "md"}
runner = CliRunner(
    env={"NO_COLOR": "1", "COLUMNS": "100", "RECONCILE_LEDGER": None, "GITHUB_ACTIONS": None}
)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("report", REPORTS)
def test_golden(report: str, fmt: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    args = [*REPORTS[report], "--ledger", "data/estimates.yaml", "--format", fmt]
    result = runner.invoke(app, [*args, "--width", "100"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"{report}.{FORMATS[fmt]}"
    if os.environ.get("RECONCILE_UPDATE_GOLDEN") == "1":
        golden.parent.mkdir(exist_ok=True)
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")
