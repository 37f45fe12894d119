"""Shared test helpers: the repository's paths and a ledger builder."""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
GALLERY = Path(__file__).resolve().parent / "gallery"
SHIPPED = ROOT / "data" / "estimates.yaml"

settings.register_profile("ci", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("ci")


def yaml_suite() -> Path:
    return Path(os.environ.get("RECONCILE_YAML_SUITE", ROOT.parent / "shared" / "yaml-test-suite"))


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
