"""The one safe reader of input files: a size cap checked before reading, folders
refused, UTF-8 required (UTF-16/32 marks and NUL bytes named), every failure an
`Issue` with a location, never an exception."""

from __future__ import annotations

import codecs
from pathlib import Path

from reconcile.core.issues import Issue, Location, unusable
from reconcile.ingest.confine import read_regular

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
        with path.open("rb") as handle:
            # a read of the cap would allocate the cap; a file that grew since
            # stat() is read on, up to the cap
            raw = handle.read(size + 1)
            if len(raw) > size:
                raw += handle.read(max_bytes + 1 - len(raw))
    except OSError as exc:
        return unusable("read", f"cannot read the file: {exc.strerror or exc}", here)
    if len(raw) > max_bytes:
        return too_large(len(raw), max_bytes, here)
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
            _offset_location(raw, nul, name),
        )
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return unusable(
            "encoding",
            f"byte 0x{raw[exc.start]:02x} is not valid UTF-8; a ledger must be UTF-8",
            _offset_location(raw, exc.start, name),
            hint="re-save the file as UTF-8",
        )


def _offset_location(raw: bytes, offset: int, name: str) -> Location:
    line = raw.count(b"\n", 0, offset) + 1
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", "replace")) + 1
    return Location(name, line, column)
