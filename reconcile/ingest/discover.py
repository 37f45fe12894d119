"""Finding the ledger: --ledger, then $RECONCILE_LEDGER, then ./data/estimates.yaml,
then the copy shipped inside the installed package (with its archived articles)."""

from __future__ import annotations

import os
from pathlib import Path

ENV_LEDGER = "RECONCILE_LEDGER"
SHIPPED = "the shipped demo ledger"
"""find_ledger's word for the fallback: a demo, never a ledger of the user's."""
CI_VARIABLES = ("CI", "GITHUB_ACTIONS")
LOCAL = Path("data") / "estimates.yaml"


def shipped_ledger() -> Path:
    """The ledger shipped with reconcile: inside the wheel, or in a source checkout."""
    package = Path(__file__).resolve().parent.parent  # reconcile/, above ingest/
    inside = package / "_shipped" / "data" / "estimates.yaml"
    if inside.is_file():
        return inside
    return package.parent / "data" / "estimates.yaml"


def find_ledger(explicit: Path | None = None, *, cwd: Path | None = None) -> tuple[Path, str]:
    """The ledger to use and a word on where it came from."""
    if explicit is not None:
        return explicit, "--ledger"
    from_env = os.environ.get(ENV_LEDGER)
    if from_env:
        return Path(from_env), ENV_LEDGER
    local = (cwd or Path.cwd()) / LOCAL
    if local.is_file():
        return (LOCAL if cwd is None else local), "./data/estimates.yaml"
    return shipped_ledger(), SHIPPED


def under_ci() -> bool:
    """Whether we run under CI ($CI or $GITHUB_ACTIONS set, and not 'false' or '0')."""
    return any(
        os.environ.get(name, "").strip().lower() not in ("", "0", "false") for name in CI_VARIABLES
    )


def display(path: Path, origin: str) -> str:
    """How a message names the ledger: its path, and for the fallback, that it is the demo."""
    return f"{path}, {SHIPPED}" if origin == SHIPPED else str(path)
