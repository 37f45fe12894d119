"""A ledger with a repeated key, read without the composer reading all of it.

A key written twice in one mapping (`as_of:` pasted twice into an estimate) is
an error the loader reports, located, keeping the first value.  yaml-rs refuses
such a text, and the composer used to read it whole: at 100,000 estimates, one
repeated key more than doubled `validate`'s time (16 s against 7) and took
940 MB.  `read` finds the same data and the same issues at the cost of about
two yaml-rs parses:

- yaml-rs reads the whole text keeping each first value
  (`DuplicateKeyPolicy.FirstWins`, the composer's rule), after the same
  pre-scan and copy as the fast path (ingest/fast.py);
- the items of `sources`, `documents` and `estimates` are found by their lines
  (ingest/entry_lines.py `item_lines`), and taken only where each section has
  exactly as many as the data holds;
- yaml-rs reads the text outside the items, and the items in groups, refusing
  repeated keys; a group it refuses is read item by item, and each item it
  refuses is read by the composer alone, from its own lines, which gives the
  issues at their lines in the file;
- each such item must give exactly the data yaml-rs kept for it, and only
  `duplicate-key` issues.

Anything else gives None, and the composer reads the whole text, as before.  A
repeated key can hide from this only by splitting across two items, which
moves an item start: the counts then differ.  tests/test_repeated_keys.py holds
it to the composer over generated, shipped and Economist ledgers with keys
repeated at random.
"""

from __future__ import annotations

from typing import Any

from reconcile.core.issues import Issue
from reconcile.core.models import SECTIONS
from reconcile.ingest.composer import Composer
from reconcile.ingest.entry_lines import item_lines, same_data
from reconcile.ingest.fast import FAILED, FAST_AVAILABLE, parsed
from reconcile.ingest.prescan import fast_safe, plain_shared

GROUP = 64
"""Items read at once: a group with no repeated key costs one yaml-rs call."""


def read(
    text: str, name: str, *, scanned: bool = False
) -> tuple[dict[str, Any], tuple[Issue, ...]] | None:
    """The data of `text` and its `duplicate-key` issues, where every repeated key of
    `text` stands inside an item of its sections; else None.  `scanned`: the
    pre-scan has passed `text` already (the loader's fast path)."""
    if not FAST_AVAILABLE or not (scanned or fast_safe(text)):
        return None
    whole = parsed(text, first_wins=True)
    data = plain_shared(whole) if isinstance(whole, dict) else None  # FAILED is no dict
    if data is None:
        return None
    ranges: list[tuple[str, list[tuple[int, int]]]] = []
    for section in SECTIONS:
        items = data.get(section)
        if not isinstance(items, list) or not items:
            continue
        starts = item_lines(text, section)
        if starts is None or len(starts) != len(items) + 1:
            return None
        ranges.append((section, starts))
    ranges.sort(key=lambda found: found[1][0][1])
    if parsed(_outside(text, ranges)) is FAILED:
        return None  # a repeated key outside the items, or a text read otherwise
    issues: list[Issue] = []
    for section, starts in ranges:
        for first in range(0, len(starts) - 1, GROUP):
            last = min(first + GROUP, len(starts) - 1)
            if parsed(text[starts[first][1] : starts[last][1]]) is not FAILED:
                continue
            group: list[Issue] = []
            for index in range(first, last):
                found = _repeated(text, name, starts, index, data[section][index])
                if found is None:
                    return None
                group.extend(found)
            if not group:
                return None  # refused for something no one item holds: not ours to read
            issues.extend(group)
    return (data, tuple(issues)) if issues else None


def _repeated(
    text: str, name: str, starts: list[tuple[int, int]], index: int, kept: Any
) -> list[Issue] | None:
    """Item `index`'s issues (none where yaml-rs reads it), or None when its lines
    do not give the item yaml-rs kept, or give another issue than a repeated key."""

    (line, start), (_, end) = starts[index], starts[index + 1]
    if parsed(text[start:end]) is not FAILED:
        return []
    composer = Composer(name, first_line=line + 1)
    found = composer.run(text[start:end])
    if any(issue.check != "duplicate-key" for issue in composer.issues):
        return None
    if not isinstance(found, list) or len(found) != 1 or not same_data(found[0], kept):
        return None
    return composer.issues


def _outside(text: str, ranges: list[tuple[str, list[tuple[int, int]]]]) -> str:
    """`text` without the items of its sections (each section then holds nothing)."""
    kept, at = [], 0
    for _, starts in ranges:
        kept.append(text[at : starts[0][1]])
        at = starts[-1][1]
    kept.append(text[at:])
    return "".join(kept)
