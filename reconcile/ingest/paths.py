"""Path safety shared by includes and the archive: resolving a path a ledger
names without raising (each then checks it stays in its folder)."""

from __future__ import annotations

from pathlib import Path


def resolved(path: Path) -> Path:
    """`path` with symlinks resolved; absolute as written when it cannot be
    (a loop, a NUL in the name)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the name
        return path.absolute()
