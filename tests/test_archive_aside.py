"""ingest/aside.py: the archive read in a forked child while the ledger is built
gives exactly what reading it after the build gives (texts, issues in their
order, and everything the checks find from them); its result is taken only
when the child read what the built ledger holds; a child that fails, or a fork
refused, costs time, never a result; no child outlives a run."""

from __future__ import annotations

import errno
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from reconcile.checks import run as run_module
from reconcile.checks import run_checks
from reconcile.checks.run import Checked, check_file
from reconcile.core.text import normalise, normalised_texts
from reconcile.ingest import aside
from reconcile.ingest.archive import read_archive
from reconcile.ingest.aside import start_aside
from reconcile.ingest.build import build as built
from tests.conftest import CHILD_FAILURES, SHIPPED, WriteLedger
from tests.economist import import_ledger
from tests.test_gallery import CASES, written

TODAY = date(2026, 12, 1)


@pytest.fixture
def taken(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[bool]]:
    """Every ledger is read aside (from 0 estimates up, in one process for the
    checks: only the archive's child is forked); whether each run took the
    child's archive is kept, and every child has been reaped by the end."""
    monkeypatch.setattr(aside, "ASIDE_FROM", 0)
    monkeypatch.setattr(run_module, "run_checks", _one_process(run_checks))
    pids: list[int] = []
    fork, take = os.fork, aside.take_aside
    results: list[bool] = []

    def counted() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    def spied(reading: Any, *args: Any) -> Any:
        found = take(reading, *args)
        if reading is not None:  # a child was forked
            results.append(found is not None)
        return found

    monkeypatch.setattr(os, "fork", counted)
    monkeypatch.setattr(run_module, "take_aside", spied)
    yield results
    for pid in pids:  # every child was waited for: none is left to reap
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)


def _one_process(run_checks: Any) -> Any:
    def one(*args: Any, **kwargs: Any) -> Any:
        return run_checks(*args, **{**kwargs, "jobs": 1})

    return one


def _same(one: Checked, aside_read: Checked) -> None:
    assert aside_read.issues == one.issues
    assert aside_read.acknowledged == one.acknowledged
    assert aside_read.ignored == one.ignored
    assert aside_read.texts == one.texts


@pytest.mark.parametrize("case", CASES, ids=[case.name for case in CASES])
def test_every_gallery_case_gives_the_same_result(
    case: Any, write_ledger: WriteLedger, valid_text: str, taken: list[bool]
) -> None:
    path = written(case, write_ledger, valid_text)
    one = check_file(path, display="ledger.yaml", today=TODAY)
    _same(one, check_file(path, display="ledger.yaml", today=TODAY, jobs=2))
    if one.ledger is not None:
        assert taken == [True]


def test_the_shipped_and_economist_ledgers_take_the_child_s_archive(
    tmp_path: Path, taken: list[bool]
) -> None:
    for path in (SHIPPED, import_ledger(tmp_path)):
        one = check_file(path, today=TODAY)
        _same(one, check_file(path, today=TODAY, jobs=2))
    assert taken == [True, True]


@pytest.fixture
def problems(write_ledger: WriteLedger, valid_text: str, tmp_path: Path) -> Path:
    """A ledger over two files with their own archive folders, with a missing file, a
    path out of the archive and a document not archived yet, in both files."""
    more = tmp_path / "more"
    (more / "texts").mkdir(parents=True)
    article = (tmp_path / "archive" / "article.txt").read_text(encoding="utf-8")
    (more / "texts" / "other.txt").write_text(article, encoding="utf-8")
    (more / "more.yaml").write_text(
        "archive: texts\n"
        "documents:\n"
        "  - {id: other, path: other.txt, title: T, publisher: P, published: 2025-01-12}\n"
        "  - {id: gone, path: gone.txt, title: T, publisher: P, published: 2025-01-12}\n"
        "  - {id: later, title: T, publisher: P, published: 2025-01-12}\n"
        "estimates:\n"
        "  - id: e2\n"
        "    claimant: officials\n"
        "    as_of: 2025-01-11\n"
        "    killed: at least 300\n"
        "    reported_in:\n"
        "      - document: other\n"
        "        quote: officials said that at least 300 soldiers were killed\n",
        encoding="utf-8",
    )
    text = valid_text.replace("archive: archive", "archive: archive\ninclude: [more/more.yaml]")
    text = text.replace(
        "estimates:",
        "  - {id: missing, path: missing.txt, title: T, publisher: P, published: 2025-01-12}\n"
        "  - {id: out, path: ../x.txt, title: T, publisher: P, published: 2025-01-12}\n"
        "  - {id: unread, title: T, publisher: P, published: 2025-01-12}\n"
        "estimates:",
    )
    return write_ledger(text)


def test_archive_problems_over_included_files_are_found_alike(
    problems: Path, tmp_path: Path, taken: list[bool]
) -> None:
    path = problems
    one = check_file(path, today=TODAY)
    checks = {issue.check for issue in one.issues}
    assert {"archive-missing", "path-outside-archive", "unarchived"} <= checks
    assert {issue.location.path for issue in one.issues if issue.check == "archive-missing"} == {
        str(path),
        str(tmp_path / "more" / "more.yaml"),
    }
    _same(one, check_file(path, today=TODAY, jobs=2))
    assert taken == [True]


def test_a_child_that_read_other_documents_is_not_taken(
    problems: Path, monkeypatch: pytest.MonkeyPatch, taken: list[bool]
) -> None:
    """The child's ledger differs from the built one (here: its build drops the last
    document): its archive is not taken, and the process reads its own."""
    path = problems
    one = check_file(path, today=TODAY)
    build, parent = built, os.getpid()

    def other(files: Any) -> Any:
        ledger, origins, issues = build(files)
        if os.getpid() != parent and ledger is not None:
            ledger = ledger.model_copy(update={"documents": ledger.documents[:-1]})
        return ledger, origins, issues

    monkeypatch.setattr(aside, "build", other)
    reads: list[int] = []
    read = read_archive

    def counted(*args: Any) -> Any:
        reads.append(1)
        return read(*args)

    monkeypatch.setattr(run_module, "read_archive", counted)
    _same(one, check_file(path, today=TODAY, jobs=2))
    assert taken == [False]
    assert reads == [1]


@pytest.mark.parametrize("how", CHILD_FAILURES)
def test_a_failed_child_leaves_the_archive_to_the_process(
    problems: Path,
    monkeypatch: pytest.MonkeyPatch,
    taken: list[bool],
    how: Any,
) -> None:
    path = problems
    one = check_file(path, today=TODAY)
    read_alone = aside._read_alone

    def failing(*args: Any) -> Any:
        how()
        return read_alone(*args)

    monkeypatch.setattr(aside, "_read_alone", failing)
    _same(one, check_file(path, today=TODAY, jobs=2))
    assert taken == [False]


def test_a_refused_fork_leaves_the_archive_to_the_process(
    problems: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(aside, "ASIDE_FROM", 0)
    path = problems
    one = check_file(path, today=TODAY)

    def refused() -> int:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", refused)
    _same(one, check_file(path, today=TODAY, jobs=2))


def test_a_failing_build_stops_and_reaps_the_child(
    problems: Path,
    monkeypatch: pytest.MonkeyPatch,
    taken: list[bool],
) -> None:
    path = problems
    parent, build = os.getpid(), built

    def failing(files: Any) -> Any:
        if os.getpid() == parent:
            raise RuntimeError("the build failed")
        return build(files)

    monkeypatch.setattr(run_module, "build", failing)
    with pytest.raises(RuntimeError, match="the build failed"):
        check_file(path, today=TODAY, jobs=2)
    assert taken == []  # and the fixture asserts the child was reaped


def test_only_a_large_ledger_with_jobs_is_read_aside(
    problems: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = problems
    started: list[object] = []
    start = start_aside

    def counted(*args: Any) -> Any:
        found = start(*args)
        started.append(found)
        return found

    monkeypatch.setattr(run_module, "start_aside", counted)
    check_file(path, today=TODAY)
    assert started == []  # one job: nothing forked
    monkeypatch.setattr(aside, "ASIDE_FROM", 3)  # the ledger has 2 estimates
    check_file(path, today=TODAY, jobs=2)
    assert started == [None]
    monkeypatch.setattr(aside, "ASIDE_FROM", 2)
    check_file(path, today=TODAY, jobs=2)
    assert len(started) == 2
    assert started[1] is not None


def test_texts_sharing_a_file_share_their_normalised_text() -> None:
    shared = "one  text\n"
    found = normalised_texts({"a": shared, "b": shared, "c": "another\ttext"})
    assert found == {"a": normalise(shared), "b": normalise(shared), "c": "another text"}
    assert found["a"] is found["b"]
