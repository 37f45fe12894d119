"""The benchmark scripts keep working: a tiny generated ledger, one timed run."""

from __future__ import annotations

import itertools
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from reconcile.checks.run import check_file
from tests.conftest import ROOT, generate

BENCH = ROOT / "benchmarks"


def _generate(tmp_path: Path, *extra: str, n: int = 60) -> Path:
    return generate(n, tmp_path, *extra)


def test_generated_ledgers_validate_clean(tmp_path: Path) -> None:
    path = _generate(tmp_path)
    checked = check_file(path)
    assert checked.issues == ()
    assert checked.ledger is not None and len(checked.ledger.estimates) == 60
    assert len(checked.texts) == 12  # one archived document per five estimates


def test_a_larger_generated_ledger_validates_with_no_warning_and_rising_series(
    tmp_path: Path,
) -> None:
    """At 2,000 estimates claimants meet the same subject again and again (the
    re-report and same-day checks see real series): still no issue at all, and
    each claimant's figures for a subject rise from one date to the next."""
    path = _generate(tmp_path, n=2000)
    checked = check_file(path)
    assert [(i.check, str(i.location)) for i in checked.issues] == []
    assert checked.ledger is not None
    series: dict[tuple[str, str, str], list[tuple[date, float]]] = {}
    for estimate in checked.ledger.estimates:
        for metric, figure in estimate.figures().items():
            key = (estimate.claimant, checked.ledger.subject_of(estimate), metric.value)
            middle = sum(figure.numbers) / len(figure.numbers)  # a range by its middle
            series.setdefault(key, []).append((estimate.as_of.start, middle))
    repeated = [found for found in series.values() if len(found) > 1]
    assert len(repeated) > 100  # the series are really there
    for found in repeated:
        found.sort()
        assert all(a[0] < b[0] and a[1] < b[1] for a, b in itertools.pairwise(found)), found


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
        [sys.executable, str(BENCH / "run.py"), "--smoke", "--out", str(out),
         "--data", str(tmp_path / "data")],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    report = out.read_text(encoding="utf-8")
    assert '| `reconcile --help` vs `python -c "import typer"` |' in report
    assert "Two cores at once: a CPU-bound loop ran " in report  # what the ratios depend on
    targets = report.split("## Targets (issue 18)")[1].split("## All timings")[0]
    for target in (
        "`validate`, 100 estimates, vs yaml-rs's raw parse",
        "stretch: `validate --cache`, 100, warm, one entry edited",
        "`summary`, 100, vs `validate`",
        "`timeline`, 100, vs `validate`",
        "`diff`, 100, vs `validate`",
        "timeline image of 100 estimates",
    ):
        assert f"| {target}" in targets, target
    assert "≤ 1.5× the raw parse" not in targets  # retired
    assert "## Targets missed, and why" in report  # validate at 100 estimates, at least
    assert "(no profile)" not in report  # main() ends with os._exit: profiled through run()
    assert "reconcile validate, 100 with 2 planted errors" in report
    assert "| 1 |" in report.split("## All timings")[1]  # exit 1 for the planted errors
    assert "## Evidence for the parser choice" in report


@pytest.mark.skipif(not Path("/proc/self/smaps_rollup").exists(), reason="Linux /proc only")
def test_tree_peak_counts_a_forked_childs_own_pages() -> None:
    """`tree_peak` sums the memory of a command and the processes it forks (the
    memory targets of a run that checks in two processes); /usr/bin/time's %M
    would show only the larger one."""
    sys.path.insert(0, str(BENCH))
    try:
        from run import tree_peak
    finally:
        sys.path.remove(str(BENCH))
    holds = (
        "import os, time\n"
        "block = bytearray(80 * 2**20)\n"
        "block[::4096] = b'x' * len(block[::4096])\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    block[::4096] = b'y' * len(block[::4096])  # the child's own copy\n"
        "    time.sleep(1.5)\n"
        "    os._exit(0)\n"
        "os.waitpid(pid, 0)\n"
    )
    alone = tree_peak(
        [sys.executable, "-c", holds.split("pid =", maxsplit=1)[0] + "time.sleep(1.5)\n"], {}
    )
    both = tree_peak([sys.executable, "-c", holds], {})
    assert alone is not None and both is not None
    assert alone >= 80
    assert both >= alone + 70  # the child's 80 MB copy, counted
