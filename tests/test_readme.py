"""The README shows real output: each ```console block whose first line is
`$ reconcile ...` is run, and the lines after it must be exactly what it prints.

Blocks show stdout only, unless the command ends with `2>&1` (then stdout and
stderr together, as a terminal shows them).  Run from the repository root, at
100 columns, without colour.  After a deliberate change of output, rewrite the
blocks with `RECONCILE_UPDATE_README=1 python -m pytest tests/test_readme.py`
and read the diff before committing it.
"""

from __future__ import annotations

import os
import re
import shlex

import pytest
from typer.testing import CliRunner

from reconcile.cli import app
from tests.conftest import ROOT

BLOCK = re.compile(r"^```console\n(.*?)^```$", re.MULTILINE | re.DOTALL)


def blocks() -> list[tuple[str, str]]:
    found = []
    for match in BLOCK.finditer((ROOT / "README.md").read_text(encoding="utf-8")):
        first, _, rest = match.group(1).partition("\n")
        if first.startswith("$ reconcile "):
            found.append((first[2:], rest))
    return found


def test_the_readme_has_console_blocks_for_each_report() -> None:
    commands = {command.split()[1] for command, _ in blocks()}
    assert {"validate", "summary", "discrepancies", "diff", "timeline"} <= commands


@pytest.mark.parametrize(("command", "expected"), blocks())
def test_readme_block_is_real_output(
    command: str, expected: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(ROOT)
    args = shlex.split(command)[1:]
    combined = args[-1:] == ["2>&1"]
    if combined:
        args = args[:-1]
    runner = CliRunner(
        env={"NO_COLOR": "1", "COLUMNS": "100", "RECONCILE_LEDGER": None, "GITHUB_ACTIONS": None}
    )
    result = runner.invoke(app, args, catch_exceptions=False)
    shown = result.output if combined else result.stdout
    if os.environ.get("RECONCILE_UPDATE_README") and shown != expected:
        readme = ROOT / "README.md"
        old = f"```console\n$ {command}\n{expected}```"
        text = readme.read_text(encoding="utf-8")
        assert text.count(old) == 1, f"cannot rewrite the block of {command!r}"
        readme.write_text(
            text.replace(old, f"```console\n$ {command}\n{shown}```"), encoding="utf-8"
        )
        return
    assert shown == expected
