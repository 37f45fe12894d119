"""Adding to a ledger file: nothing but the addition changes, and writes are atomic."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from reconcile.ingest.loader import load_text
from reconcile.ingest.replacing import temporaries
from reconcile.ingest.roundtrip import EditError, append_entry, atomic_write
from tests.conftest import SHIPPED

ESTIMATE = {
    "id": "nis-again",
    "claimant": "nis",
    "as_of": "2025-01-13",
    "killed": "at least 300",
    "wounded": 2700,
    "reported_in": [
        {
            "document": "kursk-diary",
            "quote": "This Monday, it was the South Korean spy agency that, in a briefing in "
            "front of lawmakers, was more precise in stating that at least 300 North Korean "
            "soldiers sent to support Moscow's war have died and another 2,700 were injured "
            "during the fighting.",
        }
    ],
}


def _without(text: str, first: int, last: int) -> str:
    lines = text.splitlines(keepends=True)
    return "".join(lines[: first - 1] + lines[last:])


@pytest.mark.parametrize(
    ("section", "entry"),
    [
        ("estimates", ESTIMATE),
        (
            "sources",
            {"id": "x", "name": "X", "kind": "media", "party": "third-party", "aliases": ["A"]},
        ),
        (
            "documents",
            {"id": "d", "title": "T", "publisher": None, "published": "2025-01", "language": "en"},
        ),
    ],
)
def test_the_shipped_ledger_changes_only_by_the_addition(
    section: str, entry: dict[str, object]
) -> None:
    old = SHIPPED.read_text(encoding="utf-8")
    added = append_entry(old, section, entry)
    lines = added.text.splitlines(keepends=True)
    # the blank line that separates estimates belongs to the addition too
    first = added.first_line - (1 if not lines[added.first_line - 2].strip() else 0)
    if section == "estimates":
        assert added.text.startswith(old)  # the last section: appended at the end
        first = added.first_line - 1
    assert _without(added.text, first, added.last_line) == old
    assert lines[0] == old.splitlines(keepends=True)[0]  # the schema modeline
    data = load_text(added.text, "x").data
    assert isinstance(data, dict)
    assert data[section][-1] == entry


def test_the_entry_is_written_in_the_ledgers_style() -> None:
    added = append_entry(SHIPPED.read_text(encoding="utf-8"), "estimates", ESTIMATE)
    new = added.text.splitlines()[added.first_line - 1 : added.last_line]
    assert new == [
        "  - id: nis-again",
        "    claimant: nis",
        "    as_of: 2025-01-13",
        "    killed: at least 300",
        "    wounded: 2700",
        "    reported_in:",
        "      - document: kursk-diary",
        "        quote: >-",
        "          This Monday, it was the South Korean spy agency that, in a briefing",
        "          in front of lawmakers, was more precise in stating that at least 300",
        "          North Korean soldiers sent to support Moscow's war have died and",
        "          another 2,700 were injured during the fighting.",
    ]


def test_an_empty_or_missing_section_is_started() -> None:
    source = {"id": "x", "name": "X", "kind": "media", "party": "third-party"}
    added = append_entry("title: a\nsubject: b\nsources: []  # none yet\n", "sources", source)
    assert added.text == (
        "title: a\nsubject: b\nsources: # none yet\n"
        "  - id: x\n    name: X\n    kind: media\n    party: third-party\n"
    )
    assert (added.first_line, added.last_line) == (4, 7)
    added = append_entry("title: a\nsubject: b\n", "sources", source)
    assert added.text.startswith("title: a\nsubject: b\n\nsources:\n  - id: x\n")
    added = append_entry("title: a\nsources:\nsubject: b\n", "sources", source)
    assert added.text.startswith("title: a\nsources:\n  - id: x\n")
    assert added.text.endswith("party: third-party\nsubject: b\n")


def test_comments_after_the_last_entry_stay_where_they_are() -> None:
    text = (
        "title: a\nsubject: b\nsources:\n- id: a\n  name: A  # kept\n  kind: media\n"
        "  party: p\n\n# the documents follow\ndocuments: []\n"
    )
    added = append_entry(text, "sources", {"id": "b", "name": "B", "kind": "ngo", "party": "q"})
    assert added.text == text.replace(
        "  party: p\n\n", "  party: p\n- id: b\n  name: B\n  kind: ngo\n  party: q\n\n"
    )


def test_windows_line_ends_are_kept() -> None:
    text = "title: a\r\nsubject: b\r\nsources:\r\n  - id: a\r\n    name: A\r\n"
    added = append_entry(text, "sources", {"id": "b", "name": "B"})
    assert added.text == text + "  - id: b\r\n    name: B\r\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("title: [a\n", "cannot be read as YAML"),
        ("- a\n", "not a mapping"),
        ("sources: [{id: a}]\n", "flow"),
        ("sources: text\n", "not a list"),
    ],
)
def test_what_cannot_be_edited_safely_is_refused(text: str, message: str) -> None:
    with pytest.raises(EditError, match=message):
        append_entry(text, "sources", {"id": "b"})


def test_atomic_write_replaces_the_file(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text("old\n", encoding="utf-8")
    path.chmod(0o640)
    assert atomic_write(path, "new\n")
    assert path.read_text(encoding="utf-8") == "new\n"
    assert path.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.yaml"]


def test_a_refused_check_leaves_the_file_and_no_temporary(tmp_path: Path) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text("old\n", encoding="utf-8")
    seen: list[str] = []

    def check(temporary: Path) -> bool:
        seen.append(temporary.read_text(encoding="utf-8"))
        return False

    assert not atomic_write(path, "new\n", check=check)
    assert seen == ["new\n"]
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.yaml"]


def test_an_error_during_the_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "ledger.yaml"
    path.write_text("old\n", encoding="utf-8")

    def broken(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(OSError, match="No space"):
        atomic_write(path, "new\n" * 1000)
    assert path.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ledger.yaml"]


def test_a_crash_in_the_middle_of_a_write_leaves_the_old_file(tmp_path: Path) -> None:
    """The process is killed (SIGKILL) after writing half the new text: no cleanup runs."""
    path = tmp_path / "ledger.yaml"
    old = SHIPPED.read_text(encoding="utf-8")
    path.write_text(old, encoding="utf-8")
    child = f"""
import io, os, signal, sys
from pathlib import Path
from reconcile.ingest import roundtrip

class Dying(io.TextIOWrapper):
    def write(self, text):
        super().write(text[: len(text) // 2])
        self.flush()
        os.kill(os.getpid(), signal.SIGKILL)
def fdopen(fd, *args, **kwargs):
    return Dying(io.FileIO(fd, "w"), encoding="utf-8", newline="")
os.fdopen = fdopen
roundtrip.atomic_write(Path({str(path)!r}), "x" * 100000)
"""
    result = subprocess.run(
        [sys.executable, "-c", child], capture_output=True, timeout=60, check=False
    )
    assert result.returncode == -9, result.stderr
    assert path.read_text(encoding="utf-8") == old
    leftovers = [p for p in tmp_path.iterdir() if p.name != "ledger.yaml"]
    assert leftovers == temporaries(tmp_path, "ledger.yaml")  # `.ledger.yaml.<random>.part`
    assert len(leftovers) == 1
    assert 0 < leftovers[0].stat().st_size < 100000  # the half-written temporary file
