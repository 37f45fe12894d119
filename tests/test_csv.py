"""CSV is data: one row per record, one value per column, plain integers for
counts and bounds (low, best, high apart from the words), ISO dates, ids, and
every table of a report in it (the `table` column)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT, SHIPPED

runner = CliRunner(env={"NO_COLOR": "1", "RECONCILE_LEDGER": None, "GITHUB_ACTIONS": None})
EXAMPLES = ROOT / "docs" / "examples"
REPORTS = {
    "summary": ["summary", str(SHIPPED)],
    "discrepancies": ["discrepancies", str(SHIPPED)],
    "diff": ["diff", "kursk-diary", "wsj-prisoners", str(SHIPPED)],
    "timeline": ["timeline", str(SHIPPED)],
    "coverage": ["coverage", str(SHIPPED), "--all"],
    "changes": ["changes", str(EXAMPLES / "ledger-v1.yaml"), str(EXAMPLES / "ledger-v2.yaml")],
    "extract": ["extract", str(sorted((ROOT / "seeds").glob("*.txt"))[0])],
}
INTEGER = re.compile(r"(?:^|_)(?:low|best|high|median|estimates|claimants|rank|covered|restated"
                     r"|todo|not_casualty|quotes_missing|difference|days_apart(?:_min|_max)?"
                     r"|start|end|sentence_no)$")  # fmt: skip
DAY = re.compile(r"(?:^|_)as_of_(?:start|end)$")


@pytest.mark.parametrize("report", REPORTS)
def test_csv_is_data_with_every_table(report: str) -> None:
    result = runner.invoke(app, [*REPORTS[report], "--format", "csv"], catch_exceptions=False)
    assert result.exit_code in (0, 1), result.stderr
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and next(iter(rows[0])) == "table"
    markdown = runner.invoke(app, [*REPORTS[report], "--format", "md"]).stdout
    shown = [part for part in markdown.split("### ")[1:] if "(none)" not in part.split("\n")[2]]
    assert len({row["table"] for row in rows}) == len(shown), "a table is missing from the CSV"
    for row in rows:
        for key, value in row.items():
            if value and INTEGER.search(key) and not DAY.search(key):
                assert value.isdigit() or value.lstrip("-").isdigit(), (key, value)
            if value and DAY.search(key):
                date.fromisoformat(value)


def test_summary_csv_has_figures_as_plain_integers_and_words_apart() -> None:
    result = runner.invoke(app, ["summary", str(SHIPPED), "-f", "csv"])
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["table"] == "latest"]
    nis = next(r for r in rows if r["metric"] == "wounded")
    assert (nis["low"], nis["best"], nis["high"], nis["words"]) == ("2700", "2700", "2700", "2,700")
    assert (nis["claimant"], nis["as_of_start"]) == ("nis", "2025-01-13")
    killed = next(r for r in rows if r["metric"] == "killed")
    assert (killed["low"], killed["high"], killed["words"]) == ("300", "", "at least 300")


def test_diff_claims_on_one_side_only_are_data_too() -> None:
    """The only-in tables gave the display form ("~3,800"); now low/best/high and words."""
    result = runner.invoke(app, [*REPORTS["diff"], "-f", "csv"])
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout)) if r["table"] == "only-in-a"]
    assert rows and "shown" not in rows[0]
    zelensky = next(r for r in rows if r["claimant"] == "zelensky" and r["metric"] == "casualties")
    assert (zelensky["best"], zelensky["words"]) == ("3800", "around 3,800")
    assert zelensky["low"].isdigit() and zelensky["high"].isdigit()
