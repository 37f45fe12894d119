"""The composer: YAML text to plain data, with the line and column of every key and
value, through PyYAML's event stream (libyaml when built with it, else its pure
Python parser), every problem a located `Issue`.

It is the loader's reference reader (ingest/loader.py): every file the fast
path will not take, every file whose positions are needed, and each entry read
alone to locate an issue inside it (`first_line`: where its lines start in
their file).  It is iterative, so deep nesting cannot exhaust the interpreter
stack, and holds the loader's hardening: YAML 1.2 core scalars
(ingest/scalars.py), duplicate keys reported (the first value kept), aliases
and tags other than the standard ones refused, nesting capped at `MAX_DEPTH`,
one document per file.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from reconcile.core.issues import Issue, Location, error, unusable
from reconcile.ingest.reader import MAX_DEPTH
from reconcile.ingest.scalars import plain_scalar

Key = str | int
KeyPath = tuple[Key, ...]
Data = dict[str, Any] | list[Any] | str | int | float | bool | None

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


@dataclass(slots=True)
class Frame:
    """A collection being built by the composer."""

    container: dict[str, Any] | list[Any]
    path: KeyPath
    pending_key: tuple[str, tuple[int, int]] | None = None
    first_seen: dict[str, int] = field(default_factory=dict)
    skip_value: bool = False


class Composer:
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
            again = Composer(self.name)
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

        stack: list[Frame] = []
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
            stack.append(Frame(container, path))
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

    def _place(self, frame: Frame, value: Any, event: Any) -> bool:
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

    def _attach(self, frame: Frame, value: Any, event: Any) -> KeyPath:
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
