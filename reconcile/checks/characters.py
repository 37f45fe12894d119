"""Characters that mislead a reader: look-alike ids, bidirectional and other controls.

- `lookalike-id` (warning): two ids of one section that differ only by
  characters that look alike (`officia1s` and `officials`, `rn` and `m`,
  `O` and `0`).  Ids are ASCII (models.ID_PATTERN), so the skeleton is the
  ASCII part of Unicode's confusables (UTS #39, confusables.txt: `0`→`O`,
  `1`/`I`→`l`, `rn`→`m`), then case folded: two ids a reader cannot tell
  apart on a page are one mistake away from a wrong claimant.
- `bidi-control` (warning): a bidirectional formatting character (U+202A–202E,
  U+2066–2069, U+200E/200F, U+061C) anywhere in a ledger file; it can make
  text display in an order other than the one it is read in ("Trojan Source").
  In ids they are refused already (`bad-id`); reports print them escaped.
- `control-character` (warning): a C0 control other than tab and line feed
  (carriage return and ESC included), DEL, a C1 control, or a line or
  paragraph separator (U+2028, U+2029) in a text of the ledger: a name, a
  quote, a note, a figure's words.  YAML refuses them written raw, so each was
  written as an escape in a double-quoted text (`"\\e"`, `"\x1b"`, `"\f"`, often
  from a scraped page or PDF); a terminal, a diff or a web page shows none of
  them, and `\f` or `\v` read as a space in a figure's words.  Reports print
  them escaped.  Located at the escape that writes the first of them in each text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

from pydantic import BaseModel

from reconcile.checks.context import Context
from reconcile.core.escape import BIDI
from reconcile.core.issues import Issue, Location, warning
from reconcile.ingest.composer import Key
from reconcile.ingest.loader import Loaded

MAX_BIDI_PER_FILE = 20
"""Bidi warnings per file: the first ones locate the problem; the rest repeat it."""

_BIDI_IN_FILE = re.compile(
    BIDI.pattern[:-1]
    + r"\\](?:(?<=\\)(?:u|U0000)(?:202[a-eA-E]|206[6-9]|200[eEfF]|061[cC])|(?<!\\))"
)
"""A bidi control as the file holds it: raw, or as a YAML escape (`\u202e`).

One character class opens the pattern (a bidi control or a backslash, which must
then open such an escape), so the scan skips to the next candidate in C: a third
of the time of the plain alternation, `[controls]|\\(?:u|U0000)(?:...)`, that
tests/test_checks_fast.py keeps as the reference."""

MAX_CONTROLS_PER_FILE = 20
"""Control-character warnings per file, as MAX_BIDI_PER_FILE."""

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")
"""The characters `control-character` reports: C0 but tab and line feed, DEL, C1,
and the line and paragraph separators."""

_CONTROL_ESCAPE = re.compile(r"\\(?:[0abvfreNLP]|x[0-9a-fA-F]{2}|u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8})")
"""An escape that may write such a character in a double-quoted YAML text: a file
with none holds none of them (YAML refuses them raw), and its texts are not read."""

_SIMPLE_ESCAPES = {
    "0": "\x00", "a": "\x07", "b": "\x08", "t": "\t", "\t": "\t", "n": "\n", "v": "\x0b",
    "f": "\x0c", "r": "\r", "e": "\x1b", " ": " ", '"': '"', "/": "/", "\\": "\\",
    "N": "\x85", "_": "\xa0", "L": "\u2028", "P": "\u2029",
}  # fmt: skip
"""YAML 1.2's one-character escapes in a double-quoted text, and what each writes."""
_HEX_ESCAPES = {"x": 2, "u": 4, "U": 8}

_SKELETON = str.maketrans({"0": "O", "1": "l", "I": "l"})


def skeleton(identifier: str) -> str:
    """What an id looks like: case folded, look-alike characters made one."""
    return identifier.translate(_SKELETON).casefold().replace("rn", "m")


def check(context: Context) -> list[Issue]:
    """Look-alike ids in the ledger, bidi controls in each of its files (`context.files`)."""
    ledger, where = context.ledger, context.origins
    issues: list[Issue] = []
    for section in ("sources", "documents", "estimates"):
        first: dict[str, tuple[str, object]] = {}
        for entry in getattr(ledger, section):
            shape = skeleton(entry.id)
            seen = first.setdefault(shape, (entry.id, entry))
            if seen[0] != entry.id:
                issues.append(
                    warning(
                        "lookalike-id",
                        f"{section[:-1]} id '{entry.id}' looks like '{seen[0]}' "
                        f"({where.at(seen[1], 'id')}): they differ only by "
                        "characters that look alike",
                        where.at(entry, "id"),
                        hint="give entries ids that a reader can tell apart",
                    )
                )
    for loaded in context.files:
        issues.extend(_bidi(loaded))
    if any(_escapes(loaded.text) for loaded in context.files):
        issues.extend(_controls(context))
    return issues


def _escapes(text: str) -> bool:
    """Whether `text` holds an escape that may write a control character: one not
    itself escaped (`\\\\e` is a backslash and an e).  The texts of a file with none are
    not read (at 10,000 estimates, reading them all takes about 0.13 s)."""
    for match in _CONTROL_ESCAPE.finditer(text):
        window = text[max(0, match.start() - 64) : match.start()]
        if (len(window) - len(window.rstrip("\\"))) % 2 == 0:  # backslashes before it
            return True
    return False


def _controls(context: Context) -> list[Issue]:
    """A `control-character` warning for each text of the ledger that holds one."""
    ledger, where = context.ledger, context.origins
    found: list[Issue] = []
    per_file: dict[str, int] = {}
    places: list[tuple[Location, str]] = [
        (where.top(name), value)
        for name in ("title", "subject")
        if isinstance(value := getattr(ledger, name), str) and CONTROL.search(value)
    ]
    for section in ("sources", "documents", "estimates"):
        for entry in getattr(ledger, section):
            places.extend((where.at(entry, *path), text) for path, text in _texts(entry))
    for at, text in places:
        if per_file.get(at.path, 0) == MAX_CONTROLS_PER_FILE:
            continue
        per_file[at.path] = per_file.get(at.path, 0) + 1
        char = CONTROL.search(text)
        assert char is not None
        found.append(
            warning(
                "control-character",
                f"a control character ({_name(char.group())}) in this text: terminals, "
                "diffs and web pages do not show it",
                _escape_at(context.files, at, char.group()),
                hint="remove it (or write the character it stands for); reports show it escaped",
            )
        )
    return found


def _texts(entry: BaseModel) -> list[tuple[tuple[Key, ...], str]]:
    """Every text in an entry that holds a control character, with its path: its
    strings, and its figures' and dates' words (their `text`)."""
    found: list[tuple[tuple[Key, ...], str]] = []
    stack: list[tuple[tuple[Key, ...], Any]] = [((), entry)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, str):
            if CONTROL.search(value):
                found.append((path, value))
        elif isinstance(value, BaseModel):
            stack.extend(((*path, name), item) for name, item in value.__dict__.items())
        elif isinstance(value, tuple | list):
            stack.extend(((*path, index), item) for index, item in enumerate(value))
        elif isinstance(value, dict):
            stack.extend(((*path, str(key)), item) for key, item in value.items())
        elif isinstance(text := getattr(value, "text", None), str):  # a Figure, a DateSpan
            stack.append((path, text))
    return found


def _escape_at(files: Sequence[Loaded], at: Location, char: str) -> Location:
    """Where, in the double-quoted text that starts at `at`, the escape writing `char`
    first stands; `at` itself when the text is not written so (or cannot be read)."""
    loaded = next((f for f in files if f.path == at.path), None)
    if loaded is None or at.line < 1:
        return at
    start = _offset(loaded.text, at.line, at.column)
    if start is None or loaded.text[start : start + 1] != '"':
        return at
    text, i = loaded.text, start + 1
    while i < len(text) and text[i] != '"':
        if text[i] != "\\":
            i += 1
            continue
        letter = text[i + 1 : i + 2]
        width = _HEX_ESCAPES.get(letter)
        if width is not None:
            digits = text[i + 2 : i + 2 + width]
            written = chr(int(digits, 16)) if len(digits) == width else ""
            end = i + 2 + width
        else:
            written, end = _SIMPLE_ESCAPES.get(letter, ""), i + 2
        if written == char:
            line = text.count("\n", 0, i) + 1
            return Location(at.path, line, i - text.rfind("\n", 0, i))
        i = end
    return at


def _offset(text: str, line: int, column: int) -> int | None:
    """The offset of (line, column), both from 1, in `text`."""
    start = 0
    for _ in range(line - 1):
        start = text.find("\n", start) + 1
        if start == 0:
            return None
    return start + column - 1


def _bidi(loaded: Loaded) -> list[Issue]:
    found: list[Issue] = []
    for match in _BIDI_IN_FILE.finditer(loaded.text):
        if len(found) == MAX_BIDI_PER_FILE:
            break
        at = match.start()
        line = loaded.text.count("\n", 0, at) + 1
        column = at - (loaded.text.rfind("\n", 0, at) + 1) + 1
        found.append(
            warning(
                "bidi-control",
                f"a bidirectional control character ({_name(match.group())}): the "
                "text may display in another order than it is read",
                Location(loaded.path, line, column),
                hint="remove it; reports show it escaped",
            )
        )
    return found


def _name(found: str) -> str:
    return f"U+{ord(found):04X}" if len(found) == 1 else f"U+{found[-4:].upper()}"
