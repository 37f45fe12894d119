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
computed lazily: `Loaded.locate` runs the composer once, only when an issue
must be located.  tests/test_loader_fast.py proves both paths give the same
data (hypothesis and the whole YAML test suite).
"""

from __future__ import annotations

import bisect
import codecs
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reconcile.issues import Issue, Location, error, unusable

if TYPE_CHECKING:
    import yaml

DEFAULT_MAX_BYTES = 256 * 1024 * 1024  # about 3x a 100,000-estimate ledger
MAX_DEPTH = 64
MAX_INT_DIGITS = 18

Key = str | int
KeyPath = tuple[Key, ...]
Data = dict[str, Any] | list[Any] | str | int | float | bool | None

_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)\Z")
_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|(?:0|[1-9][0-9]*)(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_SPECIAL_FLOATS = {
    ".inf": float("inf"),
    "+.inf": float("inf"),
    "-.inf": float("-inf"),
    ".nan": float("nan"),
}
_BOOLS = {"true": True, "false": False}
_NULLS = {"", "~", "null"}
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

_yaml_rs: Any
try:
    import yaml_rs

    _yaml_rs = yaml_rs
except ImportError:  # pragma: no cover - the fast path is optional
    _yaml_rs = None
FAST_AVAILABLE = _yaml_rs is not None

FAST_ENV = "RECONCILE_YAML_FAST"
"""Set to 0 to always use the composer (benchmarks use it to time both paths)."""


@dataclass(frozen=True, slots=True)
class Loaded:
    """What a file held: its data (None when unusable), positions and problems."""

    path: str
    data: Data
    issues: tuple[Issue, ...]
    text: str = ""
    values: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    keys: dict[KeyPath, tuple[int, int]] = field(default_factory=dict)
    lazy: bool = False
    """Positions not computed yet (fast path): `locate` computes them once."""

    @property
    def usable(self) -> bool:
        return not any(issue.unusable for issue in self.issues)

    def _positions(self) -> None:
        """Fill `values` and `keys` by running the composer over the text, once."""
        if self.lazy and not self.values:
            composer = _Composer(self.path)
            composer.run(self.text)
            self.values.update(composer.values)
            self.keys.update(composer.keys)

    def locate(self, path: KeyPath, *, key: bool = False) -> Location:
        """Where the value (or, with `key`, the key) at `path` stands.

        Falls back to the nearest enclosing node that exists, so a missing
        field points at the mapping that lacks it.
        """
        self._positions()
        table = self.keys if key else self.values
        probe = tuple(path)
        if probe in table:
            line, column = table[probe]
            return Location(self.path, line, column)
        while probe:
            probe = probe[:-1]
            if probe in self.values:
                line, column = self.values[probe]
                return Location(self.path, line, column)
        return Location(self.path, 1, 1)


def load_file(
    path: Path, *, max_bytes: int = DEFAULT_MAX_BYTES, display: str | None = None
) -> Loaded:
    """Read and parse one ledger file; never raises for bad input."""
    name = display if display is not None else str(path)
    here = Location(name, 0, 0)
    try:
        if path.is_dir():
            return _fail(name, unusable("read", "is a directory, not a ledger file", here))
        size = path.stat().st_size
        if size > max_bytes:
            return _fail(name, _too_large(size, max_bytes, here))
        with path.open("rb") as handle:
            raw = handle.read(max_bytes + 1)
    except OSError as exc:
        return _fail(name, unusable("read", f"cannot read the file: {exc.strerror or exc}", here))
    if len(raw) > max_bytes:
        return _fail(name, _too_large(len(raw), max_bytes, here))
    return load_bytes(raw, name)


def load_bytes(raw: bytes, name: str, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Loaded:
    """Decode and parse the bytes of one ledger file."""
    if len(raw) > max_bytes:
        return _fail(name, _too_large(len(raw), max_bytes, Location(name, 0, 0)))
    text_or_issue = _decode(raw, name)
    if isinstance(text_or_issue, Issue):
        return _fail(name, text_or_issue)
    return load_text(text_or_issue, name)


def load_text(text: str, name: str) -> Loaded:
    """Parse YAML text into data and positions."""
    fast = _fast_load(text, name)
    if fast is not None:
        return fast
    composer = _Composer(name)
    data = composer.run(text)
    return Loaded(name, data, tuple(composer.issues), text, composer.values, composer.keys)


@cache
def _dumper() -> type[yaml.SafeDumper]:
    """safe_dump's dumper, but a string this loader would read as something else is quoted.

    PyYAML quotes by the YAML 1.1 rules; this loader reads YAML 1.2 scalars,
    which differ at the edges ("1e3" is a number in 1.2, text in 1.1).  Lists
    are indented under their key, as in the shipped ledger.  Built on first
    use: PyYAML is imported only when a command writes YAML or the composer
    runs (the yaml-rs fast path reads most ledgers without it).
    """
    import yaml

    class Dumper(yaml.SafeDumper):
        def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
            super().increase_indent(flow, False)

    Dumper.add_representer(str, _represent_str)
    return Dumper


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    node: yaml.ScalarNode = dumper.represent_str(value)
    plain = _ScalarProbe(value)
    if any(char in _BREAKS or not (char.isprintable() or char == "\n") for char in value):
        node.style = '"'  # escaped: PyYAML folds these wrongly in other styles
    elif "::" in value or "##[" in value:
        node.style = '"'  # escapable, should dump_yaml need to defeat a workflow command
    elif node.style is None and _scalar(plain) != value:
        node.style = "'"
    return node


_BREAKS = frozenset("\x85\u2028\u2029\r\t")


class _ScalarProbe:
    """Just enough of a ScalarEvent for `_scalar` to type a plain scalar."""

    def __init__(self, value: str) -> None:
        self.value = value
        self.implicit = (True, False)
        self.tag = None


DUMP_WIDTH = 88


def dump_yaml(data: Any) -> str:
    """Plain data as block-style YAML that `load_text` reads back to the same data.

    Keys keep their order, Unicode is written as is, long strings fold at
    `DUMP_WIDTH`, and strings that would read back as numbers, booleans or null
    are quoted.  The only place reconcile writes YAML.
    """
    import yaml

    text: str = yaml.dump(
        data,
        Dumper=_dumper(),
        sort_keys=False,
        allow_unicode=True,
        width=DUMP_WIDTH,
        default_flow_style=False,
    )
    from reconcile.escape import under_github

    return _workflow_safe_yaml(text) if under_github() else text


_WORKFLOW_LINE = re.compile(r"^([ \t]*)::", re.MULTILINE)


def _workflow_safe_yaml(text: str) -> str:
    """YAML with no GitHub Actions workflow command in it, reading back the same.

    Strings holding `::` or `##[` are double-quoted (`_represent_str`), and
    PyYAML breaks lines only at spaces, so both can only stand inside a
    double-quoted scalar, where an escape means the same character."""
    return _WORKFLOW_LINE.sub(r"\1\\x3a:", text.replace("##[", "#\\x23["))


# Anything yaml-rs could read differently from the composer sends the text to
# the composer.  The pre-scan costs about what yaml-rs's parse does, so its
# searches are the cheapest that find the same (tests/test_loader_fast.py holds
# each to its regex form): plain string searches for rare characters
# (`_indicator_starts_token`, `_block_indicator_in_flow`, the brackets in
# `_fast_safe`), one bytes pass for the refused characters of an ASCII text
# (`_refused_characters`), and each remaining guard a separate regex (one
# alternation is slower).  A guard that starts with its rare character and
# looks behind for the common one lets the regex engine skip ahead:
# `:(?<=[\s\[{,]:)` finds what `[\s\[{,]:` finds, faster on a ledger full of spaces.
_REFUSED = re.compile(
    # characters libyaml refuses or reads as line breaks; tabs, carriage returns
    r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff\ud800-\udfff\ufffe\uffff\t\r]"
)
_PLAIN_ASCII = bytes(range(0x20, 0x7F)) + b"\n"
"""The ASCII characters `_REFUSED` lets through."""
_FAST_GUARDS = (
    # a directive or document marker; deep indentation or compact nesting,
    # on which yaml-rs can crash (the composer stops at MAX_DEPTH)
    re.compile(r"\n(?:%|---|\.\.\.|[ \-?:]{128})"),
    # a plain scalar starting with ':' (libyaml refuses it)
    re.compile(r":(?<=[\s\[{,]:)[^\s]"),
)
_INDICATORS = "!&*?@`"
"""A tag, anchor, alias, complex key or reserved indicator, when it starts a token."""


def _refused_characters(text: str) -> bool:
    """`_REFUSED.search(text)`: for ASCII text, one pass deleting the allowed bytes."""
    if text.isascii():
        return bool(text.encode("ascii").translate(None, _PLAIN_ASCII))
    return _REFUSED.search(text) is not None


def _indicator_starts_token(text: str) -> bool:
    r"""`re.search(r"[\s\[{,][!&*?@`]", text)`, by a string search per indicator (rare)."""
    for char in _INDICATORS:
        at = text.find(char, 1)
        while at >= 0:
            before = text[at - 1]
            if before.isspace() or before in "[{,":  # str.isspace is re's \s
                return True
            at = text.find(char, at + 1)
    return False


def _block_indicator_in_flow(text: str) -> bool:
    r"""`re.search(r"[\[{,][ ]*[|>]", text)`: a block scalar indicator inside a flow
    collection (libyaml refuses it), by a string search for '|' and '>'."""
    for char in "|>":
        at = text.find(char)
        while at >= 0:
            before = at - 1
            while before >= 0 and text[before] == " ":
                before -= 1
            if before >= 0 and text[before] in "[{,":
                return True
            at = text.find(char, at + 1)
    return False


# a block scalar header on the last line: an empty block scalar ends the text
_LAST_LINE_BLOCK = re.compile(r"(?:^|.*[\s\[{,])[|>][-+0-9]*[ ]*(?:#.*)?")
_FIRST_LINE = re.compile(r"%|---|\.\.\.|[!&*?@`]|:[^\s]|[ \-?:]{128}")
# a plain scalar yaml-rs types as a number and the composer keeps as text:
# leading zeros, 0x/0o/0b, digit separators, other spellings of .nan and .inf
# (a token after a space, line break, bracket or comma; the match starts after
# that character, which the look-behinds check: see _FAST_GUARDS)
_NUMBER_START = re.compile(
    r"[-+0-9.](?<=[ \n\[{,][-+0-9.])"
    r"(?:(?<=[-+])(?:0[0-9_oOxXbB]|[0-9]+_|\.[nNiI])"
    r"|(?<=0)[0-9_oOxXbB]|(?<=[0-9])[0-9]*_|(?<=\.)[nNiI])"
)
_NUMBER_SCALAR = re.compile(
    r"[-+]?(?:0[0-9_oOxXbB][0-9a-fA-F_.]*|[0-9]+_[0-9_.]*|\.(?:[nN][aA][nN]|[iI][nN][fF]))"
    r"(?:[eE][-+]?[0-9]+)?[ \t]*(?:$|[,\]}#]|:\s)",
    re.MULTILINE,
)
_FLOW_COLON = re.compile(r":(?![ ])")
_MAX_FAST_KEY = 1000  # libyaml refuses implicit keys over 1024 characters


def _fast_load(text: str, name: str) -> Loaded | None:
    """The data of `text` by yaml-rs, or None when the composer must read it.

    Returns data only when it is exactly what the composer would build; the
    positions are left for `Loaded.locate` to compute if they are ever needed.
    """
    if _yaml_rs is None or os.environ.get(FAST_ENV) == "0" or not _fast_safe(text):
        return None
    try:
        data = _yaml_rs.loads(text, parse_datetime=False)
    except BaseException as exc:  # yaml-rs errors and Rust panics alike
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return None
    if not isinstance(data, dict) or not _plain(data):
        return None
    return Loaded(name, data, (), text, lazy=True)


def _fast_safe(text: str) -> bool:
    """Whether nothing in `text` could make yaml-rs differ from the composer."""
    if (
        _FIRST_LINE.match(text)
        or _refused_characters(text)
        or _indicator_starts_token(text)
        or any(guard.search(text) for guard in _FAST_GUARDS)
        or _block_indicator_in_flow(text)
    ):
        return False
    if text.endswith(" ") and text.rstrip(" ").endswith("\n"):
        return False  # spaces after the last line break: block scalars keep them differently
    if not text.endswith("\n") and ("|" in text or ">" in text):
        return False  # a block scalar's last line break is kept differently
    tail = text.rstrip(" \n")
    if _LAST_LINE_BLOCK.fullmatch(tail, tail.rfind("\n") + 1):
        return False
    flow_lines: list[tuple[int, int]] = []  # (start, end) of each line with a bracket
    brackets = {"[": text.find("["), "{": text.find("{")}  # the next of each, or -1
    at = min((found for found in brackets.values() if found >= 0), default=-1)
    while at >= 0:
        start, end = _line_at(text, at)
        line = text[start:end]
        if line.count("[") + line.count("{") != line.count("]") + line.count("}"):
            return False  # a flow collection over several lines (or a stray bracket)
        if _FLOW_COLON.search(line):
            return False  # 'a:b' in a flow collection: libyaml refuses some of these
        flow_lines.append((start, end))
        for char, found in brackets.items():  # past this line, checked already
            if 0 <= found < end:
                brackets[char] = text.find(char, end)
        at = min((found for found in brackets.values() if found >= 0), default=-1)
    for match in _NUMBER_START.finditer(text):
        at = match.start() - 1  # the space, line break, bracket or comma before
        if not _NUMBER_SCALAR.match(text, at + 1):
            continue
        if text[at] == ",":
            # a comma ends a token only in a flow collection, all on one line here
            index = bisect.bisect_right(flow_lines, (at, len(text))) - 1
            if index >= 0 and flow_lines[index][0] <= at < flow_lines[index][1]:
                return False
            continue
        j = at
        while j >= 0 and text[j] == " ":
            j -= 1
        if j < 0 or text[j] in "\n:?-[{,":
            return False
    return True


def _line_at(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, end if end >= 0 else len(text)


def _plain(root: dict[str, Any]) -> bool:
    """Whether the composer would build the same: text keys, ints in range, depth capped."""
    stack: list[tuple[Any, int]] = [(root, 1)]
    limit = 10**MAX_INT_DIGITS
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            return False
        if isinstance(node, dict):
            for key in node:
                if type(key) is not str or len(key) > _MAX_FAST_KEY:
                    return False
            node = node.values()
        for value in node:
            if isinstance(value, dict | list):
                stack.append((value, depth + 1))
            elif type(value) is int and not -limit < value < limit:
                return False
    return True


def _fail(name: str, issue: Issue) -> Loaded:
    return Loaded(name, None, (issue,))


def _too_large(size: int, cap: int, where: Location) -> Issue:
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


def _decode(raw: bytes, name: str) -> str | Issue:
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

    def __init__(self, name: str) -> None:
        self.name = name
        self.issues: list[Issue] = []
        self.values: dict[KeyPath, tuple[int, int]] = {}
        self.keys: dict[KeyPath, tuple[int, int]] = {}

    def at(self, mark: Any) -> Location:
        return Location(self.name, mark.line + 1, mark.column + 1)

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
                value = _scalar(event)
                if stack and self._place(stack[-1], value, event):
                    continue
                if not stack:
                    root = value
                    self.values[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
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
                self.values[()] = (event.start_mark.line + 1, event.start_mark.column + 1)
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
        position = (event.start_mark.line + 1, event.start_mark.column + 1)
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
        position = (event.start_mark.line + 1, event.start_mark.column + 1)
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


def _scalar(event: Any) -> Any:
    """Type a scalar the YAML 1.2 core-schema way, minus octal and hex surprises."""
    value: str = event.value
    if not event.implicit[0] or event.tag in ("tag:yaml.org,2002:str", "!"):
        return value  # quoted, or tagged as text
    if event.tag == "tag:yaml.org,2002:int" and not _INT.match(value):
        return value
    lowered = value.lower()
    if lowered in _NULLS and value in ("", "~", "null", "Null", "NULL"):
        return None
    if lowered in _BOOLS and value in ("true", "True", "TRUE", "false", "False", "FALSE"):
        return _BOOLS[lowered]
    if _INT.match(value):
        if len(value.lstrip("+-")) > MAX_INT_DIGITS:
            return value
        return int(value)
    if _FLOAT.match(value):
        return float(value)
    if lowered in _SPECIAL_FLOATS and value in (lowered, lowered.upper(), lowered.title()):
        return _SPECIAL_FLOATS[lowered]
    return value
