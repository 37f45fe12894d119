"""Start-up stays lean: `reconcile --help` imports no heavy module."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT, SHIPPED

HEAVY = ("pydantic", "pydantic_core", "yaml", "_yaml", "yaml_rs", "rich", "reconcile.core.models")


def _imported(*args: str, usage: bool = True) -> set[str]:
    """Every module a `reconcile` process imports, from `python -X importtime`."""
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NO_COLOR": "1"}
    code = "import sys; sys.argv[0] = 'reconcile'; from reconcile.cli import main; main()"
    done = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert ("Usage" in done.stdout) == usage
    modules = set()
    for line in done.stderr.splitlines():
        if line.startswith("import time:") and "|" in line:
            modules.add(line.rsplit("|", 1)[1].strip())
    assert "typer" in modules  # the probe sees imports at all
    return modules


def test_help_imports_neither_pydantic_nor_a_yaml_parser_nor_rich() -> None:
    modules = _imported("--help")
    heavy = sorted(m for m in modules if m.split(".")[0] in HEAVY or m in HEAVY)
    assert heavy == []


def test_a_command_s_help_is_lean_too() -> None:
    modules = _imported("validate", "--help")
    assert (
        not {"yaml", "yaml_rs", "rich", "reconcile.core.models", "reconcile.ingest.loader"}
        & modules
    )


def test_reading_a_ledger_with_yaml_rs_leaves_pyyaml_unimported() -> None:
    """With the `fast` extra, a clean ledger is read by yaml-rs alone; PyYAML
    (its composer and dumper) is imported only when needed."""
    from reconcile.ingest.loader import FAST_AVAILABLE

    modules = _imported("validate", str(SHIPPED), usage=False)
    assert "reconcile.ingest.loader" in modules and "reconcile.core.models" in modules
    assert ("yaml_rs" in modules) == FAST_AVAILABLE
    assert ("yaml" in modules) == (not FAST_AVAILABLE)
