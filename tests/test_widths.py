"""Tables never split a number, a date, an id or a qualifier word from its number,
at any width from 60 up: every report is drawn at 60, 80, 100 and 120 columns and
every piece of every cell (what `render.pieces` says a line may not break inside)
must appear whole on one line.  Where a table cannot fit, it is stacked."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from reconcile.render.tables import pieces
from tests.conftest import ROOT, SHIPPED

runner = CliRunner(env={"NO_COLOR": "1", "RECONCILE_LEDGER": None, "GITHUB_ACTIONS": None})
EXAMPLES = ROOT / "docs" / "examples"
REPORTS = {
    "summary": ["summary", str(SHIPPED)],
    "discrepancies": ["discrepancies", str(SHIPPED)],
    "diff": ["diff", "nis", "zelensky", str(SHIPPED)],
    "diff-documents": ["diff", "kursk-diary", "wsj-prisoners", str(SHIPPED)],
    "timeline": ["timeline", str(SHIPPED)],
    "coverage": ["coverage", str(SHIPPED), "--all"],
    "changes": ["changes", str(EXAMPLES / "ledger-v1.yaml"), str(EXAMPLES / "ledger-v2.yaml")],
    "extract": ["extract", *map(str, sorted((ROOT / "seeds").glob("*.txt"))[:2]), "--all"],
}
# a qualifier word and its number are one piece: "at least 300" must not end a line at "least"
QUALIFIED = re.compile(r"(?:at least|more than|fewer than|up to|nearly|almost|about|around|over"
                       r"|some|roughly|approximately|~|≥|>|<|≤) ?[0-9][0-9,  ]*")  # fmt: skip


def _cells(markdown: str) -> list[str]:
    cells = []
    for line in markdown.splitlines():
        if line.startswith("| ") and not line.startswith("|---"):
            # the cells as text: Markdown's backslash escapes (issue 12) undone
            cells += [
                re.sub(r"\\(.)", r"\1", c.strip()) for c in re.split(r"(?<!\\)\|", line)[1:-1]
            ]
    return [c for c in cells if c and not set(c) <= {"-", ":"}]


@pytest.mark.parametrize("width", [60, 80, 100, 120])
@pytest.mark.parametrize("report", REPORTS)
def test_no_token_is_split(report: str, width: int) -> None:
    args = REPORTS[report]
    drawn = runner.invoke(app, [*args, "--width", str(width)], catch_exceptions=False)
    assert drawn.exit_code in (0, 1), drawn.stderr
    table = runner.invoke(app, [*args, "--format", "md"], catch_exceptions=False)
    lines = [" ".join(line.split()) for line in drawn.stdout.splitlines()]
    missing = []
    for cell in _cells(table.stdout):
        for piece, _ in pieces(cell):
            if not any(piece in line for line in lines):
                missing.append(piece)
        for qualified in QUALIFIED.findall(cell):
            words = " ".join(qualified.split())
            if not any(words in line for line in lines):
                missing.append(words)
    assert missing == [], f"split at width {width}: {missing[:10]}"
    assert max(len(line) for line in drawn.stdout.splitlines()) <= width or report == "timeline"


def test_a_table_too_wide_is_stacked_not_folded(tmp_path: Path) -> None:
    drawn = runner.invoke(app, ["summary", str(SHIPPED), "--width", "60"])
    assert "(one block per metric: the table is too wide)" in drawn.stdout
    assert "  highest    12,000 pows-paek-ri 2025-01-09/2025-03" in drawn.stdout
