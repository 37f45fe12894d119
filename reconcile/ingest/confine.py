"""Where a ledger may make reconcile read, and how a file is read safely.

A pull request from a stranger controls every file of the checkout: the
ledger, the texts it archives, the files it includes, symlinks and names.  One
rule covers every path a ledger names (the root ledger, `archive:`, each
document, each include): resolved (symlinks followed first) it must lie inside
the repository that holds the root ledger (the folder with `.git`, found by
looking, never by running git); in no repository, inside the ledger project's
folder (the nearest folder above the ledger with a `reconcile.toml`, as
`reconcile init` writes), else inside the root ledger's folder; and never
inside a `.git` folder (its config can hold the checkout's token).  A
repository always wins over a `reconcile.toml`, so in a checkout a pull request
can only narrow the rule, never widen it.  The ledger shipped with reconcile is confined to the
folder it is shipped in.

How a file is then read (a regular file only, at most so many bytes) is
`ingest/reader.py`'s job.
"""

from __future__ import annotations

import os
from pathlib import Path

from reconcile.ingest.discover import shipped_ledger

PROJECT_MARKER = "reconcile.toml"
"""Outside a repository, the folder holding this file is the ledger project's."""


def resolve(path: Path) -> Path:
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the name
        return path.absolute()


def confinement_root(ledger: Path) -> Path:
    """The folder every path of the ledger at `ledger` must stay in (resolved)."""
    try:
        start = Path(os.path.abspath(ledger)).parent
    except (OSError, ValueError):
        return resolve(ledger.parent)
    shipped = shipped_ledger()
    if resolve(ledger) == resolve(shipped):
        return resolve(shipped.parent.parent)
    project: Path | None = None
    for folder in (start, *start.parents):
        try:
            if (folder / ".git").exists():
                return resolve(folder)
            if project is None and (folder / PROJECT_MARKER).is_file():
                project = folder
        except OSError:
            break
    return resolve(project if project is not None else start)


def confinement_problem(path: Path, root: Path) -> str | None:
    """Why the resolved `path` may not be read under `root`, or None."""
    if not path.is_relative_to(root):
        return "outside"
    if any(part.casefold() == ".git" for part in path.relative_to(root).parts):
        return ".git"
    return None


def describe(problem: str, root: Path) -> str:
    """`confinement_problem`'s answer in words."""
    if problem == ".git":
        return "is inside a .git folder, which reconcile never reads"
    return f"leads outside {root} (the repository, or the ledger's folder when in none)"
