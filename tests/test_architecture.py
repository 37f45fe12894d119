"""The architecture holds: layers import only downwards, modules stay readable,
and docs/architecture.md lists the modules that exist."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "reconcile"
MAX_LINES = 600


def _modules() -> list[str]:
    return sorted(p.relative_to(ROOT).as_posix() for p in PACKAGE.rglob("*.py"))


def test_the_import_contracts_are_kept() -> None:
    """import-linter's contracts in pyproject.toml (the layers) pass."""
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-2000:]
    assert "0 broken" in done.stdout


def test_no_module_is_over_600_lines() -> None:
    long = {}
    for name in _modules():
        lines = (ROOT / name).read_text(encoding="utf-8").count("\n")
        if lines > MAX_LINES:
            long[name] = lines
    assert long == {}


def test_docs_architecture_lists_every_module_and_no_other() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    listed = set(re.findall(r"`(reconcile/[\w/]+\.py)`", text))
    assert listed == set(_modules())


def test_the_cli_has_one_exit_site() -> None:
    """An outcome or a refusal becomes the exit code in one place."""
    sites = [
        f"{name}:{number}"
        for name in _modules()
        if name.startswith("reconcile/cli/")
        for number, line in enumerate((ROOT / name).read_text(encoding="utf-8").splitlines(), 1)
        if "typer.Exit(" in line
    ]
    assert len(sites) == 1, sites
