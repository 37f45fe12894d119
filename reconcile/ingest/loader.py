"""The one module that reads YAML.

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

The parser behind it is PyYAML's libyaml event stream (pure-Python fallback
when libyaml is absent); the composer is iterative, so deep nesting cannot
exhaust the interpreter stack.

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
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from reconcile.core.issues import Issue, Location, error, unusable
from reconcile.core.readonly import ReadOnly
from reconcile.ingest.entry_lines import item_lines, same_data
from reconcile.ingest.fast import FAST_AVAILABLE, HALVES_FROM, read_fast, read_in_two
from reconcile.ingest.prescan import fast_safe
from reconcile.ingest.reader import (
    DEFAULT_MAX_BYTES,
    MAX_DEPTH,
    decode,
    read_capped,
    too_large,
)
from reconcile.ingest.scalars import plain_scalar

Key = str | int
KeyPath = tuple[Key, ...]
_Table = Mapping[KeyPath, tuple[int, int]]
Data = dict[str, Any] | list[Any] | str | int | float | bool | None
Same = Callable[["Loaded", str, int, Any], bool]
"""Whether data read again from the lines of entry `index` of a section of a file
is that entry as the ledger was built from it: what locating checks an entry of a
released file against (`Loaded.release`; ingest/origins.py `as_built`)."""

_STANDARD_TAGS = {
    "tag:yaml.org,2002:str",
    "tag:yaml.org,2002:int",
    "tag:yaml.org,2002:float",
    "tag:yaml.org,2002:bool",
    "tag:yaml.org,2002:null",
    "tag:yaml.org,2002:map",
    "tag:yaml.org,2002:seq",
    "!",
}


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
            composer = _Composer(name)
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
    composer = _Composer(loaded.path, first_line=first + 1)
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
    composer = _Composer(name)
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
        from reconcile.ingest.repeated_keys import read

        found = read(text, name, scanned=True)
        return None if found is None else Loaded(name, *found, text, Positions.later())
    return Loaded(name, data, (), text, Positions.later())


def _fail(name: str, issue: Issue) -> Loaded:
    return Loaded(name, None, (issue,))


@dataclass(slots=True)
class _Frame:
    """A collection being built by the composer."""

    container: dict[str, Any] | list[Any]
    path: KeyPath
    pending_key: tuple[str, tuple[int, int]] | None = None
    first_seen: dict[str, int] = field(default_factory=dict)
    skip_value: bool = False


class _Composer:
    """Builds plain data from parser events, iteratively, with positions."""

    def __init__(self, name: str, first_line: int = 1) -> None:
        self.name = name
        self.first_line = first_line  # of the text it reads, in its file
        self.issues: list[Issue] = []
        self.values: dict[KeyPath, tuple[int, int]] = {}
        self.keys: dict[KeyPath, tuple[int, int]] = {}

    def _where(self, mark: Any) -> tuple[int, int]:
        """A parser mark's line and column (from 1) in the file."""
        return (mark.line + self.first_line, mark.column + 1)

    def at(self, mark: Any) -> Location:
        return Location(self.name, *self._where(mark))

    def run(self, text: str) -> Data:
        data = self._run(text, _events(text))
        if self.issues and self.issues[-1].check == "yaml-syntax" and _libyaml():
            # libyaml refuses deep flow nesting itself (PyYAML 6.0.4: past 1,000
            # levels, scanning ahead of the events we cap at MAX_DEPTH), with its
            # own wording.  The pure-Python parser reads lazily and reaches our
            # cap: if that is the problem, report it located, as ours.
            again = _Composer(self.name)
            again._run(text, _events(text, pure=True))
            if again.issues and again.issues[-1].check == "yaml-too-deep":
                self.issues = again.issues
        return data

    def _run(self, text: str, events: Iterator[Any]) -> Data:
        import yaml

        try:
            return self._compose(events)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = self.at(mark) if mark is not None else Location(self.name, 1, 1)
            problem = exc.problem or exc.context or "the YAML could not be parsed"
            if "nesting depth" in problem:
                # PyYAML >= 6.0.3 stops deep flow nesting while it scans ahead,
                # before the composer sees the level it refuses: point at it
                self.issues.append(
                    unusable(
                        "yaml-too-deep",
                        f"nesting deeper than {MAX_DEPTH} levels",
                        self._too_deep_at(text) or where,
                    )
                )
                return None
            hint = "indent with spaces; YAML allows no tabs there" if "tab" in problem else None
            self.issues.append(unusable("yaml-syntax", f"invalid YAML: {problem}", where, hint))
        except yaml.YAMLError as exc:
            self.issues.append(
                unusable("yaml-syntax", f"invalid YAML: {exc}", Location(self.name, 1, 1))
            )
        return None

    def _too_deep_at(self, text: str) -> Location | None:
        """Where flow brackets first open a level deeper than MAX_DEPTH."""
        depth, line, column = 0, 1, 0
        for char in text:
            column += 1
            if char == "\n":
                line, column = line + 1, 0
            elif char in "[{":
                depth += 1
                if depth > MAX_DEPTH:
                    return Location(self.name, line, column)
            elif char in "]}":
                depth = max(0, depth - 1)
        return None

    def _compose(self, events: Iterator[Any]) -> Data:
        import yaml

        stack: list[_Frame] = []
        root: Data = None
        documents = 0
        for event in events:
            kind = type(event)
            if kind is yaml.DocumentStartEvent:
                documents += 1
                if documents > 1:
                    self.issues.append(
                        unusable(
                            "yaml-multiple-documents",
                            "the file holds more than one YAML document; a ledger is one document",
                            self.at(event.start_mark),
                            hint="remove the '---' line or split the file and use include:",
                        )
                    )
                    return None
                continue
            if kind in (yaml.StreamStartEvent, yaml.StreamEndEvent, yaml.DocumentEndEvent):
                continue
            if kind is yaml.AliasEvent:
                self.issues.append(
                    unusable(
                        "yaml-alias",
                        f"aliases (*{event.anchor}) are not allowed in a ledger",
                        self.at(event.start_mark),
                        hint="write the value out in full",
                    )
                )
                return None
            if kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
                done = stack.pop()
                if not stack:
                    root = done.container
                continue
            if not self._tag_ok(event):
                return None
            if kind is yaml.ScalarEvent:
                value = plain_scalar(event)
                if stack and self._place(stack[-1], value, event):
                    continue
                if not stack:
                    root = value
                    self.values[()] = self._where(event.start_mark)
                continue
            # a mapping or sequence starts
            container: dict[str, Any] | list[Any] = {} if kind is yaml.MappingStartEvent else []
            if len(stack) >= MAX_DEPTH:
                self.issues.append(
                    unusable(
                        "yaml-too-deep",
                        f"nesting deeper than {MAX_DEPTH} levels",
                        self.at(event.start_mark),
                    )
                )
                return None
            if stack:
                parent = stack[-1]
                if isinstance(parent.container, dict) and parent.pending_key is None:
                    self.issues.append(
                        unusable(
                            "yaml-complex-key",
                            "a mapping key must be plain text, not a list or mapping",
                            self.at(event.start_mark),
                        )
                    )
                    return None
                path = self._attach(parent, container, event)
            else:
                path = ()
                self.values[()] = self._where(event.start_mark)
            stack.append(_Frame(container, path))
        return root

    def _tag_ok(self, event: Any) -> bool:
        tag = getattr(event, "tag", None)
        if tag is None or tag in _STANDARD_TAGS:
            return True
        self.issues.append(
            unusable(
                "yaml-tag",
                f"the tag {tag} is not allowed in a ledger",
                self.at(event.start_mark),
                hint="remove the tag; ledger values are plain text, numbers and lists",
            )
        )
        return False

    def _place(self, frame: _Frame, value: Any, event: Any) -> bool:
        """Put a scalar into the collection on top of the stack."""
        position = self._where(event.start_mark)
        container = frame.container
        if isinstance(container, list):
            self.values[(*frame.path, len(container))] = position
            container.append(value)
            return True
        if frame.pending_key is None:
            key = "" if value is None else str(value)
            path = (*frame.path, key)
            if key in frame.first_seen:
                self.issues.append(
                    error(
                        "duplicate-key",
                        f"duplicate key '{key}' (first at line {frame.first_seen[key]}); "
                        "the first value is kept",
                        self.at(event.start_mark),
                        hint="remove one of the two entries",
                    )
                )
                frame.skip_value = True
            else:
                frame.first_seen[key] = position[0]
                self.keys[path] = position
            frame.pending_key = (key, position)
            return True
        self._attach(frame, value, event)
        return True

    def _attach(self, frame: _Frame, value: Any, event: Any) -> KeyPath:
        """Store a value under the pending key (or append to a list); return its path."""
        position = self._where(event.start_mark)
        container = frame.container
        if isinstance(container, list):
            path: KeyPath = (*frame.path, len(container))
            container.append(value)
        else:
            assert frame.pending_key is not None
            key = frame.pending_key[0]
            path = (*frame.path, key)
            frame.pending_key = None
            if frame.skip_value:
                frame.skip_value = False
                return (*path, "\x00duplicate")
            container[key] = value
        self.values[path] = position
        return path


def _libyaml() -> bool:
    import yaml

    return hasattr(yaml, "CSafeLoader")


def _events(text: str, *, pure: bool = False) -> Iterator[Any]:
    import yaml

    # libyaml when built with it
    loader = yaml.SafeLoader(text) if pure else getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    try:
        while loader.check_event():
            yield loader.get_event()
    finally:
        loader.dispose()
