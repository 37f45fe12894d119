"""The one way into YAML: a ledger file read into data, positions and issues.

It turns the bytes of a ledger file into plain Python data (dicts, lists,
str, int, float, bool, None) plus the line and column of every key and value,
and reports every problem as a located `Issue`.  Nothing here raises for bad
input.

Hardening, all of it deliberate:
- a size cap, checked before reading (`DEFAULT_MAX_BYTES`, configurable);
- UTF-8 only: a UTF-8 byte-order mark is skipped, UTF-16/32 and binary input
  are refused with a clear message, an invalid byte is located;
- YAML 1.2 core scalars: `no`, `on`, `1:30`, `012` and dates stay strings,
  only `true`/`false`, `null`/`~`, decimal integers and plain floats are typed;
- duplicate keys are errors (the first value is kept);
- aliases are refused (no alias bombs), tags other than the standard ones are
  refused (no object construction), nesting is capped at `MAX_DEPTH`;
- one document per file.

The reference reader behind it is the composer (ingest/composer.py): PyYAML's
libyaml event stream (pure-Python fallback when libyaml is absent), composed
iteratively, so deep nesting cannot exhaust the interpreter stack.

A fast path sits in front of it (`_fast_load`): when yaml-rs is installed and
a guarded pre-scan finds nothing it could read differently (tags, anchors,
aliases, directives, document markers, control characters, tabs, deep
nesting, numbers with leading zeros, ...), yaml-rs parses the text about ten
times faster than the composer.  Any exception, a root that is not a mapping,
or a key or number the composer would type differently sends the text to the
composer instead, which then reports the located error.  Positions are
computed lazily, only when an issue must be located: an issue inside an
entry (an item of `sources:`, `documents:`, `estimates:`) by composing that
entry's lines alone (ingest/entry_lines.py finds them; taken only if they give
exactly the entry's data, or once released, the entry as built: `release`),
anything else by composing the whole file once.  tests/test_loader_fast.py
proves both paths give the same data (hypothesis and the YAML test suite).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from reconcile.core.issues import Issue, Location
from reconcile.core.readonly import ReadOnly
from reconcile.ingest.composer import Composer, Data, KeyPath
from reconcile.ingest.entry_lines import item_lines, same_data
from reconcile.ingest.fast import FAST_AVAILABLE, HALVES_FROM, read_fast, read_in_two
from reconcile.ingest.prescan import fast_safe
from reconcile.ingest.reader import (
    DEFAULT_MAX_BYTES,
    decode,
    read_capped,
    too_large,
)

_Table = Mapping[KeyPath, tuple[int, int]]
Same = Callable[["Loaded", str, int, Any], bool]
"""Whether data read again from the lines of entry `index` of a section of a file
is that entry as the ledger was built from it: what locating checks an entry of a
released file against (`Loaded.release`; ingest/origins.py `as_built`)."""

FAST_ENV = "RECONCILE_YAML_FAST"
"""Set to 0 to always use the composer (benchmarks use it to time both paths)."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a file held: its data (None when unusable), positions and problems."""

    path: str
    data: Data
    """The file's data; None once `release`d."""
    issues: tuple[Issue, ...]
    text: str = ""
    positions: Positions = field(default_factory=lambda: Positions.known({}, {}))

    @property
    def usable(self) -> bool:
        return not any(issue.unusable for issue in self.issues)

    @property
    def lazy(self) -> bool:
        """Positions not computed yet (fast path): `locate` computes them once."""
        return not self.positions.computed

    @property
    def values(self) -> Mapping[KeyPath, tuple[int, int]]:
        """Where each value stands: (line, column) by key path."""
        return self.positions.tables(self.path, self.text)[0]

    @property
    def keys(self) -> Mapping[KeyPath, tuple[int, int]]:
        """Where each mapping key stands: (line, column) by key path."""
        return self.positions.tables(self.path, self.text)[1]

    @property
    def top_keys(self) -> tuple[str, ...]:
        """The keys of the file's top-level mapping, in order (also once released)."""
        if isinstance(self.data, dict):
            return tuple(key for key in self.data if isinstance(key, str))
        return self.positions.top

    def release(self, same: Same) -> None:
        """Let go of the file's data once a ledger is built from it (`data` is None
        from then on): at 100,000 estimates about 60 MB that nothing read after the
        build, in every process of a parallel validate.  Locating inside an entry
        of a file the fast path read still composes that entry's lines alone, and
        checks what they give with `same` (ingest/origins.py `as_built`) instead of
        against the data; what it cannot confirm, the whole file's tables locate.
        Not for a file whose data is read later (checks/cached.py keys by it)."""
        if isinstance(self.data, dict):
            self.positions.release(self.data, same)
        object.__setattr__(self, "data", None)  # frozen for everyone else

    def locate(self, path: KeyPath, *, key: bool = False) -> Location:
        """Where the value (or, with `key`, the key) at `path` stands.

        Falls back to the nearest enclosing node that exists, so a missing
        field points at the mapping that lacks it.
        """
        probe = tuple(path)
        if not self.positions.computed:
            found = self.positions.in_entry(self, probe, key=key)
            if found is not None:
                return found
        values, keys = self.positions.tables(self.path, self.text)
        table = keys if key else values
        if probe in table:
            line, column = table[probe]
            return Location(self.path, line, column)
        while probe:
            probe = probe[:-1]
            if probe in values:
                line, column = values[probe]
                return Location(self.path, line, column)
        return Location(self.path, 1, 1)


class Positions:
    """A file's positions, made once and read-only from then on: by the composer
    as it reads, or, for a file the fast path read, by the composer on first use
    (a clean ledger never pays for them)."""

    __slots__ = ("_counts", "_entries", "_items", "_same", "_tables", "top")

    def __init__(self, tables: tuple[_Table, _Table] | None) -> None:
        self._tables = tables
        self._items: dict[str, list[tuple[int, int]] | None] = {}
        self._entries: dict[tuple[str, int], tuple[_Table, _Table] | None] = {}
        self._same: Same | None = None
        self._counts: dict[str, int] = {}
        self.top: tuple[str, ...] = ()
        """A released file's top-level keys (`Loaded.top_keys`)."""

    def __getstate__(self) -> tuple[Any, ...]:
        """Pickled without `same` (a closure over the ledger): unpickled, an entry of
        a released file is located by the whole file's tables."""
        return self._tables, self._items, self._entries, None, self._counts, self.top

    def __setstate__(self, state: tuple[Any, ...]) -> None:
        self._tables, self._items, self._entries, self._same, self._counts, self.top = state

    def release(self, data: dict[str, Any], same: Same) -> None:
        """What locating needs of a file's data once it is let go: its top-level
        keys, the length of each top-level list, and `same` (`Loaded.release`)."""
        self.top = tuple(key for key in data if isinstance(key, str))
        self._counts = {key: len(value) for key, value in data.items() if isinstance(value, list)}
        self._same = same

    @classmethod
    def known(
        cls, values: dict[KeyPath, tuple[int, int]], keys: dict[KeyPath, tuple[int, int]]
    ) -> Positions:
        return cls((ReadOnly(values), ReadOnly(keys)))

    @classmethod
    def later(cls) -> Positions:
        return cls(None)

    @property
    def computed(self) -> bool:
        return self._tables is not None

    def tables(self, name: str, text: str) -> tuple[_Table, _Table]:
        """(values, keys); the first call on a `later` file runs the composer over `text`."""
        if self._tables is None:
            composer = Composer(name)
            composer.run(text)
            self._tables = (ReadOnly(composer.values), ReadOnly(composer.keys))
        return self._tables

    def in_entry(self, loaded: Loaded, path: KeyPath, *, key: bool) -> Location | None:
        """Where `path` stands, found by reading only the entry it is in (item
        `path[1]` of the top-level list `path[0]`), as `Loaded.locate` would find
        it in the whole file's tables; None when that cannot be had this way
        (not inside an entry, the file not laid out in block style, the entry's
        lines not giving exactly its data), and the whole file must be read."""
        if len(path) < 2 or not isinstance(path[0], str) or type(path[1]) is not int:
            return None
        tables = self._entry(loaded, path[0], path[1])
        if tables is None:
            return None
        values, keys = tables
        table = keys if key else values
        probe = path
        if probe in table:
            line, column = table[probe]
            return Location(loaded.path, line, column)
        while len(probe) > 2:
            probe = probe[:-1]
            if probe in values:
                line, column = values[probe]
                return Location(loaded.path, line, column)
        return None  # the entry itself as a key: the whole file's tables say

    def _entry(self, loaded: Loaded, section: str, index: int) -> tuple[_Table, _Table] | None:
        if (section, index) in self._entries:
            return self._entries[section, index]
        data, found = loaded.data, None
        if data is None and self._same is not None:  # released: checked against the entry as built
            count = self._counts.get(section, -1)
            if 0 <= index < count:
                same = partial(self._same, loaded, section, index)
                found = _entry_tables(
                    loaded, (section, index, count), self._starts(loaded, section), same
                )
        elif (
            isinstance(data, dict)
            and isinstance(items := data.get(section), list)
            and 0 <= index < len(items)
        ):
            same = partial(same_data, b=items[index])
            found = _entry_tables(
                loaded, (section, index, len(items)), self._starts(loaded, section), same
            )
        self._entries[section, index] = found
        return found

    def _starts(self, loaded: Loaded, section: str) -> list[tuple[int, int]] | None:
        if section not in self._items:
            self._items[section] = item_lines(loaded.text, section)
        return self._items[section]


def _entry_tables(
    loaded: Loaded,
    entry: tuple[str, int, int],
    starts: list[tuple[int, int]] | None,
    same: Callable[[Any], bool],
) -> tuple[_Table, _Table] | None:
    """The positions of entry `index` of `section` (`entry`: those and the number of
    items the data holds there), from the composer run over its lines alone; None
    unless the section has exactly `count` items and `same` confirms what those
    lines give is the entry (exactly its data, or, released, the entry as built)."""
    section, index, count = entry
    if starts is None or len(starts) != count + 1:
        return None
    (first, start), (_, end) = starts[index], starts[index + 1]
    composer = Composer(loaded.path, first_line=first + 1)
    data = composer.run(loaded.text[start:end])
    if composer.issues or not isinstance(data, list) or len(data) != 1:
        return None
    if not same(data[0]):
        return None
    values: dict[KeyPath, tuple[int, int]] = {}
    keys: dict[KeyPath, tuple[int, int]] = {}
    for table, into in ((composer.values, values), (composer.keys, keys)):
        for path, position in table.items():
            if path and path[0] == 0:
                into[(section, index, *path[1:])] = position
    return ReadOnly(values), ReadOnly(keys)


def load_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, display: str | None = None, jobs: int = 1
) -> Loaded:
    """Read and parse one ledger file (`jobs` > 1: ingest/fast.py); never raises."""
    name = display if display is not None else str(path)
    raw = read_capped(path, name, max_bytes)
    if isinstance(raw, Issue):
        return _fail(name, raw)
    text_or_issue = decode(raw, name)
    del raw  # not held while the text is parsed (the size of the file)
    if isinstance(text_or_issue, Issue):
        return _fail(name, text_or_issue)
    return load_text(text_or_issue, name, jobs=jobs)


def load_bytes(raw: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """Decode and parse the bytes of one ledger file."""
    if len(raw) > max_bytes:
        return _fail(name, too_large(len(raw), max_bytes, Location(name, 0, 0)))
    text_or_issue = decode(raw, name)
    if isinstance(text_or_issue, Issue):
        return _fail(name, text_or_issue)
    return load_text(text_or_issue, name)


def load_text(text: str, name: str, *, jobs: int = 1) -> Loaded:
    """Parse YAML text into data and positions."""
    fast = _fast_load(text, name, jobs)
    if fast is not None:
        return fast
    composer = Composer(name)
    data = composer.run(text)
    positions = Positions.known(composer.values, composer.keys)
    return Loaded(name, data, tuple(composer.issues), text, positions)


def _fast_load(text: str, name: str, jobs: int = 1) -> Loaded | None:
    """The data of `text` by yaml-rs, or None when the composer must read it.

    Returns data only when it is exactly what the composer would build; the
    positions are left for `Loaded.locate` to compute if they are ever needed.
    """
    if not FAST_AVAILABLE or os.environ.get(FAST_ENV) == "0":
        return None
    data = read_in_two(text) if jobs > 1 and len(text) >= HALVES_FROM else None
    if data is None:
        if not fast_safe(text):
            return None
        data = read_fast(text, scanned=True)
    if data is None:  # yaml-rs refused it: a key repeated inside an entry can still be read so
        from reconcile.ingest.repeated_keys import read  # noqa: PLC0415 (rarely needed)

        found = read(text, name, scanned=True)
        return None if found is None else Loaded(name, *found, text, Positions.later())
    return Loaded(name, data, (), text, Positions.later())


def _fail(name: str, issue: Issue) -> Loaded:
    return Loaded(name, None, (issue,))
