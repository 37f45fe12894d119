"""The Economist's 124 published claims on the Russia–Ukraine war, imported as a user would.

tests/data/economist-ukraine/ holds the spreadsheet unchanged, with its MIT licence and
a note on its origin.  `economist_ledger` runs `reconcile import` on it with the two
column maps a user gives after reading the import's warnings, and every test here reads
the ledger that command wrote.  Goldens of the reports on it: tests/golden/economist-*.
"""

from __future__ import annotations

import itertools
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.checks.run import check_file
from reconcile.cli import app
from reconcile.core.models import Ledger
from tests.conftest import ROOT
from tests.economist import IMPORT_ARGS

DATA = ROOT / "tests" / "data" / "economist-ukraine"
CSV = DATA / "estimates.csv"
REPORTS = {
    "summary.txt": ["summary"],
    "discrepancies.txt": ["discrepancies"],
    "diff.txt": ["diff", "uk-mod", "csis"],
    "estimate-killed.txt": ["estimate", "-m", "killed", "--subject", "russia", "--independent"],
    "estimate-casualties.txt": [
        "estimate", "-m", "casualties", "--subject", "russia", "--independent"
    ],
    "estimate-killed.json": [
        "estimate", "-m", "killed", "--subject", "russia", "--independent", "-f", "json"
    ],
}  # fmt: skip
GOLDEN = ROOT / "tests" / "golden"
runner = CliRunner(
    env={"NO_COLOR": "1", "COLUMNS": "100", "RECONCILE_LEDGER": None, "GITHUB_ACTIONS": None}
)


@pytest.fixture(scope="module")
def economist_ledger(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The ledger `reconcile import` writes from the spreadsheet (run from the repo root)."""
    target = tmp_path_factory.mktemp("economist") / "ledger.yaml"
    cwd = Path.cwd()
    os.chdir(ROOT)
    try:
        result = runner.invoke(app, [*IMPORT_ARGS, "-o", str(target)], catch_exceptions=False)
    finally:
        os.chdir(cwd)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "reconcile: imported 124 of 124 row(s)"
    return target


def test_the_spreadsheet_travels_with_its_licence_and_origin() -> None:
    assert "MIT License" in (DATA / "LICENCE").read_text(encoding="utf-8")
    assert "TheEconomist/the-economist-ukraine-war" in (DATA / "README.md").read_text("utf-8")
    assert len(CSV.read_text(encoding="utf-8").splitlines()) == 125  # header and 124 claims


def imported(path: Path) -> Ledger:
    checked = check_file(path)
    assert checked.ledger is not None
    return checked.ledger


def test_import_keeps_every_claim_and_its_central_value(economist_ledger: Path) -> None:
    ledger = imported(economist_ledger)
    estimates = {e.id: e for e in ledger.estimates}
    # low, central and high are all kept: 85,600 never becomes the midpoint 87,600
    meduza = estimates["mediazona-meduza-2024-02-04"].killed
    assert meduza is not None and (meduza.text, meduza.best) == ("85,600 (75,600-99,600)", 85_600)
    uk = estimates["uk-mod-2023-11-30"].casualties
    assert uk is not None and uk.text == "320,000 (290,000-350,000)"
    # a row whose url cell describes the source is kept, in a document without a url
    document = next(d for d in ledger.documents if d.title.startswith("(new to this piece"))
    assert document.url is None
    # one claimant, one date, one url, two countries: two estimates, without a warning
    csis = [e for e in ledger.estimates if e.id.startswith("csis-2025-12-01")]
    assert sorted(ledger.subject_of(e) for e in csis) == ["russia", "ukraine"]


def test_import_warnings_name_row_and_column(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, IMPORT_ARGS, catch_exceptions=False)
    assert result.exit_code == 0
    lines = [line for line in result.stderr.splitlines() if ": warning: " in line]
    assert (
        "tests/data/economist-ukraine/estimates.csv:48:7: warning: row 48: '(new to this "
        "piece, via email from Alexandr at Meduza)' is not a url; the claim is kept in a "
        "document without a url, titled by these words [import-no-url]"
    ) in lines
    assert not [line for line in lines if "import-split-claim" in line]


def test_the_did_you_mean_finds_the_alias_pairs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, IMPORT_ARGS[:6], catch_exceptions=False)
    pairs = [
        line.split("hint: if so, merge them: --merge ")[1]
        for line in result.stderr.splitlines()
        if "--merge" in line
    ]
    for merged in IMPORT_ARGS[7::2]:
        assert f"'{merged}'" in pairs


def test_golden_of_every_did_you_mean(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every merge the import suggests on the spreadsheet, with its reason, so that a
    false suggestion shows in review (tests/golden/economist-import-suggestions.txt)."""
    monkeypatch.chdir(ROOT)
    result = runner.invoke(app, IMPORT_ARGS[:6], catch_exceptions=False)
    lines = result.stderr.splitlines()
    found = [
        f"{line}\n{lines[n + 1]}\n"
        for n, line in enumerate(lines)
        if line.endswith("[import-near-duplicate-claimant]")
    ]
    text = "".join(found)
    golden = GOLDEN / "economist-import-suggestions.txt"
    if os.environ.get("RECONCILE_UPDATE_GOLDEN") == "1":
        golden.write_text(text, encoding="utf-8")
    assert text == golden.read_text(encoding="utf-8")
    assert len(found) == 8


def test_aliases_are_merged_into_one_series(economist_ledger: Path) -> None:
    ledger = imported(economist_ledger)
    ids = {s.id for s in ledger.sources}
    assert {"uk-mod", "csis"} <= ids
    assert not ids & {
        "uk-ministry-of-defence",
        "the-centre-for-strategic-and-international-studies",
    }
    uk = next(s for s in ledger.sources if s.id == "uk-mod")
    assert uk.aliases == ("UK Ministry of Defence",)


def test_no_conflict_beyond_the_window_and_no_rounding_on_top(economist_ledger: Path) -> None:
    from reconcile.reports.discrepancies import Kind, find

    found = find(imported(economist_ledger))
    conflicts = [d for d in found if d.kind is Kind.CONFLICT]
    assert conflicts, "the spreadsheet has real disagreements"
    assert all(d.days_apart is not None and d.days_apart[0] <= 14 for d in conflicts)
    # IISS's rounded 783,000 and UK MoD's exact 783,138 of one day agree
    assert not [d for d in found if {"iiss", "uk-mod"} <= set(d.claimants)]
    assert all(d.factor is not None and d.factor >= 1.05 for d in conflicts[:10])


@pytest.mark.parametrize("report", REPORTS)
def test_golden(report: str, economist_ledger: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(economist_ledger.parent)
    args = [*REPORTS[report], "--ledger", "ledger.yaml", "--width", "100"]
    result = runner.invoke(app, args, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    golden = GOLDEN / f"economist-{report}"
    if os.environ.get("RECONCILE_UPDATE_GOLDEN") == "1":
        golden.write_text(result.stdout, encoding="utf-8")
    assert result.stdout == golden.read_text(encoding="utf-8")


def test_estimate_of_russian_deaths_and_casualties(economist_ledger: Path) -> None:
    """A monotone monthly series, never past the last claim, no claimant dominating."""
    from reconcile.core.models import Metric
    from reconcile.reports.estimate import estimate

    ledger = imported(economist_ledger)
    for metric in (Metric.KILLED, Metric.CASUALTIES):
        result = estimate(ledger, metric, subject="russia", independent=True)
        points = result.points
        assert points[-1].day == max(c.day for c in result.claims)
        assert all(a.best <= b.best for a, b in itertools.pairwise(points))
        assert all(p.low <= p.best <= p.high for p in points)
        assert max(share for _, share in result.shares) < 0.35
        assert not {c.claimant for c in result.claims} & {
            "armed-forces-of-ukraine", "russian-ministry-of-defense"
        }  # fmt: skip


def test_every_summary_statistic_is_a_stated_number(economist_ledger: Path) -> None:
    """Median, lowest and highest of the summary are numbers some claim in the range
    stated, in its own words: never a midpoint nobody stated (CSIS's "125,000–150,000"
    for Ukrainian deaths has the median "between 125,000 and 150,000", not 137,500)."""
    from reconcile.core.figures import parse_figure
    from reconcile.reports.summary import Median, summarise

    result = summarise(imported(economist_ledger))
    for m in result.metrics:
        older = {o.estimate for o in m.older}
        shown = [o for o in m.latest if o.estimate not in older and not o.derived]
        stated = {n for o in shown for n in parse_figure(o.words).numbers}
        assert m.median is not None
        assert {m.median.low, m.median.high, m.lowest_stated, m.highest_stated} <= stated
    ukraine = next(m for m in result.metrics if (m.subject, m.metric) == ("ukraine", "killed"))
    assert ukraine.median == Median(125_000, 150_000)
