"""Multi-file ledgers: the root file and every file its `include:` pulls in.

`include:` lists paths or globs relative to the file that holds it.  Files are
read depth first, in the order written (a glob's matches sorted by name), each
file once.  Every problem is a located `Issue` at the include entry:

- `include-missing`: a path that does not exist (error), a glob that matches
  nothing (warning);
- `include-outside`: an absolute path, or one that leaves the root ledger's
  folder (symlinks resolved): a ledger under review cannot make the tool read
  files elsewhere on the machine;
- `include-cycle`: a file that includes itself, directly or through others;
- `include-limit`: more than `MAX_FILES` files, or includes nested more than
  `MAX_DEPTH` deep.

Types (an `include:` that is not a list of text) are the schema's business;
entries that are not text are skipped here.

Each file's documents are read from that file's archive folder: its own
`archive:` (relative to it) when it sets one, else the root ledger's.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from reconcile.core.issues import Issue, Location, error, warning
from reconcile.core.models import Header
from reconcile.ingest.loader import Loaded, load_file
from reconcile.ingest.paths import resolved
from reconcile.ingest.reader import DEFAULT_MAX_BYTES

MAX_FILES = 1000
MAX_DEPTH = 32
_GLOB = re.compile(r"[*?\[]")
_DRIVE = re.compile(r"^[A-Za-z]:")
DEFAULT_ARCHIVE = str(Header.model_fields["archive"].default)


@dataclass(frozen=True, slots=True)
class LedgerFiles:
    """The files of one ledger, root first; `archives` maps each file's display
    name to the folder (and its spelling) its documents are read from."""

    files: tuple[Loaded, ...]
    archives: dict[str, tuple[Path, str]]
    issues: tuple[Issue, ...]

    @property
    def root(self) -> Loaded:
        return self.files[0]


def load_ledger(
    path: Path, *, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES
) -> LedgerFiles:
    """Read a ledger file and everything it includes; never raises for bad input."""
    name = display if display is not None else str(path)
    reader = _Reader(path, name, max_bytes)
    return LedgerFiles(tuple(reader.files), reader.archives, tuple(reader.issues))


class _Reader:
    def __init__(self, path: Path, display: str, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self.files: list[Loaded] = []
        self.archives: dict[str, tuple[Path, str]] = {}
        self.issues: list[Issue] = []
        self.seen: set[Path] = set()
        real = resolved(path)
        self.top = real.parent
        root = self._load(real, display)
        spelled = _archive_of(root.data) or DEFAULT_ARCHIVE
        self.root_archive = (resolved(real.parent / spelled), spelled)
        self.archives[display] = self.root_archive
        self._walk(root, real, (real,))

    def _load(self, real: Path, display: str) -> Loaded:
        loaded = load_file(real, max_bytes=self.max_bytes, display=display)
        self.files.append(loaded)
        self.seen.add(real)
        return loaded

    def _walk(self, loaded: Loaded, real: Path, chain: tuple[Path, ...]) -> None:
        data = loaded.data
        if not isinstance(data, dict) or not isinstance(data.get("include"), list):
            return
        for index, entry in enumerate(data["include"]):
            if not isinstance(entry, str) or not entry.strip():
                continue  # the schema reports it
            where = loaded.locate(("include", index))
            for target, shown in self._targets(entry, loaded, real, where):
                if target in chain:
                    loop = chain[chain.index(target) :]
                    cycle = " → ".join([*(_shown_in(p, loaded, real) for p in loop), shown])
                    self.issues.append(
                        error(
                            "include-cycle",
                            f"include cycle: {cycle}",
                            where,
                            hint="a file cannot include itself, directly or through others",
                        )
                    )
                    continue
                if target in self.seen:
                    continue  # already part of the ledger (included twice): once is enough
                if len(self.files) >= MAX_FILES or len(chain) >= MAX_DEPTH:
                    self.issues.append(
                        error(
                            "include-limit",
                            f"too many included files (at most {MAX_FILES}, "
                            f"nested at most {MAX_DEPTH} deep); {shown!r} is not read",
                            where,
                        )
                    )
                    return
                child = self._load(target, shown)
                spelled = _archive_of(child.data)
                self.archives[shown] = (
                    (resolved(target.parent / spelled), spelled)
                    if spelled is not None
                    else self.root_archive
                )
                self._walk(child, target, (*chain, target))

    def _targets(
        self, entry: str, loaded: Loaded, real: Path, where: Location
    ) -> list[tuple[Path, str]]:
        """The files an include entry names, resolved, with their display names."""
        if entry.startswith(("/", "\\", "~")) or _DRIVE.match(entry):
            self.issues.append(
                error(
                    "include-outside",
                    f"include {entry[:200]!r} is absolute; give it relative to this file",
                    where,
                )
            )
            return []
        base = real.parent
        if _GLOB.search(entry):
            try:
                matches = sorted(p for p in base.glob(entry) if p.is_file())
            except (OSError, ValueError, NotImplementedError) as exc:
                self.issues.append(
                    error("include-missing", f"include {entry[:200]!r}: {exc}", where)
                )
                return []
            candidates = [m for m in matches if resolved(m) != real]
            if not candidates:
                self.issues.append(
                    warning(
                        "include-missing",
                        f"include {entry[:200]!r} matches no file",
                        where,
                        hint="check the pattern, or remove the entry",
                    )
                )
                return []
        else:
            candidates = [base / entry]
            if not candidates[0].is_file():
                self.issues.append(
                    error(
                        "include-missing",
                        f"included file {entry[:200]!r} "
                        + ("is not a file" if candidates[0].exists() else "does not exist"),
                        where,
                        hint="paths are relative to the file that includes them",
                    )
                )
                return []
        found: list[tuple[Path, str]] = []
        for candidate in candidates:
            target = resolved(candidate)
            if not target.is_relative_to(self.top):
                self.issues.append(
                    error(
                        "include-outside",
                        f"include {entry[:200]!r} leads outside the ledger's folder; "
                        "it is not read",
                        where,
                        hint="keep every file of a ledger in the root ledger's folder or below",
                    )
                )
                continue
            relative = os.path.relpath(candidate, base)
            found.append((target, _join(loaded.path, relative)))
        return found


def _join(display: str, relative: str) -> str:
    """The display name of a file included as `relative` by the file shown as `display`."""
    return os.path.normpath(os.path.join(os.path.dirname(display), relative))


def _shown_in(path: Path, loaded: Loaded, real: Path) -> str:
    return _join(loaded.path, os.path.relpath(path, real.parent))


def _archive_of(data: object) -> str | None:
    if isinstance(data, dict):
        value = data.get("archive")
        if isinstance(value, str):
            return value
    return None
