"""Settings for `validate`: `reconcile.toml`, or `[tool.reconcile]` in `pyproject.toml`.

    # reconcile.toml (or [tool.reconcile] in pyproject.toml)
    strict = true                       # warnings fail, as with --strict
    ignore = ["claimant-not-in-quote"]  # warnings not reported for this ledger

They are looked for, as yamllint and ruff do, in the ledger's folder and then
in each folder above it, up to the repository's root (the first folder with
`.git`); the first `reconcile.toml`, or `pyproject.toml` with a
`[tool.reconcile]` table, wins.  `ignore` only ever sets warnings aside:
errors are always reported, whatever a settings file says (a pull request
controls the settings file as much as the ledger).  A settings file that
cannot be read, or a key or value it does not know, is a located error
(`settings`); nothing in it is guessed.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from reconcile.checks import CHECKS
from reconcile.core.issues import Issue, Location, error

NAMES = ("reconcile.toml", "pyproject.toml")
KEYS = ("strict", "ignore")
MAX_BYTES = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Settings:
    strict: bool = False
    ignore: frozenset[str] = frozenset()
    path: str | None = None
    """The file they were read from (None: the defaults)."""
    issues: tuple[Issue, ...] = ()


DEFAULT_SETTINGS = Settings()


def find_settings(ledger: Path) -> Settings:
    """The settings that apply to the ledger file `ledger`."""
    try:
        folder = ledger.resolve().parent
    except (OSError, RuntimeError, ValueError):
        return Settings()
    for current in (folder, *folder.parents):
        for name in NAMES:
            candidate = current / name
            if candidate.is_file():
                found = _read(candidate, pyproject=name == "pyproject.toml")
                if found is not None:
                    return found
        if (current / ".git").exists():
            break
    return Settings()


def _read(path: Path, *, pyproject: bool) -> Settings | None:
    shown = str(path)
    try:
        if path.stat().st_size > MAX_BYTES:
            return _bad(shown, f"the settings file is over {MAX_BYTES:,} bytes")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        return _bad(shown, f"cannot read the settings file: {exc}")
    except tomllib.TOMLDecodeError as exc:
        where = re.search(r"line (\d+), column (\d+)", str(exc))
        line, column = (int(where.group(1)), int(where.group(2))) if where else (0, 0)
        return _bad(shown, f"the settings file is not valid TOML: {exc}", line, column)
    table: Any = data
    if pyproject:
        table = (
            data.get("tool", {}).get("reconcile") if isinstance(data.get("tool"), dict) else None
        )
        if table is None:
            return None  # a pyproject.toml without [tool.reconcile]: look further up
        shown += " [tool.reconcile]"
    if not isinstance(table, dict):
        return _bad(shown, "[tool.reconcile] must be a table")
    problems: list[Issue] = []
    for key in table:
        if key not in KEYS:
            problems.append(
                error(
                    "settings",
                    f"unknown setting '{key}' (known: {', '.join(KEYS)})",
                    Location(shown),
                )
            )
    strict = table.get("strict", False)
    if not isinstance(strict, bool):
        problems.append(error("settings", "strict must be true or false", Location(shown)))
        strict = False
    ignore = table.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(item, str) for item in ignore):
        problems.append(error("settings", "ignore must be a list of check ids", Location(shown)))
        ignore = []
    for item in ignore:
        if item not in CHECKS:
            problems.append(
                error("settings", f"ignore: '{item}' is not a check id", Location(shown))
            )
    return Settings(strict, frozenset(ignore), shown, tuple(problems))


def _bad(shown: str, message: str, line: int = 0, column: int = 0) -> Settings:
    return Settings(path=shown, issues=(error("settings", message, Location(shown, line, column)),))
