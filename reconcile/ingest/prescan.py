"""The pre-scan of the yaml-rs fast path: whether a text holds anything yaml-rs
could read differently from the composer (then the composer reads it), and
whether the data yaml-rs built is what the composer would build."""

from __future__ import annotations

import bisect
import re
from typing import Any

from reconcile.ingest.reader import MAX_DEPTH, MAX_INT_DIGITS

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
# (a token after a space, line break, bracket or comma: see _FAST_GUARDS)
_NUMBER_SCALAR = re.compile(
    r"[-+]?(?:0[0-9_oOxXbB][0-9a-fA-F_.]*|[0-9]+_[0-9_.]*|\.(?:[nN][aA][nN]|[iI][nN][fF]))"
    r"(?:[eE][-+]?[0-9]+)?[ \t]*(?:$|[,\]}#]|:\s)",
    re.MULTILINE,
)
# where such a token starts, found from rarer characters than any digit: a minus, a
# plus, a zero, a dot (each a regex that starts on that one character, which the
# engine finds far faster than a class), and the digits before an underscore (walked
# back in Python); tests/test_loader_fast.py holds `_number_starts` to the one
# regex it replaced (`_NUMBER_START` there)
_SIGN_STARTS = tuple(
    re.compile(rf"\{sign}(?<=[ \n\[{{,]\{sign})(?:0[0-9_oOxXbB]|[0-9]+_|\.[nNiI])") for sign in "-+"
)
_ZERO_START = re.compile(r"0(?<=[ \n\[{,]0)[0-9_oOxXbB]")
_DOT_START = re.compile(r"\.(?<=[ \n\[{,]\.)[nNiI]")
_ASCII_DIGITS = frozenset("0123456789")
_FLOW_COLON = re.compile(r":(?![ ])")
_MAX_FAST_KEY = 1000  # libyaml refuses implicit keys over 1024 characters


def fast_safe(text: str) -> bool:
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
    for start in _number_starts(text):
        at = start - 1  # the space, line break, bracket or comma before
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


def _number_starts(text: str) -> list[int]:
    """Where such tokens start, in order (what one regex, tests/test_loader_fast.py's
    `_NUMBER_START`, finds), without trying a regex at every digit (half the
    pre-scan's time on a ledger full of numbers).  A match never holds a space,
    line break, bracket or comma, so no match hides the start of another, and the
    starts are the same however they are found."""
    starts = {
        match.start()
        for pattern in (*_SIGN_STARTS, _ZERO_START, _DOT_START)
        for match in pattern.finditer(text)
    }
    at = text.find("_")
    while at >= 0:  # a token of digits then '_' ('12_000'): its first digit
        first = at
        while first > 0 and text[first - 1] in _ASCII_DIGITS:
            first -= 1
        if 0 < first < at and text[first - 1] in " \n[{,":
            starts.add(first)
        at = text.find("_", at + 1)
    return sorted(starts)


def _line_at(text: str, offset: int) -> tuple[int, int]:
    start = text.rfind("\n", 0, offset) + 1
    end = text.find("\n", offset)
    return start, end if end >= 0 else len(text)


SHARED_MAX = 64
"""Strings up to this length are shared (keys, ids, names, dates, figures)."""
_AROUND = ("", "")
"""`text.join(_AROUND)` is a new string equal to `text` (`"" + text + ""`, built):
str methods return their own object wherever they can, this one never does."""
_FRESH_MAX = 512
"""Strings up to this length are copied (the rest live outside Python's small-object
arenas, where keeping yaml-rs's object fragments nothing)."""


def plain_shared(root: dict[str, Any]) -> dict[str, Any] | None:
    """Whether the composer would build the same data (text keys, ints in range,
    depth capped) and, if so, a copy of it with each short string held once: in
    one pass (the loader's fast path).  yaml-rs makes a new string for every key
    and value it reads, so a 100,000-estimate ledger held its keys ("id",
    "claimant", "quote", ...) and repeated values (ids, subjects, dates) a million
    times over; each mapping keeps its order.  tests/test_loader_fast.py holds it
    to its reference, a check (`_plain`) then a copy (`_shared`), both as first
    written; the per-value step is written out inline (a call per value was a
    third of the time).

    The copy keeps nothing of `root`: every string it holds is a new one (a short
    string once per distinct value), so once the caller drops `root` nothing of
    yaml-rs's tree stays alive.  Holding yaml-rs's strings (the first of each
    short one, every long one) pinned a few live objects in nearly every
    small-object arena of that tree: after loading 100,000 estimates, 220 MB of
    arenas held 101 MB, and a parallel validate's processes together peaked
    about 90 MB higher (checks/parallel.py).  The price: the tree and the copy
    are held together while the copy is made, and about 20 ms at 10,000."""
    limit = 10**MAX_INT_DIGITS
    held = _Held()  # held[text]: text's one new string
    out: dict[str, Any] = {}
    stack: list[tuple[Any, Any, int]] = [(root, out, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        node, into, depth = pop()
        if depth > MAX_DEPTH:
            return None
        if isinstance(node, dict):
            for key, item in node.items():
                if type(key) is not str or len(key) > _MAX_FAST_KEY:
                    return None
                value = item
                if type(value) is str:
                    if len(value) <= SHARED_MAX:
                        value = held[value]
                    elif len(value) <= _FRESH_MAX:
                        value = value.join(_AROUND)
                elif isinstance(value, dict | list):
                    copy: Any = {} if isinstance(value, dict) else []
                    push((value, copy, depth + 1))
                    value = copy
                elif type(value) is int and not -limit < value < limit:
                    return None
                into[held[key]] = value
        else:
            append = into.append
            for item in node:
                value = item
                if type(value) is str:
                    if len(value) <= SHARED_MAX:
                        value = held[value]
                    elif len(value) <= _FRESH_MAX:
                        value = value.join(_AROUND)
                elif isinstance(value, dict | list):
                    copy = {} if isinstance(value, dict) else []
                    push((value, copy, depth + 1))
                    value = copy
                elif type(value) is int and not -limit < value < limit:
                    return None
                append(value)
    return out


class _Held(dict[str, str]):
    """Each short string met -> one new string equal to it, made the first time
    (a subscript, in C when found: `plain_shared`'s step for every key and value)."""

    def __missing__(self, text: str) -> str:
        found = self[text] = text.join(_AROUND)
        return found
