"""A report's analysis run alongside the checks (checks/parallel.py `alongside`,
cli/ledgers.py `analysed`): the reports' output and exit codes are byte for byte
those of a run in one process, the analysis runs once on a clean ledger and
again on the usable part of one with errors, and what it raises surfaces as
when it ran after the checks."""

from __future__ import annotations

import os
import signal
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from reconcile.checks import parallel
from reconcile.checks.run import Checked, check_file
from reconcile.cli import app
from reconcile.core.models import Ledger
from tests.conftest import WriteLedger, generate
from tests.economist import import_ledger

TODAY = date(2026, 12, 1)

REPORTS = {
    "summary": ("reconcile.reports.summary", "summarise"),
    "timeline": ("reconcile.reports.timeline", "timeline"),
    "discrepancies": ("reconcile.reports.discrepancies", "report"),
    "diff": ("reconcile.reports.diff", "diff"),
}
"""Each report wired to run alongside, and the function of its analysis."""


@pytest.fixture(scope="module")
def ledgers(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A clean generated ledger of 10,000 estimates, one of 400 with planted
    errors (benchmarks/generate.py: found while reading it, among others), one
    of 400 with a figure not in its quote (found by the checks alone) and the
    Economist's claims."""
    folder = tmp_path_factory.mktemp("alongside")
    found = generate(400, folder / "found")
    head, estimates = found.read_text(encoding="utf-8").split("\nestimates:\n", 1)
    first, rest = estimates.split("\n    as_of: ", 1)
    date_line, after = rest.split("\n", 1)
    found.write_text(  # a figure not in its quote: an error only the checks find
        f"{head}\nestimates:\n{first}\n    as_of: {date_line}\n    missing: 99999\n{after}",
        encoding="utf-8",
    )
    return {
        "10k": generate(10_000, folder / "clean"),
        "errors": generate(400, folder / "errors", "--errors", "20"),
        "found": found,
        "economist": import_ledger(folder),
    }


class Spy:
    """Counts the report's analysis calls, and keeps what check_file returned."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, command: str) -> None:
        import importlib

        from reconcile.checks import run

        module, name = REPORTS[command]
        target = importlib.import_module(module)
        analysis = getattr(target, name)
        self.calls = 0
        self.checked: list[Checked] = []

        def counted(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            return analysis(*args, **kwargs)

        checking = run.check_file

        def kept(*args: Any, **kwargs: Any) -> Checked:
            found = checking(*args, **kwargs)
            self.checked.append(found)
            return found

        monkeypatch.setattr(target, name, counted)
        monkeypatch.setattr(run, "check_file", kept)

    @property
    def alongside(self) -> bool:
        """Whether the analysis ran alongside the checks."""
        return self.checked[-1].alongside is not None


def _argv(command: str, ledger: Path, fmt: str) -> list[str]:
    economist = "economist" in str(ledger)
    sides = ["uk-mod", "cia"] if economist else ["src-0000", "src-0001"]
    head = [command, *sides] if command == "diff" else [command]
    return [*head, "--ledger", str(ledger), "--format", fmt]


def _run(argv: list[str], jobs: str) -> tuple[int, str, str]:
    runner = CliRunner(
        env={
            "NO_COLOR": "1",
            "COLUMNS": "100",
            "GITHUB_ACTIONS": None,
            "RECONCILE_LEDGER": None,
            "RECONCILE_CACHE_DIR": None,
            "RECONCILE_JOBS": jobs,
        }
    )
    result = runner.invoke(app, argv, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


def _both(
    monkeypatch: pytest.MonkeyPatch, command: str, argv: list[str]
) -> tuple[tuple[int, str, str], Spy, tuple[int, str, str], Spy]:
    """The command in one process and in two, each with its spy."""
    with monkeypatch.context() as patched:
        one_spy = Spy(patched, command)
        one = _run(argv, "1")
    with monkeypatch.context() as patched:
        many_spy = Spy(patched, command)
        many = _run(argv, "2")
    return one, one_spy, many, many_spy


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("command", ["summary", "timeline"])
def test_a_large_clean_ledger_reports_the_same_with_the_analysis_alongside(
    ledgers: dict[str, Path], monkeypatch: pytest.MonkeyPatch, command: str, fmt: str
) -> None:
    one, one_spy, many, many_spy = _both(monkeypatch, command, _argv(command, ledgers["10k"], fmt))
    assert one[0] == 0, one[2]
    assert many == one
    assert len(one[1]) > 10_000, "a report to compare"
    assert (one_spy.calls, one_spy.alongside) == (1, False)
    assert (many_spy.calls, many_spy.alongside) == (1, True), "once, alongside the checks"


def test_a_report_made_alongside_past_the_spool_size_is_the_same(
    ledgers: dict[str, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The text made alongside goes to a temporary file past `output.SPOOL`
    characters, not a list in memory, and is written from it as made."""
    import tempfile

    from reconcile.cli import output

    rolled: list[int] = []

    class Spool(tempfile.SpooledTemporaryFile):  # type: ignore[type-arg]
        def rollover(self) -> None:
            rolled.append(1)
            super().rollover()

    argv = _argv("timeline", ledgers["10k"], "table")
    one = _run(argv, "1")
    monkeypatch.setattr(output, "SPOOL", 1000)
    monkeypatch.setattr(tempfile, "SpooledTemporaryFile", Spool)
    assert _run(argv, "2") == one
    assert rolled == [1]  # made ahead once, and held in a file
    made = output.Rendered((f"row {n}\n" for n in range(5000)), {}).whole()
    assert not isinstance(made.chunks, list)
    assert "".join(made.chunks) == "".join(f"row {n}\n" for n in range(5000))
    assert rolled == [1, 1]


@pytest.mark.parametrize("fmt", ["table", "json", "csv", "md"])
@pytest.mark.parametrize("command", list(REPORTS))
def test_the_economist_ledger_reports_the_same_with_the_analysis_alongside(
    ledgers: dict[str, Path],
    forks: list[int],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    fmt: str,
) -> None:
    one, one_spy, many, many_spy = _both(
        monkeypatch, command, _argv(command, ledgers["economist"], fmt)
    )
    assert one[0] == 0, one[2]
    assert many == one
    assert "warning(s)" in one[2], "the Economist's claims carry warnings"
    assert (one_spy.calls, many_spy.calls) == (1, 1)
    assert many_spy.alongside
    assert len(forks) == 1


@pytest.mark.parametrize("fmt", ["table", "json"])
@pytest.mark.parametrize("command", list(REPORTS))
@pytest.mark.parametrize("which", ["found", "errors"])
def test_a_ledger_with_errors_reports_its_usable_part_as_before(  # noqa: PLR0917
    ledgers: dict[str, Path],
    forks: list[int],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
    fmt: str,
    which: str,
) -> None:
    """Errors the checks find: the analysis made alongside is dropped and runs
    again on the usable part.  Errors found while reading the ledger: it is not
    made alongside."""
    one, one_spy, many, many_spy = _both(monkeypatch, command, _argv(command, ledgers[which], fmt))
    assert one[0] == 1
    assert many == one
    assert "the report leaves out" in one[2]
    if which == "found":
        assert "figure-not-in-quote" in one[2]
        assert (one_spy.calls, many_spy.calls) == (1, 2)
        assert many_spy.checked[-1].alongside is not None, "made alongside, then dropped"
    else:
        assert "unknown-field" in one[2]
        assert (one_spy.calls, many_spy.calls) == (1, 1)
        assert many_spy.checked[-1].alongside is None
    assert len(forks) == 1


def test_the_image_of_a_timeline_is_the_same_with_the_analysis_alongside(
    ledgers: dict[str, Path], forks: list[int], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytest.importorskip("matplotlib")
    drawn = []
    for jobs in ("1", "2"):
        out = tmp_path / f"timeline-{jobs}.svg"
        with monkeypatch.context() as patched:
            spy = Spy(patched, "timeline")
            code, _, err = _run(
                ["timeline", "--ledger", str(ledgers["economist"]), "-o", str(out)], jobs
            )
        assert code == 0, err
        assert (spy.calls, spy.alongside) == (1, jobs == "2")
        drawn.append(out.read_bytes())
    assert drawn[0] == drawn[1]


@pytest.mark.parametrize(
    "argv",
    [
        pytest.param(["summary", "--metric", "kiled"], id="a filter the ledger refuses"),
        pytest.param(["diff", "uk-mod", "nobody"], id="a side the ledger lacks"),
        pytest.param(["summary", "--output", "out.xyz"], id="an output format it cannot tell"),
        pytest.param(["timeline", "--output", "out.png", "--limit", "3"], id="an image limited"),
    ],
)
def test_what_the_analysis_raises_surfaces_as_before(
    ledgers: dict[str, Path],
    forks: list[int],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
) -> None:
    monkeypatch.chdir(tmp_path)  # nothing may be written here
    full = [*argv, "--ledger", str(ledgers["economist"])]
    one, many = _run(full, "1"), _run(full, "2")
    assert one[0] == 2, one
    assert many == one
    assert len(forks) == 1
    assert list(tmp_path.iterdir()) == []


def _alongside_calls() -> tuple[list[Ledger], Callable[[Ledger], object]]:
    seen: list[Ledger] = []

    def analyse(ledger: Ledger) -> object:
        seen.append(ledger)
        return len(ledger.estimates)

    return seen, analyse


def test_check_file_keeps_the_analysis_or_what_it_raised(
    ledgers: dict[str, Path], forks: list[int]
) -> None:
    path = ledgers["economist"]
    seen, analyse = _alongside_calls()
    checked = check_file(path, today=TODAY, jobs=2, alongside=analyse)
    assert checked.alongside is not None
    assert seen == [checked.ledger]
    assert checked.ledger is not None
    assert checked.alongside.value() == len(checked.ledger.estimates)

    def failing(ledger: Ledger) -> object:
        raise LookupError("the analysis failed")

    failed = check_file(path, today=TODAY, jobs=2, alongside=failing)
    assert failed.issues == checked.issues
    assert failed.alongside is not None
    with pytest.raises(LookupError, match="the analysis failed"):
        failed.alongside.value()
    assert len(forks) == 2
    alone = check_file(path, today=TODAY, jobs=1, alongside=analyse)  # one process: not called
    assert alone.alongside is None
    assert len(seen) == 1


def _wait_for_children(forks: list[int]) -> Callable[[Ledger], object]:
    """An analysis that returns only once every child has exited (not reaped):
    the children have taken every task, the checks across entries among them."""

    def analyse(ledger: Ledger) -> object:
        for pid in forks:
            os.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)
        return None

    return analyse


def test_acknowledgements_found_across_entries_in_a_child_come_back(
    write_ledger: WriteLedger, valid_text: str, forks: list[int]
) -> None:
    """A ledger whose source acknowledges a warning of a check across entries, those
    checks run in a child (the analysis waits for it): the same result."""
    text = valid_text.replace(
        "documents:",
        "  - id: officials-nyt\n    name: Officials (via NYT)\n    kind: media\n"
        "    party: third-party\n    acknowledged:\n"
        "      near-duplicate-source: the newspaper's own count\ndocuments:",
        1,
    )
    path = write_ledger(text)
    one = check_file(path, display="ledger.yaml", today=TODAY)
    assert [aside.check for aside in one.acknowledged] == ["near-duplicate-source"]
    many = check_file(
        path, display="ledger.yaml", today=TODAY, jobs=2, alongside=_wait_for_children(forks)
    )
    assert many.issues == one.issues
    assert many.acknowledged == one.acknowledged
    assert many.ignored == one.ignored
    assert many.ledger is not None
    entries = [many.ledger.sources[1], many.ledger.documents[0], many.ledger.estimates[0]]
    issue = one.acknowledged[0].issue
    done: parallel.Done = {0: ([[issue]], [(entry, "x", issue) for entry in entries])}
    restored = parallel._restored(parallel._portable(done, many.ledger), many.ledger)
    assert [id(entry) for entry, _, _ in restored[0][1]] == [id(entry) for entry in entries]
    assert restored[0][0] == done[0][0]


def test_a_child_killed_after_the_checks_across_entries_leaves_them_to_the_parent(
    ledgers: dict[str, Path], forks: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = ledgers["found"]
    one = check_file(path, today=TODAY)
    parent, task = os.getpid(), parallel._task

    def killed(context: Any, tasks: parallel.Tasks, number: int) -> parallel.Done:
        done = task(context, tasks, number)
        if os.getpid() != parent and number == tasks.count:
            os.kill(os.getpid(), signal.SIGKILL)
        return done

    monkeypatch.setattr(parallel, "_task", killed)
    seen, analyse = _alongside_calls()
    many = check_file(path, today=TODAY, jobs=2, alongside=_wait_for_children(forks))
    assert many.issues == one.issues
    assert many.acknowledged == one.acknowledged
    assert len(forks) == 1
    again = check_file(path, today=TODAY, jobs=3, alongside=analyse)
    assert again.issues == one.issues
    assert len(seen) == 1


def test_no_analysis_alongside_once_reading_the_ledger_found_errors(
    ledgers: dict[str, Path], forks: list[int]
) -> None:
    """Errors known before the checks (an unknown field, ...): the analysis would
    be dropped, so it is not made alongside; the checks still run in two processes."""
    seen, analyse = _alongside_calls()
    one = check_file(ledgers["errors"], today=TODAY)
    assert "unknown-field" in {issue.check for issue in one.issues}
    many = check_file(ledgers["errors"], today=TODAY, jobs=2, alongside=analyse)
    assert many.issues == one.issues
    assert many.alongside is None
    assert seen == []
    assert len(forks) == 1


def test_an_interrupted_analysis_stops_and_reaps_the_children(
    ledgers: dict[str, Path], forks: list[int]
) -> None:
    """Ctrl-C while the analysis runs (not an Exception: never kept for later)."""

    def interrupted(ledger: Ledger) -> object:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        check_file(ledgers["economist"], today=TODAY, jobs=2, alongside=interrupted)
    assert len(forks) == 1  # and the fixture asserts it was reaped
