"""checks/parallel.py: a ledger checked in several processes gives exactly the
issues, in the same order, and the same acknowledgements as one process; a child
that fails costs time, never a result; no child outlives a run."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reconcile.checks import parallel
from reconcile.checks.run import Checked, check_file
from tests.conftest import CHILD_FAILURES, ROOT, SHIPPED, WriteLedger
from tests.economist import import_ledger
from tests.test_gallery import CASES, written

TODAY = date(2026, 12, 1)


def _same(one: Checked, many: Checked) -> None:
    assert many.issues == one.issues
    assert many.acknowledged == one.acknowledged
    assert many.ignored == one.ignored


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Benchmark ledgers with planted errors (benchmarks/generate.py), two seeds."""
    folder = tmp_path_factory.mktemp("generated")
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        from generate import generate
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    return [generate(300, folder / str(seed), errors=30, seed=seed) for seed in (20250113, 7)]


@pytest.mark.parametrize("jobs", [2, 3])
def test_generated_ledgers_with_errors_give_the_same_issues(
    generated: list[Path], forks: list[int], jobs: int
) -> None:
    for path in generated:
        one = check_file(path, today=TODAY)
        assert len(one.issues) >= 30, "the planted errors are found"
        many = check_file(path, today=TODAY, jobs=jobs)
        _same(one, many)
    assert len(forks) == len(generated) * (jobs - 1)


def test_the_economist_and_shipped_ledgers_give_the_same_issues(
    tmp_path: Path, forks: list[int]
) -> None:
    found = []
    for path in (SHIPPED, import_ledger(tmp_path)):
        one = check_file(path, today=TODAY)
        _same(one, check_file(path, today=TODAY, jobs=2))
        found.append(len(one.issues) + len(one.acknowledged))
    assert len(forks) == 2
    assert found[1], "the Economist's claims carry warnings to compare"


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_gallery_case_gives_the_same_issues(
    case: Any, write_ledger: WriteLedger, valid_text: str, forks: list[int]
) -> None:
    path = written(case, write_ledger, valid_text)
    one = check_file(path, display="ledger.yaml", today=TODAY)
    _same(one, check_file(path, display="ledger.yaml", today=TODAY, jobs=2))


def _failing_in_children(monkeypatch: pytest.MonkeyPatch, how: Callable[[], None]) -> None:
    """parallel._take runs `how` first in every child (the parent takes its chunks as usual)."""
    parent, take = os.getpid(), parallel._take

    def taken(*args: Any) -> Any:
        if os.getpid() != parent:
            how()
        return take(*args)

    monkeypatch.setattr(parallel, "_take", taken)


@pytest.mark.parametrize("how", CHILD_FAILURES)
def test_a_failed_child_leaves_its_chunks_to_the_parent(
    generated: list[Path],
    forks: list[int],
    monkeypatch: pytest.MonkeyPatch,
    how: Callable[[], None],
) -> None:
    one = check_file(generated[0], today=TODAY)
    _failing_in_children(monkeypatch, how)
    _same(one, check_file(generated[0], today=TODAY, jobs=3))
    assert len(forks) == 2


def test_a_failing_parent_stops_and_reaps_its_children(
    generated: list[Path], forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    parent = os.getpid()

    def taken(*args: Any) -> Any:
        if os.getpid() == parent:
            raise RuntimeError("the parent failed")
        threading.Event().wait(120)  # the child would go on for two minutes

    monkeypatch.setattr(parallel, "_take", taken)
    with pytest.raises(RuntimeError, match="the parent failed"):
        check_file(generated[0], today=TODAY, jobs=2)
    assert len(forks) == 1  # and the fixture asserts it was reaped


def test_no_fork_with_another_thread_running_or_a_small_ledger(
    generated: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []

    def counted(*args: object) -> list[object]:
        calls.append(1)
        return []

    monkeypatch.setattr(parallel, "run", counted)
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        check_file(generated[0], today=TODAY, jobs=2)
    finally:
        stop.set()
        thread.join()
    assert calls == []
    built = check_file(generated[0], today=TODAY).ledger
    assert built is not None
    monkeypatch.setattr(parallel, "PARALLEL_FROM", len(built.estimates) + 1)
    check_file(generated[0], today=TODAY, jobs=2)
    assert calls == []
    monkeypatch.setattr(parallel, "PARALLEL_FROM", len(built.estimates))
    check_file(generated[0], today=TODAY, jobs=2)
    assert calls == [1]


def test_validate_from_the_command_line_forks_as_reconcile_jobs_says(
    generated: list[Path], tmp_path: Path
) -> None:
    """The console script with RECONCILE_JOBS=1 and 2 (forced from 0 estimates up by
    a sitecustomize on the path): the same output, and a refusal for a bad value."""
    (tmp_path / "sitecustomize.py").write_text(
        "import reconcile.checks.parallel as p\np.PARALLEL_FROM = 0\n", encoding="utf-8"
    )
    env = {**os.environ, "PYTHONPATH": str(tmp_path), "NO_COLOR": "1"}
    outputs = []
    for jobs in ("1", "2"):
        done = subprocess.run(
            [sys.executable, "-m", "reconcile", "validate", str(generated[0])],
            env={**env, "RECONCILE_JOBS": jobs},
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        assert done.returncode == 1, done.stderr
        outputs.append((done.stdout, done.stderr))
    assert outputs[0] == outputs[1]
    done = subprocess.run(
        [sys.executable, "-m", "reconcile", "validate", str(generated[0])],
        env={**env, "RECONCILE_JOBS": "two"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert "RECONCILE_JOBS='two' is not a whole number" in done.stderr


def test_a_refused_fork_leaves_the_work_to_the_processes_there_are(
    generated: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """A process limit (fork raises EAGAIN) is no failure: with no child, the
    parent checks every chunk; with one of two, the two share them."""
    import errno

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    one = check_file(generated[0], today=TODAY)
    fork, pids, allowed = os.fork, list[int](), 0

    def limited() -> int:
        if len(pids) == allowed:
            raise OSError(errno.EAGAIN, "Resource temporarily unavailable")
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", limited)
    for allowed in (0, 1):
        pids.clear()
        _same(one, check_file(generated[0], today=TODAY, jobs=3))
        assert len(pids) == allowed
        for pid in pids:
            with pytest.raises(ChildProcessError):
                os.waitpid(pid, os.WNOHANG)
