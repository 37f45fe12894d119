"""Shared test helpers: the repository's paths and a ledger builder."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, ParamSpec, TypeVar

import pytest
from hypothesis import HealthCheck, settings

if TYPE_CHECKING:
    from reconcile.core.models import Ledger

P = ParamSpec("P")
R = TypeVar("R")

ROOT = Path(__file__).resolve().parent.parent
GALLERY = Path(__file__).resolve().parent / "gallery"
SHIPPED = ROOT / "data" / "estimates.yaml"

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


YAML_SUITE = Path(__file__).resolve().parent / "data" / "yaml-test-suite"
"""The YAML project's conformance corpus (MIT, see its LICENSE), kept in the repository."""


def yaml_suite() -> Path:
    """The corpus: tests/data/yaml-test-suite, or $RECONCILE_YAML_SUITE to try another copy."""
    return Path(os.environ.get("RECONCILE_YAML_SUITE") or YAML_SUITE)


WriteLedger = Callable[[str], Path]


@pytest.fixture
def write_ledger(tmp_path: Path) -> WriteLedger:
    """Write ledger text next to a copy of the gallery's archive; return its path."""
    shutil.copytree(GALLERY / "archive", tmp_path / "archive")

    def write(text: str) -> Path:
        path = tmp_path / "ledger.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def valid_text() -> str:
    return (GALLERY / "valid.yaml").read_text(encoding="utf-8")


def git(repo: Path, *args: str) -> None:
    """Run git in `repo` as a throw-away committer; fail the test if git fails."""
    subprocess.run(
        ["git", "-c", "user.name=t", "-c", "user.email=t@example.org", *args],
        cwd=repo,
        check=True,
        capture_output=True,
        timeout=60,
    )


def commit_all(repo: Path, message: str = "v1") -> None:
    """A new repository in `repo` with everything in it committed."""
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", message)


def within(seconds: float, call: Callable[P, R], *args: P.args, **kwargs: P.kwargs) -> R:
    """`call(*args, **kwargs)` run in a child process that is killed after `seconds`.

    A bound against hangs that does not time the machine: the child either
    returns (its result comes back pickled) or is stopped and the test fails.
    Exceptions in the child are raised here.  No test asserts on elapsed time.
    """
    import multiprocessing

    context = multiprocessing.get_context("fork")
    reader, writer = context.Pipe(duplex=False)

    def child() -> None:
        try:
            writer.send((True, call(*args, **kwargs)))
        except BaseException as exc:
            writer.send((False, exc))

    process = context.Process(target=child, daemon=True)
    process.start()
    writer.close()
    try:
        if not reader.poll(seconds):
            pytest.fail(f"{getattr(call, '__name__', call)} did not finish within {seconds} s")
        ok, value = reader.recv()
    finally:
        process.kill()
        process.join()
        reader.close()
    if not ok:
        raise value
    return value  # type: ignore[no-any-return]


@pytest.fixture(autouse=True)
def _not_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as on a desk, whatever runs them: CI's variables change what
    reconcile does (no demo fallback, GitHub annotations); tests that need them
    set them."""
    for name in ("CI", "GITHUB_ACTIONS"):
        monkeypatch.delenv(name, raising=False)


def copy_shipped(folder: Path) -> Path:
    """A copy of the shipped ledger project in `folder` (data/ and seeds/ side by side,
    and the `reconcile.toml` that marks the project's folder outside a repository, so
    that `archive: ../seeds` stays inside it); returns the ledger's path."""
    shutil.copytree(ROOT / "data", folder / "data")
    shutil.copytree(ROOT / "seeds", folder / "seeds")
    (folder / "reconcile.toml").write_text("# the ledger project's folder\n", encoding="utf-8")
    return folder / "data" / "estimates.yaml"


@pytest.fixture(scope="session")
def quote_ledgers(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The shipped, Economist and a generated benchmark ledger (tests/quotes.py)."""
    from tests.quotes import ledgers

    return ledgers(tmp_path_factory.mktemp("quote-ledgers"))


@pytest.fixture(scope="session")
def every_quote_and_text(quote_ledgers: list[Path]) -> list[str]:
    """Their quotes as written and their archived texts (tests/quotes.py)."""
    from tests.quotes import quotes_and_texts

    return quotes_and_texts(quote_ledgers)


def generate(n: int, folder: Path, *extra: str) -> Path:
    """A benchmark ledger of `n` estimates (benchmarks/generate.py, run as a script
    as its users run it) with its archive, written in `folder`; its path."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "generate.py"), str(n), "--out", str(folder),
         *extra],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    return Path(done.stdout.split()[0])


# --- built ledgers the differential tests of the reports share (built once a run) ---


@pytest.fixture(scope="session")
def generated(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """A generated benchmark ledger of 1,500 estimates (benchmarks/generate.py), built."""
    from reconcile.checks.run import check_file

    checked = check_file(generate(1500, tmp_path_factory.mktemp("generated")))
    assert checked.ledger is not None
    return checked.ledger


@pytest.fixture(scope="session")
def economist(tmp_path_factory: pytest.TempPathFactory) -> Ledger:
    """The Economist's claims (tests/economist.py), imported and built."""
    from reconcile.checks.run import check_file
    from tests.economist import import_ledger

    checked = check_file(import_ledger(tmp_path_factory.mktemp("economist")))
    assert checked.ledger is not None
    return checked.ledger


@pytest.fixture(scope="session")
def shipped() -> Ledger:
    """The shipped ledger, built."""
    from reconcile.checks.run import check_file

    checked = check_file(SHIPPED)
    assert checked.ledger is not None
    return checked.ledger


CHILD_FAILURES = [
    pytest.param(lambda: 1 / 0, id="an exception"),
    pytest.param(lambda: os._exit(0), id="an exit with nothing sent"),
    pytest.param(lambda: os.kill(os.getpid(), 9), id="killed"),
]
"""The ways a forked child can fail (ingest/forked.py), for `parametrize("how", ...)`:
each test runs `how()` in its child and holds the result to one process's."""


@pytest.fixture
def forks(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """Every ledger is large enough to check in several processes
    (checks/parallel.py); each fork's child pid is kept, and every child has been
    reaped by the end of the test."""
    from reconcile.checks import parallel

    monkeypatch.setattr(parallel, "PARALLEL_FROM", 0)
    pids: list[int] = []
    fork = os.fork

    def counted() -> int:
        pid = fork()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", counted)
    yield pids
    for pid in pids:  # every child was waited for: none is left to reap
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)
