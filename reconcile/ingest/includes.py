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
  `MAX_DEPTH` deep;
- `include-too-costly`: a glob that would visit more than `MAX_GLOB_VISITS`
  paths, or that climbs with `..` after a wildcard (`../**/../**/x.yaml`
  grows by the size of the tree at each level).  A glob is walked only from
  its fixed prefix, and only once that prefix is known to be inside the root
  ledger's folder; symlinked folders are not followed, `.git` never entered;
- `path-outside-repository`: a root ledger that resolves (symlinks followed)
  outside the repository holding it (reconcile.ingest.confine).

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

from reconcile.core.issues import Issue, Location, error, unusable, warning
from reconcile.core.models import Header
from reconcile.ingest.confine import confinement_problem, confinement_root, describe, resolve
from reconcile.ingest.loader import Loaded, load_file
from reconcile.ingest.reader import DEFAULT_MAX_BYTES

MAX_FILES = 1000
MAX_DEPTH = 32
MAX_GLOB_VISITS = 20_000
"""Folders and files one include glob may look at before it is refused."""
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
    path: Path, *, display: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES, jobs: int = 1
) -> LedgerFiles:
    """Read a ledger file and everything it includes; never raises for bad input.
    With `jobs` above 1 a large file is read in two processes (ingest/fast.py)."""
    name = display if display is not None else str(path)
    reader = _Reader(path, name, max_bytes, jobs)
    return LedgerFiles(tuple(reader.files), reader.archives, tuple(reader.issues))


class _Reader:
    def __init__(self, path: Path, display: str, max_bytes: int, jobs: int) -> None:
        self.max_bytes = max_bytes
        self.jobs = jobs
        self.files: list[Loaded] = []
        self.archives: dict[str, tuple[Path, str]] = {}
        self.issues: list[Issue] = []
        self.seen: set[Path] = set()
        real = resolve(path)
        self.top = real.parent
        self.fence = confinement_root(path)
        problem = confinement_problem(real, self.fence)
        if problem is not None:
            refusal = unusable(
                "path-outside-repository",
                f"the ledger {describe(problem, self.fence)}; it is not read",
                Location(display, 0, 0),
            )
            self.files.append(Loaded(display, None, (refusal,)))
            self.archives[display] = (self.top, DEFAULT_ARCHIVE)
            return
        root = self._load(real, display)
        spelled = _archive_of(root.data) or DEFAULT_ARCHIVE
        self.root_archive = (resolve(real.parent / spelled), spelled)
        self.archives[display] = self.root_archive
        self._walk(root, real, (real,))

    def _load(self, real: Path, display: str) -> Loaded:
        loaded = load_file(real, max_bytes=self.max_bytes, display=display, jobs=self.jobs)
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
                    (resolve(target.parent / spelled), spelled)
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
            found_or_problem = self._glob(base, entry)
            if isinstance(found_or_problem, Issue):
                self.issues.append(
                    error(
                        found_or_problem.check,
                        found_or_problem.message,
                        where,
                        hint=found_or_problem.hint,
                    )
                )
                return []
            matches = found_or_problem
            candidates = [m for m in matches if resolve(m) != real]
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
            target = resolve(candidate)
            inside = confinement_problem(target, self.fence)
            if inside == ".git":
                self.issues.append(
                    error(
                        "include-outside",
                        f"include {entry[:200]!r} {describe(inside, self.fence)}",
                        where,
                    )
                )
                continue
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

    def _glob(self, base: Path, entry: str) -> list[Path] | Issue:
        """The files `entry` (a glob relative to `base`) matches, sorted, or why
        it is refused (the Issue's location is filled in by the caller)."""
        here = Location("", 0, 0)
        parts = [part for part in entry.replace("\\", "/").split("/") if part not in ("", ".")]
        fixed = 0
        while fixed < len(parts) and not _GLOB.search(parts[fixed]):
            fixed += 1
        prefix, rest = parts[:fixed], parts[fixed:]
        if ".." in rest:
            return error(
                "include-too-costly",
                f"include {entry[:200]!r} climbs with '..' after a wildcard",
                here,
                hint="put every '..' before the first wildcard",
            )
        start = resolve(base.joinpath(*prefix))
        if not start.is_relative_to(self.top):
            return error(
                "include-outside",
                f"include {entry[:200]!r} leads outside the ledger's folder; it is not read",
                here,
                hint="keep every file of a ledger in the root ledger's folder or below",
            )
        pattern = _GlobPattern(rest)
        deep = "**" in rest
        matches: list[Path] = []
        visits = 0
        for folder, dirs, files in os.walk(start, followlinks=False):
            visits += len(dirs) + len(files) + 1
            if visits > MAX_GLOB_VISITS:
                return error(
                    "include-too-costly",
                    f"include {entry[:200]!r} looks at more than {MAX_GLOB_VISITS:,} "
                    "files and folders",
                    here,
                    hint="name the folder the files are in, e.g. 2025/*.yaml",
                )
            relative = os.path.relpath(folder, start)
            depth = 0 if relative == "." else relative.count(os.sep) + 1
            dirs[:] = sorted(
                d for d in dirs if d.casefold() != ".git" and (deep or depth + 1 < len(rest))
            )
            above = [] if relative == "." else relative.split(os.sep)
            for name in files:
                if pattern.fullmatch([*above, name]):
                    path = Path(folder) / name
                    if path.is_file():
                        matches.append(base.joinpath(*prefix, *above, name))
        return sorted(matches)


class _GlobPattern:
    """Glob parts matched against a relative path's names: `*` and `?` within a
    name, `[...]` a class, `**` any number of folders.  Matched name by name
    with a table (pattern part × path name), so no pattern backtracks."""

    def __init__(self, parts: list[str]) -> None:
        self.parts = [None if part == "**" else re.compile(_glob_name(part)) for part in parts]

    def fullmatch(self, names: list[str]) -> bool:
        parts = self.parts
        if parts and parts[-1] is None:
            return False  # as pathlib: a trailing `**` matches folders only, never a file
        # could[j]: the first i parts can match the first j names
        could = [True] + [False] * len(names)
        for part in parts:
            after = [False] * (len(names) + 1)
            if part is None:
                running = False
                for j in range(len(names) + 1):
                    running = running or could[j]
                    after[j] = running
            else:
                for j in range(1, len(names) + 1):
                    after[j] = could[j - 1] and part.fullmatch(names[j - 1]) is not None
            could = after
        return could[len(names)]


def _glob_name(part: str) -> str:
    """One name's glob as a regular expression (fnmatch's rules, `/` never matched)."""
    out, index = "", 0
    while index < len(part):
        char = part[index]
        index += 1
        if char == "*":
            out += "[^/]*"
        elif char == "?":
            out += "[^/]"
        elif char == "[":
            start = index + (part[index : index + 1] == "!")
            start += part[start : start + 1] == "]"
            close = part.find("]", start)
            if close < 0:
                out += re.escape(char)
                continue
            body = part[index:close]
            index = close + 1
            negate = body.startswith("!")
            body = (body[1:] if negate else body).replace("\\", "\\\\")
            if body.startswith("^"):
                body = "\\" + body
            out += "[" + ("^/" if negate else "") + body + "]"
        else:
            out += re.escape(char)
    return out


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
