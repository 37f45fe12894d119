"""The archive read in a forked child while the ledger is built.

On a large ledger, validate's serial steps are the load, the build and the
archive (docs/performance.md): the build keeps one core busy and the archive
(a file per document, each checked, read and decoded, then normalised for the
checks) waits for it.  Neither needs the other's result but for the documents:
so when more than one job is allowed (`RECONCILE_JOBS`) and the ledger is large,
`start_aside` forks a child as soon as the ledger is loaded.  The child builds the
ledger's header, sources and documents alone (the same `build`, on the loaded
data less its estimates), reads the archive as `read_archive` does, normalises
each text as the checks would (`normalised_texts`), and sends all of it back
pickled while the process builds the whole ledger.

`take_aside` gives the child's archive only when it was read from exactly what the
built ledger holds: the archive setting, and each document's id, path and file,
in order (`read_archive` reads nothing else of the ledger).  Anything else (the
documents built differently because the build found errors, a child that failed
or could not be forked) gives None, and the caller reads the archive itself, as
it would without this module.  The issues are those `read_archive` finds, in its
order, located by the child from the same files.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from reconcile.core.models import Ledger
from reconcile.core.text import normalised_texts
from reconcile.ingest import forked
from reconcile.ingest.archive import Archive, read_archive
from reconcile.ingest.build import build
from reconcile.ingest.loader import Loaded
from reconcile.ingest.origins import Origins

ASIDE_FROM = 2_000
"""Estimates from which the archive is read aside: below it the build is too short
for a fork to pay (checks/parallel.py's PARALLEL_FROM, for the same reason)."""

Read = tuple[Archive, dict[str, str]]
"""The archive, and each readable document's normalised text by id."""


@dataclass(frozen=True, slots=True)
class Aside:
    """The child reading the archive."""

    child: forked.Child


def start_aside(
    files: Sequence[Loaded], ledger_path: Path, archives: Mapping[str, tuple[Path, str]]
) -> Aside | None:
    """A child reading the archive of the ledger `files` hold, or None where it does
    not pay or cannot be had (the caller reads it after the build)."""
    if _estimates(files) < ASIDE_FROM or not forked.can_fork():
        return None
    try:
        return Aside(forked.start(lambda: _read_alone(files, ledger_path, archives)))
    except OSError:  # no process or pipe to be had (a limit)
        return None


def take_aside(aside: Aside | None, ledger: Ledger, origins: Origins) -> Read | None:
    """The child's archive, if it read what `ledger` holds (else None)."""
    if aside is None:
        return None
    ok, value = forked.result(aside.child)
    if not ok or value is None:
        return None
    signature, archive, bodies = value
    return (archive, bodies) if signature == _signature(ledger, origins) else None


def stop_aside(aside: Aside | None) -> None:
    """Stop the child, its archive unused (the build failed)."""
    if aside is not None:
        forked.stop(aside.child)


def _estimates(files: Sequence[Loaded]) -> int:
    count = 0
    for loaded in files:
        estimates = loaded.data.get("estimates") if isinstance(loaded.data, dict) else None
        count += len(estimates) if isinstance(estimates, list) else 0
    return count


def _read_alone(
    files: Sequence[Loaded], ledger_path: Path, archives: Mapping[str, tuple[Path, str]]
) -> tuple[Any, Archive, dict[str, str]] | None:
    """In the child: the archive of the ledger built without its estimates."""
    alone = [
        replace(loaded, data={k: v for k, v in loaded.data.items() if k != "estimates"})
        if isinstance(loaded.data, dict)
        else loaded
        for loaded in files
    ]
    ledger, origins, _ = build(alone)
    if ledger is None:
        return None
    archive = read_archive(ledger, origins, ledger_path, archives)
    return _signature(ledger, origins), archive, normalised_texts(archive.texts)


def _signature(ledger: Ledger, origins: Origins) -> tuple[object, ...]:
    """All `read_archive` reads of a ledger: its archive setting and each document's
    id, path and file, in order."""
    return (
        ledger.archive,
        tuple(
            (document.id, document.path, origins.file_of(document).path)
            for document in ledger.documents
        ),
    )
