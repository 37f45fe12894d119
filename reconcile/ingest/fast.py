"""The loader's fast path: yaml-rs reads a text the pre-scan passes, whole or, when
it is large, in two processes each reading a part of its estimates.

`read_fast` is the fast path on one text: the pre-scan (ingest/prescan.py), then
yaml-rs, then the check and fresh copy of its data (`prescan.plain_shared`);
None wherever the composer must read the text instead (ingest/loader.py).

On a large ledger the load is the longest serial step of validate and of every
report (docs/performance.md): the pre-scan, yaml-rs's parse and the fresh copy
(`prescan.plain_shared`) each walk the whole text or tree on one core.  When
more than one job is allowed (`RECONCILE_JOBS`) and the text is large, the
loader's fast path hands it here: the text is cut at the start of an item of its
`estimates:` sequence, a forked child reads the part after the cut while the
process reads the part before it, and the child sends its data back pickled.

The cut is made only where the two parts read exactly as the whole does:

- the text has one line `estimates:` at its first column (nothing after the
  colon) and the sequence's items start with `- ` at one indentation, I;
- the cut is at a line that starts with I spaces and `- `;
- the first part is the text before that line; the second is a line
  `estimates:` followed by the text from that line on.

A YAML scanner reading the whole text meets that line in one of three states.
Inside a quoted scalar or a flow collection: then the first part ends inside it
and does not parse.  Inside a block or plain scalar: it cannot continue at
indentation I (within the sequence every scalar's parent is indented deeper;
before or after the sequence, see the next check).  Otherwise the line is a new
item of the sequence at indentation I, or an item of another top-level key's
sequence: the parts are taken only if the first part's data ends with the key
`estimates` holding a list, and the second part's data starts with it, and no
other top-level key is in both (a duplicate key in the whole text, which the
composer reports).  In the taken case the scanner's state at the line is the
top-level mapping, the key `estimates` and its sequence, which the second part's
first line sets up again: each part's data is the whole text's data on its side
of the cut.  The pre-scan's guards look at most one line break behind what they
find, and the second part keeps the line break before the cut, so both parts
passing the pre-scan means the whole passes it.  tests/test_fast_halves.py holds
every cut of generated and real ledgers, and texts made to defeat it, to the
whole text's data.

Anything else (no such line, a part the pre-scan refuses or yaml-rs cannot read,
a child that fails or is refused) gives None: the loader then reads the whole
text in one process, as it would without this module.  The child is forked, and
its data sent back, as the checks' are (ingest/forked.py: only where forking is
safe).
"""

from __future__ import annotations

import re
from typing import Any

from reconcile.ingest import forked
from reconcile.ingest.prescan import fast_safe, plain_shared

_yaml_rs: Any
try:
    import yaml_rs

    _yaml_rs = yaml_rs
except ImportError:  # pragma: no cover - the fast path is optional
    _yaml_rs = None
FAST_AVAILABLE = _yaml_rs is not None

HALVES_FROM = 1_000_000
"""Characters from which a text is read in two processes (some 2,500 estimates):
in process, medians of 7, a 1.1 MB ledger read in 49 ms whole and 39 in two,
1.8 MB in 87 and 61; below it the gain is a few milliseconds for a fork."""

CHILD_SHARE = 0.5
"""The share of the text the child reads."""

_KEY = "\nestimates:"
_HEAD = "estimates:\n"
_ITEM = re.compile(r"[ ]*- ")


def _items(text: str) -> tuple[str, int] | None:
    """A line break and what starts each item of the estimates (its indentation and
    `- `), and where the first item's line starts; None where the text has no
    single `estimates:` line followed by such an item (then no cut is made)."""
    first = text.startswith(_HEAD[:-1])
    if text.count(_KEY) + first != 1:
        return None
    at = len(_HEAD) - 1 if first else text.index(_KEY) + len(_KEY)
    end = text.find("\n", at)
    if end < 0 or text[at:end].strip(" "):
        return None  # a value, a comment or a flow collection on the key's line
    line = end + 1
    while True:  # the first item: past blank and comment lines
        next_end = text.find("\n", line)
        if next_end < 0:
            return None
        content = text[line:next_end].lstrip(" ")
        if content and not content.startswith("#"):
            break
        line = next_end + 1
    item = _ITEM.match(text, line)
    return None if item is None else ("\n" + text[line : item.end()], line)


def cut_from(text: str, at: int) -> int | None:
    """The first offset from `at` on where `text` may be cut: the start of an item of
    its estimates but the first (None where there is none)."""
    items = _items(text)
    if items is None:
        return None
    prefix, first = items
    found = text.find(prefix, max(at, first + 1) - 1)
    return None if found < 0 else found + 1


def second_part(text: str, cut: int) -> str:
    """The text after `cut` under a line `estimates:` (the first part is `text[:cut]`)."""
    return _HEAD + text[cut:]


FAILED = object()
"""What `parsed` gives for a text yaml-rs cannot read (None is YAML's null)."""


def parsed(text: str, *, first_wins: bool = False) -> Any:
    """yaml-rs's data of `text`, or FAILED where it cannot read it (a repeated key
    included, unless `first_wins`: then each first value is kept, as the composer
    keeps it).  Only for a text the pre-scan passed, when yaml-rs is installed."""
    try:
        if first_wins:
            policy = _yaml_rs.DuplicateKeyPolicy.FirstWins
            return _yaml_rs.loads(text, parse_datetime=False, duplicate_key_policy=policy)
        return _yaml_rs.loads(text, parse_datetime=False)
    except BaseException as exc:  # yaml-rs errors and Rust panics alike
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        return FAILED


def read_fast(text: str, *, scanned: bool = False) -> dict[str, Any] | None:
    """The data of `text` by yaml-rs, only where it is exactly what the composer
    would build (else None); `scanned`: the pre-scan has passed it already."""
    if _yaml_rs is None or not (scanned or fast_safe(text)):
        return None
    data = parsed(text)
    return plain_shared(data) if isinstance(data, dict) else None


def joined(first: dict[str, Any] | None, second: dict[str, Any] | None) -> dict[str, Any] | None:
    """The whole text's data from its two parts', or None when the cut was not
    between two items of the estimates (the module's docstring says why that
    suffices)."""
    if first is None or second is None:
        return None
    keys = list(first)
    if not keys or keys[-1] != "estimates" or next(iter(second), None) != "estimates":
        return None
    if not isinstance(first["estimates"], list) or not isinstance(second["estimates"], list):
        return None
    if set(keys) & set(second) != {"estimates"}:
        return None  # a key in both parts: a duplicate, which the composer reports
    first["estimates"].extend(second["estimates"])
    for key, value in second.items():
        if key != "estimates":
            first[key] = value
    return first


def read_in_two(text: str) -> dict[str, Any] | None:
    """The data of `text`, read by this process and a forked child, or None (the
    loader then reads it whole)."""
    if not forked.can_fork():
        return None
    cut = cut_from(text, int(len(text) * (1 - CHILD_SHARE)))
    if cut is None:
        return None
    try:
        child = forked.start(lambda: read_fast(second_part(text, cut)))
    except OSError:  # no process or pipe to be had (a limit)
        return None
    try:
        first = read_fast(text[:cut])
    except BaseException:
        forked.stop(child)
        raise
    if first is None:
        forked.stop(child)
        return None
    _, second = forked.result(child)  # None: the child refused its part, or failed
    return joined(first, second if isinstance(second, dict) else None)
