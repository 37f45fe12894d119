"""The one way a file is replaced whole: written beside it, then renamed over it.

A report written to `--output`, a ledger edited by `reconcile add`, the cache's
pack and an exported SQLite database are each written to a new temporary file
in the same folder, which `os.replace` puts in the file's place once it is
whole.  The rename is atomic: a reader, or a run that is killed or fails at any
moment, sees the old file or the new one, never a mix or a file cut short.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

SUFFIX = ".part"
"""The temporary file is `.NAME.<random>.part`, beside the file NAME it replaces."""


@dataclass
class Replacement:
    """The temporary file a `replacing` block writes.  Setting `wanted` to False
    leaves the old file in place (a check of the new one refused it); after the
    block, `done` says whether the file was replaced."""

    path: Path
    wanted: bool = True
    done: bool = False


def temporaries(folder: Path, name: str) -> list[Path]:
    """The temporary files `replacing` made in `folder` for files named `name`
    (`*` for any) that are still there: a run killed while writing leaves one."""
    return sorted(folder.glob(f".{name}.*{SUFFIX}"))


@contextmanager
def replacing(path: Path, *, durable: bool = False) -> Iterator[Replacement]:
    """A new, empty temporary file beside `path` for the block to write (and close);
    when the block ends, it replaces `path` with `os.replace`, with the
    permissions `path` had (a new file gets the usual ones: the umask's).

    `durable`: the file is synced to disk before it replaces `path`, so a crash
    of the machine too leaves the old file or the whole new one.  When the block
    raises, or sets `wanted` to False, or the replacing fails, the temporary file
    is removed and `path` is left as it was; the exception is raised."""
    new = Replacement(_created(path))
    try:
        yield new
        if new.wanted:
            if durable:
                _sync(new.path)
            with suppress(FileNotFoundError):  # a new file: the umask's permissions
                os.chmod(new.path, path.stat().st_mode & 0o7777)
            os.replace(new.path, path)
            new.done = True
    finally:
        if not new.done:
            new.path.unlink(missing_ok=True)


def _created(path: Path) -> Path:
    """A new empty file `.NAME.<random>.part` in `path`'s folder, made by this call
    (O_EXCL: never a file or link already there)."""
    while True:
        candidate = path.with_name(f".{path.name}.{secrets.token_hex(6)}{SUFFIX}")
        try:
            os.close(os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
        except FileExistsError:  # pragma: no cover - 48 random bits taken already
            continue
        return candidate


def _sync(path: Path) -> None:
    handle = os.open(path, os.O_WRONLY)  # writable: some systems sync no read-only handle
    try:
        os.fsync(handle)
    finally:
        os.close(handle)
