"""Reading the archived texts a ledger quotes, never outside the archive folder."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from reconcile.core.issues import Issue, Location, error, warning
from reconcile.core.models import Document, Ledger
from reconcile.ingest.origins import Origins
from reconcile.ingest.paths import resolved

MAX_DOCUMENT_BYTES = 16 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Archive:
    """The texts of the archived documents that could be read, by document id."""

    folder: Path
    texts: dict[str, str] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()


def archive_folder(ledger: Ledger, ledger_path: Path) -> Path:
    return resolved(ledger_path.parent / ledger.archive)


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
    texts: dict[str, str] = {}
    issues: list[Issue] = []
    for document in ledger.documents:
        loaded = origins.file_of(document)
        folder, spelled = (archives or {}).get(loaded.path, (root, ledger.archive))
        if not spelled.isprintable():
            continue  # the archive setting itself is refused (bad-path): read nothing from it
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
            real = target.resolve()
        except (OSError, RuntimeError, ValueError):  # ValueError: a NUL in the name
            issues.append(error("archive-missing", f"cannot resolve {document.path!r}", where()))
            continue
        if not real.is_relative_to(folder):
            issues.append(
                error(
                    "path-outside-archive",
                    f"{document.path!r} leads outside the archive folder {spelled!r}; "
                    "it is not read",
                    where(),
                    hint="copy the text into the archive folder",
                )
            )
            continue
        text, problem = _read(real)
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


def _read(path: Path) -> tuple[str | None, str]:
    """The text of an archived file, or None and why it cannot be had."""
    try:
        if not path.is_file():
            return None, "does not exist" if not path.exists() else "is not a file"
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            return None, f"is over {MAX_DOCUMENT_BYTES:,} bytes"
        raw = path.read_bytes()
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    try:
        return raw.decode("utf-8-sig"), ""
    except UnicodeDecodeError:
        return None, "is not UTF-8 text"
