"""Any stdout encoding works: what it cannot hold is transliterated, never a crash
(before: `reconcile summary > file` under cp1252 ended in an internal error, exit 3)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from reconcile.cli.encoding import stand_in
from tests.conftest import ROOT, SHIPPED

COMMANDS = [
    ["summary"], ["discrepancies"], ["timeline"], ["diff", "nis", "zelensky"], ["coverage"],
    ["validate", str(ROOT / "docs" / "examples" / "broken.yaml")],
]  # fmt: skip


@pytest.mark.parametrize("encoding", ["cp1252", "ascii"])
@pytest.mark.parametrize("args", COMMANDS, ids=lambda args: args[0])
def test_any_stdout_encoding_works(encoding: str, args: list[str]) -> None:
    env = {
        **os.environ,
        "PYTHONIOENCODING": encoding,
        "NO_COLOR": "1",
        "COLUMNS": "100",
        "RECONCILE_LEDGER": str(SHIPPED),
    }
    env.pop("CI", None)
    env.pop("GITHUB_ACTIONS", None)
    done = subprocess.run(
        [sys.executable, "-m", "reconcile", *args],
        capture_output=True,
        env=env,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr.decode(encoding)
    assert b"internal error" not in done.stderr
    out = done.stdout.decode(encoding)  # it is what it claims to be
    assert out.strip()
    if args[0] == "summary":
        assert "1.2x" in out or "1.2×" in out
        assert ">=300" in out or "≥300" in out


def test_stand_ins_are_readable() -> None:
    assert [stand_in(c) for c in "≥≤×–—─│┤é…"] == [
        ">=", "<=", "x", "-", "-", "-", "|", "+", "e", "...",
    ]  # fmt: skip
