"""The architecture holds: layers import only downwards, modules stay readable,
and docs/architecture.md lists the modules that exist."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, ValidationError

from tests.conftest import ROOT, SHIPPED

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


def test_every_report_returns_a_frozen_result_with_to_json() -> None:
    """The report contract: a frozen result whose to_json() is plain JSON data."""
    from reconcile.checks.run import check_file
    from reconcile.reports.changes import compare
    from reconcile.reports.coverage import coverage
    from reconcile.reports.diff import diff, resolve
    from reconcile.reports.discrepancies import report
    from reconcile.reports.observations import Filters
    from reconcile.reports.summary import summarise
    from reconcile.reports.timeline import timeline

    checked = check_file(SHIPPED)
    ledger = checked.ledger
    assert ledger is not None
    results: list[Any] = [
        summarise(ledger, Filters(), 14, 20),
        report(ledger, Filters(), 14),
        diff(ledger, resolve(ledger, "nis"), resolve(ledger, "zelensky")),
        timeline(ledger, Filters()),
        compare(ledger, ledger),
        coverage(ledger, checked.texts),
    ]
    for result in results:
        data = result.to_json()
        assert isinstance(data, dict) and json.loads(json.dumps(data)) == data
        if isinstance(result, BaseModel):
            assert result.model_config.get("frozen")
            with pytest.raises(ValidationError):
                result.old = "x"  # type: ignore[attr-defined]
        else:
            field = dataclasses.fields(result)[0].name
            with pytest.raises(dataclasses.FrozenInstanceError):
                setattr(result, field, None)
