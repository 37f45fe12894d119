"""Terminal tables without rich's drawing machinery, for output without colour.

Off a terminal, with NO_COLOR, or piped (nearly always in CI and in pipes) a
table has no style, only text; drawing it through rich's renderables, segments
and styles was most of a report's time at newsroom scale.  `grid_lines` lays
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
from collections.abc import Iterator, Sequence
from itertools import pairwise

from reconcile.views.tabular import Align

_TRAILING_SPACE = re.compile(r"\s+$")
"""What rich's `Text.rstrip_end` trims (its `_re_whitespace`)."""


def cell_width(text: str) -> int:
    """Terminal cells `text` takes, as rich counts them (`len` for ASCII)."""
    if text.isascii():
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


def wrap(text: str, width: int, justify: str | None) -> list[str]:
    """`text` as the lines rich's `Text.wrap` makes of it at `width` (overflow
    "fold"): `justify` "left" pads each line to `width`, "right" strips and pads
    on the left, None ("default") only crops."""
    from rich._wrap import divide_line

    lines: list[str] = []
    for line in text.split("\n"):
        if cell_width(line) <= width:
            parts = [line]  # divide_line breaks nothing in a line that fits
        else:
            bounds = [0, *divide_line(line, width, fold=True), len(line)]
            parts = [line[a:b] for a, b in pairwise(bounds)]
        lines.extend(_justified(part, width, justify) for part in parts)
    return lines


def _justified(part: str, width: int, justify: str | None) -> str:
    """One wrapped line as rich finishes it: whitespace past `width` trimmed
    (`Text.rstrip_end`, counted in characters), justified, cropped."""
    if len(part) > width and (space := _TRAILING_SPACE.search(part)):
        part = part[: len(part) - min(len(space.group()), len(part) - width)]
    if justify == Align.RIGHT:
        part = crop(part.rstrip(), width)
        part = " " * (width - cell_width(part)) + part
    elif justify == Align.LEFT:
        part = fit(part, width)
    return crop(part, width)


def grid_lines(  # noqa: PLR0917 (a table's parts, in the order drawn)
    title: str,
    names: Sequence[str],
    aligns: Sequence[Align],
    rows: Iterator[Sequence[str]],
    caption: str | None,
    widths: Sequence[int],
) -> Iterator[str]:
    """A SIMPLE_HEAD table without edges and without edge padding, every column
    exactly its width in `widths` (cells already broken where they may break):
    the title, the header (bottom-aligned), a rule, the rows (top-aligned), the
    caption.  Lines keep rich's padding; the caller strips trailing space."""
    last = len(widths) - 1
    lefts = ["" if i == 0 else " " for i in range(len(widths))]
    rights = ["" if i == last else " " for i in range(len(widths))]
    table_width = sum(widths) + 3 * last
    if title:
        yield from wrap(title, table_width, Align.LEFT)

    def block(cells: Sequence[str], top: bool) -> Iterator[str]:
        wrapped = [
            wrap(cell, width, align)
            for cell, width, align in zip(cells, widths, aligns, strict=True)
        ]
        height = max(map(len, wrapped))
        for i, lines in enumerate(wrapped):
            if len(lines) < height:
                blank = [" " * widths[i]] * (height - len(lines))
                wrapped[i] = lines + blank if top else blank + lines
        for number in range(height):
            yield " ".join(lefts[i] + wrapped[i][number] + rights[i] for i in range(len(widths)))

    yield from block(names, top=False)
    yield "─" * table_width  # SIMPLE_HEAD's rule crosses the column gaps too
    for row in rows:
        yield from block(row, top=True)
    if caption:
        yield from wrap(caption, table_width, Align.LEFT)
