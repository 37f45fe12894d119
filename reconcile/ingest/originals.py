"""The archived originals a ledger names (`documents[].original`), hashed to
check them against their recorded sha256.

An original must lie inside the archive folder and the repository (the one
confinement rule, `ingest/confine.py`); each distinct file is hashed once however
many documents name it, through the one reader (`reader.sha256_regular`: a
regular file, at most `MAX_ORIGINAL_BYTES`), and all originals of one run
together are hashed up to `MAX_ORIGINALS_BYTES`: a ledger cannot make a run
hash without bound (1,000 documents naming one 64 MiB file cost one read)."""

from __future__ import annotations

from pathlib import Path

from reconcile.ingest.confine import confinement_problem, resolve
from reconcile.ingest.reader import sha256_regular

MAX_ORIGINAL_BYTES = 64 * 1024 * 1024
"""The largest original that is hashed (a saved page, a PDF, a web archive)."""
MAX_ORIGINALS_BYTES = 256 * 1024 * 1024
"""All originals of one run together, each distinct file counted once."""


OVER_BUDGET = "archive-budget"
CHANGED = "original-changed"


_UNCHECKED = "over budget"


class Originals:
    """The originals of one archive folder: `problem(name, sha256)` says what is
    wrong with one, as (check id, words): `original-changed` when it is missing,
    unreadable, outside or no longer has the recorded sha256, `archive-budget`
    when the run's budget is spent before it; None when its bytes match."""

    def __init__(self, folder: Path, fence: Path) -> None:
        self.folder = folder
        self.fence = fence
        self.left = MAX_ORIGINALS_BYTES
        self.hashed: dict[Path, tuple[str, int] | str] = {}

    def problem(self, name: str, expected: str) -> tuple[str, str] | None:
        found = self._problem(name, expected)
        if found is None:
            return None
        if found == _UNCHECKED:
            return OVER_BUDGET, (
                "was not checked: the originals of this ledger are over "
                f"{MAX_ORIGINALS_BYTES:,} bytes together"
            )
        return CHANGED, found

    def _problem(self, name: str, expected: str) -> str | None:
        try:
            target = resolve(self.folder / name)
        except (OSError, RuntimeError, ValueError) as exc:
            return f"cannot be read ({exc})"
        if not target.is_relative_to(self.folder):
            return "is outside the archive folder"
        if confinement_problem(target, self.fence) is not None:
            return "is outside the repository"
        found = self.hashed.get(target)
        if found is None:
            if self.left <= 0:
                return _UNCHECKED
            found = sha256_regular(target, min(MAX_ORIGINAL_BYTES, self.left))
            if (
                isinstance(found, str)
                and found.startswith("is over")
                and (self.left < MAX_ORIGINAL_BYTES)
            ):
                self.left = 0
                return _UNCHECKED
            if not isinstance(found, str):
                self.left -= found[1]
            self.hashed[target] = found
        if isinstance(found, str):
            return "is missing" if found == "does not exist" else found
        if found[0] != expected:
            return "no longer has the sha256 recorded for it"
        return None
