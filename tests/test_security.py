"""Safe in CI on a stranger's pull request (issue 12): each finding as a regression test.

The pull request controls every file of the checkout, never the command line,
the environment or `.git/config`.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT, commit_all, git

EXAMPLES = ROOT / "docs" / "examples"
runner = CliRunner(env={"NO_COLOR": "1", "RECONCILE_LEDGER": None, "GITHUB_ACTIONS": None})


def invoke(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), catch_exceptions=False, env=env)
    return result.exit_code, result.stdout, result.stderr


# --- 1. git: never from a folder the ledger names -----------------------------


def _pull_request(tmp_path: Path) -> Path:
    """A checkout whose base commit has ledger v1 and whose pull request changes
    it to v2 (nis killed: 300 → at least 300)."""
    repo = tmp_path / "repo"
    (repo / "data").mkdir(parents=True)
    seeds = os.path.relpath(ROOT / "seeds", repo / "data")
    ledger = repo / "data" / "estimates.yaml"
    ledger.write_text((EXAMPLES / "ledger-v1.yaml").read_text().replace("../../seeds", seeds))
    commit_all(repo, "base")
    ledger.write_text((EXAMPLES / "ledger-v2.yaml").read_text().replace("../../seeds", seeds))
    return repo


def _bare_layout(folder: Path, marker: Path) -> None:
    """`folder` made into a repository out of ordinary files, as a pull request can
    commit them: its config makes a missing object fetch lazily over ssh, and
    `core.sshCommand` is any program (here: one that creates `marker`)."""
    (folder / "objects").mkdir()
    (folder / "refs" / "heads").mkdir(parents=True)
    (folder / "HEAD").write_text("ref: refs/heads/main\n")
    (folder / "refs" / "heads" / "main").write_text("1" * 40 + "\n")
    (folder / "config").write_text(
        "[core]\n\trepositoryformatversion = 1\n\tbare = false\n\tworktree = .\n"
        f'\tsshCommand = "touch {marker}"\n'
        "[extensions]\n\tpartialClone = origin\n"
        '[remote "origin"]\n\turl = ssh://example.invalid/x\n\tpromisor = true\n'
    )


def test_a_bare_repository_layout_in_the_ledger_folder_runs_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _pull_request(tmp_path)
    marker = tmp_path / "MARKER"
    _bare_layout(repo / "data", marker)
    # before the fix, git ran in data/, took it for the repository and ran
    # core.sshCommand to fetch the missing object
    monkeypatch.chdir(repo)
    code, out, err = invoke("changes", "HEAD", "data/estimates.yaml", "--format", "csv")
    assert not marker.exists()
    assert code == 0, err
    assert "changed,nis-2025-01-13,nis killed,300 → at least 300" in out.splitlines()
    # started from inside the layout, git refuses it as a bare repository
    monkeypatch.chdir(repo / "data")
    code, out, err = invoke("changes", "HEAD", "estimates.yaml")
    assert not marker.exists()
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: cannot tell whether 'HEAD' is a file or a git revision (git rev-parse "
        f"failed: fatal: cannot use bare repository '{(repo / 'data').resolve()}' "
        "(safe.bareRepository is 'explicit')); write ./HEAD for the file\n"
    )


def test_a_bare_repository_in_the_ledger_folder_cannot_choose_the_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _pull_request(tmp_path)
    forged = tmp_path / "forged"
    forged.mkdir()
    shutil.copy(repo / "data" / "estimates.yaml", forged / "estimates.yaml")
    commit_all(forged, "the pull request's own ledger as base")
    git(tmp_path, "clone", "-q", "--bare", str(forged), str(tmp_path / "forged.git"))
    shutil.copytree(tmp_path / "forged.git", repo / "data", dirs_exist_ok=True)
    config = repo / "data" / "config"
    config.write_text(config.read_text().replace("bare = true", "bare = false\n\tworktree = ."))
    monkeypatch.chdir(repo)
    code, out, err = invoke("changes", "HEAD", "data/estimates.yaml", "--format", "csv")
    assert code == 0, err
    # the base is the checkout's HEAD, not the forged repository's: the change shows
    assert "changed,nis-2025-01-13,nis killed,300 → at least 300" in out.splitlines()


def test_a_file_named_like_the_base_revision_is_refused_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _pull_request(tmp_path)
    git(repo, "branch", "base")
    # the pull request adds a file named like the revision: a copy of its own ledger
    shutil.copy(repo / "data" / "estimates.yaml", repo / "base")
    monkeypatch.chdir(repo)
    code, out, err = invoke("changes", "base", "data/estimates.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: 'base' is both a file and a git revision; write ./base for the file, "
        "or base:PATH for the ledger at that revision\n"
    )
    code, out, err = invoke("changes", "base:data/estimates.yaml", "data/estimates.yaml")
    assert code == 0 and "at least 300" in out
    code, out, err = invoke("changes", "./base", "data/estimates.yaml", "--format", "md")
    assert code == 0 and "no changes" in out


def test_git_runs_hardened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from reconcile import revisions

    seen: list[tuple[list[str], dict[str, str], object]] = []
    real = subprocess.run

    def spy(args: list[str], **kwargs: object) -> object:
        env = kwargs.get("env")
        assert isinstance(env, dict)
        seen.append((args, env, kwargs.get("cwd")))
        return real(args, **kwargs)  # type: ignore[call-overload]

    repo = _pull_request(tmp_path)
    monkeypatch.chdir(repo)
    monkeypatch.setattr(revisions.subprocess, "run", spy)
    assert revisions.read_revision("HEAD", Path("data/estimates.yaml")).raw is not None
    assert seen
    for args, env, cwd in seen:
        assert args[:10] == [
            "git",
            "-c",
            "safe.bareRepository=explicit",
            "-c",
            "protocol.allow=never",
            "-c",
            "core.fsmonitor=false",
            "-c",
            "core.hooksPath=/dev/null",
            "--no-pager",
        ]
        assert env["GIT_NO_LAZY_FETCH"] == "1" and env["GIT_TERMINAL_PROMPT"] == "0"
        assert Path(str(cwd)).resolve() == repo.resolve()


def test_an_overlong_revision_argument_is_a_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repo = _pull_request(tmp_path)
    monkeypatch.chdir(repo)
    code, out, err = invoke("changes", "x" * 100_000, "data/estimates.yaml")
    assert (code, out) == (2, "")
    assert err == (
        "reconcile: cannot read the old ledger: the revision argument is 100,000 "
        "characters long (at most 1,024)\n"
    )
