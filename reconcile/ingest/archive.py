"""Reading the archived texts a ledger quotes, never outside the archive folder."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reconcile.core.issues import Issue, Location, error, warning
from reconcile.core.models import Document, Ledger
from reconcile.ingest.confine import (
    confinement_problem,
    confinement_root,
    describe,
    read_regular,
    resolve,
)
from reconcile.ingest.loader import Loaded
from reconcile.ingest.origins import Origins

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
"""The most archived text one ledger can make reconcile check, all documents
together (each file is read once; a file named by several documents counts
once per document, since each is checked in full)."""


@dataclass(frozen=True, slots=True)
class Archive:
    """The texts of the archived documents that could be read, by document id."""

    folder: Path
    texts: dict[str, str] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()


def archive_folder(ledger: Ledger, ledger_path: Path) -> Path:
    return resolve(ledger_path.parent / ledger.archive)


def read_archive(
    ledger: Ledger,
    origins: Origins,
    ledger_path: Path,
    archives: Mapping[str, tuple[Path, str]] | None = None,
) -> Archive:
    """Read every document's text.  `archives` maps a ledger file's display name to
    the folder its documents are read from (and how that folder was spelled), for
    ledgers split over several files; documents of other files use the root's."""
    root = archive_folder(ledger, ledger_path)
    fence = confinement_root(ledger_path)
    texts: dict[str, str] = {}
    issues: list[Issue] = []
    reader = _Reader()
    refused: dict[Path, str | None] = {}
    for document in ledger.documents:
        loaded = origins.file_of(document)
        folder, spelled = (archives or {}).get(loaded.path, (root, ledger.archive))
        if not spelled.isprintable():
            continue  # the archive setting itself is refused (bad-path): read nothing from it
        if folder not in refused:
            refused[folder] = confinement_problem(folder, fence)
            if refused[folder] is not None:
                at = loaded if folder != root else None
                issues.append(_outside(origins, at, spelled, fence, refused[folder] or ""))
        if refused[folder] is not None:
            continue
        if document.path is None:
            issues.append(
                warning(
                    "unarchived",
                    f"document '{document.id}' has no archived text; its quotes cannot be checked",
                    origins.at(document, "id"),
                    hint="save the article's text in the archive folder and set path:",
                )
            )
            continue
        where = _Where(origins, document)
        target = folder / document.path
        try:
            resolved = target.resolve()
        except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the name
            issues.append(error("archive-missing", f"cannot resolve {document.path!r}", where()))
            continue
        refusal = _confined(document.path, resolved, folder, spelled, fence=fence, where=where)
        if refusal is not None:
            issues.append(refusal)
            continue
        found = reader.text(resolved)
        if found is None:
            issues.append(_over_budget(document.path, where()))
            continue
        text, problem = found
        if text is not None:
            texts[document.id] = text
        else:
            issues.append(
                error(
                    "archive-missing",
                    f"{document.path!r} {problem} in the archive folder {spelled!r}",
                    where(),
                    hint="check the file name, or the archive: setting at the top of the ledger",
                )
            )
    return Archive(root, texts, tuple(issues))


def _outside(
    origins: Origins, loaded: Loaded | None, spelled: str, fence: Path, problem: str
) -> Issue:
    """The archive folder `spelled` (by `loaded`, else the root) leaves the repository."""
    return error(
        "path-outside-repository",
        f"the archive folder {spelled[:200]!r} {describe(problem, fence)}; nothing is read from it",
        loaded.locate(("archive",)) if loaded is not None else origins.top("archive"),
        hint="keep the archived texts in the repository, beside the ledger",
    )


def _confined(
    path: str, resolved: Path, folder: Path, spelled: str, *, fence: Path, where: _Where
) -> Issue | None:
    """Why the document at `path` (resolved) may not be read, or None."""
    if not resolved.is_relative_to(folder):
        return error(
            "path-outside-archive",
            f"{path!r} leads outside the archive folder {spelled!r}; it is not read",
            where(),
            hint="copy the text into the archive folder",
        )
    inside = confinement_problem(resolved, fence)
    if inside is not None:
        return error(
            "path-outside-repository",
            f"{path!r} {describe(inside, fence)}; it is not read",
            where(),
            hint="copy the text into the archive folder",
        )
    return None


class _Reader:
    """Archived files, each read once, within MAX_ARCHIVE_BYTES counted per
    document: a file named by many documents is read once but checked in full
    for each, so each use counts."""

    def __init__(self) -> None:
        self.read: dict[Path, tuple[str | None, str, int]] = {}
        self.budget = MAX_ARCHIVE_BYTES

    def text(self, path: Path) -> tuple[str | None, str] | None:
        """The text at `path` (or None and why not), or None when over budget."""
        if path not in self.read:
            cap = min(MAX_DOCUMENT_BYTES, self.budget)
            if self.budget <= 0:
                return None
            text, problem, size = _read(path, cap)
            if text is None and problem.startswith("is over") and cap < MAX_DOCUMENT_BYTES:
                self.budget = 0
                return None
            self.read[path] = (text, problem, size)
        text, problem, size = self.read[path]
        if size > self.budget:
            self.budget = 0
            return None
        self.budget -= size
        return text, problem


def _over_budget(path: str, where: Location) -> Issue:
    return error(
        "archive-budget",
        f"{path!r} is not read: the ledger's archived texts are "
        f"over {MAX_ARCHIVE_BYTES:,} bytes together",
        where,
        hint="split the ledger, or archive only the articles it quotes",
    )


@dataclass(frozen=True, slots=True)
class _Where:
    """A document's path location, found only when an issue needs it.

    Locating may run the composer once (see `Loaded.locate`); a clean
    archive must not pay for it.
    """

    origins: Origins
    document: Document

    def __call__(self) -> Location:
        return self.origins.at(self.document, "path")


def _read(path: Path, cap: int = MAX_DOCUMENT_BYTES) -> tuple[str | None, str, int]:
    """The text of an archived file (or None and why it cannot be had), and the
    bytes read."""
    raw = read_regular(path, cap)
    if isinstance(raw, str):
        return None, raw, 0
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None, "is not UTF-8 text", len(raw)
    if _grows_too_much(text):
        return None, f"grows over {MAX_NORMALISED_CHARS:,} characters when normalised", len(raw)
    return text, "", len(raw)


MAX_NORMALISED_CHARS = MAX_DOCUMENT_BYTES
"""Quotes are compared after NFKC, which can make one character eighteen
(U+FDFA): an archived text may not grow past this many characters."""


def _grows_too_much(text: str) -> bool:
    """Whether NFKC makes `text` longer than MAX_NORMALISED_CHARS; counted a
    chunk at a time and stopped at the cap, so the count itself is bounded."""
    if text.isascii():
        return len(text) > MAX_NORMALISED_CHARS  # NFKC leaves ASCII as it is
    total = 0
    for start in range(0, len(text), 1 << 16):
        total += len(unicodedata.normalize("NFKC", text[start : start + (1 << 16)]))
        if total > MAX_NORMALISED_CHARS:
            return True
    return False
