"""Reading the archived texts a ledger quotes, never outside the archive folder.

Which file a document may name is decided here; reading it, within the
ledger's budget of archived bytes, is `ingest/reader.py`'s (`Budget`)."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reconcile.core.issues import Issue, Location, error, warning
from reconcile.core.models import Document, Ledger
from reconcile.ingest import reader as budgets
from reconcile.ingest.confine import confinement_problem, confinement_root, describe, resolve
from reconcile.ingest.loader import Loaded
from reconcile.ingest.origins import Origins


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
    reader = budgets.Budget()  # the one reader, with the ledger's running total
    refused: dict[Path, str | None] = {}
    real_folders: dict[Path, bool] = {}
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
        if folder not in real_folders:
            real_folders[folder] = _is_real(folder)
        real = _real_below(str(folder), document.path) if real_folders[folder] else None
        if real is None:  # the reference: resolved, then confined
            try:
                resolved = (folder / document.path).resolve()
            except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the name
                issues.append(
                    error("archive-missing", f"cannot resolve {document.path!r}", where())
                )
                continue
            refusal = _confined(document.path, resolved, folder, spelled, fence=fence, where=where)
            if refusal is not None:
                issues.append(refusal)
                continue
            real = str(resolved)
        found = reader.text(real)
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


def _is_real(folder: Path) -> bool:
    """Whether `folder` is its own resolved path (no symlink, '..' or '.' in it)."""
    text = str(folder)
    try:
        return folder.is_absolute() and text != "/" and os.path.realpath(text) == text
    except (OSError, ValueError):
        return False


def _real_below(folder: str, path: str) -> str | None:
    """`(folder / path).resolve()` for the usual document, in a folder that is its own
    resolved path (`_is_real`), found with one lstat per name of `path` instead of
    one per name of the whole path: `folder/path` when each name of `path` is a plain
    name (not '', '.', '..', nor `.git` in any case) that is not a symlink.  Such a
    path lies inside `folder`, and inside the repository when `folder` does (it never
    enters a `.git` folder), so `_confined` has nothing to say of it.  None for
    anything else (a symlink, a name that does not exist, an odd name): the caller
    resolves and confines it the reference way."""
    if "\x00" in path:
        return None
    current = folder
    for name in path.split("/"):
        if name in ("", ".", "..") or name.casefold() == ".git":
            return None
        current = f"{current}/{name}"
        try:
            if stat.S_ISLNK(os.lstat(current).st_mode):
                return None
        except (OSError, ValueError):
            return None
    return current


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


def _over_budget(path: str, where: Location) -> Issue:
    return error(
        "archive-budget",
        f"{path!r} is not read: the ledger's archived texts are "
        f"over {budgets.MAX_ARCHIVE_BYTES:,} bytes together",
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
