"""Tables as text: terminal (rich), CSV, Markdown, and the JSON envelope
(docs/json.md) every report's JSON output uses:

    {"reconcile": {"schema": 2, "command": "<command>", "version": "<x.y.z>"},
     "ledgers": ["<path>", ...], "result": {...}}

rich is imported inside the functions that draw, so plain-text commands never load it."""

from __future__ import annotations

import csv
import io
import json
import os
import re
from collections.abc import Iterator, Sequence
from dataclasses import replace
from operator import itemgetter
from typing import Any

from reconcile import __version__
from reconcile.core import escape
from reconcile.core.figures import QUALIFIER_WORDS
from reconcile.core.numbers import GROUP_SPACE
from reconcile.render.plain import cell_width, one_cell_each
from reconcile.views.tabular import Align, OutputFormat, Table

JSON_SCHEMA_VERSION = 2
"""The envelope's `schema`: 2 since the summary's fields changed meaning (docs/json.md,
"Versions")."""
_GAP = 3
"""Characters between two columns of a SIMPLE_HEAD table without edge padding."""
DEFAULT_WIDTH = 100
"""Width of terminal tables when stdout is not a terminal (or $COLUMNS when set)."""


def envelope(command: str, ledgers: Sequence[str], result: Any) -> str:
    """The versioned JSON envelope every command's JSON output shares."""
    return "".join(envelope_chunks(command, ledgers, result))


def envelope_chunks(command: str, ledgers: Sequence[str], result: Any) -> Iterator[str]:
    """`envelope` in batches of the pieces the JSON encoder makes (json.dumps with
    indent=2 joins the same pieces).  Every escape works within a piece: a
    control or `##[` can only occur inside a string, which is one piece."""
    document = {
        "reconcile": {"schema": JSON_SCHEMA_VERSION, "command": command, "version": __version__},
        "ledgers": list(ledgers),
        "result": result,
    }
    # the encoder's pieces escaped a batch at a time (a piece is often one comma: a
    # timeline of 100,000 estimates has millions): both escapes act within a string,
    # which is one piece ending in its quote, so a batch's are its pieces' own
    batch: list[str] = []
    for chunk in json.JSONEncoder(ensure_ascii=False, indent=2).iterencode(document):
        batch.append(chunk)
        if len(batch) == _JSON_BATCH:
            yield escape.workflow_safe(escape.json_text("".join(batch)), json_text=True)
            batch.clear()
    if batch:
        yield escape.workflow_safe(escape.json_text("".join(batch)), json_text=True)
    yield "\n"


_JSON_BATCH = 2048
"""The encoder's pieces escaped and written together (tens of kilobytes)."""


# --- tables -----------------------------------------------------------------


def render_tables(
    tables: Sequence[Table],
    output_format: OutputFormat,
    *,
    command: str,
    ledgers: Sequence[str],
    result: Any,
    width: int | None = None,
    terminal: bool = False,
) -> str:
    """One report in the chosen format, as one string (see `report_chunks`)."""
    return "".join(
        report_chunks(
            tables,
            output_format,
            command=command,
            ledgers=ledgers,
            result=result,
            width=width,
            terminal=terminal,
        )
    )


def report_chunks(
    tables: Sequence[Table],
    output_format: OutputFormat,
    *,
    command: str,
    ledgers: Sequence[str],
    result: Any,
    width: int | None = None,
    terminal: bool = False,
) -> Iterator[str]:
    """One report in the chosen format, piece by piece (rows as they are laid
    out: the writer streams them, the report is never one string).

    `table`: a grid per table `width` wide, else the terminal's, else $COLUMNS,
    else DEFAULT_WIDTH; drawn by rich in colour on a terminal without NO_COLOR,
    else by `render.plain.plain_text` (the same text).  `csv`: data, every table (see
    `tables_csv`).  `md`: a Markdown section per table.  `json`: `result` in the
    envelope (tables are not used).
    """
    if output_format is OutputFormat.JSON:
        yield from envelope_chunks(command, ledgers, result)
    elif output_format is OutputFormat.CSV:
        yield from map(escape.workflow_safe, csv_lines(tables))
    elif output_format is OutputFormat.MD:
        budget = MAX_MARKDOWN_BYTES if escape.under_github() else None
        for line in markdown_lines(tables, budget=budget):
            yield escape.workflow_safe(line, markdown_text=True) + "\n"
    elif terminal and not os.environ.get("NO_COLOR"):
        yield escape.workflow_safe(tables_terminal(tables, width=width, terminal=terminal))
    else:
        drawn = terminal_width(width, terminal) or console(width, terminal, io.StringIO()).width
        from reconcile.render.plain import plain_text

        yield from plain_text(tables, drawn, github=escape.under_github())


def tables_csv(tables: Sequence[Table]) -> str:
    """Every table of a report as one CSV (see `csv_lines`)."""
    return "".join(csv_lines(tables))


class _Row:
    """A file for csv.writer that keeps the last row written."""

    text = ""

    def write(self, text: str) -> int:
        self.text = text
        return len(text)


def csv_lines(tables: Sequence[Table]) -> Iterator[str]:
    """Every table of a report as data in one CSV, a row at a time: a `table` column says which
    table a row belongs to, then the union of the tables' columns (empty where
    a table has no such column).  Rows are the tables' `records`: one value per
    column, integers without separators, ISO dates, ids, true/false.  A table
    without records gives its cells under its column names."""
    named = [
        (table.name or _slug(table.title), table.records if table.records is not None
         else [dict(zip((c.name for c in table.columns), row, strict=True)) for row in table.rows])
        for table in tables
    ]  # fmt: skip
    header: dict[str, None] = {"table": None}
    for _, records in named:
        for record in records:
            header.update(dict.fromkeys(record))
    row = _Row()
    writer = csv.writer(row, lineterminator="\n")
    writer.writerow([escape.csv_cell(key) for key in header])
    yield row.text
    keys = list(header)[1:]
    for name, records in named:
        for record in records:
            writer.writerow([escape.csv_cell(name), *(_csv_value(record.get(key)) for key in keys)])
            yield row.text


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, int):
        return str(value)
    return escape.csv_cell(str(value))  # a ledger's text: never a formula, never a control


def _slug(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.split(" — ", maxsplit=1)[0].lower()).strip("-")


def md_cell(text: str) -> str:
    return escape.markdown(text) or " "


MAX_MARKDOWN_BYTES = 900 * 1024
"""Markdown written under GitHub Actions stops here: a step summary is capped
at 1 MiB (GitHub refuses the whole summary beyond), and a ledger's strings
could otherwise push it over."""


def tables_markdown(tables: Sequence[Table], *, budget: int | None = None) -> str:
    """A Markdown section per table (see `markdown_lines`)."""
    return "".join(line + "\n" for line in markdown_lines(tables, budget=budget))


def markdown_lines(tables: Sequence[Table], *, budget: int | None = None) -> Iterator[str]:
    """A Markdown section per table, a line at a time; with `budget`, rows stop
    once the text would pass that many bytes, and a line says how many were
    left out."""
    left = budget
    for index, table in enumerate(tables):
        if index:
            yield ""
        yield f"### {escape.markdown(table.title, heading=True)}"
        yield ""
        if table.rows:
            yield "| " + " | ".join(md_cell(c.name) for c in table.columns) + " |"
            yield (
                "|"
                + "|".join("---:" if c.align is Align.RIGHT else "---" for c in table.columns)
                + "|"
            )
            for number, row in enumerate(table.rows):
                line = "| " + " | ".join(md_cell(cell) for cell in row) + " |"
                if left is not None:
                    left -= len(line.encode("utf-8")) + 1
                    if left < 0:
                        yield ""
                        yield (
                            f"… and {len(table.rows) - number:,} more row(s): a step summary "
                            "holds at most 1 MiB (see --format csv or json for all)"
                        )
                        break
                yield line
        else:
            yield "(none)"
        if table.caption:
            yield ""
            yield escape.markdown(table.caption)


def terminal_width(width: int | None, terminal: bool) -> int | None:
    """The width to draw at: as asked, else the terminal's, else $COLUMNS or the default."""
    if width is not None:
        return width
    if terminal:
        return None
    columns = os.environ.get("COLUMNS", "")
    return int(columns) if columns.isdigit() and int(columns) > 0 else DEFAULT_WIDTH


def console(width: int | None, terminal: bool, file: io.StringIO) -> Any:
    """A rich Console that writes to `file`: colour only on a terminal and without NO_COLOR."""
    from rich.console import Console

    plain = not terminal or bool(os.environ.get("NO_COLOR"))
    return Console(
        file=file,
        width=terminal_width(width, terminal),
        force_terminal=terminal,
        no_color=plain,
        color_system=None if plain else "auto",
        highlight=False,
        emoji=False,
        markup=False,
        soft_wrap=False,
    )


def tables_terminal(tables: Sequence[Table], *, width: int | None, terminal: bool) -> str:
    from rich import box
    from rich.table import Table as RichTable

    buffer = io.StringIO()
    out = console(width, terminal, buffer)
    for number, table in enumerate(map(_plain_table, tables)):
        if number:
            out.print()
        grid = RichTable(
            title=table.title,
            title_justify="left",
            caption=table.caption,
            caption_justify="left",
            box=box.SIMPLE_HEAD,
            show_edge=False,
            pad_edge=False,
        )
        layout = _layout(table, out.width)
        if layout is None:
            out.print(_stacked(table, out.width), soft_wrap=True)
            continue
        widths, every = layout
        for column, least in zip(table.columns, widths, strict=True):
            grid.add_column(
                column.name,
                justify=column.align.value,
                overflow="fold",
                width=least,
            )
        broken = _breaker(table, widths, every=every)
        for row in table.rows:
            grid.add_row(*map(broken, row, range(len(row))))
        if not table.rows:
            out.print(table.title)
            out.print("  (none)")
            continue
        out.print(grid)
    return strip_trailing(buffer.getvalue())


def _layout(table: Table, width: int) -> tuple[list[int | None], bool] | None:
    """The columns' widths for `width` and whether every column may break
    between pieces; None when the table is too narrow for a grid without
    splitting a number, a date or an id: one block per row then (`_stacked`),
    never a folded cell."""
    sized = _sized(table)
    widths = _fixed_widths(table, width, sized)
    if table.rows and all(w is None for w in widths):
        widths = _piece_widths(table, width, sized)
        if all(w is None for w in widths):
            return None
        return widths, True
    return widths, False


def _plain_table(table: Table) -> Table:
    """`table` with every string escaped for a terminal (escape.plain)."""
    return Table(
        escape.plain(table.title),
        tuple(replace(column, name=escape.plain(column.name)) for column in table.columns),
        # a printable cell has no control character to escape (the common cell), and a
        # row of printable cells is kept as it is (their join is printable)
        tuple(
            row
            if "".join(row).isprintable()
            else tuple(cell if cell.isprintable() else escape.plain(cell) for cell in row)
            for row in table.rows
        ),
        None if table.caption is None else escape.plain(table.caption),
    )


_SHORT = 24
"""A prose cell this long or shorter ("approximately 12 000", a date interval)
is kept on one line whenever the table can afford it."""


def _fixed_widths(
    table: Table, width: int, sized: list[dict[str, int]] | None = None
) -> list[int | None]:
    """The width of every column, chosen here because rich's own shrinking splits
    words, numbers and dates.

    Columns without `wrap` (ids, dates, counts, verdicts) get their longest
    cell, so they are never split.  Prose columns (`wrap`: words, figures,
    date intervals, which break only where `pieces` allows) share the rest,
    each first getting, of these, the first the table can afford:

    1. min(its longest cell, 24), so short phrases stay whole;
    2. short columns (longest cell at most 24) whole, the others their longest
       piece;
    3. its longest piece.

    What is left is shared in proportion to how much more each would like.
    When not even 3 fits, nothing is fixed and rich folds cells where it must:
    nothing is ever cropped.
    """
    cells = _sized(table) if sized is None else sized
    whole = [max(column.values()) for column in cells]
    prose = [i for i, column in enumerate(table.columns) if column.wrap]
    room = width - _GAP * (len(whole) - 1) - sum(w for i, w in enumerate(whole) if i not in prose)
    if sum(whole[i] for i in prose) <= room:
        return list(whole)
    floors: dict[int, int] | None = {i: min(whole[i], _SHORT) for i in prose}
    if sum(min(whole[i], _SHORT) for i in prose) > room:
        # a column's longest piece (a search of its cells) only when tier 1 is too wide
        words = {i: _widest_piece(cells[i]) for i in prose}
        tiers = ({i: whole[i] if whole[i] <= _SHORT else words[i] for i in prose}, words)
        floors = next((tier for tier in tiers if sum(tier.values()) <= room), None)
    if floors is None:
        return [None] * len(whole)
    spare = room - sum(floors.values())
    wants = {i: whole[i] - floors[i] for i in prose}
    total = sum(wants.values()) or 1
    widths: list[int | None] = list(whole)
    for i in prose:
        widths[i] = floors[i] + spare * wants[i] // total
    return widths


class _Cells(dict[str, int]):
    """A column's distinct cells → their widths, and its longest piece once found
    (`_fixed_widths` and then `_piece_widths` both need it: searched once)."""

    __slots__ = ("longest",)

    def __init__(self, cells: dict[str, int]) -> None:
        super().__init__(cells)
        self.longest: int | None = None


def _sized(table: Table) -> list[dict[str, int]]:
    """Each column's distinct cells (its name among them) with their widths, each
    distinct cell measured once."""
    columns = zip(*table.rows, strict=True) if table.rows else ((),) * len(table.columns)
    sized: list[dict[str, int]] = []
    for column, cells in zip(table.columns, columns, strict=True):
        distinct = list(dict.fromkeys([column.name, *cells]))
        # `_width` is `len` where every character takes one cell: asked of all at once
        widths = map(len if one_cell_each("".join(distinct)) else _width, distinct)
        sized.append(_Cells(dict(zip(distinct, widths, strict=True))))
    return sized


def _widest_piece(cells: dict[str, int]) -> int:
    """`_longest_piece(cells)`, searched once per column `_sized` made."""
    if not isinstance(cells, _Cells):
        return _longest_piece(cells)
    if cells.longest is None:
        cells.longest = _longest_piece(cells)
    return cells.longest


def _longest_piece(cells: dict[str, int]) -> int:
    """The width of the widest piece (`pieces`) of any of `cells` (cell → its width),
    cells read widest first: no piece is wider than its cell, so the search stops at
    the first cell no wider than the widest piece found."""
    longest = 0
    widest = sorted(cells.items(), key=itemgetter(1), reverse=True)
    start, batch = 0, 1
    while start < len(widest) and widest[start][1] > longest:
        # a batch of cells read with one search: a piece never crosses the newline
        # between two cells (white space), so the pieces are each cell's own; a
        # cell no wider than the longest piece found changes nothing, so batches
        # that run past the first such cell give the same answer
        text = "\n".join([cell for cell, _ in widest[start : start + batch]])
        width = len if one_cell_each(text) else _width  # `_width` of its every piece
        longest = max(longest, max(map(width, set(_PIECE.findall(text))), default=0))
        start += batch
        batch *= 4
    return longest


# Where a cell may break: at white space, except the one space inside a number
# grouped with spaces ("12 000": the number must never be split, or "more than
# 3" ends a line) and the spaces between a qualifier in words and its number
# ("at least 300", "almost 2 700": a reader must not see a bare 300), and after
# the slash of a date interval ("2025-01-06/").  A piece is what lies between
# two breaks.
_QUALIFIER = "|".join(
    re.escape(word).replace(r"\ ", " ") for word in sorted(QUALIFIER_WORDS, key=len, reverse=True)
)
_PIECE = re.compile(
    rf"(?:(?<![^\s/])['\"(\[]?+(?i:{_QUALIFIER}) ++(?=[0-9]))?+"
    rf"(?:[^\s/]|(?<=[0-9]){GROUP_SPACE}(?=[0-9]{{3}}(?![0-9])))++/?+|/"
)


_width = cell_width
"""Terminal cells a text takes (rich's count, see `render.plain.cell_width`)."""


def pieces(cell: str) -> list[tuple[str, str]]:
    """A cell as the pieces a line may not break inside, each with what joins
    it to the one before on a line: a space, or nothing after a slash."""
    return [
        (match.group(), " " if match.start() and cell[match.start() - 1].isspace() else "")
        for match in _PIECE.finditer(cell)
    ]


def break_lines(cell: str, width: int) -> str:
    """`cell` with a newline wherever it must break to fit `width`, only at the
    breaks `pieces` allows (a piece wider than `width` is left to rich, which
    folds it).  A cell that fits is returned unchanged."""
    if _width(cell) <= width:
        return cell
    lines: list[str] = []
    line, used = "", 0
    for piece, joint in pieces(cell):
        size = _width(piece)
        if line and used + len(joint) + size > width:
            lines.append(line)
            line, used = piece, size
        elif line:
            line, used = line + joint + piece, used + len(joint) + size
        else:
            line, used = piece, size
    return "\n".join([*lines, line])


def _piece_widths(
    table: Table, width: int, sized: list[dict[str, int]] | None = None
) -> list[int | None]:
    """When the prose columns alone cannot make the table fit: every column may
    break between its pieces (an id or a date is one piece, never split).  Each
    column gets its longest piece, and what is left is shared in proportion to
    how much more each would like; all None when not even that fits."""
    cells = _sized(table) if sized is None else sized
    whole = [max(column.values()) for column in cells]
    room = width - _GAP * (len(whole) - 1)
    floors: list[int] = []
    for column in cells:  # stops at the first column that makes the floors too wide
        floors.append(_widest_piece(column))
        if sum(floors) > room:
            return [None] * len(whole)
    spare = room - sum(floors)
    wants = [w - f for w, f in zip(whole, floors, strict=True)]
    total = sum(wants) or 1
    return [f + spare * want // total for f, want in zip(floors, wants, strict=True)]


def _breaker(table: Table, widths: Sequence[int | None], *, every: bool = False) -> Any:
    """A function (cell, column index) -> the cell broken where `break_lines`
    breaks it in a prose column of fixed width (rich itself would break "12 000"
    at its space); each distinct cell of a column is broken once."""
    prose = {
        i: width
        for i, (column, width) in enumerate(zip(table.columns, widths, strict=True))
        if (column.wrap or every) and width is not None
    }
    done: dict[int, dict[str, str]] = {i: {} for i in prose}

    def broken(cell: str, index: int) -> str:
        width = prose.get(index)
        if width is None:
            return cell
        if (found := done[index].get(cell)) is None:
            found = done[index][cell] = break_lines(cell, width)
        return found

    return broken


def _stacked(table: Table, width: int) -> str:
    """A table too wide for `width`, one block per row (see `_stacked_lines`)."""
    return "\n".join(_stacked_lines(table, width))


def _stacked_lines(table: Table, width: int) -> Iterator[str]:
    """A table too wide for `width`, one block per row, a line at a time: the
    first cell, then each other column as `name  value`, values broken only
    where `pieces` allows.  A piece wider than the line stays whole (it is never
    split)."""
    for lines in _stacked_blocks(table, width):
        yield from lines


def _stacked_blocks(table: Table, width: int) -> Iterator[list[str]]:
    """`_stacked_lines` a block at a time: the heading, each row (after its
    blank line), the caption."""
    names = [column.name for column in table.columns[1:]]
    label = max(map(_width, names), default=0) + 2
    room = max(width - 2 - label, 1)
    yield [
        *break_lines(table.title, width).split("\n"),
        *break_lines(
            f"(one block per {table.columns[0].name}: the table is too wide)",
            width,
        ).split("\n"),
    ]
    labels = ["  " + name.ljust(label) for name in names]
    indent = " " * (2 + label)
    for row in table.rows:
        block = ["", *(row[0].splitlines() or [""])]
        for start, cell in zip(labels, row[1:], strict=True):
            if len(cell) <= room and cell.isascii() and cell.isprintable():
                block.append(start + cell)  # one line that fits (the common cell)
                continue
            broken = [
                part
                for text in cell.splitlines() or [""]
                for part in break_lines(text, room).split("\n")
            ]
            block.append(start + broken[0])
            block.extend(indent + part for part in broken[1:])
        yield block
    if table.caption:
        yield ["", *break_lines(table.caption, width).split("\n")]


def strip_trailing(text: str) -> str:
    """Rich pads lines to the table's width; the padding is noise in files and diffs."""
    return "".join(line.rstrip() + "\n" for line in text.splitlines())
