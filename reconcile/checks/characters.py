"""Characters that mislead a reader: look-alike ids and bidirectional controls.

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
"""

from __future__ import annotations

import re

from reconcile.checks.context import Context
from reconcile.core.escape import BIDI
from reconcile.core.issues import Issue, Location, warning
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
    return issues


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
