"""Adding an entry to a ledger file without touching anything else in it.

The only module that imports ruamel.yaml (the round-trip YAML library).  It
reads the ledger's structure (where each section and its entries stand),
renders the new entry in the ledger's own style (lists indented under their
key, long text folded at spaces, dates and figures unquoted) and splices it
after the section's last entry.  Everything else — comments, blank lines,
quoting, folding, key order — stays byte for byte as it was: ruamel's own
full re-dump would re-indent and re-fold what it did not change, so it is
used to parse and to write the new entry only.

`append_entry` checks its own work: the new text is read back with the
ledger's loader and must hold exactly the old data plus the new entry, or the
edit is refused.  `atomic_write` replaces a file through a temporary file in
the same folder, so a crash leaves either the old file or the new one.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.resolver import VersionedResolver
from ruamel.yaml.scalarstring import FoldedScalarString
from ruamel.yaml.tag import Tag

from reconcile.ingest.loader import load_text
from reconcile.ingest.replacing import replacing

FOLD_WIDTH = 80
"""Text longer than this is written as a folded block (`>-`), as in the shipped ledger."""

_STR = "tag:yaml.org,2002:str"
_TIMESTAMP = "tag:yaml.org,2002:timestamp"


class _Resolver(VersionedResolver):
    """YAML 1.2 as the ledger's loader reads it: a date is text, so it needs no quotes."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> Any:
        tag = super().resolve(kind, value, implicit)
        return Tag(suffix=_STR) if tag == _TIMESTAMP else tag


def _yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.Resolver = _Resolver
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 4096  # long text is folded by `_fold`, never by the emitter
    yaml.allow_unicode = True
    yaml.representer.add_representer(type(None), _null)
    return yaml


def _null(representer: Any, _: None) -> Any:
    """`publisher: null`, as the ledger format spells an unknown value."""
    return representer.represent_scalar("tag:yaml.org,2002:null", "null")


class EditError(Exception):
    """The file cannot be edited safely; the message says why, for a person."""


@dataclass(frozen=True, slots=True)
class Insertion:
    """The new text, and the lines (from 1, inclusive) the new entry occupies in it."""

    text: str
    first_line: int
    last_line: int


def append_entry(text: str, section: str, entry: dict[str, Any]) -> Insertion:
    """`text` with `entry` added at the end of the top-level list `section`.

    Raises `EditError` when the text cannot be parsed, the section is not a
    block list, or the result would not read back as the old data plus `entry`.
    """
    return append_entries(text, section, [entry])


def append_entries(text: str, section: str, entries: list[dict[str, Any]]) -> Insertion:
    """`text` with `entries` added, in order, at the end of the list `section`.

    The lines of the insertion are `first_line` to `last_line` of the result;
    entries are separated as the section's last two entries are (a blank line
    or none).
    """
    try:
        data: Any = _yaml().load(text)
    except YAMLError as exc:
        raise EditError(f"the ledger cannot be read as YAML ({_first_line(str(exc))})") from None
    if not isinstance(data, CommentedMap):
        raise EditError("the ledger's top level is not a mapping of fields")
    lines = text.splitlines(keepends=True)
    newline = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    if section not in data:
        body = _render_all(entries, 2, newline, separated=False)
        before = text if not text or text.endswith(("\n", "\r")) else text + newline
        prefix = f"{newline}{section}:{newline}"
        new_text = before + prefix + body
        first = before.count("\n") + prefix.count("\n") + 1
        return _checked(text, new_text, section, entries, first, body)
    items: Any = data[section]
    key_line = data.lc.key(section)[0]  # from 0
    if items is None or (hasattr(items, "fa") and len(items) == 0):
        # `section:` with nothing, or `section: []`: the list starts on the key's line
        line = lines[key_line]
        stripped = re.sub(r":\s*(?:\[\s*\])?\s*(#.*)?$", "", line.rstrip("\r\n"))
        comment = re.search(r"\s#.*$", line.rstrip("\r\n")[len(stripped) :])
        head = stripped + ":" + (" " + comment.group().strip() if comment else "") + newline
        body = _render_all(entries, _indent_of(line) + 2, newline, separated=False)
        new_lines = [*lines[:key_line], head, body, *lines[key_line + 1 :]]
        return _checked(text, "".join(new_lines), section, entries, key_line + 2, body)
    if not isinstance(items, CommentedSeq):
        raise EditError(f"'{section}' is not a list; fix it first (reconcile validate)")
    if items.fa.flow_style():
        raise EditError(
            f"'{section}' is written as a [flow] list; write it as a block list "
            "('- ' items) for reconcile to add to it"
        )
    last_start = items.lc.item(len(items) - 1)[0]
    dash_line = lines[last_start] if last_start < len(lines) else ""
    dash = dash_line.find("-")
    if dash < 0 or dash_line[:dash].strip():
        raise EditError(f"cannot find the last entry of '{section}'")
    end = _section_end(data, section, len(lines))
    # the entry ends at its last line with content; comments and blank lines at or
    # left of the dash before the next key belong to what follows
    last = end - 1
    while last > last_start and _outside(lines[last], dash):
        last -= 1
    separated = _blank_before(lines, items, len(items) - 1)
    body = _render_all(entries, dash, newline, separated=separated)
    if not lines[last].endswith(("\n", "\r")):
        lines[last] += newline
    insert = (newline if separated else "") + body
    new_lines = [*lines[: last + 1], insert, *lines[last + 1 :]]
    first = last + 2 + (1 if separated else 0)
    return _checked(text, "".join(new_lines), section, entries, first, body)


def _outside(line: str, dash: int) -> bool:
    stripped = line.strip()
    return not stripped or (stripped.startswith("#") and _indent_of(line) <= dash)


def _indent_of(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _section_end(data: Any, section: str, total: int) -> int:
    """The line (from 0) of the first top-level key after `section`, else the end."""
    keys = list(data)
    after = keys[keys.index(section) + 1 :]
    starts = [data.lc.key(key)[0] for key in after]
    start = data.lc.key(section)[0]
    later = [line for line in starts if line > start]
    return min(later) if later else total


def _blank_before(lines: list[str], items: Any, index: int) -> bool:
    """Whether the entries of this list are separated by blank lines (the last two are)."""
    if index == 0:
        return False
    start = items.lc.item(index)[0]
    return start > 0 and not lines[start - 1].strip()


def _render_all(entries: list[dict[str, Any]], dash: int, newline: str, *, separated: bool) -> str:
    """The entries one after the other, blank-line separated when the list's are."""
    return (newline if separated else "").join(_render(entry, dash, newline) for entry in entries)


def _render(entry: dict[str, Any], dash: int, newline: str) -> str:
    """The entry as one block-list item whose dash stands at column `dash`."""
    out = io.StringIO()
    _yaml().dump([_styled(entry, dash + 2)], out)
    rendered = out.getvalue()
    # ruamel writes the top-level list with its dash at column `offset` (2)
    shift = dash - 2
    result = []
    for line in rendered.splitlines():
        if shift >= 0:
            result.append(" " * shift + line)
        else:
            result.append(line[-shift:] if line[:-shift].strip() == "" else line)
    return newline.join(result) + newline


def _styled(value: Any, indent: int) -> Any:
    """Long single-line text as folded blocks; everything else as it is."""
    if isinstance(value, dict):
        return {k: _styled(v, indent + 2) for k, v in value.items()}
    if isinstance(value, list):
        if value and all(isinstance(v, str) and _plain_word(v) for v in value):
            flow = CommentedSeq(value)  # aliases: [NIS, South Korean spy agency]
            flow.fa.set_flow_style()
            return flow
        return [_styled(v, indent + 4) for v in value]
    if isinstance(value, str):
        return _fold(value, indent)
    return value


def _plain_word(text: str) -> bool:
    """Short text that needs no quotes in a [flow, list]."""
    return (
        len(text) <= 40 and bool(re.fullmatch(r"[\w][\w .'’()-]*", text)) and text == text.strip()
    )


def _fold(text: str, indent: int) -> Any:
    width = max(FOLD_WIDTH - indent, 40)
    if (
        len(text) + indent <= FOLD_WIDTH
        or text != text.strip()
        or any(not char.isprintable() for char in text)
        or "  " in text
    ):
        return text
    folded = FoldedScalarString(text)
    positions: list[int] = []
    start = 0
    while len(text) - start > width:
        cut = text.rfind(" ", start, start + width + 1)
        if cut <= start:
            cut = text.find(" ", start + width)
            if cut < 0:
                break
        positions.append(cut)
        start = cut + 1
    if not positions:
        return text
    folded.fold_pos = positions
    return folded


def _checked(  # noqa: PLR0917
    old: str, new: str, section: str, entries: list[dict[str, Any]], first: int, body: str
) -> Insertion:
    """Refuse the edit unless the new text reads back as the old data plus `entries`."""
    before = load_text(old, "<old>")
    after = load_text(new, "<new>")
    if not after.usable or not isinstance(after.data, dict):
        raise EditError("the edited ledger would not read back; nothing was written")
    expected = dict(before.data) if isinstance(before.data, dict) else {}
    current = expected.get(section)
    expected[section] = [*(current if isinstance(current, list) else []), *entries]
    if after.data != expected:
        raise EditError(
            "the edited ledger would not read back as the old one plus the new entry "
            "(please report this); nothing was written"
        )
    return Insertion(new, first, first + body.count("\n") - 1)


def _first_line(message: str) -> str:
    return message.strip().splitlines()[0] if message.strip() else "unknown error"


def atomic_write(path: Path, text: str, *, check: Callable[[Path], bool] | None = None) -> bool:
    """Replace `path` with `text` through a temporary file in the same folder
    (ingest/replacing.py), synced to disk before it is renamed over `path`: a
    crash at any moment leaves the old file or the new one, never a mix.
    `check` sees the temporary file and returns whether to go on; returns
    whether `path` was replaced.  The file's permissions are kept."""
    with replacing(path, durable=True) as new:
        with os.fdopen(os.open(new.path, os.O_WRONLY), "w", encoding="utf-8", newline="") as out:
            out.write(text)
        new.wanted = check is None or check(new.path)
    return new.done
