"""Fuzzing the whole validate pipeline with mutated ledgers.

Strategies mutate a valid ledger (tests/gallery/valid.yaml, the shipped
ledger) structurally — drop, duplicate, retype or truncate a field, duplicate
or drop a line — or byte by byte — insert, delete or replace bytes, truncate.
`check_outcome` asserts what every input must give: located issues with known
check ids, an exit code of 0, 1 or 2, renderable output, and no exception.
Used by tests/test_fuzz.py (a short run) and scripts/fuzz.py (a budgeted one).
"""

from __future__ import annotations

import shutil
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


class Sandbox:
    """A folder laid out like the repository, where mutated ledgers are written
    next to their archives (so provenance checks run too)."""

    def __init__(self) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="reconcile-fuzz-")
        base = Path(self._dir.name)
        shutil.copytree(ROOT / "tests" / "gallery" / "archive", base / "gallery" / "archive")
        shutil.copytree(ROOT / "seeds", base / "seeds")
        (base / "data").mkdir()
        self.paths = {
            "gallery": base / "gallery" / "ledger.yaml",
            "shipped": base / "data" / "x.yaml",
        }

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
