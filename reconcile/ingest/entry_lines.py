"""Where each entry of a ledger file stands, read from its lines alone.

The fast path (ingest/loader.py) reads a file without positions.  When an
issue inside one entry must be located, the loader composes that entry's
lines only: `item_lines` finds where the items of a top-level block sequence
start, by their `- ` at one indentation, and `same_data` lets the loader take
the entry's positions only when its lines give exactly the entry's data (once
the data is released, ingest/origins.py `as_built` checks them instead).
"""

from __future__ import annotations

import math
from typing import Any

_OTHER_BREAKS = ("\x85", "\u2028", "\u2029")
"""Line breaks to YAML 1.1 (so to the composer's line numbers) beside \\n."""


def item_lines(text: str, section: str) -> list[tuple[int, int]] | None:
    """Where the items of the top-level block sequence `section:` start, as
    (0-based line, offset in `text`), and last where the section ends; None
    when the section is not one plain `section:` line followed by `- ` items at
    one indentation, or the text breaks lines other than with \\n.

    A line inside a block scalar is indented deeper than its item's `- `, so it
    cannot look like one; a quoted scalar's continuation line might, which gives
    an item too many: the loader then finds the count wrong and gives up."""
    if any(other in text for other in _OTHER_BREAKS):
        return None
    starts: list[tuple[int, int]] = []
    head: int | None = None
    indent: str | None = None
    offset = 0
    for number, line in enumerate(text.split("\n")):
        at, offset = offset, offset + len(line) + 1
        if head is None:
            if line.rstrip() == f"{section}:":
                head = number
            continue
        stripped = line.lstrip(" ")
        if not stripped or stripped.startswith("#"):
            continue
        if line[0] != " ":
            if line[0] == "-":
                return None  # items at column 0: not the layout read here
            if line.rstrip() == f"{section}:":
                return None  # twice: the composer reports it
            starts.append((number, at))
            return starts if len(starts) > 1 else None
        if stripped.startswith("- ") or stripped == "-":
            margin = line[: len(line) - len(stripped)]
            if indent is None:
                indent = margin
            if margin == indent:
                starts.append((number, at))
    if head is None or not starts:
        return None
    starts.append((text.count("\n") + 1, len(text)))
    return starts


def same_data(a: Any, b: Any) -> bool:
    """Equality that tells bool from int and int from float (nan equals nan)."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(same_data(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same_data(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)
