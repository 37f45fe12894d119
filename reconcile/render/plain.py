"""Terminal tables without rich's drawing machinery, for output without colour.

Off a terminal, with NO_COLOR, or piped (nearly always in CI and in pipes) a
table has no style, only text; drawing it through rich's renderables, segments
and styles was most of a report's time at newsroom scale.  `grid_blocks` lays
the same table out line by line, byte for byte as `render.tables` draws it
through rich (tests/test_plain.py holds the two equal on every report and on
generated tables): the column widths are the ones `render.tables` fixes, every
cell is wrapped the way rich wraps a `Text` (`rich._wrap.divide_line`, the
same word and fold rules, measured with rich's own cell widths), and the
SIMPLE_HEAD box without edges is three characters between columns and one
unbroken rule under the header.

Only lines are produced, one at a time, so a report is written as it is laid
out and never held as one string.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from functools import cache
from itertools import pairwise
from operator import getitem

from reconcile.core.escape import workflow_safe
from reconcile.views.tabular import Align, Table

_TRAILING_SPACE = re.compile(r"\s+$")
"""What rich's `Text.rstrip_end` trims (its `_re_whitespace`)."""


_NARROW_RANGES = (
    (0x20, 0x7E),  # ASCII
    (0xA0, 0x36F),  # Latin-1 to IPA (combining marks drop out below)
    (0x370, 0x52F),  # Greek, Cyrillic
    (0x2010, 0x205E),  # dashes, quotes, ellipsis, per mille
    (0x20A0, 0x20C0),  # currency signs
    (0x2100, 0x22FF),  # letterlike, number forms, arrows, mathematical operators (≥ ≈ ≠ −)
    (0x2500, 0x257F),  # box drawing: a table's rule, a chart's axes (─ ┤ └)
)


@cache
def _narrow() -> frozenset[str]:
    """Characters of the common ranges above that rich counts as one cell each.
    A text made only of them (no joiner, no variation selector, no mark) is
    one cell per character in rich's count; the others are measured by rich."""
    from rich.cells import get_character_cell_size

    return frozenset(
        char
        for start, end in _NARROW_RANGES
        for char in map(chr, range(start, end + 1))
        if get_character_cell_size(char) == 1
    )


def one_cell_each(text: str) -> bool:
    """Whether every character of `text` takes one terminal cell in rich's count (ASCII,
    or one of `_narrow`, which covers the ledger's "≥", "—", "×"): then `cell_width` is
    `len`, for `text` and for any part of it."""
    return text.isascii() or _narrow().issuperset(text)


def cell_width(text: str) -> int:
    """Terminal cells `text` takes, as rich counts them (`len` where every
    character is one of `_narrow`, which covers the ledger's "≥", "—", "×")."""
    if text.isascii() or _narrow().issuperset(text):
        return len(text)
    from rich.cells import cell_len

    return cell_len(text)


def fit(text: str, width: int) -> str:
    """`text` cropped or padded to exactly `width` cells (rich's `set_cell_size`)."""
    if text.isascii():
        size = len(text)
        return text + " " * (width - size) if size < width else text[:width]
    from rich.cells import set_cell_size

    return set_cell_size(text, width)


def crop(text: str, width: int) -> str:
    """`text` cut to `width` cells when longer (rich's `Text.truncate` without padding)."""
    return fit(text, width) if cell_width(text) > width else text


def wrap(text: str, width: int, justify: Align | None) -> list[str]:
    """`text` as the lines rich's `Text.wrap` makes of it at `width` (overflow
    "fold"): `justify` "left" pads each line to `width`, "right" strips and pads
    on the left, None ("default") only crops."""
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) <= width and (size := cell_width(line)) <= width:
            # the common line, one that fits: nothing to break, trim or crop
            if justify is Align.RIGHT:
                line = line.rstrip()  # noqa: PLW2901
                lines.append(" " * (width - cell_width(line)) + line)
            else:
                lines.append(line + " " * (width - size) if justify is Align.LEFT else line)
            continue
        from rich._wrap import divide_line

        bounds = [0, *divide_line(line, width, fold=True), len(line)]
        lines.extend(_justified(line[a:b], width, justify) for a, b in pairwise(bounds))
    return lines


def _fitting(cell: str, width: int, justify: Align | None) -> list[str] | None:
    """`wrap(cell, width, justify)` for the common cell, whose every line fits with
    each character one cell (`cell_width`: a cell `break_lines` has already broken),
    without `wrap`'s search; None for any other cell."""
    lines = cell.split("\n")
    for line in lines:
        if len(line) > width or not (line.isascii() or _narrow().issuperset(line)):
            return None
    if justify is Align.RIGHT:
        return [" " * (width - len(line)) + line for line in map(str.rstrip, lines)]
    if justify is Align.LEFT:
        return [line + " " * (width - len(line)) for line in lines]
    return lines


def _justified(part: str, width: int, justify: Align | None) -> str:
    """One wrapped line as rich finishes it: whitespace past `width` trimmed
    (`Text.rstrip_end`, counted in characters), justified, cropped."""
    if len(part) > width and (space := _TRAILING_SPACE.search(part)):
        part = part[: len(part) - min(len(space.group()), len(part) - width)]
    if justify is Align.RIGHT:
        part = crop(part.rstrip(), width)
        part = " " * (width - cell_width(part)) + part
    elif justify is Align.LEFT:
        part = fit(part, width)
    return crop(part, width)


def wrapped_cell(cell: str, width: int, justify: Align | None) -> list[str]:
    """One cell's lines in its column: `wrap(cell, width, justify)`, the common
    cell (every line fits, one cell per character) without `wrap`'s search."""
    return _fitting(cell, width, justify) or wrap(cell, width, justify)


class _Wrapped(dict[str, list[str]]):
    """A column's cells → their lines (`wrapped_cell` of the cell as `broken`
    breaks it), each distinct cell broken and wrapped on first sight.  Bounded
    by the table: one entry per distinct cell."""

    __slots__ = ("broken", "index", "justify", "width")

    def __init__(
        self, index: int, width: int, justify: Align | None, broken: Callable[[str, int], str]
    ) -> None:
        super().__init__()
        self.index = index
        self.width = width
        self.justify = justify
        self.broken = broken

    def __missing__(self, cell: str) -> list[str]:
        width = self.width
        if len(cell) <= width and "\n" not in cell and one_cell_each(cell):
            # the common cell: one line that fits, nothing to break (`broken` keeps a
            # cell that fits whole), one cell per character (`_fitting` of one line)
            justify = self.justify
            if justify is Align.RIGHT:
                line = cell.rstrip()
                lines = [" " * (width - len(line)) + line]
            elif justify is Align.LEFT:
                lines = [cell + " " * (width - len(cell))]
            else:
                lines = [cell]
        else:
            lines = wrapped_cell(self.broken(cell, self.index), width, self.justify)
        self[cell] = lines
        return lines


def _unbroken(cell: str, index: int) -> str:
    """A `broken` that breaks nothing (`index`: any column)."""
    del index
    return cell


def grid_blocks(  # noqa: PLR0917 (a table's parts, in the order drawn)
    title: str,
    names: Sequence[str],
    aligns: Sequence[Align],
    rows: Iterator[Sequence[str]],
    caption: str | None,
    widths: Sequence[int],
    broken: Callable[[str, int], str] = _unbroken,
) -> Iterator[list[str]]:
    """A SIMPLE_HEAD table without edges and without edge padding, every column
    exactly its width in `widths` (each row's cells broken where they may break
    by `broken(cell, column index)`, which keeps a cell that fits whole, the
    header's as given):
    the title, the header (bottom-aligned), a rule, the rows (top-aligned), the
    caption.  Lines keep rich's padding; the caller strips trailing space.
    The lines come in blocks (the title, the header, the rule, each row, the
    caption), so a writer handles a row, not a line, at a time."""
    table_width = sum(widths) + 3 * (len(widths) - 1)
    if title:
        yield wrap(title, table_width, Align.LEFT)

    def block(wrapped: list[list[str]], top: bool) -> list[str]:
        # each column's padding (none at the table's edges) and the divider
        # between two columns are three spaces in all
        height = max(map(len, wrapped))
        if height == 1:
            return ["   ".join([lines[0] for lines in wrapped])]
        for i, lines in enumerate(wrapped):
            if len(lines) < height:
                blank = [" " * widths[i]] * (height - len(lines))
                wrapped[i] = lines + blank if top else blank + lines
        return ["   ".join(parts) for parts in zip(*wrapped, strict=True)]

    yield block(
        [wrapped_cell(*cell) for cell in zip(names, widths, aligns, strict=True)], top=False
    )
    yield ["─" * table_width]  # SIMPLE_HEAD's rule crosses the column gaps too
    # a column repeats its cells (claimants, dates, metrics, figures): each
    # distinct cell of a column is wrapped once, its lines shared by every row
    # that shows it (`block` never changes a list it is given, only `wrapped`)
    columns = [
        _Wrapped(i, width, align, broken)
        for i, (width, align) in enumerate(zip(widths, aligns, strict=True))
    ]
    blanks = [[" " * width] for width in widths]
    for row in rows:
        # `block(..., top=True)`, written out: a row at a time is most of a report
        wrapped = list(map(getitem, columns, row))
        height = max(map(len, wrapped))
        if height == 1:
            yield ["   ".join([lines[0] for lines in wrapped])]
            continue
        padded = [
            lines if len(lines) == height else lines + blank * (height - len(lines))
            for lines, blank in zip(wrapped, blanks, strict=True)
        ]
        yield ["   ".join(parts) for parts in zip(*padded, strict=True)]
    if caption:
        yield wrap(caption, table_width, Align.LEFT)


def plain_lines(tables: Sequence[Table], width: int) -> Iterator[str]:
    """`tables` as `render.tables.tables_terminal` draws them without colour at `width`, one line
    at a time (no newline, trailing space stripped), laid out by render.plain
    instead of rich (`render.tables.report_chunks` writes `plain_text`): the same
    text, a fraction of the time."""
    for lines in _plain_blocks(tables, width):
        yield from _stripped(lines)


def plain_text(tables: Sequence[Table], width: int, *, github: bool = False) -> Iterator[str]:
    """`plain_lines`, each line ended by a newline, a block of lines (a row) at
    a time: a writer gets a string per row, not per line.  With `github`, every
    line made safe for a workflow log (`escape.workflow_safe`), one at a time."""
    for lines in _plain_blocks(tables, width):
        if github:
            for line in _stripped(lines):
                yield workflow_safe(line) + "\n"
        elif lines and all(map(str.isprintable, lines)):  # no line break inside a line
            yield "\n".join([line.rstrip() for line in lines]) + "\n"
        else:
            yield "".join([line + "\n" for line in _stripped(lines)])


def _plain_blocks(tables: Sequence[Table], width: int) -> Iterator[list[str]]:
    """The lines of `plain_lines` before trailing space is stripped, in blocks
    (a title, a header, a row, a caption, the blank line between two tables)."""
    from reconcile.render.tables import (
        _GAP,
        _breaker,
        _layout,
        _plain_table,
        _stacked_blocks,
        tables_terminal,
    )

    for number, original in enumerate(tables):
        if number:
            yield [""]
        table = _plain_table(original)
        layout = _layout(table, width)
        if layout is None:
            yield from _stacked_blocks(table, width)
            continue
        if not table.rows:
            yield wrap(table.title, width, None)
            yield wrap("  (none)", width, None)
            continue
        widths, every = layout
        fixed = [w for w in widths if w is not None and w >= 1]
        if len(fixed) < len(widths) or sum(fixed) + _GAP * (len(fixed) - 1) > width:
            # never met by the widths `_layout` gives; rich decides what happens
            yield tables_terminal([original], width=width, terminal=False).splitlines()
            continue
        yield from grid_blocks(
            table.title,
            [column.name for column in table.columns],
            [column.align for column in table.columns],
            iter(table.rows),
            table.caption,
            fixed,
            _breaker(table, widths, every=every),
        )


def _stripped(lines: Iterable[str]) -> Iterator[str]:
    """Lines as `render.tables.strip_trailing` leaves them: trailing space stripped, split
    wherever `str.splitlines` splits."""
    for line in lines:
        if line.isprintable():  # no line break in it (every one is unprintable)
            yield line.rstrip()
            continue
        parts = line.splitlines()
        if not parts:
            yield ""
        for part in parts:
            yield part.rstrip()
