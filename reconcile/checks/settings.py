"""Settings for `validate`: `reconcile.toml`, or `[tool.reconcile]` in `pyproject.toml`.

    # reconcile.toml (or [tool.reconcile] in pyproject.toml)
    strict = true                       # warnings fail, as with --strict
    ignore = ["claimant-not-in-quote"]  # warnings not reported for this ledger

They are looked for, as yamllint and ruff do, in the ledger's folder and then
in each folder above it, up to the repository's root (the first folder with
`.git`); the first `reconcile.toml`, or `pyproject.toml` with a
`[tool.reconcile]` table, wins (found and read by `ingest/settings_file.py`).
`ignore` only ever sets warnings aside: errors are always reported, whatever
a settings file says (a pull request controls the settings file as much as
the ledger).  A settings file that cannot be read, or a key or value it does
not know, is a located error (`settings`); nothing in it is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from reconcile.checks import CHECKS
from reconcile.core.issues import Issue, Location, error
from reconcile.ingest.settings_file import find_settings_file

KEYS = ("strict", "ignore")


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
    found = find_settings_file(ledger)
    if found is None:
        return Settings()
    shown, table = found.shown, found.table
    if found.problem:
        return _bad(shown, found.problem, found.line, found.column)
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
