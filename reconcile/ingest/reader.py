"""The one safe reader of input files: ledgers, included files, archived texts,
articles and spreadsheets all come through `read_regular`, and archived
originals, which are only hashed, through `sha256_regular` (a regular file
only, opened without blocking, at most a cap of bytes: never /dev/zero, a FIFO
or an endless /proc file).  On top of it: `read_capped` for a ledger (its messages),
`read_text` for an article or a CSV, and `Budget` for the archive, whose texts
share one running total per ledger.  UTF-8 is required (UTF-16/32 marks and NUL
bytes named); every failure is an `Issue` with a location, or a reason in
words, never an exception."""

from __future__ import annotations

import codecs
import hashlib
import os
import stat
import unicodedata
from collections.abc import Callable
from pathlib import Path

from reconcile.core.issues import Issue, Location, unusable

DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # about 3x a 100,000-estimate ledger
MAX_DEPTH = 64
"""Nesting deeper than this is refused (yaml-too-deep)."""
MAX_INT_DIGITS = 18
"""Integers longer than this are kept as text."""


def read_capped(path: Path, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> bytes | Issue:
    """The bytes of `path`, or the unusable-input issue that says why not."""
    here = Location(name, 0, 0)
    try:
        if path.is_dir():
            return unusable("read", "is a directory, not a ledger file", here)
        size = path.stat().st_size
        if size > max_bytes:
            return too_large(size, max_bytes, here)
    except OSError as exc:
        return unusable("read", f"cannot read the file: {exc.strerror or exc}", here)
    raw = read_regular(path, max_bytes)
    if isinstance(raw, str):
        if raw.startswith("is over"):  # grew, or a file that says 0 bytes and is not
            return too_large(max_bytes + 1, max_bytes, here)
        return unusable("read", f"the file {raw}", here)
    return raw


def read_text(path: Path, name: str, max_bytes: int = DEFAULT_MAX_BYTES) -> str | Issue:
    """A UTF-8 text file (an article, a CSV) that is not a ledger: its text, a
    byte-order mark dropped, or the unusable-input issue that says why not.  Only
    a regular file is read, without blocking, at most `max_bytes` (never
    /dev/zero, a FIFO or an endless /proc file)."""
    raw = read_regular(path, max_bytes)
    if isinstance(raw, str):
        check = "too-large" if raw.startswith("is over") else "read"
        return unusable(check, f"the file {raw}", Location(name))
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return unusable("encoding", "the file is not UTF-8 text", Location(name))


def too_large(size: int, cap: int, where: Location) -> Issue:
    return unusable(
        "too-large",
        f"the file is {size:,} bytes, over the {cap:,}-byte cap",
        where,
        hint="raise the cap with --max-bytes or RECONCILE_MAX_BYTES if the file is genuine",
    )


_REFUSED_MARKS = (
    ("UTF-32", (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)),
    ("UTF-16", (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)),
)


def decode(raw: bytes, name: str) -> str | Issue:
    # UTF-32 first: its little-endian mark begins with UTF-16's
    for encoding, marks in _REFUSED_MARKS:
        if raw.startswith(marks):
            return unusable(
                "encoding",
                f"the file is {encoding}; a ledger must be UTF-8",
                Location(name, 1, 1),
                hint="re-save the file as UTF-8",
            )
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    nul = raw.find(b"\x00")
    if nul >= 0:
        return unusable(
            "encoding",
            "the file is binary (it contains a NUL byte), not YAML text",
            offset_location(raw, nul, name),
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return unusable(
            "encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; a ledger must be UTF-8",
            offset_location(raw, exc.start, name),
            hint="re-save the file as UTF-8",
        )


def offset_location(raw: bytes, offset: int, name: str) -> Location:
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return Location(name, line, column)


def read_regular(path: Path | str, cap: int) -> bytes | str:
    """The bytes of the regular file at `path`, or why they cannot be had: not a
    regular file (a FIFO, a device, a folder), over `cap` bytes, unreadable.
    Opened non-blocking (a FIFO never hangs) and read at most `cap` + 1 bytes
    (a /proc file that says 0 bytes cannot feed an endless read)."""
    chunks: list[bytes] = []
    problem = _each_block(path, cap, chunks.append)
    return problem if problem is not None else b"".join(chunks)


def sha256_regular(path: Path, cap: int) -> tuple[str, int] | str:
    """The sha256 (hex) of the regular file at `path` and its size, read a block at a
    time as `read_regular` reads (never more than `cap` bytes held or hashed), or
    why it cannot be had."""
    digest = hashlib.sha256()
    size = 0

    def add(block: bytes) -> None:
        nonlocal size
        digest.update(block)
        size += len(block)

    problem = _each_block(path, cap, add)
    return problem if problem is not None else (digest.hexdigest(), size)


def _each_block(path: Path | str, cap: int, take: Callable[[bytes], None]) -> str | None:
    """Feed the regular file at `path` to `take`, a block at a time; None, or why not."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        handle = os.open(path, flags)
    except OSError as exc:
        if not os.path.lexists(path):
            return "does not exist"
        return f"cannot be read ({exc.strerror or exc})"
    except ValueError:
        return "cannot be read (a NUL in its name)"
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            if stat.S_ISDIR(info.st_mode):
                return "is a folder, not a file"
            return "is not a regular file (a device, FIFO or socket)"
        if info.st_size > cap:
            return f"is over the {cap:,}-byte cap"
        left = cap + 1
        while left > 0:
            chunk = os.read(handle, min(left, 1 << 20))
            if not chunk:
                break
            left -= len(chunk)
            if left <= 0:
                return f"is over the {cap:,}-byte cap"
            take(chunk)
    except OSError as exc:
        return f"cannot be read ({exc.strerror or exc})"
    finally:
        os.close(handle)
    return None


MAX_DOCUMENT_BYTES = 16 * 1024 * 1024
MAX_ARCHIVE_BYTES = 64 * 1024 * 1024
"""The most archived text one ledger can make reconcile check, all documents
together (each file is read once; a file named by several documents counts
once per document, since each is checked in full)."""
MAX_NORMALISED_CHARS = MAX_DOCUMENT_BYTES
"""Quotes are compared after NFKC, which can make one character eighteen
(U+FDFA): an archived text may not grow past this many characters."""


class Budget:
    """The archived texts of one ledger: each file read once, each at most
    MAX_DOCUMENT_BYTES, all uses together at most MAX_ARCHIVE_BYTES (a file named
    by many documents is read once but checked in full for each, so each use
    counts)."""

    def __init__(self) -> None:
        self.read: dict[Path | str, tuple[str | None, str, int]] = {}
        self.left = MAX_ARCHIVE_BYTES

    @property
    def total(self) -> int:
        return MAX_ARCHIVE_BYTES

    def text(self, path: Path | str) -> tuple[str | None, str] | None:
        """The text at `path` (or None and why not), or None when over budget."""
        if path not in self.read:
            cap = min(MAX_DOCUMENT_BYTES, self.left)
            if self.left <= 0:
                return None
            text, problem, size = read_archived(path, cap)
            if text is None and problem.startswith("is over") and cap < MAX_DOCUMENT_BYTES:
                self.left = 0
                return None
            self.read[path] = (text, problem, size)
        text, problem, size = self.read[path]
        if size > self.left:
            self.left = 0
            return None
        self.left -= size
        return text, problem


def read_archived(path: Path | str, cap: int = MAX_DOCUMENT_BYTES) -> tuple[str | None, str, int]:
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
