"""Finding and reading the settings file that applies to a ledger: the first
`reconcile.toml`, or `pyproject.toml` with a `[tool.reconcile]` table, in the
ledger's folder or a folder above it, up to the repository's root (the first
folder with `.git`), as yamllint and ruff look for theirs.  Read through the one
reader (a regular file, at most `MAX_BYTES`); what the table means is
`checks/settings.py`'s."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconcile.ingest.reader import offset_location, read_regular

NAMES = ("reconcile.toml", "pyproject.toml")
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class SettingsFile:
    """The table found (None when it could not be read) and where it came from."""

    shown: str
    """The file's path, with " [tool.reconcile]" for a pyproject.toml."""
    table: Any
    problem: str = ""
    """Why the file could not be read, with `line` and `column` when known."""
    line: int = 0
    column: int = 0


def find_settings_file(ledger: Path) -> SettingsFile | None:
    """The settings file that applies to the ledger file `ledger`, or None."""
    try:
        folder = ledger.resolve().parent
    except (OSError, RuntimeError, ValueError):
        return None
    for current in (folder, *folder.parents):
        for name in NAMES:
            candidate = current / name
            if candidate.is_file():
                found = _read(candidate, pyproject=name == "pyproject.toml")
                if found is not None:
                    return found
        if (current / ".git").exists():
            break
    return None


def _read(path: Path, *, pyproject: bool) -> SettingsFile | None:
    shown = str(path)
    raw = read_regular(path, MAX_BYTES)
    if isinstance(raw, str):
        if raw.startswith("is over"):
            return SettingsFile(shown, None, f"the settings file is over {MAX_BYTES:,} bytes")
        return SettingsFile(shown, None, f"cannot read the settings file: it {raw}")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        where = offset_location(raw, exc.start, shown)
        return SettingsFile(
            shown,
            None,
            f"cannot read the settings file: byte 0x{raw[exc.start]:02x} is not valid UTF-8",
            where.line,
            where.column,
        )
    except tomllib.TOMLDecodeError as exc:
        line, column = _toml_place(exc)
        return SettingsFile(
            shown, None, f"the settings file is not valid TOML: {exc}", line, column
        )
    if not pyproject:
        return SettingsFile(shown, data)
    tool = data.get("tool")
    table = tool.get("reconcile") if isinstance(tool, dict) else None
    if table is None:
        return None  # a pyproject.toml without [tool.reconcile]: look further up
    return SettingsFile(shown + " [tool.reconcile]", table)


def _toml_place(exc: tomllib.TOMLDecodeError) -> tuple[int, int]:
    """Where tomllib says the error is: its attributes (Python 3.14+), else the
    words of its message, else the file as a whole (0, 0)."""
    line, column = getattr(exc, "lineno", None), getattr(exc, "colno", None)
    if isinstance(line, int) and isinstance(column, int):
        return line, column
    found = re.search(r"line (\d+), column (\d+)", str(exc))
    return (int(found.group(1)), int(found.group(2))) if found else (0, 0)
