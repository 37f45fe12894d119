"""Fuzzing the whole validate pipeline, every report command, `changes`,
`import` and every output format with mutated inputs.

Strategies mutate a valid ledger (tests/gallery/valid.yaml, the shipped
ledger) structurally — drop, duplicate, retype or truncate a field, duplicate
or drop a line — or byte by byte — insert, delete or replace bytes, truncate.
`check_outcome` asserts what every input must give: located issues with known
check ids, an exit code of 0, 1 or 2, renderable output, and no exception.
`command_cases` pairs a mutated ledger (or, for `import`, a mutated CSV) with
one command and one output format, under GitHub Actions or not; `check_command`
runs it through the CLI and asserts: no exception, an exit code of 0, 1 or 2,
and output that cannot drive a terminal or a runner (no ESC or BEL, no line
starting a `::` workflow command and no `##[` under GitHub Actions).
Used by tests/test_fuzz.py (a short run) and scripts/fuzz.py (a budgeted one).
"""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from reconcile.checks import CHECKS
from reconcile.checks.run import check_file
from reconcile.core.issues import exit_code
from reconcile.ingest.loader import load_file
from reconcile.ingest.writer import dump_yaml
from reconcile.render.issues import issues_github, issues_json, issues_text

ROOT = Path(__file__).resolve().parent.parent
SEEDS = {
    "gallery": ROOT / "tests" / "gallery" / "valid.yaml",
    "shipped": ROOT / "data" / "estimates.yaml",
}
CSV_SEED = ROOT / "docs" / "examples" / "claims.csv"


class Sandbox:
    """A folder laid out like the repository, where mutated ledgers are written
    next to their archives (so provenance checks run too)."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="reconcile-fuzz-")
        base = Path(self._dir.name)
        shutil.copytree(ROOT / "tests" / "gallery" / "archive", base / "gallery" / "archive")
        shutil.copytree(ROOT / "seeds", base / "seeds")
        (base / "data").mkdir()
        # a repository, as in CI: archives beside the ledger's folder are inside it
        subprocess.run(["git", "init", "-q", str(base)], check=True, capture_output=True)
        self.base = base
        self.paths = {
            "gallery": base / "gallery" / "ledger.yaml",
            "shipped": base / "data" / "x.yaml",
        }
        self.csv = base / "claims.csv"

    def close(self) -> None:
        self._dir.cleanup()


def _data(name: str) -> Any:
    return load_file(SEEDS[name]).data


_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=30),
    st.sampled_from(["about 3,800", "at least", "2025-02-30", "../../etc/passwd", "e 1", "", "~"]),
)
_VALUES = st.one_of(
    _SCALARS,
    st.lists(_SCALARS, max_size=3),
    st.dictionaries(st.text(max_size=8), _SCALARS, max_size=3),
)


def _paths(data: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


def _mutate(data: Any, path: tuple[Any, ...], operation: str, value: Any) -> Any:
    if not path:
        return value if operation == "retype" else data
    parent = data
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    if operation == "drop":
        del parent[last]
    elif operation == "duplicate" and isinstance(parent, list):
        parent.insert(last, parent[last])
    elif operation == "truncate" and isinstance(parent[last], str):
        parent[last] = parent[last][: len(parent[last]) // 2]
    else:
        parent[last] = value
    return data


@st.composite
def structural(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    data = _data(name)
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)
        path = draw(st.sampled_from(paths))
        operation = draw(st.sampled_from(["drop", "duplicate", "retype", "truncate"]))
        data = _mutate(data, path, operation, draw(_VALUES))
    text = dump_yaml(data)
    lines = text.splitlines(keepends=True)
    edit_lines: bool = draw(st.booleans())
    if lines and edit_lines:  # line edits: duplicate keys, broken structure
        index: int = draw(st.integers(0, len(lines) - 1))
        insert: bool = draw(st.booleans())
        if insert:
            lines.insert(index, lines[index])
        else:
            del lines[index]
    return name, "".join(lines).encode("utf-8")


@st.composite
def byte_level(draw: st.DrawFn) -> tuple[str, bytes]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    raw = bytearray(SEEDS[name].read_bytes())
    for _ in range(draw(st.integers(1, 4))):
        operation = draw(st.sampled_from(["insert", "delete", "replace", "truncate"]))
        at = draw(st.integers(0, len(raw)))
        chunk = draw(st.binary(min_size=1, max_size=8))
        if operation == "insert":
            raw[at:at] = chunk
        elif operation == "delete":
            del raw[at : at + len(chunk)]
        elif operation == "replace":
            raw[at : at + len(chunk)] = chunk
        else:
            del raw[at:]
    return name, bytes(raw)


inputs = st.one_of(structural(), byte_level())


def check_outcome(sandbox: Sandbox, name: str, raw: bytes) -> int:
    """Validate one input; assert the contract; return its exit code."""
    path = sandbox.paths[name]
    path.write_bytes(raw)
    checked = check_file(path, display="ledger.yaml")
    lines = raw.count(b"\n") + 2
    for issue in checked.issues:
        assert issue.check in CHECKS, issue
        assert issue.location.path == "ledger.yaml", issue
        assert 0 <= issue.location.line <= lines, issue
        assert issue.location.column >= 0, issue
        assert issue.message.strip(), issue
    code = int(exit_code(checked.issues))
    assert code in (0, 1, 2)
    if checked.ledger is None:
        assert code == 2 or not checked.issues or any(i.unusable for i in checked.issues)
    issues_text(checked.issues)
    issues_github(checked.issues)
    issues_json(["ledger.yaml"], list(checked.issues), {"files": 1})
    return code


# --- every command and format ---------------------------------------------------

COMMANDS = (
    "summary",
    "discrepancies",
    "diff",
    "timeline",
    "timeline-image",
    "coverage",
    "changes",
    "import",
    "extract",
)
FORMATS = ("table", "json", "csv", "md")
_CLAIMANTS = {"gallery": ("officials", "officials"), "shipped": ("nis", "zelensky")}


@st.composite
def csv_bytes(draw: st.DrawFn) -> bytes:
    raw = bytearray(CSV_SEED.read_bytes())
    for _ in range(draw(st.integers(0, 4))):
        at = draw(st.integers(0, len(raw)))
        chunk = draw(
            st.one_of(
                st.binary(min_size=1, max_size=8),
                st.sampled_from(
                    [b"=cmd|' /C calc'!A0", b"\n::error::x", b"##[add-mask]", b"\x1b]52;c;", b","]
                ).map(lambda b: b.decode("unicode_escape").encode()),
            )
        )
        raw[at:at] = chunk
    return bytes(raw)


@st.composite
def command_cases(draw: st.DrawFn) -> tuple[str, str, str, bool, bytes]:
    """(command, format, seed name, under GitHub Actions, input bytes)."""
    command = draw(st.sampled_from(COMMANDS))
    fmt = draw(st.sampled_from(FORMATS))
    github = draw(st.booleans())
    if command == "import":
        return command, fmt, "csv", github, draw(csv_bytes())
    name, raw = draw(inputs)
    return command, fmt, name, github, raw


_HOSTILE = re.compile(r"[\x1b\x07\x9b]")


def check_command(sandbox: Sandbox, case: tuple[str, str, str, bool, bytes]) -> int:
    """Run one command on one input (a `command_cases` example) through the CLI;
    assert the contract; return its exit code."""
    command, fmt, name, github, raw = case
    from typer.testing import CliRunner

    from reconcile.cli import app

    env = {"NO_COLOR": "1", "RECONCILE_LEDGER": None, "COLUMNS": "100"}
    env["GITHUB_ACTIONS"] = "true" if github else None
    runner = CliRunner(env=env)
    if command == "import":
        sandbox.csv.write_bytes(raw)
        args = ["import", str(sandbox.csv)]
    else:
        path = sandbox.paths[name]
        path.write_bytes(raw)
        ledger = ["--ledger", str(path)]
        args = {
            "summary": ["summary", *ledger, "--format", fmt],
            "discrepancies": ["discrepancies", *ledger, "--format", fmt],
            "diff": ["diff", *_CLAIMANTS[name], *ledger, "--format", fmt],
            "timeline": ["timeline", *ledger, "--format", fmt],
            "timeline-image": ["timeline", *ledger, "-o", str(sandbox.base / "t.svg")],
            "coverage": ["coverage", *ledger, "--format", fmt],
            "changes": ["changes", str(SEEDS[name]), str(path), "--format", fmt],
            "extract": ["extract", str(path), "--format", fmt],
        }[command]
    result = runner.invoke(app, args, catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"{args}: {type(result.exception).__name__}") from result.exception
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.stderr[-500:])
    for text in (result.stdout, result.stderr):
        assert _HOSTILE.search(text) is None, (args, text[:500])
        if github:
            assert "##[" not in text, args
            for line in re.split(r"\r\n|\r|\n", text):
                assert not line.lstrip().startswith("::"), (args, line)
    return int(result.exit_code)
